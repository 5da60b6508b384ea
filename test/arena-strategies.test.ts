/**
 * Sampled learners against strategies that are not memory-one (issue 4 §4): the strategy is played inside the
 * shared rollout (one player per game), the trainer learns against it, and the arena fills those cells.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runArena } from "../src/arena/learners.js";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { memoryOneOpponent, rolloutMemoryOne } from "../src/envs/rollout.js";
import { gamePreset } from "../src/games/presets.js";
import { StrategyOpponent } from "../src/learners/sampled/opponents.js";
import { type LearnerSpec, trainSampled } from "../src/learners/sampled/train.js";
import { runArenaParallel } from "../src/node/arenaPool.js";
import { strategyByName } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");
const T = 12;
const GAMES = 6;

/** Two seeds' policies: seat 0 random-ish, seat 1 random-ish (seat 1 is replaced by an opponent where given). */
const pC = Float64Array.from([0.5, 0.3, 0.7, 0.4, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5]);

function seatActions(traj: { actions: Uint8Array; batch: number }, g: number, agent: 0 | 1): number[] {
  return Array.from({ length: T }, (_, t) => traj.actions[(t * traj.batch + g) * 2 + agent]);
}

describe("strategies as rollout opponents", () => {
  it("Cycler CCD in seat 1 plays C, C, D, … in every game; Grudger in seat 0 defects after the first D", () => {
    const env = new IteratedGameEnv(game, T);
    const cycler = new StrategyOpponent(strategyByName("Cycler CCD", game));
    const a = rolloutMemoryOne(env, pC, GAMES, [Rng.seeded(1)], [undefined, cycler]);
    for (let g = 0; g < GAMES; g++) {
      assert.deepEqual(
        seatActions(a, g, 1),
        Array.from({ length: T }, (_, t) => (t % 3 === 2 ? 1 : 0)),
      );
    }
    const grudger = new StrategyOpponent(strategyByName("Grudger", game));
    const b = rolloutMemoryOne(env, pC, GAMES, [Rng.seeded(2)], [grudger, undefined]);
    let provoked = 0;
    for (let g = 0; g < GAMES; g++) {
      const other = seatActions(b, g, 1);
      const own = seatActions(b, g, 0);
      for (let t = 0; t < T; t++)
        assert.equal(own[t], other.slice(0, t).includes(1) ? 1 : 0, `game ${g} t ${t}`);
      if (own.includes(1)) provoked++;
    }
    assert.ok(provoked > 0, "the random seat defected somewhere, so Grudger's trigger was exercised");
  });

  it("one player per game: a second rollout starts every game fresh", () => {
    const env = new IteratedGameEnv(game, T);
    const grudger = new StrategyOpponent(strategyByName("Grudger", game));
    rolloutMemoryOne(env, pC, GAMES, [Rng.seeded(3)], [grudger, undefined]);
    const again = rolloutMemoryOne(env, pC, GAMES, [Rng.seeded(3)], [grudger, undefined]);
    const fresh = rolloutMemoryOne(
      env,
      pC,
      GAMES,
      [Rng.seeded(3)],
      [new StrategyOpponent(strategyByName("Grudger", game)), undefined],
    );
    assert.deepEqual(again.actions, fresh.actions);
    for (let g = 0; g < GAMES; g++) assert.equal(seatActions(again, g, 0)[0], 0, "Grudger opens with C");
  });

  it("memoryOneOpponent draws exactly as the built-in memory-one seat", () => {
    const env = new IteratedGameEnv(game, T);
    const plain = rolloutMemoryOne(env, pC, GAMES, [Rng.seeded(4)]);
    const viaOpponent = rolloutMemoryOne(
      env,
      pC,
      GAMES,
      [Rng.seeded(4)],
      [undefined, memoryOneOpponent(Array.from(pC.subarray(5, 10)))],
    );
    assert.deepEqual(viaOpponent.actions, plain.actions);
    assert.deepEqual(viaOpponent.rewards, plain.rewards);
  });
});

const budget = { gamma: 0.96, batch: 32, rollout: 30, updates: 100, seed: 5 };

function trainedReward(learner: LearnerSpec, opponent: LearnerSpec, seeds = 2) {
  const r = trainSampled({ game, ...budget, seeds, learners: [learner, opponent] });
  const last = r.rewardPerStep.slice(-10);
  const mean = (agent: 0 | 1) =>
    last.reduce((s, u) => s + u.reduce((x, v) => x + v[agent], 0) / u.length, 0) / last.length;
  return { r, own: mean(0), opp: mean(1) };
}

