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

/**
 * `value` with every typed array as a plain array (JSON.stringify would write one as {"0": …}); whatever needs no
 * change is shared, not copied. Objects are walked as JSON.stringify walks them (own enumerable keys, `toJSON`
 * first). A walk of our own rather than a replacer: a replacer is a call back into JavaScript for every number,
 * and in a fresh process that was most of the time of writing `exact --json`'s 12,000 numbers.
 */
function withPlainArrays(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return value instanceof DataView ? value : Array.from(value as Float64Array);
  const json = value as { toJSON?: unknown };
  if (typeof json.toJSON === "function") return withPlainArrays((json.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    let out = value;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null || typeof item !== "object") continue;
      const plain = withPlainArrays(item);
      if (plain === item) continue;
      if (out === value) out = value.slice();
      out[i] = plain;
    }
    return out;
  }
  let out = value as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const item = out[key];
    if (item === null || typeof item !== "object") continue;
    const plain = withPlainArrays(item);
    if (plain === item) continue;
    if (out === value) out = { ...out };
    out[key] = plain;
  }
  return out;
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
  return `${JSON.stringify(withPlainArrays(value))}\n`;
}

/** Print a command's JSON document on stdout. */
export function printJson(
  command: string,
  config: Record<string, unknown>,
  results: Record<string, unknown>,
): void {
  process.stdout.write(toJsonText(jsonDocument(command, config, results)));
}
