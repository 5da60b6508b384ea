/**
 * Files a run config names (a fitted bandit GRU, `params.surrogate.gru.file` of choice-engineering) are read
 * through this one reader. The Node side installs it (src/node/runWorker.ts, which the main thread and every
 * worker thread load), so the core keeps no node:fs import; where none is installed (a browser) a config that
 * names a file fails with a clear error. Paths are as the user wrote them (relative to the working directory).
 */
import { InputError } from "../util/errors.js";

let reader: ((path: string, field: string) => string) | undefined;

export function installTextFileReader(read: (path: string, field: string) => string): void {
  reader = read;
}

/** The text of `path`; errors name `field` (the config path that named the file). */
export function readTextFile(path: string, field: string): string {
  if (!reader) throw new InputError(field, "files can be read only from the command line (Node), not here");
  return reader(path, field);
}

/** Whether a reader is installed (config checks read named files early only where they can). */
export function canReadTextFiles(): boolean {
  return reader !== undefined;
}
