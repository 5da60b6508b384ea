import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { validateConfig } from "../src/experiments/config.js";
import type { ExperimentConfig } from "../src/experiments/types.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

const dirs: string[] = [];
function tempStore(): RunStore {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-sweep-"));
  dirs.push(dir);
  return RunStore.open(dir);
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A jittered memory-one sweep: every run draws `samples` random pairs from its own seed. */
function sweepConfig(seeds: number, samples = 50): ExperimentConfig {
  return validateConfig({
    name: "sweep-determinism",
    kind: "memory-one",
    game: "ipd-lola",
    agents: [{ pC: [0.9, 0.8, 0.2, 0.7, 0.3] }, { pC: [0.5, 0.6, 0.4, 0.6, 0.4] }],
    budget: { rounds: 30 },
    params: { jitter: 1.5, samples },
    seeds: { count: seeds, base: 100 },
    sweep: { gamma: [0.8, 0.96], "params.jitter": [0.5, 1.5] },
  });
}

/** Every stored number of a sweep, in plan order, as one string. */
function dump(store: RunStore, keys: string[]): string {
  const runs = store.runsByKeys(keys);
  assert.equal(runs.length, keys.length);
  return JSON.stringify(
    runs.map((r) => ({ key: r.key, seed: r.seed, final: r.final, series: store.metrics(r.id) })),
  );
}

describe("sweeps on the worker pool", () => {
  it("same config and seeds → byte-identical metrics, run twice and with 0 (this thread), 1 or 2 workers", async () => {
    const config = sweepConfig(5);
    const results: string[] = [];
    for (const workers of [1, 2, 2, 0]) {
      const store = tempStore();
      const summary = await runExperiment(config, store, { workers, quiet: true });
      assert.deepEqual(summary.failed, []);
      assert.equal(summary.completed, 20);
      results.push(dump(store, summary.keys));
      store.close();
    }
    assert.ok(results[0].length > 10_000);
    assert.equal(results[1], results[0], "2 workers vs 1 worker");
    assert.equal(results[2], results[0], "second run with 2 workers");
    assert.equal(results[3], results[0], "in this thread vs 1 worker");
    // And the jitter really is random per seed: different seeds give different values.
    const finals = JSON.parse(results[0]).map((r: { final: Record<string, number> }) => r.final["value.1"]);
    assert.notEqual(finals[0], finals[1]);
  });

  it("learners too: sampled AA and exact LOLA sweeps give byte-identical metrics on 1 and 2 workers", async () => {
    const configs = [
      validateConfig({
        name: "aa-determinism",
        kind: "sampled-train",
        game: "ipd-lola",
        agents: [
          { learner: "aa", variant: "running-mean", normalize: true, lr: 0.3 },
          { learner: "pg", lr: 0.2 },
        ],
        budget: { batch: 8, rollout: 20, updates: 10 },
        seeds: { count: 4 },
        sweep: { "agents.0.beta": [0, 1] },
      }),
      validateConfig({
        name: "lola-determinism",
        kind: "exact-train",
        game: "ipd-lola",
        agents: [{ learner: "lola" }, { learner: "naive" }],
        budget: { steps: 30 },
        seeds: { count: 6 },
      }),
    ];
    for (const config of configs) {
      const dumps: string[] = [];
      for (const workers of [1, 2]) {
        const store = tempStore();
        const summary = await runExperiment(config, store, { workers, quiet: true });
        assert.deepEqual(summary.failed, []);
        dumps.push(dump(store, summary.keys));
        store.close();
      }
      assert.equal(dumps[1], dumps[0], config.name);
    }
  });

  it("a rerun skips every finished run and writes nothing new", async () => {
    const store = tempStore();
    const config = sweepConfig(3);
    const first = await runExperiment(config, store, { workers: 2, quiet: true });
    const before = store.counts();
    const second = await runExperiment(config, store, { workers: 2, quiet: true });
    assert.equal(first.completed, 12);
    assert.equal(second.skipped, 12);
    assert.equal(second.completed, 0);
    assert.deepEqual(store.counts(), before);
    store.close();
  });

  it("a sweep of 200 small runs does not grow memory without bound (heap after GC, in a child process)", () => {
    // A child with --expose-gc measures the heap after a full collection at runs 50 and 200, so the bound can be
    // tight: kept results, units or per-run pool state would grow it by far more than the slack allowed here.
    const dir = mkdtempSync(join(tmpdir(), "shapelab-memory-"));
    dirs.push(dir);
    const script = join(dir, "memory.mjs");
    const modules = (rel: string) => JSON.stringify(new URL(rel, import.meta.url).href);
    writeFileSync(
      script,
      `import { validateConfig } from ${modules("../src/experiments/config.js")};
import { runExperiment } from ${modules("../src/node/runner.js")};
import { RunStore } from ${modules("../src/node/store.js")};
const config = validateConfig(${JSON.stringify({
        name: "sweep-memory",
        kind: "memory-one",
        game: "ipd-lola",
        agents: [{ pC: [0.9, 0.8, 0.2, 0.7, 0.3] }, { pC: [0.5, 0.6, 0.4, 0.6, 0.4] }],
        budget: { rounds: 30 },
        params: { jitter: 1.5, samples: 20 },
        seeds: { count: 50, base: 100 },
        sweep: { gamma: [0.8, 0.96], "params.jitter": [0.5, 1.5] },
      })});
const store = RunStore.open(${JSON.stringify(join(dir, "runs"))});
const heap = {};
const summary = await runExperiment(config, store, { workers: 2, quiet: true, onStored(done) {
  if (done === 50 || done === 200) { global.gc(); heap[done] = process.memoryUsage().heapUsed; }
} });
process.stdout.write(JSON.stringify({ completed: summary.completed, failed: summary.failed, heap, stored: store.counts().complete }));
store.close();
`,
    );
    const child = spawnSync(process.execPath, ["--expose-gc", script], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const out = JSON.parse(child.stdout);
    assert.deepEqual(out.failed, []);
    assert.equal(out.completed, 200);
    assert.equal(out.stored, 200);
    const growthMb = (out.heap[200] - out.heap[50]) / (1024 * 1024);
    assert.ok(growthMb < 4, `heap after GC grew ${growthMb.toFixed(2)} MB from run 50 to run 200`);
  });
});
