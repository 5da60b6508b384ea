/** A stored run counts as done only for the code version that computed it; stale runs are redone in place. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { validateConfig } from "../src/experiments/config.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

const dir = mkdtempSync(join(tmpdir(), "shapelab-version-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const config = validateConfig({
  name: "version-check",
  kind: "memory-one",
  game: "ipd",
  agents: [{ pC: [1, 1, 0, 1, 0] }, { pC: [0.5, 0.5, 0.5, 0.5, 0.5] }],
  budget: { rounds: 20 },
  seeds: { count: 6, base: 0 },
});

describe("run store and code versions", () => {
  it("reruns skip runs of the same code version and redo runs of another, without duplicating them", async () => {
    let store = RunStore.open(dir);
    const first = await runExperiment(config, store, { workers: 1, quiet: true });
    assert.equal(first.completed, 6);
    const again = await runExperiment(config, store, { workers: 1, quiet: true });
    assert.equal(again.skipped, 6);
    assert.equal(again.completed, 0);
    store.close();

    // Pretend two runs were computed by older code.
    const db = new Database(join(dir, "runs.sqlite"));
    db.prepare(
      "UPDATE runs SET code_version = 'old' WHERE id IN (SELECT id FROM runs ORDER BY id LIMIT 2)",
    ).run();
    db.close();

    store = RunStore.open(dir);
    const rerun = await runExperiment(config, store, { workers: 1, quiet: true });
    assert.equal(rerun.skipped, 4);
    assert.equal(rerun.completed, 2);
    const runs = store.runsByKeys(rerun.keys);
    assert.equal(runs.length, 6, "one row per run, no duplicates");
    assert.ok(runs.every((r) => r.status === "complete" && r.codeVersion !== "old"));
    store.close();
  });
});