describe("trainSampled against a strategy that is not memory-one", () => {
  it("pg learns each strategy's best reply: always D vs Cycler CCD, C vs Grudger, alternate vs Tit For 2 Tats", () => {
    const cooperator = trainedReward({ name: "pg" }, { name: "fixed", pC: [1, 1, 1, 1, 1] });
    const cycler = trainedReward({ name: "pg" }, { name: "strategy", strategy: "Cycler CCD" });
    const grudger = trainedReward({ name: "pg" }, { name: "strategy", strategy: "Grudger" });
    const tf2t = trainedReward({ name: "pg" }, { name: "strategy", strategy: "Tit For 2 Tats" });
    // Always defect against C, C, D earns (5 + 5 + 1) / 3 per step; if the cycle were ignored it would be 5 or ~3.
    assert.ok(cooperator.own > 4.9, `vs Cooperator ${cooperator.own}`);
    assert.ok(Math.abs(cycler.own - 11 / 3) < 0.08, `vs Cycler CCD ${cycler.own}`);
    // Grudger punishes forever: the learner keeps cooperating, mutual cooperation 3 per step.
    assert.ok(grudger.own > 2.85 && grudger.own <= 3, `vs Grudger ${grudger.own}`);
    assert.ok(grudger.opp > 2.85, `Grudger ${grudger.opp}`);
    // Tit For 2 Tats forgives one defection: alternating D, C earns (5 + 3) / 2 = 4, above mutual cooperation.
    assert.ok(tf2t.own > 3.85, `vs Tit For 2 Tats ${tf2t.own}`);
    // Strategy seats have no memory-one policy and no exact values.
    assert.ok(cycler.r.finalPC.every((seed) => seed[1].every(Number.isNaN)));
    assert.equal(cycler.r.exactPerStep.length, 0);
    assert.deepEqual(cycler.r.learners, ["pg", "Cycler CCD"]);
  });

  it("deterministic, and seed k does not depend on how many seeds share the batch", () => {
    const spec: LearnerSpec = { name: "aa" };
    const opp: LearnerSpec = { name: "strategy", strategy: "Prober" };
    const a = trainedReward(spec, opp, 2).r;
    const b = trainedReward(spec, opp, 2).r;
    const one = trainedReward(spec, opp, 1).r;
    assert.deepEqual(a.finalPC, b.finalPC);
    assert.deepEqual(a.rewardPerStep, b.rewardPerStep);
    assert.deepEqual(one.finalPC[0], a.finalPC[0]);
    assert.deepEqual(
      one.rewardPerStep.map((u) => u[0]),
      a.rewardPerStep.map((u) => u[0]),
    );
  });

  it("LOLA-DiCE against a strategy learns without its look-ahead term (a fixed strategy does not learn)", () => {
    const opp: LearnerSpec = { name: "strategy", strategy: "Grudger" };
    const shaped = trainedReward({ name: "lola-dice", lookahead: 2 }, opp).r;
    const plain = trainedReward({ name: "lola-dice", lookahead: 0 }, opp).r;
    assert.deepEqual(shaped.finalPC, plain.finalPC);
  });

  it("an unknown strategy name is an input error naming the field", () => {
    assert.throws(
      () => trainedReward({ name: "pg" }, { name: "strategy", strategy: "Grudgr" }),
      (e: Error) => e.name === "InputError" && /learners\[1\]\.strategy/.test(e.message),
    );
  });
});

describe("the arena fills learner vs strategy cells for sampled learners", () => {
  const names = ["pg", "aa", "naive", "Grudger", "Cycler CCD", "Cooperator"];
  const options = { seeds: 2, steps: 50, batch: 32, rollout: 30, updates: 100, evalTurns: 60, seed: 7 };
  const r = runArena(names, game, options);
  const [pg, aa, naive, grudger, cycler, cooperator] = [0, 1, 2, 3, 4, 5];

  it("pg and aa vs Grudger and Cycler CCD are filled with sensible rewards; exact naive keeps its note", () => {
    for (const learner of [pg, aa]) {
      for (const strategy of [grudger, cycler]) {
        const own = r.rowReward[learner][strategy];
        assert.ok(own !== null && own >= 0 && own <= 5, `${r.entrants[learner]} vs ${r.entrants[strategy]}`);
        assert.equal(r.colReward[strategy][learner], own);
      }
    }
    // The evaluation match plays the learned memory-one policy against the strategy itself.
    assert.ok(
      Math.abs(r.rowReward[pg][cycler]! - 11 / 3) < 0.15,
      `pg vs Cycler CCD ${r.rowReward[pg][cycler]}`,
    );
    assert.ok(r.rowReward[pg][cooperator]! > 4.8, `pg vs Cooperator ${r.rowReward[pg][cooperator]}`);
    assert.ok(r.rowReward[pg][grudger]! > 2.5, `pg vs Grudger ${r.rowReward[pg][grudger]}`);
    assert.equal(r.rowReward[naive][grudger], null);
    assert.equal(r.rowReward[naive][cycler], null);
    assert.ok(r.notes.some((n) => /Grudger .* not memory-one: exact learners train only/.test(n)));
    // No exact value for a pair with a strategy that is not memory-one.
    assert.equal(r.exactRowReward[pg][grudger], null);
  });

  it("gives the same arena on 0 and 2 workers", async () => {
    const few = ["pg", "lola-dice", "Grudger", "Tit For 2 Tats"];
    const small = { ...options, updates: 40 };
    const a = await runArenaParallel(few, game, { ...small, workers: 0 });
    const b = await runArenaParallel(few, game, { ...small, workers: 2 });
    assert.deepEqual(a, b);
    assert.notEqual(a.rowReward[0][2], null);
    assert.notEqual(a.rowReward[1][3], null);
  });
});
