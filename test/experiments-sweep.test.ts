import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
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
  it("same config and seeds → byte-identical metrics, run twice and with 1 or 2 workers", async () => {
    const config = sweepConfig(5);
    const results: string[] = [];
    for (const workers of [1, 2, 2]) {
      const store = tempStore();
      const summary = await runExperiment(config, store, { workers, quiet: true });
      assert.equal(summary.completed, 20);
      assert.deepEqual(summary.failed, []);
      results.push(dump(store, summary.keys));
      store.close();
    }
    assert.ok(results[0].length > 10_000);
    assert.equal(results[1], results[0], "2 workers vs 1 worker");
    assert.equal(results[2], results[0], "second run with 2 workers");
    // And the jitter really is random per seed: different seeds give different values.
    const finals = JSON.parse(results[0]).map((r: { final: Record<string, number> }) => r.final["value.1"]);
    assert.notEqual(finals[0], finals[1]);
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

  it("a sweep of 200 small runs does not grow memory without bound", async () => {
    const store = tempStore();
    const samples: Record<number, { heap: number; rss: number }> = {};
    const summary = await runExperiment(sweepConfig(50, 20), store, {
      workers: 2,
      quiet: true,
      onStored: (done) => {
        if (done === 50 || done === 200) {
          const m = process.memoryUsage();
          samples[done] = { heap: m.heapUsed, rss: m.rss };
        }
      },
    });
    assert.equal(summary.completed, 200);
    assert.equal(store.counts().complete, 200);
    store.close();
    const MB = 1024 * 1024;
    const heapGrowth = (samples[200].heap - samples[50].heap) / MB;
    const rssGrowth = (samples[200].rss - samples[50].rss) / MB;
    // 150 more runs × 60 series values each would be tiny if kept; a leak of whole results/units or of
    // per-run pool state would show up as tens of MB. The bound is generous against GC timing noise.
    assert.ok(heapGrowth < 40, `heap grew ${heapGrowth.toFixed(1)} MB from run 50 to run 200`);
    assert.ok(rssGrowth < 80, `RSS grew ${rssGrowth.toFixed(1)} MB from run 50 to run 200`);
  });
});
