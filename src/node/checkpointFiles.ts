/**
 * A file-backed `CheckpointSink` (src/learners/neural/trainCoin.ts) for the CLI: one JSON file per training run,
 * `<store>/checkpoints/<key>.json`, written atomically (a temporary file renamed over the old one), so a run
 * killed mid-write leaves the previous checkpoint intact. `clear` removes it when the run has finished.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CheckpointSink } from "../learners/neural/trainCoin.js";

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
