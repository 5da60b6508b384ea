/**
 * Running an experiment into the store: plan the units, skip those the store already has complete, feed the
 * rest to the worker pool (at most 2 per thread in flight, so memory stays flat however long the sweep), and
 * write each result in its own transaction as it arrives. Progress shows runs done, the ETA and the latest
 * metric. An abort (SIGINT) stops dispatching and leaves unfinished runs marked incomplete for the next call.
 */
import { planRuns } from "../experiments/plan.js";
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { createProgress } from "./progress.js";
import type { RunStore } from "./store.js";
import { codeVersion } from "./version.js";
import runJob from "./runWorker.js";
import { coreCount, streamTasks } from "./workerPool.js";

export interface RunOptions {
  /** Worker threads (default: one per core); 0 runs every unit in this thread. */
  workers?: number;
  quiet?: boolean;
  signal?: AbortSignal;
  /** Called after each run is stored (tests use it to sample memory). */
  onStored?: (done: number, unit: RunUnit, result: RunResult) => void;
}

export interface RunSummary {
  experiment: string;
  experimentId: number;
  /** Units in the plan (distinct run keys). */
  total: number;
  /** Already complete in the store before this call. */
  skipped: number;
  /** Completed by this call. */
  completed: number;
  failed: { key: string; seed: number; error: string }[];
  interrupted: boolean;
  /** Run keys of the plan, in plan order. */
  keys: string[];
  elapsedMs: number;
}

function latestMetricText(config: ExperimentConfig, result: RunResult): string {
  const name =
    config.reproduces.find((r) => r.metric in result.final)?.metric ?? Object.keys(result.final)[0];
  return name === undefined ? "" : `${name}=${result.final[name].toPrecision(4)}`;
}

export async function runExperiment(
  config: ExperimentConfig,
  store: RunStore,
  options: RunOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  // Two cases can resolve to the same run config: keep one unit per key.
  const seen = new Set<string>();
  const units = planRuns(config).filter((u) => !seen.has(u.key) && seen.add(u.key));
  const experimentId = store.registerExperiment(config);
  const version = codeVersion();
  const complete = store.completeKeys(
    units.map((u) => u.key),
    version,
  );
  const todo = units.filter((u) => !complete.has(u.key));
  const summary: RunSummary = {
    experiment: config.name,
    experimentId,
    total: units.length,
    skipped: complete.size,
    completed: 0,
    failed: [],
    interrupted: false,
    keys: units.map((u) => u.key),
    elapsedMs: 0,
  };
  if (todo.length === 0) {
    summary.elapsedMs = performance.now() - started;
    return summary;
  }

  const progress = createProgress(config.name, units.length, { quiet: options.quiet });
  if (summary.skipped > 0) progress.update(summary.skipped, `${summary.skipped} already in the store`);
  // Run ids of the units in flight, by task index.
  const runIds = new Map<number, number>();
  try {
    await streamTasks(runJob, undefined, todo, {
      // 0 runs every unit in this thread, one after another (no worker started).
      workers: Math.min(options.workers ?? coreCount(), todo.length),
      signal: options.signal,
      onStart: (index) => runIds.set(index, store.startRun(todo[index], experimentId, version)),
      onResult(index, result) {
        store.completeRun(runIds.get(index)!, todo[index], result);
        runIds.delete(index);
        summary.completed++;
        const done = summary.skipped + summary.completed + summary.failed.length;
        progress.update(done, latestMetricText(config, result));
        options.onStored?.(done, todo[index], result);
      },
      onError(index, error) {
        const message = error instanceof Error ? error.message : String(error);
        store.failRun(runIds.get(index)!, message);
        runIds.delete(index);
        summary.failed.push({ key: todo[index].key, seed: todo[index].seed, error: message });
      },
    });
  } finally {
    progress.stop();
  }
  // An aborted run stays `running` in the store: incomplete, redone next time.
  summary.interrupted = options.signal?.aborted ?? false;
  summary.elapsedMs = performance.now() - started;
  return summary;
}
