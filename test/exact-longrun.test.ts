import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cesaroOccupancy, longRunPayoffs, longRunValues, perTurnPayoffs } from "../src/exact/longrun.js";
import { gamePreset } from "../src/games/presets.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

// Own view [start, CC, CD, DC, DD].
const TFT = [1, 1, 0, 1, 0];
const STFT = [0, 1, 0, 1, 0]; // Suspicious Tit For Tat: defects first, then copies
const ALLD = [0, 0, 0, 0, 0];
const ALLC = [1, 1, 1, 1, 1];
const WSLS = [1, 1, 0, 0, 1]; // Win-Stay Lose-Shift
const GRIM = [1, 1, 0, 0, 0];

const ipd = gamePreset("ipd"); // R, S, T, P = 3, 0, 5, 1

function near(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
}

describe("long-run average payoffs (γ = 1)", () => {
  it("TFT vs TFT stays in CC: R each (three closed classes in the chain)", () => {
    const res = longRunPayoffs(ipd, TFT, TFT);
    near(res.payoffs[0], 3);
    near(res.payoffs[1], 3);
    assert.equal(res.classes.length, 3);
  });

  it("TFT vs Suspicious TFT alternates CD/DC: (S + T)/2 each", () => {
    const [a, b] = longRunPayoffs(ipd, TFT, STFT).payoffs;
    near(a, 2.5);
    near(b, 2.5);
  });

  it("WSLS vs ALLD alternates CD/DD: WSLS (S + P)/2, ALLD (T + P)/2", () => {
    const [a, b] = longRunPayoffs(ipd, WSLS, ALLD).payoffs;
    near(a, 0.5);
    near(b, 3);
  });

  it("Grudger vs ALLC cooperates forever; TFT vs ALLD defects after one turn", () => {
    near(longRunPayoffs(ipd, GRIM, ALLC).payoffs[0], 3);
    const [a, b] = longRunPayoffs(ipd, TFT, ALLD).payoffs;
    near(a, 1);
    near(b, 1);
  });

  it("a random start mixes the closed classes by their absorption weights", () => {
    // TFT with a 50 % start vs itself: CC, {CD, DC} and DD each absorb their initial mass.
    const half = [0.5, 1, 0, 1, 0];
    const { payoffs, classes } = longRunPayoffs(ipd, half, half);
    near(payoffs[0], 0.25 * 3 + 0.5 * 2.5 + 0.25 * 1);
    near(
      classes.reduce((s, c) => s + c.weight, 0),
      1,
    );
  });

  it("transient states are absorbed with the right probabilities", () => {
    // From state 0, go to 1 w.p. 0.3 or to 2 w.p. 0.7; 1 and 2 are absorbing; 3 → 0.
    const P = [0, 0.3, 0.7, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0];
    const { occupancy } = cesaroOccupancy([0, 0, 0, 1], P, 4);
    near(occupancy[1], 0.3);
    near(occupancy[2], 0.7);
  });

  it("agrees with the discounted per-step value as γ → 1 for stochastic strategies", () => {
    const rng = Rng.seeded(3);
    for (let trial = 0; trial < 20; trial++) {
      const s1 = Array.from({ length: 5 }, () => 0.05 + 0.9 * rng.uniform());
      const s2 = Array.from({ length: 5 }, () => 0.05 + 0.9 * rng.uniform());
      const exact = longRunPayoffs(ipd, s1, s2).payoffs;
      const abel = perTurnPayoffs(ipd, s1, s2, 1 - 1e-6);
      near(exact[0], abel[0], 1e-4);
      near(exact[1], abel[1], 1e-4);
      const batched = longRunValues(ipd, Float64Array.from([...s1, ...s2]));
      near(batched[0], exact[0]);
    }
  });

  it("perTurnPayoffs uses the discounted per-step value below γ = 1", () => {
    const [a] = perTurnPayoffs(ipd, TFT, ALLD, 0.9);
    near(a, 0.1 * 0 + 0.9 * 1);
  });

  it("rejects non-probabilities and bad γ with the field named", () => {
    assert.throws(
      () => longRunPayoffs(ipd, [1, 1, 2, 0, 0], ALLD),
      (e: unknown) => e instanceof InputError && /strategy1\[2\]/.test(e.message),
    );
    assert.throws(() => perTurnPayoffs(ipd, TFT, [1, 1], 0.9), InputError);
    assert.throws(() => perTurnPayoffs(ipd, TFT, TFT, 1.5), InputError);
  });
});
