/**
 * Running an experiment into the store: plan the units, skip those the store already has complete, feed the
 * rest to the worker pool (at most 2 per thread in flight, so memory stays flat however long the sweep), and
 * write each result in its own transaction as it arrives. Progress shows runs done (and the part of each run in
 * flight that its unit reports done: runWorker.ts's `watchUnitProgress`), the ETA and the latest metric. An
 * abort (SIGINT) stops dispatching and leaves unfinished runs marked incomplete for the next call.
 *
 * Several processes may run the same or overlapping experiments into one store at once: each run is claimed with
 * a lease (store.ts) right before it starts, and a run another process holds is skipped and counted. When its own
 * work is done, a process waits for the runs it skipped (unless `wait` is false): a run the other process
 * completes is counted as done elsewhere, and a run whose lease expires (that process died) is taken over. So
 * every run of the plan ends complete exactly once, whichever processes survive.
 */
import { planRuns } from "../experiments/plan.js";
import { storedExperimentName } from "../experiments/presets.js";
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { type ResolvingStore, resolveConfig } from "./configSources.js";
import { createProgress } from "./progress.js";
import { DEFAULT_LEASE_MS, newOwnerId, ownerIsDead, type RunStore } from "./store.js";
import { codeVersion } from "./version.js";
import runJob, { watchUnitProgress } from "./runWorker.js";
import { coreCount, streamTasks } from "./workerPool.js";

