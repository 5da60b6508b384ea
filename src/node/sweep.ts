/**
 * Where `shapelab run` computes a sweep, given its store and flags:
 *
 *   --queue redis://…              on the queue's workers (queueSubmit.ts), any store
 *   an SQLite store (the default)  on this machine's pool with leases (runner.ts), exactly as before
 *   a PostgreSQL store, no queue   on this machine's pool, each result stored once (runIntoStore below)
 *
 * `retryFailed` narrows any of them to the plan's cells the store has as failed (`run --retry-failed`). A plain
 * rerun already redoes failed cells along with missing ones; this reruns only those, e.g. after fixing the
 * cause of a failure, without starting the cells nobody asked for yet.
 */
import { planRuns } from "../experiments/plan.js";
import type { ExperimentConfig, RunUnit } from "../experiments/types.js";
import { createProgress } from "./progress.js";
import { type RunOptions, type RunSummary, runExperiment, planSweep } from "./runner.js";
import runJob from "./runWorker.js";
import { SqliteBackend } from "./sqliteBackend.js";
import { newOwnerId } from "./store.js";
import type { RunStoreBackend } from "./storeBackend.js";
import { coreCount, streamTasks } from "./workerPool.js";

export interface SweepOptions extends RunOptions {
  /** A Redis URL: enqueue the units for `shapelab worker` processes instead of computing them here. */
  queue?: string;
  /** Attempts per queued job (default 3). */
  attempts?: number;
  /** Run only the cells the store has as failed. */
  retryFailed?: boolean;
}

export async function runSweep(
  config: ExperimentConfig,
  store: RunStoreBackend,
  options: SweepOptions = {},
): Promise<RunSummary> {
  const onlyKeys = options.retryFailed ? await failedKeys(config, store) : options.onlyKeys;
  if (options.queue !== undefined) {
    // Loaded only here: BullMQ takes about half a second to import, which a local run should not pay.
    const { submitSweep } = await import("./queueSubmit.js");
    return submitSweep(config, store, options.queue, { ...options, onlyKeys });
  }
  if (store instanceof SqliteBackend) return runExperiment(config, store.store, { ...options, onlyKeys });
  return runIntoStore(config, store, { ...options, onlyKeys });
}

/** Keys of the plan's runs that the store has as failed. */
async function failedKeys(config: ExperimentConfig, store: RunStoreBackend): Promise<Set<string>> {
  const keys = [...new Set(planRuns(config).map((u) => u.key))];
  return new Set((await store.runsByKeys(keys)).filter((r) => r.status === "failed").map((r) => r.key));
}

/**
 * Compute the units the store lacks on this machine's pool and store each once (storeResultOnce), for a store
 * without leases (PostgreSQL). Several processes on one such store may compute a cell twice but store it once;
 * to share the work among processes, use the queue.
 */
export async function runIntoStore(
  given: ExperimentConfig,
  store: RunStoreBackend,
  options: RunOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  const { config, units, experimentId, version, todo, summary } = await planSweep(
    given,
    store,
    options.onlyKeys,
  );
  const owner = newOwnerId();
  const progress = createProgress(config.name, units.length, { quiet: options.quiet || todo.length === 0 });
  // The pool reports results synchronously; each store write is a promise, chained so writes keep plan order
  // per call and the first store failure stops the rest.
  let writes: Promise<unknown> = Promise.resolve();
  const write = (step: () => Promise<void>) => {
    writes = writes.then(step);
  };
  const marks: Promise<unknown>[] = [];
  const mark = (unit: RunUnit) => marks.push(store.startQueuedRun(unit, experimentId, version, owner));
  try {
    // Resumable runs (coin-train) checkpoint into this store; worker threads open their own connection.
    const shared = { checkpointStore: store.connectionUrl };
    await streamTasks(runJob, shared, todo, {
      workers: Math.min(options.workers ?? coreCount(), todo.length),
      signal: options.signal,
      onStart(index) {
        mark(todo[index]);
      },
      onResult(index, result) {
        const unit = todo[index];
        write(async () => {
          const stored = await store.storeResultOnce(unit, experimentId, version, result);
          if (stored) summary.completed++;
          else summary.byOthers++;
          progress.update(summary.skipped + summary.completed + summary.byOthers + summary.failed.length);
          options.onStored?.(summary.completed, unit, result);
        });
      },
      onError(index, error) {
        const unit = todo[index];
        const message = error instanceof Error ? error.message : String(error);
        write(async () => {
          if (await store.storeFailureOnce(unit, experimentId, version, message))
            summary.failed.push({ key: unit.key, seed: unit.seed, error: message });
        });
      },
    });
  } finally {
    await Promise.allSettled(marks);
    await writes.finally(() => progress.stop());
  }
  summary.interrupted = options.signal?.aborted ?? false;
  summary.elapsedMs = performance.now() - started;
  return summary;
}
