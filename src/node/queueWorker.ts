/**
 * `shapelab worker`: take run units from the BullMQ queue (sweepQueue.ts) until stopped, compute each on a
 * worker thread (the same job as the local pool, runWorker.ts) and store the result exactly once.
 *
 * Per job: refuse it (no retry) if it was submitted by other code or for another store; mark the run `running`
 * (or return at once if the store already has it complete: a job delivered twice); run the unit on a thread;
 * then `storeResultOnce`, one transaction keyed by (run key, code version). A unit that throws is recorded
 * `failed` with its error and the job is rethrown, so BullMQ retries it up to the job's attempts and then keeps
 * it failed.
 *
 * The units run on piscina threads, never on this thread: BullMQ renews a job's lock from this event loop, and a
 * CPU-bound run here would starve the renewal and make a healthy job look stalled. A worker killed with SIGKILL
 * stops renewing; after the stall timeout another worker's stall check puts the job back and it runs there.
 * Redis going away is ridden out: ioredis reconnects with backoff and BullMQ resumes. A result computed while
 * Redis was away is in the store already; if BullMQ hands the job out again, it is found complete and skipped.
 *
 * Stopping (`stop()`, SIGINT/SIGTERM in the command): take no new job, finish the ones in hand, then close.
 */
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { RunResult, RunUnit } from "../experiments/types.js";
import runJob from "./runWorker.js";
import { newOwnerId } from "./store.js";
import type { RunStoreBackend } from "./storeBackend.js";
import {
  probeRedis,
  DEFAULT_STALL_MS,
  QUEUE_NAME,
  redisConnection,
  type SweepJob,
  type SweepJobResult,
} from "./sweepQueue.js";
import { codeVersion } from "./version.js";
import { openTaskPool } from "./workerPool.js";

export interface QueueWorkerOptions {
  /** Jobs in flight at once, each on its own thread (default 1). */
  concurrency?: number;
  /** Stall timeout in ms (see sweepQueue.ts). Every worker on a queue should use the same. */
  stallMs?: number;
  /** Told about every job: taken, stored, skipped (already complete), failed. */
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { kind: "active"; unit: RunUnit }
  | { kind: "stored" | "duplicate"; unit: RunUnit; elapsedMs: number }
  | { kind: "failed"; unit: RunUnit; error: string; attempt: number; attempts: number };

export interface QueueWorker {
  /** This worker's id (`host:pid:token`), recorded as the owner of the runs it computes. */
  readonly id: string;
  /** Finish the jobs in hand, take no more, then close the queue connection and the threads. */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly stopped: Promise<void>;
}

export async function startQueueWorker(
  queueUrl: string,
  store: RunStoreBackend,
  options: QueueWorkerOptions = {},
): Promise<QueueWorker> {
  const concurrency = options.concurrency ?? 1;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const id = newOwnerId();
  const version = codeVersion();
  await probeRedis(queueUrl);
  // Resumable runs (coin-train) checkpoint into the store, as the local runner's do.
  const checkpointStore = store.kind === "sqlite" ? store.location : store.connectionUrl;
  const pool = await openTaskPool(runJob, { checkpointStore }, concurrency);
  // Experiments already checked against this store: experiment id → config hash.
  const checked = new Map<number, string>();
  const emit = options.onEvent ?? (() => {});

  async function handle(job: Job<SweepJob, SweepJobResult>): Promise<SweepJobResult> {
    const { unit, experimentId, configHash } = job.data;
    if (job.data.codeVersion !== version) {
      throw new UnrecoverableError(
        `submitted by code version ${job.data.codeVersion}, but this worker runs ${version}: ` +
          "start workers from the same commit as the submitter",
      );
    }
    if (checked.get(experimentId) !== configHash) {
      const experiment = await store.getExperiment(experimentId);
      if (experiment?.configHash !== configHash) {
        throw new UnrecoverableError(
          `experiment ${experimentId} (${unit.experiment}) is not in this worker's store ${store.location}: ` +
            "give the worker the submitter's --store",
        );
      }
      checked.set(experimentId, configHash);
    }
    const claim = await store.startQueuedRun(unit, experimentId, version, id);
    if (claim.kind === "complete") {
      emit({ kind: "duplicate", unit, elapsedMs: 0 });
      return { stored: false, worker: id };
    }
    emit({ kind: "active", unit });
    let result: RunResult;
    try {
      result = await pool.run(unit);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await store.storeFailureOnce(unit, experimentId, version, message);
      emit({
        kind: "failed",
        unit,
        error: message,
        attempt: job.attemptsMade + 1,
        attempts: job.opts.attempts ?? 1,
      });
      throw error;
    }
    const stored = await store.storeResultOnce(unit, experimentId, version, result);
    emit({ kind: stored ? "stored" : "duplicate", unit, elapsedMs: result.elapsedMs });
    return { stored, worker: id };
  }

  const worker = new Worker<SweepJob, SweepJobResult>(QUEUE_NAME, handle, {
    connection: redisConnection(queueUrl),
    concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    // A job may stall twice (two workers killed under it) before BullMQ gives up on it.
    maxStalledCount: 2,
    autorun: false,
  });
  // Connection errors while Redis restarts are expected and retried by ioredis; without a listener Node would
  // treat them as uncaught.
  worker.on("error", () => {});
  await worker.waitUntilReady();
  // worker.run() resolves once the worker is closed (its jobs in hand finished); then the threads go.
  const stopped = worker
    .run()
    .catch(() => {})
    .then(() => pool.close());
  return {
    id,
    stopped,
    async stop() {
      await worker.close();
      await stopped;
    },
  };
}
