/** Learners in the arena: cross-play structure, learning sanity, worker independence, the catalyst measure. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runArena } from "../src/arena/learners.js";
import { gamePreset } from "../src/games/presets.js";
import { runArenaParallel } from "../src/node/arenaPool.js";

const game = gamePreset("ipd");
const small = { seeds: 2, steps: 150, batch: 32, rollout: 30, updates: 120, evalTurns: 100, seed: 3 };

describe("learners in the arena", () => {
  const names = ["Cooperator", "Defector", "Tit For Tat", "Grudger", "naive", "pg", "aa"];
  const r = runArena(names, game, small);

  it("fills a cross-play matrix whose transpose swaps row and column rewards", () => {
    assert.deepEqual(r.entrants, [
      "Cooperator",
      "Defector",
      "Tit For Tat",
      "Grudger",
      "exact naive",
      "naive PG",
      "AA",
    ]);
    for (let i = 0; i < names.length; i++) {
      for (let j = 0; j < names.length; j++) {
        // On the diagonal the two sides are two copies, trained together: their rewards may differ.
        if (i !== j) assert.equal(r.rowReward[i][j], r.colReward[j][i], `${i},${j}`);
      }
    }
    // Strategy vs strategy needs no training: TFT vs Defector over 100 turns.
    assert.equal(r.rowReward[2][1], 0.99);
    assert.equal(r.colReward[2][1], 1.04);
  });

  it("leaves impossible pairs empty and says why; fills exact-vs-sampled pairs", () => {
    const grudger = 3;
    const naive = 4;
    const pg = 5;
    // Exact learners need a memory-one opponent; sampled learners train against Grudger itself.
    assert.equal(r.rowReward[grudger][naive], null);
    assert.notEqual(r.rowReward[grudger][pg], null);
    // An exact and a sampled learner train together (exact seat in the sampled trainer: test/arena-mixed.test.ts).
    assert.notEqual(r.rowReward[naive][pg], null);
    assert.ok(r.notes.some((n) => /Grudger .* not memory-one: exact learners/.test(n)));
    // Strategy vs strategy is fine for any memory depth.
    assert.notEqual(r.rowReward[grudger][2], null);
  });

  it("learners learn against fixed strategies: exploit Cooperator, defect against Defector", () => {
    for (const learner of [4, 5]) {
      assert.ok(
        r.rowReward[learner][0]! > 4.5,
        `${r.entrants[learner]} vs Cooperator: ${r.rowReward[learner][0]}`,
      );
      assert.ok(
        r.rowReward[learner][1]! > 0.85,
        `${r.entrants[learner]} vs Defector: ${r.rowReward[learner][1]}`,
      );
      assert.ok(
        r.colReward[learner][1]! < 1.6,
        `Defector vs ${r.entrants[learner]}: ${r.colReward[learner][1]}`,
      );
    }
    // Exact per-step values of the final memory-one policies are reported too.
    assert.ok(r.exactRowReward[4][0]! > 4.5);
  });

  it("catalyst = r(o vs shaper) − r(o vs naive learner), per seed, averaged", () => {
    assert.equal(r.catalyst.length, 1);
    const c = r.catalyst[0];
    assert.deepEqual([c.shaper, c.naive], ["AA", "naive PG"]);
    const aa = 6;
    const pg = 5;
    for (let o = 0; o < names.length; o++) {
      const a = r.perSeed[o][aa];
      const b = r.perSeed[o][pg];
      if (!a || !b) {
        assert.equal(c.mean[o], null);
        continue;
      }
      const expected = (a[0][0] - b[0][0] + a[1][0] - b[1][0]) / 2;
      assert.ok(Math.abs(c.mean[o]! - expected) < 1e-12);
    }
  });

  it("gives identical results in this thread and on 2 workers", async () => {
    const few = ["Tit For Tat", "Random: 0.5", "pg", "lola-dice"];
    const options = { ...small, updates: 40, seeds: 2 };
    const a = await runArenaParallel(few, game, { ...options, workers: 0 });
    const b = await runArenaParallel(few, game, { ...options, workers: 2 });
    assert.deepEqual(a, b);
  });

  it("unknown entrants are input errors that suggest learners and strategies", () => {
    assert.throws(
      () => runArena(["Tit For Tat", "lola-dise"], game, small),
      /unknown entrant "lola-dise"; did you mean "lola-dice"/,
    );
  });
});

describe("learner hyperparameters in entrant names", () => {
  it('"aa(beta=0)" and "lola(eta=0.5)" set the spec; bad values are input errors naming the entrant', () => {
    const r = runArena(["Tit For Tat", "aa(beta=0, lr=0.05)"], game, { ...small, updates: 5, seeds: 1 });
    assert.deepEqual(r.entrants, ["Tit For Tat", "AA(beta=0, lr=0.05)"]);
    const e = runArena(["Defector", "lola(eta=0.5)"], game, { ...small, steps: 5, seeds: 1 });
    assert.equal(e.entrants[1], "exact LOLA(eta=0.5)");
    assert.throws(() => runArena(["Defector", "aa(lr=-1)"], game, small), /aa\(lr=-1\).*lr/);
    assert.throws(() => runArena(["Defector", "pg(lr)"], game, small), /key=value/);
  });
});
