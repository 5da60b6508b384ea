/**
 * The one way shapelab runs work on worker threads (experiment runs, tournament matches, arena pairs): plain-data
 * tasks go to a piscina pool of N threads, results come back to the main thread. What it guarantees:
 *
 * - Task order: `runTasks` returns results in task order; `streamTasks` reports each result with its task index
 *   as it arrives (nothing kept, so memory stays flat however many tasks). `order` only changes which tasks start
 *   first (to balance the threads), never where a result lands.
 * - Determinism: results land by task index, never by timing, so they are identical for any number of workers
 *   (0 included) as long as the job is a pure function of (shared, task): its randomness drawn from a seed or
 *   stream named in the task, never from which thread runs it or when.
 * - Worker count 0 = in-process: the tasks run in this thread, in index order, no thread is started (small jobs,
 *   tests, debugging). Otherwise min(workers, tasks) threads, at most two tasks per thread in flight.
 * - Errors: an InputError thrown in a worker arrives as an InputError (the CLI prints one line and exits 2).
 *   Without `onError` the first failure cancels the rest and rejects; with it, failures are reported and the other
 *   tasks go on. An aborted `signal` stops starting tasks, cancels those in flight and resolves.
 * - Shutdown: the pool is destroyed before the call returns or throws, so no thread keeps the process alive.
 *
 * A job is the default export of a module (its `url` is that module's `import.meta.url`): each thread imports it
 * once through the CommonJS entry runWorkerEntry.cts and calls `run(shared, task)`; `shared` (the plan) is sent
 * once per thread, not with every task. Every thread loads that module, so it should import little else.
 */
import { availableParallelism } from "node:os";
import { InputError } from "../util/errors.js";

export interface WorkerJob<Shared, Task, Result> {
  /** `import.meta.url` of the module whose default export is this job. */
  readonly url: string;
  run(shared: Shared, task: Task): Result | Promise<Result>;
}

export interface TaskOptions<Result> {
  /** Worker threads; 0 runs every task in this thread. */
  workers: number;
  /** The order to start tasks in on worker threads (a permutation of task indices), e.g. slow ones first. */
  order?: readonly number[];
  signal?: AbortSignal;
  /** Right before task `index` starts; returning false skips it (e.g. another process holds its lease). */
  onStart?: (index: number) => unknown;
  /** Task `index` finished; `done` counts finished tasks (failed ones included). */
  onResult?: (index: number, result: Result, done: number) => void;
  /** Task `index` failed: report it and go on (without this, the first failure rejects). */
  onError?: (index: number, error: unknown, done: number) => void;
}

/** What runWorkerEntry.cts throws for an InputError: its class does not survive the thread boundary. */
interface InputErrorData {
  inputError: { field: string; message: string };
}

function fromWorker(error: unknown): unknown {
  const data = (error as Partial<InputErrorData> | null)?.inputError;
  return data ? new InputError(data.field, data.message) : error;
}

/** One thread per core. */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/** The most worker threads any command starts. */
export const MAX_WORKERS = 64;

/** Check a --workers value (0 = this thread). */
export function checkWorkers(workers: number): number {
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    throw new InputError("--workers", `must be an integer in [0, ${MAX_WORKERS}], got ${workers}`);
  }
  return workers;
}

/** Run `tasks` and report each result by task index as it arrives (see the header for the guarantees). */
export async function streamTasks<Shared, Task, Result>(
  job: WorkerJob<Shared, Task, Result>,
  shared: Shared,
  tasks: readonly Task[],
  options: TaskOptions<Result>,
): Promise<void> {
  const { signal, onStart, onResult, onError } = options;
  let done = 0;
  if (options.workers <= 0) {
    for (let index = 0; index < tasks.length && !signal?.aborted; index++) {
      if (onStart?.(index) === false) continue;
      try {
        const result = await job.run(shared, tasks[index]);
        onResult?.(index, result, ++done);
      } catch (error) {
        if (!onError) throw error;
        onError(index, error, ++done);
      }
    }
    return;
  }

  const threads = Math.min(options.workers, tasks.length);
  if (threads === 0 || signal?.aborted) return;
  // Loaded here, not at the top: importing piscina takes tens of ms, which in-process runs and the worker threads
  // (they import the job's module, and with it this one) should not pay.
  const { Piscina } = await import("piscina");
  const pool = new Piscina<Task, Result>({
    filename: new URL("./runWorkerEntry.cjs", import.meta.url).href,
    workerData: { job: job.url, shared },
    minThreads: threads,
    maxThreads: threads,
  });
  // Cancels the tasks in flight: on the caller's abort, after the first failure when there is no onError, or on
  // an error of the pool itself.
  const cancel = new AbortController();
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (cancel.signal.aborted) return;
    failure = { error };
    cancel.abort();
  };
  // piscina reports errors outside any task (a thread that crashed between tasks) as an 'error' event, and also
  // the result of a cancelled task that was already on its way back ("Unexpected message from Worker"): without
  // a listener either would be an uncaught exception. After a cancellation they are ignored.
  pool.on("error", fail);
  const onAbort = () => cancel.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const order = options.order ?? tasks.map((_, index) => index);
  let next = 0;
  // Each lane keeps one task in flight; two lanes per thread keep a task queued behind the running one.
  const lane = async () => {
    while (next < order.length && !cancel.signal.aborted) {
      const index = order[next++];
      if (onStart?.(index) === false) continue;
      let result: Result;
      try {
        result = await pool.run(tasks[index], { signal: cancel.signal });
      } catch (error) {
        if (cancel.signal.aborted) return;
        if (onError) onError(index, fromWorker(error), ++done);
        else fail(fromWorker(error));
        continue;
      }
      onResult?.(index, result, ++done);
    }
  };
  try {
    await Promise.all(Array.from({ length: 2 * threads }, lane));
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }
  if (failure) throw failure.error;
}

/** Run `tasks` and return their results in task order (see the header for the guarantees). */
export async function runTasks<Shared, Task, Result>(
  job: WorkerJob<Shared, Task, Result>,
  shared: Shared,
  tasks: readonly Task[],
  options: TaskOptions<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array(tasks.length);
  await streamTasks(job, shared, tasks, {
    ...options,
    onResult(index, result, done) {
      results[index] = result;
      options.onResult?.(index, result, done);
    },
  });
  return results;
}

/** A pool that stays open for tasks that arrive over time (a queue worker's jobs), not a list known up front. */
export interface TaskPool<Task, Result> {
  /** Run one task on a thread (InputErrors arrive as InputErrors, as with streamTasks). */
  run(task: Task): Promise<Result>;
  /** Wait for the tasks in flight, then stop every thread. */
  close(): Promise<void>;
}

/** Open a pool of `threads` worker threads for `job` (see the header; the same entry file and error rules). */
export async function openTaskPool<Shared, Task, Result>(
  job: WorkerJob<Shared, Task, Result>,
  shared: Shared,
  threads: number,
): Promise<TaskPool<Task, Result>> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina<Task, Result>({
    filename: new URL("./runWorkerEntry.cjs", import.meta.url).href,
    workerData: { job: job.url, shared },
    minThreads: threads,
    maxThreads: threads,
  });
  return {
    async run(task) {
      try {
        return await pool.run(task);
      } catch (error) {
        throw fromWorker(error);
      }
    },
    close: () => pool.close(),
  };
}
