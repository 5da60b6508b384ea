/**
 * Exact memory-one payoffs in the arena: the zero-determinant property against random opponents, and agreement
 * of the exact numbers with simulated matches (long matches for γ = 1, geometric-length matches for γ < 1).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exactPayoffs } from "../src/arena/exact.js";
import { playMatch } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { memoryOne } from "../src/strategies/memoryone.js";
import { strategyByName } from "../src/strategies/registry.js";
import { zdParameters } from "../src/strategies/zeroDeterminant.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");
const s = (name: string) => strategyByName(name, game);

describe("zero-determinant strategies enforce their linear relation", () => {
  for (const name of ["ZD-Extort-2", "ZD-GTFT-2", "ZD-SET-2"]) {
    it(`${name}: π_Y − l = s·(π_X − l) against 300 random memory-one opponents (long run, 1e-9)`, () => {
      const zd = s(name);
      const { s: slope, l } = zdParameters(zd)!;
      const rng = Rng.seeded(2024);
      let worst = 0;
      for (let k = 0; k < 300; k++) {
        // A third of the opponents are pure (0/1 entries): several closed classes, periodic chains.
        const draw = () => (k % 3 === 0 ? (rng.bernoulli(0.5) ? 1 : 0) : rng.uniform());
        const opp = memoryOne([draw(), draw(), draw(), draw()], rng.bernoulli(0.5) ? "C" : "D");
        const [x, y] = exactPayoffs(game, zd, opp, 1);
        worst = Math.max(worst, Math.abs(y - l - slope * (x - l)));
      }
      assert.ok(worst < 1e-9, `largest violation ${worst}`);
    });
  }

  it("the relation fails for a non-ZD strategy (the test can fail)", () => {
    const gtft = s("GTFT");
    const rng = Rng.seeded(1);
    let worst = 0;
    for (let k = 0; k < 50; k++) {
      const opp = memoryOne([rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()]);
      const [x, y] = exactPayoffs(game, gtft, opp, 1);
      worst = Math.max(worst, Math.abs(y - 1 - 0.5 * (x - 1)));
    }
    assert.ok(worst > 0.05);
  });
});

describe("exact payoffs agree with the match engine", () => {
  it("long run: GTFT vs ZD-Extort-2 over 40 000 turns (seed 5) within 0.03 per turn", () => {
    const [x, y] = exactPayoffs(game, s("GTFT"), s("ZD-Extort-2"), 1);
    const m = playMatch(s("GTFT"), s("ZD-Extort-2"), game, { turns: 40000, seed: 5 });
    assert.ok(Math.abs(m.scores[0] / 40000 - x) < 0.03, `${m.scores[0] / 40000} vs ${x}`);
    assert.ok(Math.abs(m.scores[1] / 40000 - y) < 0.03, `${m.scores[1] / 40000} vs ${y}`);
  });

  it("TFT vs TFT has several closed classes: the long run is mutual cooperation from C, C", () => {
    assert.deepEqual(exactPayoffs(game, s("Tit For Tat"), s("Tit For Tat"), 1), [3, 3]);
    // Suspicious TFT vs TFT alternates CD/DC forever: (0 + 5)/2 each.
    const [a, b] = exactPayoffs(game, s("Suspicious Tit For Tat"), s("Tit For Tat"), 1);
    assert.ok(Math.abs(a - 2.5) < 1e-12 && Math.abs(b - 2.5) < 1e-12);
  });

  it("discounted: (1 − γ)·E[total score] of matches ending w.p. 1 − γ equals the per-step value (γ = 0.9)", () => {
    const gamma = 0.9;
    const [x, y] = exactPayoffs(game, s("Firm But Fair"), s("Stochastic WSLS"), gamma);
    let sa = 0;
    let sb = 0;
    const n = 40000;
    for (let k = 0; k < n; k++) {
      const m = playMatch(s("Firm But Fair"), s("Stochastic WSLS"), game, {
        probEnd: 1 - gamma,
        rng: Rng.derive(31, k),
      });
      sa += m.scores[0];
      sb += m.scores[1];
    }
    // A total has sd ≈ 3 per turn × sd of the length (√γ/(1 − γ) ≈ 9.5) ≈ 28; (1 − γ)·28/√n ≈ 0.014; 5 sd.
    assert.ok(Math.abs(((1 - gamma) * sa) / n - x) < 0.07, `${((1 - gamma) * sa) / n} vs ${x}`);
    assert.ok(Math.abs(((1 - gamma) * sb) / n - y) < 0.07, `${((1 - gamma) * sb) / n} vs ${y}`);
  });

  it("non-memory-one strategies are refused with an input error", () => {
    assert.throws(() => exactPayoffs(game, s("Grudger"), s("Tit For Tat")), /not a memory-one strategy/);
  });
});
