/**
 * The numerics are the same bits in Node and in Chromium (the promise of src/util/elementary.ts and
 * src/util/rng.ts): one probe, run once here and once inside Debian's Chromium on the explorer's server, computes
 * our elementary functions over 24,000 arguments, seeded uniform and normal draws, an exact LOLA–LOLA run (50 seeds
 * × 200 updates, the LOLA paper's setting: chaotic enough that one ulp anywhere would show; on the WebAssembly pair
 * step in both, which must also equal the JavaScript path) and a sampled AA–AA run; every number must be equal,
 * not close.
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { startExplorerServer } from "../src/node/explorerServer.js";
import { PACKAGE_ROOT } from "../src/node/version.js";

const CHROMIUM = "/usr/bin/chromium";

/** Self-contained (it is sent to the page as source): imports the compiled modules from `base`. */
async function probe(base: string): Promise<Record<string, number[]>> {
  const el = await import(`${base}/util/elementary.js`);
  const { Rng } = await import(`${base}/util/rng.js`);
  const { gamePreset } = await import(`${base}/games/presets.js`);
  const { trainExact } = await import(`${base}/learners/exact/train.js`);
  const { trainSampled } = await import(`${base}/learners/sampled/train.js`);
  const { PairStepKernel, useWasmPairStep } = await import(`${base}/exact/wasmPairStep.js`);
  const out: Record<string, number[]> = {};
  // Arguments from exact arithmetic only (a 2^31 LCG scaled by powers of two), so both sides start equal.
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const fns: [string, (x: number) => number, number, number][] = [
    ["exp", el.exp, -745, 709],
    ["expm1", el.expm1, -40, 40],
    ["log", el.log, 0, 1e6],
    ["log1p", el.log1p, -1, 100],
    ["tanh", el.tanh, -25, 25],
    ["sigmoid", el.sigmoid, -50, 50],
    ["cosTwoPi", el.cosTwoPi, 0, 1],
  ];
  for (const [name, f, lo, hi] of fns) {
    const values: number[] = [];
    for (let i = 0; i < 4000; i++) values.push(f(lo + (hi - lo) * next()));
    for (let i = 0; i < 4000 / 8; i++) values.push(f((next() - 0.5) * 2 ** -20)); // tiny arguments
    out[name] = values;
  }
  out.uniform = Array.from({ length: 200 }, (_, s) => Rng.seeded(s).uniform());
  out.normal = Array.from({ length: 200 }, (_, s) => Rng.derive(s, 3).normal());
  const lolaOptions = {
    game: gamePreset("ipd-lola"),
    gamma: 0.96,
    steps: 200,
    seeds: 50,
    seed: 0,
    learners: [{ name: "lola" }, { name: "lola" }],
  };
  const lola = trainExact(lolaOptions);
  out.lolaTheta = Array.from(lola.theta);
  out.lolaReward = Array.from(lola.rewardPerStep);
  // That run used the WebAssembly pair step where the engine has it; the JavaScript path must give the same bits.
  const rules = [
    { kind: "lola", eta: 1 },
    { kind: "lola", eta: 1 },
  ];
  out.pairStepActive = [PairStepKernel.create([3, 0, 5, 1], [3, 5, 0, 1], 0.96, rules, [1, 1], 2) ? 1 : 0];
  useWasmPairStep(false);
  const lolaJs = trainExact(lolaOptions);
  useWasmPairStep(true);
  out.lolaThetaJavaScriptPath = Array.from(lolaJs.theta);
  const aa = trainSampled({
    game: gamePreset("ipd-lola"),
    gamma: 0.96,
    learners: [{ name: "aa" }, { name: "aa" }],
    batch: 16,
    rollout: 30,
    updates: 20,
    seeds: 2,
    seed: 4,
  });
  out.aaPC = aa.finalPC.flat(2);
  return out;
}

test("Node and Chromium compute the same bits: elementary functions, seeded draws, exact LOLA, sampled AA", async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} not found; install it with: apt-get install chromium`);
    return;
  }
  const inNode = await probe(pathToFileURL(join(PACKAGE_ROOT, "dist", "src")).href);
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.goto(explorer.url); // for the import map of pure-rand
    const inChromium = await page.evaluate(probe, "/dist/src");
    assert.deepEqual(Object.keys(inChromium), Object.keys(inNode));
    for (const [name, values] of Object.entries(inNode)) {
      const other = inChromium[name];
      assert.equal(other.length, values.length, name);
      const differing = values.findIndex((v, i) => !Object.is(v, other[i]));
      assert.equal(
        differing,
        -1,
        `${name}[${differing}]: Node ${values[differing]}, Chromium ${other[differing]}`,
      );
    }
    assert.ok(inNode.lolaReward.every(Number.isFinite) && inNode.aaPC.every(Number.isFinite));
    assert.deepEqual(
      [inNode.pairStepActive, inChromium.pairStepActive],
      [[1], [1]],
      "both run the pair step",
    );
    assert.ok(
      inNode.lolaTheta.every((v, i) => Object.is(v, inNode.lolaThetaJavaScriptPath[i])),
      "the pair step and the JavaScript path give the same bits",
    );
  } finally {
    await browser.close();
    await explorer.close();
  }
});
