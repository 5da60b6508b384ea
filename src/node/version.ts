/**
 * The code version recorded with every run: the package version and, when the package sits in a git checkout,
 * the commit (`0.1.0+3a5e89f1c2d4`), with `-dirty` when tracked files have uncommitted changes. Computed once
 * per process.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: dist/src/node/version.js → three levels up. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

let cached: string | undefined;

export function codeVersion(): string {
  if (cached !== undefined) return cached;
  let version = "unknown";
  try {
    version = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")).version ?? version;
  } catch {
    // No package.json next to dist (an unusual install): keep "unknown".
  }
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd: PACKAGE_ROOT, stdio: ["ignore", "pipe", "ignore"], timeout: 5000 })
        .toString()
        .trim();
    // Only this package's own checkout counts: installed under node_modules of another git project, the
    // enclosing repository's commit says nothing about this code.
    const ownCheckout = realpathSync(git(["rev-parse", "--show-toplevel"])) === realpathSync(PACKAGE_ROOT);
    const commit = ownCheckout ? git(["rev-parse", "--short=12", "HEAD"]) : "";
    if (/^[0-9a-f]+$/.test(commit)) {
      version += `+${commit}`;
      // Uncommitted changes to tracked files mean the commit alone does not identify the code.
      if (git(["status", "--porcelain", "--untracked-files=no"]) !== "") version += "-dirty";
    }
  } catch {
    // Not a git checkout (installed from npm), or git missing: the package version alone.
  }
  cached = version;
  return version;
}