export interface RunOptions {
  /** Worker threads (default: one per core); 0 runs every unit in this thread. */
  workers?: number;
  quiet?: boolean;
  signal?: AbortSignal;
  /** Lease length in ms (default 60 s): another process may take over a run whose heartbeat is older. */
  leaseMs?: number;
  /** Wait for runs other processes hold, taking over those whose lease expires (default true). */
  wait?: boolean;
  /** Run only these keys of the plan (e.g. `run --retry-failed`: the failed ones); the rest count as skipped. */
  onlyKeys?: ReadonlySet<string>;
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
  /** Completed by another process on the same store while this call ran (leases). */
  byOthers: number;
  /** Still held by another process when this call returned (only with `wait: false`, or when interrupted). */
  heldByOthers: number;
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

/** The store calls a sweep's plan needs; the SQLite store answers them at once, the async backends later. */
export interface PlanningStore extends ResolvingStore {
  registerExperiment(config: ExperimentConfig): number | Promise<number>;
  completeKeys(keys: readonly string[], codeVersion: string): Set<string> | Promise<Set<string>>;
}

/**
 * What every sweep path (the local pool, a store without leases, the queue) does first: resolve the config's
 * outside references, plan one unit per run key, register the experiment, and leave out the units already
 * complete at this code version (and, with `onlyKeys`, those not asked for).
 */
export async function planSweep(
  given: ExperimentConfig,
  store: PlanningStore,
  onlyKeys?: ReadonlySet<string>,
) {
  const config = await resolveConfig(given, store);
  // Two cases can resolve to the same run config: keep one unit per key.
  const seen = new Set<string>();
  const units = planRuns(config).filter((u) => !seen.has(u.key) && seen.add(u.key));
  const experimentId = await store.registerExperiment(config);
  const version = codeVersion();
  const complete = await store.completeKeys(
    units.map((u) => u.key),
    version,
  );
  const todo = units.filter((u) => !complete.has(u.key) && (onlyKeys === undefined || onlyKeys.has(u.key)));
  const summary: RunSummary = {
    experiment: storedExperimentName(config),
    experimentId,
    total: units.length,
    skipped: units.length - todo.length,
    completed: 0,
    byOthers: 0,
    heldByOthers: 0,
    failed: [],
    interrupted: false,
    keys: units.map((u) => u.key),
    elapsedMs: 0,
  };
  return { config, units, experimentId, version, todo, summary };
}

export async function runExperiment(
  given: ExperimentConfig,
  store: RunStore,
  options: RunOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  // Agent files and other experiments' results become part of the config (and so of each run's key).
  const { config, units, experimentId, version, todo, summary } = await planSweep(
    given,
    store,
    options.onlyKeys,
  );
  if (todo.length === 0) {
    summary.elapsedMs = performance.now() - started;
    return summary;
  }

  const progress = createProgress(storedExperimentName(config), units.length, { quiet: options.quiet });
  // A failure of the store itself (disk full, damaged file) stops the whole call at the first one: every later
  // unit would fail the same way, after computing for nothing.
  const storeFailed = new AbortController();
  let storeFailure: unknown;
  const signal = options.signal ? AbortSignal.any([options.signal, storeFailed.signal]) : storeFailed.signal;
  const guard = <T>(write: () => T): T | undefined => {
    if (storeFailure !== undefined) return undefined;
    try {
      return write();
    } catch (error) {
      storeFailure = error;
      storeFailed.abort();
      return undefined;
    }
  };
  const owner = newOwnerId();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Heartbeats from the main thread; with workers 0 a long unit blocks it, so onStart beats as well.
  const beat = setInterval(() => guard(() => store.heartbeat(owner)), Math.max(50, leaseMs / 6));
  beat.unref();
  const done = () => summary.skipped + summary.completed + summary.byOthers + summary.failed.length;
  // The bar counts finished runs plus the finished part of each run in flight, as the units report it (a
  // coin-train seed trains for minutes; without this the bar and its ETA stood still meanwhile).
  const inFlight = new Map<string, number>();
  const finished = new Set<string>();
  let latestMetric = summary.skipped > 0 ? `${summary.skipped} already in the store` : "";
  const show = (metric?: string) => {
    if (metric !== undefined) latestMetric = metric;
    let partial = 0;
    for (const fraction of inFlight.values()) partial += fraction;
    progress.update(done() + partial, latestMetric);
  };
  const finish = (key: string) => {
    finished.add(key);
    inFlight.delete(key);
  };
  if (summary.skipped > 0) show();
  const progressChannel = options.quiet ? undefined : `shapelab-run-progress-${owner}`;
  const stopWatching =
    progressChannel === undefined
      ? () => {}
      : watchUnitProgress(progressChannel, ({ key, done: part, total }) => {
          // A report can arrive after its unit's result (it was on its way from the worker thread).
          if (finished.has(key) || !(total > 0)) return;
          inFlight.set(key, Math.min(1, Math.max(0, part / total)));
          show();
        });
  let pending = todo;
  try {
    while (pending.length > 0 && !signal.aborted) {
      const held = await runRound(pending);
      if (held.length === 0 || options.wait === false) {
        summary.heldByOthers = held.length;
        break;
      }
      // Wait for the other processes: poll until each held run is complete or its lease can be taken over.
      pending = [];
      let waiting = held;
      while (waiting.length > 0 && pending.length === 0 && !signal.aborted) {
        await sleep(Math.min(250, Math.max(20, leaseMs / 10)), signal);
        const rows = new Map(store.runsByKeys(waiting.map((u) => u.key)).map((r) => [r.key, r]));
        const still: RunUnit[] = [];
        for (const unit of waiting) {
          const row = rows.get(unit.key);
          if (row?.status === "complete" && row.codeVersion === version) {
            summary.byOthers++;
            show("done by another process");
          } else if (
            row?.status !== "running" ||
            row.owner === null ||
            (row.heartbeatAt ?? 0) < Date.now() - leaseMs ||
            ownerIsDead(row.owner)
          ) {
            pending.push(unit);
          } else {
            still.push(unit);
          }
        }
        waiting = still;
        summary.heldByOthers = still.length;
        // Claimable runs go first; runs still held are tried again in the next round's claims.
        if (pending.length > 0) pending.push(...still);
      }
    }
  } finally {
    clearInterval(beat);
    stopWatching();
    progress.stop();
    // An interrupted call leaves its runs incomplete and free for the next process at once.
    guard(() => store.releaseLeases(owner));
  }
  if (storeFailure !== undefined) throw storeFailure;
  // An aborted run stays `running` (released) in the store: incomplete, redone next time.
  summary.interrupted = options.signal?.aborted ?? false;
  summary.elapsedMs = performance.now() - started;
  return summary;

  /** Claim and run `units`; returns those another process holds. */
  async function runRound(units: RunUnit[]): Promise<RunUnit[]> {
    const runIds = new Map<number, number>();
    const held: RunUnit[] = [];
    // Runs checkpoint into this store's table (coin-train's training state), so a killed run resumes.
    await streamTasks(runJob, { checkpointStore: store.dir, progressChannel }, units, {
      // 0 runs every unit in this thread, one after another (no worker started).
      workers: Math.min(options.workers ?? coreCount(), units.length),
      signal,
      onStart(index) {
        const claim = guard(() => {
          store.heartbeat(owner);
          return store.claimRun(units[index], experimentId, version, owner, leaseMs);
        });
        if (claim === undefined) return false;
        if (claim.kind === "claimed") {
          runIds.set(index, claim.id);
          return true;
        }
        if (claim.kind === "complete") {
          summary.byOthers++;
          show("done by another process");
        } else held.push(units[index]);
        return false;
      },
      onResult(index, result) {
        const unit = units[index];
        const stored = guard(() => store.completeRun(runIds.get(index)!, unit, result, owner));
        if (stored === undefined) return;
        if (stored) summary.completed++;
        else summary.byOthers++;
        runIds.delete(index);
        finish(unit.key);
        show(latestMetricText(config, result));
        options.onStored?.(done(), unit, result);
      },
      onError(index, error) {
        const message = error instanceof Error ? error.message : String(error);
        const unit = units[index];
        const marked = guard(() => store.failRun(runIds.get(index)!, message, owner));
        if (marked === undefined) return;
        if (marked) summary.failed.push({ key: unit.key, seed: unit.seed, error: message });
        else summary.byOthers++;
        runIds.delete(index);
        finish(unit.key);
        show();
      },
    });
    return held;
  }
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
