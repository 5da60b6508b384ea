/**
 * Benchmark: the experiment runner's own cost and its scaling over worker threads.
 *
 * 1. Overhead: 1000 tiny runs (memory-one kind, one pair, 10 rounds: microseconds of work each) through the whole
 *    path — plan, worker pool, SQLite store with one transaction per run — against calling `runUnit` in a loop in
 *    process with no pool and no store. The difference per run is what the infrastructure costs.
 * 2. Scaling: the `aa-tft` named experiment (20 runs of Advantage Alignment, 200 sampled updates of 64 × 150
 *    games each, ≈ 0.3–0.5 s of compute per run) on 1 and 2 workers, wall-clock, into a fresh store each time.
 *    (Light experiments such as `exact-ipd`, ≈ 1 ms of compute per run, are bound by the per-run overhead and the
 *    workers' start-up, not by compute, and gain nothing from a second worker.)
 * No peer: this measures our infrastructure, not an algorithm.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import { runUnit } from "../src/experiments/run.js";
import type { ExperimentConfig } from "../src/experiments/types.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import type { Benchmark } from "./run.js";

async function timeSweep(
  config: ExperimentConfig,
  workers: number,
): Promise<{ seconds: number; runs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-bench-"));
  const store = RunStore.open(dir);
  try {
    const t = performance.now();
    const summary = await runExperiment(config, store, { workers, quiet: true });
    if (summary.failed.length > 0) throw new Error(`bench sweep: ${summary.failed[0].error}`);
    return { seconds: (performance.now() - t) / 1000, runs: summary.completed };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sweepBenchmark: Benchmark = {
  name: "sweep",
  description: "experiment runner: per-run overhead (pool + SQLite store) and scaling over workers",
  async run() {
    const tiny = validateConfig({
      name: "bench-tiny",
      kind: "memory-one",
      game: "ipd",
      agents: [{ pC: [0.9, 0.8, 0.2, 0.7, 0.3] }, { pC: [0.5, 0.6, 0.4, 0.6, 0.4] }],
      budget: { rounds: 10 },
      seeds: { count: 1000 },
    });
    const units = planRuns(tiny);
    await runUnit(units[0]); // warm-up
    const t = performance.now();
    for (const unit of units) await runUnit(unit);
    const direct = (performance.now() - t) / 1000;
    process.stdout.write(
      `  ${units.length} tiny runs, runUnit in a loop (no pool, no store): ${direct.toFixed(2)} s\n`,
    );
    for (const workers of [1, 2]) {
      const r = await timeSweep(tiny, workers);
      const overheadMs = ((r.seconds - direct) / r.runs) * 1000;
      process.stdout.write(
        `  same runs through the pool and the store, ${workers} worker(s): ${r.seconds.toFixed(2)} s ` +
          `(${(r.runs / r.seconds).toFixed(0)} runs/s; ≈ ${overheadMs.toFixed(2)} ms per run of infrastructure)\n`,
      );
    }
    const aaTft = loadNamedExperiment("aa-tft").config;
    const times: number[] = [];
    for (const workers of [1, 2]) {
      const r = await timeSweep(aaTft, workers);
      times.push(r.seconds);
      process.stdout.write(
        `  aa-tft (${r.runs} runs of 200 AA updates), ${workers} worker(s): ${r.seconds.toFixed(2)} s\n`,
      );
    }
    process.stdout.write(`  speed-up 2 workers vs 1: ${(times[0] / times[1]).toFixed(2)}×\n`);
  },
};
