/**
 * The Coin Game's WebAssembly path (src/envs/coin/wasmStep.ts: reset, step, respawns and the random agent's
 * draws, with the SIMD first pass) gives the same games in Node and in Chromium: one scenario runs in this process
 * and inside the page, on batches large enough for the fast path and on 3×3 (SIMD) and 5×5 (scalar) boards, and
 * the states, rewards, pickups and generator states must agree bit for bit. (That the fast path equals the
 * JavaScript reference is test/envs-coin.test.ts's job.)
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing (as test/nn-browser.test.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertSameInNodeAndChromium, skipWithoutChromium } from "./browserHarness.js";

/** The scenario, self-contained (serialised into the page); `base` is the URL of the compiled dist/src. */
async function fingerprint(base: string): Promise<Record<string, string>> {
  const { Rng } = await import(`${base}/util/rng.js`);
  const { CoinGameEnv } = await import(`${base}/envs/coin/coinGame.js`);
  const { fixedCoinAgent } = await import(`${base}/envs/coin/fixedAgents.js`);
  const { CoinMemory } = await import(`${base}/envs/coin/wasmStep.js`);
  const hex = (a: ArrayBufferView) =>
    Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), (b) =>
      b.toString(16).padStart(2, "0"),
    ).join("");
  const out: Record<string, string> = {};
  for (const [height, width] of [
    [3, 3],
    [5, 5],
  ]) {
    const env = new CoinGameEnv({ height, width, episodeSteps: 9 });
    const [envRng, rngA, rngB] = [Rng.seeded(1), Rng.seeded(2), Rng.seeded(3)];
    const batch = 1100;
    const { state } = env.reset(envRng, batch);
    const buffers = env.stepBuffers(state);
    const key = `${height}x${width}`;
    out[`${key} in WebAssembly`] = String(CoinMemory.of(state.pos) !== undefined);
    const random = fixedCoinAgent("random", env);
    const defect = fixedCoinAgent("always-defect", env);
    let rewards = "";
    for (let t = 0; t < 20; t++) {
      random.act(state, 0, rngA, buffers.actions);
      (t % 2 ? defect : random).act(state, 1, rngB, buffers.actions);
      env.stepInto(state, buffers.actions, envRng, buffers);
      rewards += hex(buffers.rewards).slice(0, 64);
      out[`${key} step ${t}`] = hex(state.pos) + hex(state.coins) + hex(state.owner) + hex(buffers.pickups);
    }
    out[`${key} rewards`] = rewards;
    out[`${key} generators`] = [envRng, rngA, rngB].map((r) => r.state().join(",")).join(";");
  }
  return out;
}

test("Coin Game WebAssembly path: Node and Chromium give the same games bit for bit", async (t) => {
  if (skipWithoutChromium(t)) return;
  const node = await assertSameInNodeAndChromium(fingerprint);
  assert.equal(node["3x3 in WebAssembly"], "true");
});
