/**
 * The one JSON style of every `--json` and JSON export: one line on stdout (or one file), lossless.
 *
 *   { "command": "exact", "version": "0.1.0", "config": { …every setting, defaults resolved… }, …results }
 *
 * - Lossless: numbers are written by `JSON.stringify`, i.e. the shortest decimal that parses back to the same
 *   float64 (ECMA-262 Number::toString), so `JSON.parse` returns bit-identical values. Nothing is rounded here;
 *   rounding is for the human-readable tables only. Typed arrays become plain arrays.
 * - JSON has no NaN or ±Infinity: they are written as `null` (what `JSON.stringify` does), so a reader sees an
 *   absent value rather than a made-up number. (−0 is written as 0, the only other value JSON cannot hold.)
 * - `config` is the complete resolved configuration (every hyperparameter with its default filled in), so a run
 *   can be reproduced from its output alone; results follow at the top level under the names each command
 *   documents.
 */
import { readFileSync } from "node:fs";

let cachedVersion: string | undefined;

/** shapelab's version from package.json (the output says which code produced it). */
export function shapelabVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const url = new URL("../../../package.json", import.meta.url);
      cachedVersion = String((JSON.parse(readFileSync(url, "utf8")) as { version?: unknown }).version);
    } catch {
      cachedVersion = "unknown";
    }
  }
  return cachedVersion;
}

/** Typed arrays as plain arrays (JSON.stringify would write them as {"0": …} objects). */
function replacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as Float64Array);
  return value;
}

/** The document every command prints: command, version, resolved config, then the results. */
export function jsonDocument(
  command: string,
  config: Record<string, unknown>,
  results: Record<string, unknown>,
): Record<string, unknown> {
  return { command, version: shapelabVersion(), config, ...results };
}

/** Serialise losslessly (one line). */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, replacer)}\n`;
}

/** Print a command's JSON document on stdout. */
export function printJson(command: string, config: Record<string, unknown>, results: Record<string, unknown>): void {
  process.stdout.write(toJsonText(jsonDocument(command, config, results)));
}
