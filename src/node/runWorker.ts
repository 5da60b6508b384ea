/**
 * The worker job of the experiment runner (runner.ts, workerPool.ts): one task = one run unit, plain data in,
 * plain data out. Everything a run needs travels in the unit, so the same function could serve a distributed
 * queue. A module of its own, so that worker threads load the run code and not the runner's progress bar.
 * With a SQLite store folder in the shared data, each run gets a checkpoint sink over that store's checkpoints
 * table (a long run, e.g. coin-train, saves its state there and resumes from it after a kill); with a progress
 * channel, a progress callback whose reports reach the runner's bar (`watchUnitProgress`) while the unit runs.
 */
import { BroadcastChannel } from "node:worker_threads";
import { runUnit } from "../experiments/run.js";
import { installTextFileReader } from "../experiments/textFiles.js";
import type { RunContext, RunResult, RunUnit } from "../experiments/types.js";
import { LIMITS } from "../util/limits.js";
import { KINDS } from "../experiments/registry.js";
import {
  type CheckpointTable,
  prefetchedCheckpointSink,
  runCheckpointKey,
  storeCheckpointSink,
} from "./checkpointFiles.js";
import { readTextCapped } from "./files.js";
import { RunStore } from "./store.js";
import { parseStoreLocation } from "./storeBackend.js";
import { codeVersion } from "./version.js";
import type { WorkerJob } from "./workerPool.js";

// Files a run config names (e.g. a fitted GRU) are read here, in whichever thread runs the unit.
installTextFileReader((path, field) => readTextCapped(path, LIMITS.agentFileBytes, field));

/**
 * What every task of a sweep shares: the store whose checkpoints table the runs may use, as `--store` reads it
 * (a SQLite folder, or a PostgreSQL URL with its password: this thread opens its own connection).
 */
export interface RunJobShared {
  checkpointStore?: string;
  /** The runner's progress channel (`watchUnitProgress`): each unit reports its own progress there. */
  progressChannel?: string;
}

/** One unit's progress, as the thread running it reports it to the runner's bar. */
export interface UnitProgressMessage {
  key: string;
  done: number;
  total: number;
}

/** At most this often per unit (and at its end) a thread reports progress: a bar needs no more. */
const PROGRESS_INTERVAL_MS = 200;

// In the thread that watches (the runner's, where units run when workers = 0), reports go straight to the
// listener: a unit running there blocks the event loop, so a channel's messages would arrive only after it ends.
const localWatchers = new Map<string, (message: UnitProgressMessage) => void>();
// Worker threads post to the channel, one per channel name and thread, unref'd so it never keeps a thread alive.
const channels = new Map<string, BroadcastChannel>();

/**
 * Listen to the progress of the units run with `{ progressChannel: name }`, in worker threads (a
 * BroadcastChannel) and in this thread. Returns the function that stops listening.
 */
export function watchUnitProgress(
  name: string,
  listener: (message: UnitProgressMessage) => void,
): () => void {
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event) => listener((event as { data: UnitProgressMessage }).data);
  localWatchers.set(name, listener);
  return () => {
    localWatchers.delete(name);
    channel.close();
  };
}

/** The `RunContext.progress` of `unit`: throttled reports to the runner's channel, or nothing without one. */
function unitProgress(shared: RunJobShared | undefined, unit: RunUnit): RunContext["progress"] {
  const name = shared?.progressChannel;
  if (name === undefined) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && done < total) return;
    last = now;
    const message: UnitProgressMessage = { key: unit.key, done, total };
    const local = localWatchers.get(name);
    if (local !== undefined) return local(message);
    let channel = channels.get(name);
    if (channel === undefined) {
      channel = new BroadcastChannel(name);
      channel.unref();
      channels.set(name, channel);
    }
    channel.postMessage(message);
  };
}

// One connection per thread to the store a run checkpoints into, opened on first use.
const checkpointStores = new Map<string, RunStore>();

/** The store's connection in this thread, opened when a run first touches its checkpoint (most kinds never do). */
function checkpointTable(dir: string): CheckpointTable {
  const store = () => {
    let open = checkpointStores.get(dir);
    if (open === undefined) {
      open = RunStore.open(dir);
      checkpointStores.set(dir, open);
    }
    return open;
  };
  return {
    getCheckpoint: (key) => store().getCheckpoint(key),
    putCheckpoint: (key, text) => store().putCheckpoint(key, text),
    deleteCheckpoint: (key) => store().deleteCheckpoint(key),
  };
}

/**
 * Run `unit` with a checkpoint over the shared store. SQLite: a synchronous sink on this thread's connection.
 * PostgreSQL: only for kinds that checkpoint (`resumable`), a connection of its own for the run's length, the
 * checkpoint read before the run and the writes awaited after it.
 */
async function runWithCheckpoint(shared: RunJobShared | undefined, unit: RunUnit): Promise<RunResult> {
  const progress = unitProgress(shared, unit);
  const where = shared?.checkpointStore;
  if (where === undefined) return runUnit(unit, { progress });
  const key = runCheckpointKey(unit.key, codeVersion());
  const location = parseStoreLocation(where);
  if (location.kind === "sqlite")
    return runUnit(unit, { checkpoint: storeCheckpointSink(checkpointTable(location.dir), key), progress });
  if (!KINDS[unit.config.kind]?.resumable) return runUnit(unit, { progress });
  const { PostgresStore } = await import("./postgresStore.js");
  const store = await PostgresStore.open(location.url);
  try {
    const { sink, settled } = await prefetchedCheckpointSink(store, key);
    const context: RunContext = { checkpoint: sink, progress };
    const result = await runUnit(unit, context).finally(() => settled().catch(() => {}));
    await settled();
    return result;
  } finally {
    await store.close();
  }
}

const runJob: WorkerJob<RunJobShared | undefined, RunUnit, RunResult> = {
  url: import.meta.url,
  run: (shared, unit) => runWithCheckpoint(shared, unit),
};
export default runJob;
