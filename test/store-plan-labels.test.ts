import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import type { ExperimentConfig } from "../src/experiments/types.js";
import { completeRunsOfPlan } from "../src/node/planStoredRuns.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function memoryOne(sweep?: Record<string, unknown[]>): ExperimentConfig {
  return validateConfig({
    name: "plan-labels",
    kind: "memory-one",
    game: "ipd-lola",
    agents: [{ pC: [0.9, 0.8, 0.2, 0.7, 0.3] }, { pC: [0.5, 0.6, 0.4, 0.6, 0.4] }],
    budget: { rounds: 10 },
    seeds: { count: 2, base: 0 },
    ...(sweep ? { sweep } : {}),
  });
}

describe("stored runs labelled by the current plan", () => {
  it("a run stored before a sweep axis existed appears under the sweep point that reaches its config", async () => {
    const store = RunStore.open(mkdtempSync(join(tmpdir(), "shapelab-labels-")));
    dirs.push(store.dir);
    const before = memoryOne();
    await runExperiment(before, store, { workers: 0, quiet: true });
    const defaultGamma = before.gamma;
    const swept = memoryOne({ gamma: [0.8, defaultGamma] });
    const summary = await runExperiment(swept, store, { workers: 0, quiet: true });
    assert.equal(summary.skipped, 2, "the default-γ cell is the old runs: same keys, not rerun");

    // The stored rows keep the label they were first stored with (no sweep point) ...
    const units = planRuns(swept);
    const stored = store.runsByKeys(units.map((u) => u.key));
    assert.equal(stored.filter((r) => Object.keys(r.point).length === 0).length, 2);
    // ... but the plan's reading labels every run by its cell, so the γ = default column is not lost.
    const runs = await completeRunsOfPlan(store, units);
    assert.equal(runs.length, 4);
    assert.deepEqual(
      runs.map((r) => [r.point.gamma, r.seed]),
      units.map((u) => [u.point.gamma, u.seed]),
    );
    assert.equal(runs.filter((r) => r.point.gamma === defaultGamma).length, 2);
    store.close();
  });
});
