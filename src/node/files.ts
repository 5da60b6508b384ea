/**
 * Reading and writing user-named paths with errors a user can act on. Every file input is size-capped BEFORE it is
 * read (`/dev/zero` or a 10 GB file would otherwise be read into memory until the process dies), and every output
 * folder is checked for writability BEFORE any computation starts, so a bad `--out` or `--store` costs nothing.
 * Each failure is an InputError naming the path and what is wrong (the CLI prints it and exits 2).
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  statSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../util/errors.js";

/** A short reason for an fs error code, for messages. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "is on a read-only file system";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "EISDIR":
      return "is a folder, not a file";
    case "ENOSPC":
      return "no space left on the device";
    case "EEXIST":
      return "already exists";
    default:
      return (error as Error)?.message ?? String(error);
  }
}

/** Read a regular file as UTF-8 text, refusing devices, folders and files over `maxBytes`. */
export function readTextCapped(path: string, maxBytes: number, field: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(field, `"${path}" is a folder, not a file`);
    if (!st.isFile()) throw new InputError(field, `"${path}" is not a regular file (a device or a pipe)`);
    size = st.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(field, `cannot read "${path}": ${fsReason(error)}`);
  }
  if (size > maxBytes)
    throw new InputError(field, `"${path}" is ${size} bytes; at most ${maxBytes} bytes allowed`);
  // Read at most maxBytes + 1 even if the file grew since stat, so the cap holds.
  const buffer = Buffer.alloc(size + 1);
  let fd: number | undefined;
  let length = 0;
  try {
    fd = openSync(path, "r");
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
  } catch (error) {
    throw new InputError(field, `cannot read "${path}": ${fsReason(error)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (length > maxBytes) throw new InputError(field, `"${path}" is over ${maxBytes} bytes`);
  return buffer.toString("utf8", 0, length);
}

/**
 * Make sure `dir` is (or can be made) a writable folder: creates it, then checks write access. Run before any
 * computation, so an `--out` that points at a file or an unwritable place fails at once.
 */
export function ensureWritableDir(dir: string, field: string): void {
  if (dir.trim() === "") throw new InputError(field, "is empty; give a folder path");
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InputError(field, `"${dir}" is a file, not a folder`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // mkdir may report ENOENT for a parent it could not create; the nearest existing folder tells the real cause.
    const where = nearestExisting(dir);
    let reason = fsReason(error);
    try {
      accessSync(where, constants.W_OK);
    } catch (inner) {
      reason = fsReason(inner);
    }
    throw new InputError(field, `cannot create folder "${dir}": ${reason} (at "${where}")`);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new InputError(field, `cannot write to "${dir}": ${fsReason(error)}`);
  }
}

/** The closest existing ancestor of `path`, for messages. */
function nearestExisting(path: string): string {
  let cur = resolve(path);
  while (!existsSync(cur) && dirname(cur) !== cur) cur = dirname(cur);
  return cur;
}

/** Make sure `file` can be written: not a folder, in an existing writable folder. Run before any work. */
export function ensureWritableFile(file: string, field: string): void {
  if (file.trim() === "") throw new InputError(field, "is empty; give a file path");
  if (existsSync(file) && statSync(file).isDirectory())
    throw new InputError(field, `"${file}" is a folder, not a file`);
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) throw new InputError(field, `cannot write "${file}": folder "${dir}" does not exist`);
  if (!statSync(dir).isDirectory())
    throw new InputError(field, `cannot write "${file}": "${dir}" is not a folder`);
  try {
    accessSync(existsSync(file) ? file : dir, constants.W_OK);
  } catch (error) {
    throw new InputError(field, `cannot write "${file}": ${fsReason(error)}`);
  }
}
