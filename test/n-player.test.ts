/**
 * N-player social dilemmas (src/games/nPlayer.ts) and their exact engine (src/exact/nPlayer.ts): pax's payoff
 * tables, the social-dilemma check naming the condition that fails, own-view rotation, values against a Monte
 * Carlo rollout, gradients against finite differences, and N = 2 against the two-player engine.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryOneEvaluator, valuesAndGradients } from "../src/exact/derivatives.js";
import { NPlayerChain } from "../src/exact/nPlayer.js";
import { symmetricGame } from "../src/games/game.js";
import {
  actionOf,
  nPlayerGameFromTable,
  nPlayerReward,
  ownView,
  publicGoodsGame,
  socialDilemmaFailures,
} from "../src/games/nPlayer.js";
import { pairwiseLolaTerms, trainNPlayerExact } from "../src/learners/exact/nPlayerTrain.js";
import { InputError } from "../src/util/errors.js";
import { sigmoid } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

describe("N-player games", () => {
  it("the public-goods game reproduces pax's test tables (N = 2, 3, 4)", () => {
    const tables: [number, number[], number[]][] = [
      [2, [4, 2], [5, 3]],
      [3, [4, 8 / 3, 4 / 3], [17 / 3, 13 / 3, 3]],
      [4, [4, 3, 2, 1], [6, 5, 4, 3]],
    ];
    for (const [n, cooperate, defect] of tables) {
      const game = publicGoodsGame(n);
      cooperate.forEach((c, k) => assert.ok(close(nPlayerReward(game, 0, k), c, 1e-15), `N=${n} C k=${k}`));
      defect.forEach((d, m) =>
        assert.ok(close(nPlayerReward(game, 1, m + 1), d, 1e-15), `N=${n} D k=${m + 1}`),
      );
      assert.deepEqual(socialDilemmaFailures(game), []);
    }
  });

  it("refuses a table that is not a social dilemma, naming the condition", () => {
    assert.throws(
      () => nPlayerGameFromTable("x", [4, 2, 0], [5, 3, 5]),
      (e: unknown) =>
        e instanceof InputError &&
        /all cooperating \(4 each\) must beat all defecting \(5 each\)/.test(e.message),
    );
    assert.throws(
      () => nPlayerGameFromTable("x", [4, 4, 0], [5, 3, 1]),
      (e: unknown) =>
        e instanceof InputError && /with 1 other defector\(s\), defecting \(3\)/.test(e.message),
    );
    assert.throws(() => nPlayerGameFromTable("x", [4, 2], [5]), /payoffs\.defect/);
    assert.throws(() => publicGoodsGame(3, { multiplier: 3.5 }), /multiplier.*\(1, 3\)/);
    assert.throws(() => publicGoodsGame(1), /players/);
    // pax's 3-player experiment table: C 4, 2, 0; D 5, 3, 1.
    assert.equal(nPlayerGameFromTable("pax-3", [4, 2, 0], [5, 3, 1]).players, 3);
    assert.equal(nPlayerGameFromTable("any", [0, 0], [0, 0], { allowAnyGame: true }).players, 2);
  });

  it("own views put the agent's action first, then the next agents cyclically", () => {
    const n = 4;
    for (let t = 0; t < 16; t++) {
      for (let i = 0; i < n; i++) {
        const v = ownView(t, i, n);
        for (let m = 0; m < n; m++) assert.equal(actionOf(v, m, n), actionOf(t, (i + m) % n, n));
      }
    }
  });
});

describe("N-player exact engine", () => {
  it("N = 2 equals the two-player engine (values and gradients)", () => {
    const chain = new NPlayerChain(publicGoodsGame(2));
    const game = symmetricGame("pgg-2", 4, 2, 5, 3);
    const rng = Rng.seeded(3);
    const gamma = 0.9;
    for (let trial = 0; trial < 5; trial++) {
      // two-player order per agent: start, CC, CD, DC, DD; N-player own view: CC, CD, DC, DD, start.
      const two = rng.fillNormal(new Float64Array(10));
      const n = new Float64Array(10);
      for (let i = 0; i < 2; i++) {
        for (let s = 0; s < 4; s++) n[5 * i + s] = two[5 * i + 1 + s];
        n[5 * i + 4] = two[5 * i];
      }
      const ref = valuesAndGradients(game, two, gamma);
      const ours = chain.evaluate(n, gamma);
      assert.ok(ours);
      for (let k = 0; k < 2; k++) {
        assert.ok(close(ours.perStep[k], (1 - gamma) * ref.values[k], 1e-12), `value ${k}`);
        for (let i = 0; i < 2; i++) {
          for (let s = 0; s < 5; s++) {
            const twoIndex = 5 * i + (s === 4 ? 0 : s + 1);
            const want = (1 - gamma) * ref.gradients[10 * k + twoIndex];
            assert.ok(close(ours.gradients[(k * 2 + i) * 5 + s], want, 1e-10), `∂V${k}/∂θ${i}[${s}]`);
          }
        }
      }
    }
  });

  it("N = 3: gradients equal central finite differences of the values", () => {
    const game = nPlayerGameFromTable("pax-3", [4, 2, 0], [5, 3, 1]);
    const chain = new NPlayerChain(game);
    const theta = Rng.seeded(5).fillNormal(new Float64Array(3 * 9));
    const gamma = 0.8;
    const ours = chain.evaluate(theta, gamma);
    assert.ok(ours);
    const h = 1e-6;
    for (let a = 0; a < theta.length; a++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[a] += h;
      minus[a] -= h;
      const vp = chain.evaluate(plus, gamma)?.perStep;
      const vm = chain.evaluate(minus, gamma)?.perStep;
      assert.ok(vp && vm);
      const i = Math.floor(a / 9);
      const s = a % 9;
      for (let k = 0; k < 3; k++) {
        const fd = (vp[k] - vm[k]) / (2 * h);
        const g = ours.gradients[(k * 3 + i) * 9 + s];
        assert.ok(Math.abs(fd - g) < 1e-7, `∂V${k}/∂θ${i}[${s}]: ${g} vs ${fd}`);
      }
    }
  });

  it("N = 4: per-step values equal a Monte Carlo rollout of the policies (within 4 standard errors)", () => {
    const n = 4;
    const game = publicGoodsGame(n);
    const chain = new NPlayerChain(game);
    const S = 17;
    const theta = Rng.seeded(8).fillNormal(new Float64Array(n * S));
    const gamma = 0.7;
    const exact = chain.evaluate(theta, gamma);
    assert.ok(exact);
    const rng = Rng.seeded(9);
    const episodes = 20000;
    const horizon = 60; // γ^60 < 1e-9
    const sums = new Float64Array(n);
    const squares = new Float64Array(n);
    for (let e = 0; e < episodes; e++) {
      let joint = -1;
      const ret = new Float64Array(n);
      let discount = 1 - gamma;
      for (let step = 0; step < horizon; step++) {
        let next = 0;
        for (let i = 0; i < n; i++) {
          const state = joint < 0 ? 16 : ownView(joint, i, n);
          const defect = rng.uniform() < sigmoid(theta[i * S + state]) ? 0 : 1;
          next |= defect << (n - 1 - i);
        }
        let defectors = 0;
        for (let i = 0; i < n; i++) defectors += actionOf(next, i, n);
        for (let i = 0; i < n; i++) ret[i] += discount * nPlayerReward(game, actionOf(next, i, n), defectors);
        discount *= gamma;
        joint = next;
      }
      for (let i = 0; i < n; i++) {
        sums[i] += ret[i];
        squares[i] += ret[i] * ret[i];
      }
    }
    for (let i = 0; i < n; i++) {
      const mean = sums[i] / episodes;
      const se = Math.sqrt((squares[i] / episodes - mean * mean) / episodes);
      assert.ok(
        Math.abs(mean - exact.perStep[i]) < 4 * se,
        `agent ${i}: MC ${mean} ± ${se}, exact ${exact.perStep[i]}`,
      );
    }
  });

  it("refuses more players than the exact chain can hold", () => {
    assert.throws(() => new NPlayerChain(publicGoodsGame(13)), /at most 12 players/);
  });
});

describe("N exact learners", () => {
  /** Two-player logits [start, CC, CD, DC, DD] per agent → N-player own view [CC, CD, DC, DD, start]. */
  const toNPlayer = (two: Float64Array) => {
    const out = new Float64Array(10);
    for (let i = 0; i < 2; i++) {
      for (let s = 0; s < 4; s++) out[5 * i + s] = two[5 * i + 1 + s];
      out[5 * i + 4] = two[5 * i];
    }
    return out;
  };

  it("the pairwise LOLA term at N = 2 equals the two-player engine's analytic LOLA term", () => {
    const gamma = 0.9;
    const chain = new NPlayerChain(publicGoodsGame(2));
    const evaluator = new MemoryOneEvaluator(symmetricGame("pgg-2", 4, 2, 5, 3), gamma);
    const rng = Rng.seeded(12);
    for (let trial = 0; trial < 4; trial++) {
      const two = rng.fillNormal(new Float64Array(10));
      assert.ok(evaluator.evaluate(two, 0));
      const theta = toNPlayer(two);
      const at = chain.evaluate(theta, gamma);
      assert.ok(at);
      const ours = new Float64Array(10);
      assert.ok(pairwiseLolaTerms(chain, theta, gamma, at, ours));
      for (const agent of [0, 1] as const) {
        const ref = new Float64Array(5);
        evaluator.lolaTerm(agent, ref);
        for (let s = 0; s < 5; s++) {
          // Per-step values scale the term by (1 − γ)².
          const want = (1 - gamma) ** 2 * ref[s === 4 ? 0 : s + 1];
          const got = ours[5 * agent + s];
          assert.ok(
            Math.abs(got - want) < 1e-8 * (1 + Math.abs(want)),
            `agent ${agent} state ${s}: ${got} vs ${want}`,
          );
        }
      }
    }
  });

  it("naive learners defect in the 3-player public-goods game; runs are deterministic per seed", () => {
    const options = {
      game: publicGoodsGame(3),
      gamma: 0.9,
      learner: "naive" as const,
      lr: 5,
      steps: 60,
      seeds: 3,
      seed: 0,
    };
    const r = trainNPlayerExact(options);
    assert.deepEqual(r.diverged, []);
    assert.equal(r.evaluationsPerUpdate, 1);
    assert.ok(r.curve[2 * 60 + 1] < r.curve[1], `cooperation ${r.curve[1]} → ${r.curve[2 * 60 + 1]}`);
    assert.ok(r.curve[2 * 60 + 1] < 0.2, `final cooperation ${r.curve[2 * 60 + 1]}`);
    const again = trainNPlayerExact({ ...options, seeds: 1, seed: 2 });
    assert.deepEqual(Array.from(again.theta), Array.from(r.theta.subarray(2 * 27, 3 * 27)));
  });

  it("pairwise LOLA counts 1 + 2N(N − 1) chain evaluations per update and refuses unknown learners", () => {
    const r = trainNPlayerExact({
      game: publicGoodsGame(3),
      gamma: 0.9,
      learner: "lola",
      steps: 2,
      seeds: 1,
      seed: 0,
    });
    assert.equal(r.evaluationsPerUpdate, 13);
    assert.ok(r.rewardPerStep.every(Number.isFinite));
    assert.throws(
      () =>
        trainNPlayerExact({
          game: publicGoodsGame(3),
          gamma: 0.9,
          learner: "sos" as never,
          steps: 1,
          seeds: 1,
          seed: 0,
        }),
      /learner: unknown value "sos"; allowed: naive, lola/,
    );
  });

  it("the documented finding at N = 3 (seeds 0–2): LOLA cooperates in the N-player IPD, not in public goods", () => {
    const ipd3 = nPlayerGameFromTable("n-ipd-3", [4, 2, 0], [5, 3, 1]);
    const common = { gamma: 0.96, learner: "lola" as const, steps: 200, seeds: 3, seed: 0 };
    const ipd = trainNPlayerExact({ ...common, game: ipd3 });
    const pgg = trainNPlayerExact({ ...common, game: publicGoodsGame(3) });
    assert.ok(ipd.curve[401] > 0.8, `ipd cooperation ${ipd.curve[401]}`);
    assert.ok(pgg.curve[401] < 0.05, `public-goods cooperation ${pgg.curve[401]}`);
  });
});
