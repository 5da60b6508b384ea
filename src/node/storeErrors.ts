/**
 * SQLite and filesystem failures of the run store, as errors a user can act on. Every failure names the store's
 * file, says what is wrong and what to do; the CLI prints it in one line and exits 2 (an InputError), never a
 * stack trace. Codes are SQLite's result codes (https://sqlite.org/rescode.html) as better-sqlite3 reports them
 * in `error.code`; fs errors carry Node's errno codes.
 */
import { InputError } from "../util/errors.js";
import { fsReason } from "./files.js";

/** True for an error raised by SQLite (better-sqlite3's SqliteError) rather than by our own code. */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("SQLITE_");
}

/** The ways to recover a corrupt store, appended to every corruption message. */
export function recoveryAdvice(dir: string): string {
  return (
    `check it with "shapelab runs check --store ${dir}"; "shapelab runs repair --store ${dir}" copies every ` +
    "intact row into a fresh runs.sqlite and keeps the damaged file beside it"
  );
}

/** An InputError for a failure of the store in `dir` (file `file`), or the error itself if it is not one. */
export function storeError(dir: string, file: string, error: unknown): unknown {
  if (error instanceof InputError) return error;
  if (isSqliteError(error)) {
    const code = error.code;
    if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
      return new InputError("--store", `"${file}" is damaged (${error.message}); ${recoveryAdvice(dir)}`);
    if (code === "SQLITE_FULL")
      return new InputError(
        "--store",
        `"${file}": ${error.message}; free some space (or use another --store) and rerun: finished runs are kept`,
      );
    if (code.startsWith("SQLITE_READONLY"))
      return new InputError("--store", `"${file}" is read-only (${error.message}); use a writable --store`);
    if (code.startsWith("SQLITE_CANTOPEN"))
      return new InputError(
        "--store",
        `cannot open "${file}" (${error.message}); check the folder exists and is writable`,
      );
    if (code.startsWith("SQLITE_IOERR"))
      return new InputError("--store", `"${file}": disk I/O error (${error.message})`);
    if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY"))
      return new InputError(
        "--store",
        `"${file}" stayed locked by another process (${error.message}); rerun`,
      );
    return error;
  }
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === "string" && /^E[A-Z]+$/.test(errno))
    return new InputError("--store", `"${dir}": ${fsReason(error)} (${(error as Error).message})`);
  return error;
}
