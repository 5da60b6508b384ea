/** Match engine: scores, winner, noise and probabilistic ending statistics with fixed seeds. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playMatch } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { strategyByName } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");
const s = (name: string) => strategyByName(name, game);

describe("match", () => {
  it("scores, per-turn scores, cooperation counts, states and the winner (TFT vs Alternator)", () => {
    const m = playMatch(s("Tit For Tat"), s("Alternator"), game, { turns: 5 });
    assert.deepEqual(m.actions, ["CCDCD", "CDCDC"]);
    // CC, CD, DC, CD, DC → TFT 3+0+5+0+5, Alternator 3+5+0+5+0.
    assert.deepEqual(m.perTurnScores, [
      [3, 0, 5, 0, 5],
      [3, 5, 0, 5, 0],
    ]);
    assert.deepEqual(m.scores, [13, 13]);
    assert.equal(m.winner, null);
    assert.deepEqual(m.cooperations, [3, 3]);
    assert.deepEqual(m.stateCounts, [1, 2, 2, 0]);
    const d = playMatch(s("Defector"), s("Cooperator"), game);
    assert.equal(d.turns, 200);
    assert.deepEqual(d.scores, [1000, 0]);
    assert.equal(d.winner, "Defector");
  });

  it("noise flips each intended move with probability noise (Cooperator vs Cooperator, seed 3)", () => {
    const turns = 20000;
    const m = playMatch(s("Cooperator"), s("Cooperator"), game, { turns, noise: 0.1, seed: 3 });
    for (const c of m.cooperations) {
      const flips = (turns - c) / turns;
      // sd of the flip rate sqrt(0.09/20000) ≈ 0.0021; 5 sd.
      assert.ok(Math.abs(flips - 0.1) < 0.0106, `flip rate ${flips}`);
    }
    // Players see the flipped moves: TFT copies the opponent's realised move exactly.
    const t = playMatch(s("Tit For Tat"), s("Cooperator"), game, { turns: 2000, noise: 0.05, seed: 5 });
    let copied = 0;
    let intended = 0;
    for (let i = 1; i < 2000; i++) {
      if (t.actions[0][i] === t.actions[1][i - 1]) copied++;
      intended++;
    }
    // Only noise on TFT's own move breaks the copy: rate ≈ 0.95.
    assert.ok(Math.abs(copied / intended - 0.95) < 0.025, `copy rate ${copied / intended}`);
  });

  it("probabilistic ending: geometric lengths with mean 1/p, capped by turns", () => {
    const p = 0.1;
    const lengths: number[] = [];
    for (let k = 0; k < 3000; k++) {
      lengths.push(
        playMatch(s("Tit For Tat"), s("Defector"), game, { probEnd: p, rng: Rng.derive(99, k) }).turns,
      );
    }
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    // Geometric(0.1): mean 10, sd sqrt(0.9)/0.1 ≈ 9.49; sd of the mean over 3000 ≈ 0.173; 5 sd.
    assert.ok(Math.abs(mean - 10) < 0.87, `mean length ${mean}`);
    assert.ok(Math.min(...lengths) >= 1);
    const share1 = lengths.filter((n) => n === 1).length / lengths.length;
    assert.ok(Math.abs(share1 - p) < 0.03, `P(length 1) = ${share1}`);
    const capped = playMatch(s("Tit For Tat"), s("Defector"), game, { probEnd: 0.001, turns: 5, seed: 1 });
    assert.ok(capped.turns <= 5);
  });

  it("the same seed gives the same match; bad options are input errors", () => {
    const a = playMatch(s("GTFT"), s("Random"), game, { seed: 4, noise: 0.05 });
    const b = playMatch(s("GTFT"), s("Random"), game, { seed: 4, noise: 0.05 });
    assert.deepEqual(a, b);
    assert.throws(() => playMatch(s("GTFT"), s("Random"), game, { noise: 2 }), /--noise/);
    assert.throws(() => playMatch(s("GTFT"), s("Random"), game, { turns: 0 }), /--turns/);
  });
});
