/**
 * The checkpoint sinks (experiments/types.ts's `CheckpointSink`, what src/learners/neural/trainCoin.ts saves its
 * training state to), one interface over two places:
 * - `fileCheckpointSink`: one JSON file per training run, for the CLI's `train` (`<store>/checkpoints/<key>.json`),
 *   written atomically (a temporary file renamed over the old one), so a run killed mid-write leaves the previous
 *   checkpoint intact;
 * - `storeCheckpointSink`: a row of the run store's checkpoints table (one transaction per save), for the runs of
 *   an experiment (`shapelab run coin-train`), keyed by run key and code version so that other code never
 *   resumes from it.
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
