/**
 * What a command loads at start-up (issue 10 §6: whole-process speed). Loading modules is most of a short run's
 * time, so `exact` and `tournament` must not load code they never run: the neural learners and the nn engine, the
 * Coin Game, the sampled learners, the progress bar's package when no bar is drawn, and (for `tournament`) zod and
 * the learner entries. The child process records every file it loads through a loader hook; the command line is a
 * bundle (scripts/bundle.mjs), so its chunks are read as the modules they hold. The test checks the list, not a
 * time.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.js");
const DIST_SRC = join(import.meta.dirname, "..", "src");

/** A loader hook that writes the URL of every module it loads to stderr, one `LOADED <url>` line each. */
const RECORD_LOADS = `data:text/javascript,${encodeURIComponent(
  `export async function load(url, context, next) {
     process.stderr.write("LOADED " + url + "\\n");
     return next(url, context);
   }`,
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module"; register(${JSON.stringify(RECORD_LOADS)});`,
)}`;

/**
 * Which source modules each file of the command-line bundle holds (scripts/bundle.mjs writes it): the command
 * line runs from dist/src/cli/main.js and its bundle-*.js chunks, so the modules a command loads are those of the
 * chunks it loads.
 */
const BUNDLE: Record<string, string[]> = JSON.parse(
  readFileSync(join(DIST_SRC, "cli", "bundle-meta.json"), "utf8"),
);

/**
 * The modules a command line loads: ours relative to dist/src (`exact/derivatives.js`), packages by name, whether
 * loaded as files or bundled into the chunks it loads.
 */
function loadedModules(...args: string[]): { files: string[]; ours: string[]; packages: Set<string> } {
  const r = spawnSync(process.execPath, ["--import", REGISTER, MAIN, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const urls = r.stderr
    .split("\n")
    .filter((line) => line.startsWith("LOADED file:"))
    .map((line) => decodeURIComponent(new URL(line.slice("LOADED ".length)).pathname));
  const files = urls.filter((u) => u.startsWith(`${DIST_SRC}/`)).map((u) => u.slice(DIST_SRC.length + 1));
  const bundled = files.flatMap((file) => {
    const chunk = file.startsWith("cli/") ? BUNDLE[file.slice("cli/".length)] : undefined;
    return chunk ?? [file];
  });
  const packageOf = (path: string) => path.split("node_modules/")[1].split("/")[0];
  const packages = new Set([
    ...urls.filter((u) => u.includes("/node_modules/")).map(packageOf),
    ...bundled.filter((m) => m.includes("node_modules/")).map(packageOf),
  ]);
  return { files, ours: bundled.filter((m) => !m.includes("node_modules/")), packages };
}

/** Never loaded for a matrix game. (The Coin Game's flags need its agents' and variants' names, a small module.) */
const NEVER_FOR_MATRIX_GAMES = [
  "nn/",
  "learners/neural/",
  "learners/sampled/",
  "envs/coin/coinGame.js",
  "envs/coin/match.js",
  "envs/coin/wasmStep.js",
];

describe("start-up: a command loads only what it runs", { concurrency: 2 }, () => {
  it("exact: no neural learners, nn engine, Coin Game or sampled learners", () => {
    const { files, ours, packages } = loadedModules(
      "exact",
      "--seeds",
      "1",
      "--steps",
      "1",
      "--json",
      "--quiet",
    );
    assert.ok(ours.includes("exact/derivatives.js"), "the probe sees the exact engine load");
    for (const prefix of NEVER_FOR_MATRIX_GAMES)
      assert.deepEqual(
        ours.filter((m) => m.startsWith(prefix)),
        [],
        `exact loads nothing under ${prefix}`,
      );
    assert.ok(
      !ours.includes("learners/registry.js"),
      "exact reads the exact family's list, not the registry",
    );
    assert.ok(!packages.has("cli-progress"), "no progress bar is drawn for --json, so none is loaded");
    assert.ok(
      files.some((f) => f.startsWith("cli/bundle-")) && !files.includes("exact/derivatives.js"),
      `the command line runs bundled (files: ${files.join(", ")})`,
    );
  });

  it("tournament: no learners, no zod, no Coin Game", () => {
    const { ours, packages } = loadedModules("tournament", "--turns", "5", "--json");
    assert.ok(ours.includes("arena/tournament.js"), "the probe sees the tournament load");
    // Known exception, not wanted: since main 29a59e3 the fixed coin agents' module (the flags' names) imports the
    // Coin Game's WebAssembly step, and with it wasm/bytes.js. Listed so that nothing more comes in that way.
    const knownCoinNames = ["envs/coin/wasmStep.js", "wasm/bytes.js"];
    for (const prefix of [...NEVER_FOR_MATRIX_GAMES, "learners/"])
      assert.deepEqual(
        ours.filter((m) => m.startsWith(prefix) && !knownCoinNames.includes(m)),
        [],
        `tournament loads nothing under ${prefix}`,
      );
    for (const name of ["zod", "cli-progress"])
      assert.ok(!packages.has(name), `tournament loads no ${name} (packages: ${[...packages].join(", ")})`);
  });
});
