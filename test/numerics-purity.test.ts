/**
 * The numeric code calls no engine-dependent function: `Math.pow`/`**` (Node 20 and Chromium 150 disagree in
 * the last bit on ~10 % of `Math.pow` calls, integer exponents included, measured here) and the transcendental
 * `Math.*` functions, whose last bits the standard leaves to each engine. Numeric code uses
 * src/util/elementary.ts instead. (Presentation code in src/node, src/report and web/ may use them for layout.)
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { PACKAGE_ROOT } from "../src/node/version.js";

const NUMERIC_DIRS = [
  "arena",
  "envs",
  "exact",
  "experiments",
  "games",
  "learners",
  "nn",
  "policies",
  "strategies",
  "util",
];
const FORBIDDEN =
  /Math\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|sinh|cosh|tanh|asin|acos|atan|atan2|asinh|acosh|atanh|cbrt|hypot)\(|(?<!\b2 )\*\*\s*(?!2\b)[\w(]/;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

test("numeric code uses our elementary functions, never Math.exp/log/pow/… or ** (other than x ** 2 and 2 ** n, which are exact)", () => {
  const offenders: string[] = [];
  for (const dir of NUMERIC_DIRS) {
    for (const file of sourceFiles(join(PACKAGE_ROOT, "src", dir))) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const code = line
            .replace(/\/\*.*?\*\//g, "")
            .replace(/\/\/.*$/, "")
            .replace(/^\s*(\/\*\*|\*).*$/, "");
          if (FORBIDDEN.test(code))
            offenders.push(`${file.slice(PACKAGE_ROOT.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(offenders, []);
});
