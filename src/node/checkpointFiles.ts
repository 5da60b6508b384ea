/**
 * The checkpoint sinks (experiments/types.ts's `CheckpointSink`, what src/learners/neural/trainCoin.ts saves its
 * training state to), one interface over two places:
 * - `fileCheckpointSink`: one JSON file per training run, for the CLI's `train` (`<store>/checkpoints/<key>.json`),
 *   written atomically (a temporary file renamed over the old one), so a run killed mid-write leaves the previous
 *   checkpoint intact;
 * - `storeCheckpointSink`: a row of the run store's checkpoints table (one transaction per save), for the runs of
 *   an experiment (`shapelab run coin-train`), keyed by run key and code version so that other code never
 *   resumes from it.
 * - `prefetchedCheckpointSink`: the same over an async backend (PostgreSQL): the checkpoint is read before the run
 *   starts, and saves and the final clear are queued in order and awaited when the run ends (`settled`); a save
 *   still in flight when the process is killed only means resuming from the checkpoint before it.
 * `clear` removes the checkpoint when the run has finished.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CheckpointSink } from "../experiments/types.js";

export function fileCheckpointSink(path: string): CheckpointSink {
  return {
    load: () => (existsSync(path) ? readFileSync(path, "utf8") : undefined),
    save(text) {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, text);
      renameSync(temporary, path);
    },
    clear: () => rmSync(path, { force: true }),
  };
}

/** The checkpoint calls of the SQLite run store (store.ts's RunStore). */
export interface CheckpointTable {
  getCheckpoint(key: string): string | undefined;
  putCheckpoint(key: string, text: string): void;
  deleteCheckpoint(key: string): boolean;
}

/** The store's checkpoint key of a run: its run key and the code version that computes it. */
export function runCheckpointKey(runKey: string, codeVersion: string): string {
  return `run:${runKey}:${codeVersion}`;
}

export function storeCheckpointSink(table: CheckpointTable, key: string): CheckpointSink {
  return {
    load: () => table.getCheckpoint(key),
    save: (text) => table.putCheckpoint(key, text),
    clear: () => {
      table.deleteCheckpoint(key);
    },
  };
}

/** The checkpoint calls of an async backend (storeBackend.ts's RunStoreBackend). */
export interface AsyncCheckpointTable {
  getCheckpoint(key: string): Promise<string | undefined>;
  putCheckpoint(key: string, text: string): Promise<void>;
  deleteCheckpoint(key: string): Promise<boolean>;
}

export async function prefetchedCheckpointSink(
  table: AsyncCheckpointTable,
  key: string,
): Promise<{ sink: CheckpointSink; settled(): Promise<void> }> {
  const text = await table.getCheckpoint(key);
  let writes: Promise<unknown> = Promise.resolve();
  const queue = (write: () => Promise<unknown>) => {
    writes = writes.then(write);
  };
  return {
    sink: {
      load: () => text,
      save: (next) => queue(() => table.putCheckpoint(key, next)),
      clear: () => queue(() => table.deleteCheckpoint(key)),
    },
    settled: async () => {
      await writes;
    },
  };
}
