/**
 * N-player Advantage Alignment (src/learners/sampled/nPlayer/): each opponent-critic scheme against an exact or
 * independently computed value on tiny cases.
 * - N = 2: pairwise, shared and mean-field are all the two-player tabular AA (src/learners/sampled/aa.ts) with
 *   `lrCritic = 1`, over two consecutive updates (warm-started critics), and naive is its β = 0.
 * - The TD critic is linear in its rewards: the shared critic of Σ_{j≠i} r^j equals the sum of the critics of
 *   each r^j on the same states (its target is the sum of theirs); and with the count view the mean-field
 *   learner at β·(N − 1) takes exactly the shared learner's step at β.
 * - Every scheme at N = 3, both views: the step equals a hand computation of its opponent term (pairwise:
 *   Σ_{j≠i} A^j of every agent's own critic; shared: a critic of Σ_{j≠i} r^j; mean-field: a critic of the mean
 *   on states rebuilt from the actions) and a direct policy-gradient loop.
 * - The critic's batch TD with many sweeps solves the empirical Bellman equation (checked by a linear solve).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type NPlayerView, NPlayerIteratedEnv } from "../src/envs/nPlayer/env.js";
import { type NPlayerTrajectories, rolloutNPlayer } from "../src/envs/nPlayer/rollout.js";
import type { Trajectories } from "../src/envs/rollout.js";
import { symmetricGame } from "../src/games/game.js";
import { nPlayerGameFromTable, publicGoodsGame } from "../src/games/nPlayer.js";
import { AdvantageAlignmentLearner } from "../src/learners/sampled/aa.js";
import { alignAdvantages } from "../src/learners/sampled/alignment.js";
import { NPlayerAaLearner, type NPlayerAaOptions } from "../src/learners/sampled/nPlayer/aa.js";
import { SampledValueCritic } from "../src/learners/sampled/nPlayer/critic.js";
import { trainNPlayerSampled } from "../src/learners/sampled/nPlayer/train.js";
import { InputError } from "../src/util/errors.js";
import { sigmoid } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

const gamma = 0.9;
const T = 20;
const games = 12;

function randomLogits(n: number, S: number, seed: number, groups = 1): Float64Array {
  const rng = Rng.seeded(seed);
  return new Float64Array(groups * n * S).map(() => rng.normal(0, 1));
}

function maxGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return gap;
}

/** The two-player trajectory of an N = 2 rollout (the views coincide; drop the final state row). */
function asTwoPlayer(traj: NPlayerTrajectories): Trajectories {
  return {
    horizon: traj.horizon,
    batch: traj.batch,
    obs: Uint8Array.from(traj.obs.subarray(0, traj.horizon * traj.batch * 2)),
    actions: traj.actions,
    rewards: traj.rewards,
  };
}

describe("N-player AA at N = 2 is the two-player AA", () => {
  const game = publicGoodsGame(2);
  const two = symmetricGame("pgg-2", 4, 2, 5, 3);
  for (const scheme of ["pairwise", "shared", "mean-field", "naive"] as const) {
    for (const view of ["count", "full"] as NPlayerView[]) {
      it(`${scheme}, ${view} view: two updates equal both seats' two-player AA steps (1e-10)`, () => {
        const env = new NPlayerIteratedEnv(game, T, view);
        const groups = 2;
        const beta = scheme === "naive" ? 0 : 1.5;
        const options: NPlayerAaOptions = { scheme, beta, lr: 0.3, criticSweeps: 7 };
        const ours = new NPlayerAaLearner(
          { players: 2, view, gamma, groups, gamesPerGroup: games, horizon: T },
          options,
        );
        const ctx = { game: two, gamma, seeds: groups, gamesPerSeed: games, horizon: T };
        const seats = ([0, 1] as const).map(
          (agent) =>
            new AdvantageAlignmentLearner({ ...ctx, agent }, { beta, lr: 0.3, criticSweeps: 7, lrCritic: 1 }),
        );
        const theta = randomLogits(2, 5, 7, groups);
        const rngs = [Rng.seeded(1), Rng.seeded(2)];
        for (let update = 0; update < 2; update++) {
          const pC = theta.map(sigmoid);
          const traj = rolloutNPlayer(env, pC, games, rngs);
          const delta = new Float64Array(theta.length);
          ours.step(traj, theta, pC, delta);
          const input = { traj: asTwoPlayer(traj), theta, pC, rollout: () => asTwoPlayer(traj) };
          for (const agent of [0, 1] as const) {
            const seatDelta = new Float64Array(groups * 5);
            seats[agent].step(input, seatDelta);
            const mine = new Float64Array(groups * 5);
            for (let k = 0; k < groups; k++)
              for (let s = 0; s < 5; s++) mine[k * 5 + s] = delta[(k * 2 + agent) * 5 + s];
            assert.ok(
              maxGap(mine, seatDelta) < 1e-10,
              `update ${update} seat ${agent}: ${mine} vs ${seatDelta}`,
            );
            if (scheme !== "naive") {
              const diagnostics = Object.values(seats[agent].diagnostics());
              assert.ok(diagnostics.some((column) => Array.from(column).some((x) => x > 0)));
            }
          }
          for (let a = 0; a < theta.length; a++) theta[a] += delta[a];
        }
      });
    }
  }
});

describe("N-player critics and schemes", () => {
  const n = 3;
  const game = nPlayerGameFromTable("pax-3", [4, 2, 0], [5, 3, 1]);

  it("batch TD with many sweeps solves the empirical Bellman equation", () => {
    const env = new NPlayerIteratedEnv(game, T, "count");
    const traj = rolloutNPlayer(env, randomLogits(n, env.states, 3).map(sigmoid), games, [Rng.seeded(5)]);
    const steps = T * games;
    const states = new Int32Array(steps + games);
    const rewards = new Float64Array(steps);
    for (let s = 0; s < states.length; s++) states[s] = traj.obs[s * n];
    for (let s = 0; s < steps; s++) rewards[s] = traj.rewards[s * n];
    const critic = new SampledValueCritic(1, env.states);
    critic.fit(states, rewards, T, games, games, gamma, 1, 2000);
    // Empirical model: V(s) = mean r + γ·Σ_s′ P̂(s′|s) V(s′) on visited s; solve by Gauss–Seidel to 1e-13.
    const S = env.states;
    const count = new Float64Array(S);
    const rsum = new Float64Array(S);
    const trans = new Float64Array(S * S);
    for (let s = 0; s < steps; s++) {
      count[states[s]] += 1;
      rsum[states[s]] += rewards[s];
      trans[states[s] * S + states[s + games]] += 1;
    }
    const V = new Float64Array(S);
    for (let sweep = 0; sweep < 5000; sweep++) {
      for (let s = 0; s < S; s++) {
        if (count[s] === 0) continue;
        let next = 0;
        for (let u = 0; u < S; u++) next += trans[s * S + u] * V[u];
        V[s] = (rsum[s] + gamma * next) / count[s];
      }
    }
    for (let s = 0; s < S; s++) if (count[s] > 0) assert.ok(Math.abs(critic.values[s] - V[s]) < 1e-9);
  });

  it("the shared critic's target and values are the sum of the per-opponent critics on the same states", () => {
    const env = new NPlayerIteratedEnv(game, T, "full");
    const traj = rolloutNPlayer(env, randomLogits(n, env.states, 4).map(sigmoid), games, [Rng.seeded(6)]);
    const steps = T * games;
    const states = new Int32Array(steps + games);
    for (let s = 0; s < states.length; s++) states[s] = traj.obs[s * n]; // agent 0's view
    const sum = new Float64Array(steps);
    const sumOfValues = new Float64Array(env.states);
    const sumOfAdvantages = new Float64Array(steps);
    for (const j of [1, 2]) {
      const r = new Float64Array(steps);
      for (let s = 0; s < steps; s++) {
        r[s] = traj.rewards[s * n + j];
        sum[s] += r[s];
      }
      const critic = new SampledValueCritic(1, env.states);
      critic.fit(states, r, T, games, games, gamma, 0.7, 6);
      critic.values.forEach((v, s) => {
        sumOfValues[s] += v;
      });
      const adv = critic.tdErrors(states, r, T, games, games, gamma, new Float64Array(steps));
      adv.forEach((a, s) => {
        sumOfAdvantages[s] += a;
      });
    }
    const shared = new SampledValueCritic(1, env.states);
    shared.fit(states, sum, T, games, games, gamma, 0.7, 6);
    assert.ok(maxGap(shared.values, sumOfValues) < 1e-12);
    assert.ok(
      maxGap(shared.tdErrors(states, sum, T, games, games, gamma, new Float64Array(steps)), sumOfAdvantages) <
        1e-12,
    );
  });

  it("count view: mean-field at β·(N − 1) takes the shared learner's step at β", () => {
    const n4 = 4;
    const env = new NPlayerIteratedEnv(publicGoodsGame(n4), T, "count");
    const theta = randomLogits(n4, env.states, 8);
    const pC = theta.map(sigmoid);
    const traj = rolloutNPlayer(env, pC, games, [Rng.seeded(9)]);
    const ctx = { players: n4, view: "count" as const, gamma, groups: 1, gamesPerGroup: games, horizon: T };
    const shared = new Float64Array(theta.length);
    const meanField = new Float64Array(theta.length);
    new NPlayerAaLearner(ctx, { scheme: "shared", beta: 0.5 }).step(traj, theta, pC, shared);
    new NPlayerAaLearner(ctx, { scheme: "mean-field", beta: 0.5 * (n4 - 1) }).step(
      traj,
      theta,
      pC,
      meanField,
    );
    assert.ok(maxGap(meanField, shared) < 1e-10);
    const naive = new Float64Array(theta.length);
    new NPlayerAaLearner(ctx, { scheme: "naive" }).step(traj, theta, pC, naive);
    assert.ok(maxGap(naive, shared) > 1e-3, "the alignment term changes the step");
  });

  for (const scheme of ["pairwise", "shared", "mean-field"] as const) {
    it(`${scheme} at N = 3 (full and count views) equals a hand computation of its opponent term and gradient`, () => {
      for (const view of ["full", "count"] as NPlayerView[]) {
        const env = new NPlayerIteratedEnv(game, T, view);
        const S = env.states;
        const theta = randomLogits(n, S, 10);
        const pC = theta.map(sigmoid);
        const traj = rolloutNPlayer(env, pC, games, [Rng.seeded(11)]);
        const ctx = { players: n, view, gamma, groups: 1, gamesPerGroup: games, horizon: T };
        const lr = 0.2;
        const beta = 0.8;
        const delta = new Float64Array(theta.length);
        new NPlayerAaLearner(ctx, { scheme, beta, lr }).step(traj, theta, pC, delta);
        const steps = T * games;
        /** TD advantages of a fresh critic with `states` [T + 1, batch] and rewards [T, batch]. */
        const advantagesOf = (states: Int32Array, r: Float64Array, tables: number) => {
          const critic = new SampledValueCritic(1, tables);
          critic.fit(states, r, T, games, games, gamma, 1, 5);
          return critic.tdErrors(states, r, T, games, games, gamma, new Float64Array(steps));
        };
        const viewStates = (j: number) => {
          const states = new Int32Array(steps + games);
          for (let s = 0; s < states.length; s++) states[s] = traj.obs[s * n + j];
          return states;
        };
        const rewardOf = (j: number) => {
          const r = new Float64Array(steps);
          for (let s = 0; s < steps; s++) r[s] = traj.rewards[s * n + j];
          return r;
        };
        const own = [0, 1, 2].map((j) => advantagesOf(viewStates(j), rewardOf(j), S));
        for (let i = 0; i < n; i++) {
          const others = new Float64Array(steps);
          const othersReward = new Float64Array(steps);
          for (let j = 0; j < n; j++) if (j !== i) rewardOf(j).forEach((x, s) => (othersReward[s] += x));
          if (scheme === "pairwise") {
            for (let j = 0; j < n; j++) if (j !== i) own[j].forEach((a, s) => (others[s] += a));
          } else if (scheme === "shared") {
            others.set(advantagesOf(viewStates(i), othersReward, S));
          } else {
            // Mean-field state: own last action and the others' number of defectors, from the actions.
            const states = new Int32Array(steps + games);
            for (let s = 0; s < steps; s++) {
              const a = traj.actions[s * n + i];
              let d = 0;
              for (let j = 0; j < n; j++) d += traj.actions[s * n + j];
              states[s + games] = 1 + a * n + (d - a);
            }
            others.set(
              advantagesOf(
                states,
                othersReward.map((x) => x / (n - 1)),
                2 * n + 1,
              ),
            );
          }
          const aligned = new Float64Array(steps);
          alignAdvantages(
            own[i],
            others,
            own[i],
            T,
            games,
            games,
            { beta, gamma, variant: "discounted" },
            new Uint8Array(4),
            new Float64Array(4),
            aligned,
          );
          const grad = new Float64Array(S);
          for (let t = 0; t < T; t++) {
            for (let g = 0; g < games; g++) {
              const s = t * games + g;
              const state = traj.obs[s * n + i];
              const c = traj.actions[s * n + i] === 0 ? 1 : 0;
              grad[state] += (gamma ** t * aligned[s] * (c - pC[i * S + state])) / games;
            }
          }
          const expected = grad.map((x) => lr * x);
          assert.ok(maxGap(delta.subarray(i * S, (i + 1) * S), expected) < 1e-12, `${view} agent ${i}`);
        }
      }
    });
  }

  it("refuses unknown schemes and bad options, naming the field", () => {
    const ctx = { players: 3, view: "count" as const, gamma, groups: 1, gamesPerGroup: 2, horizon: 3 };
    assert.throws(
      () => new NPlayerAaLearner(ctx, { scheme: "tribal" as "shared" }),
      (e: unknown) =>
        e instanceof InputError && /scheme.*naive, pairwise, shared, mean-field/.test(e.message),
    );
    assert.throws(() => new NPlayerAaLearner(ctx, { scheme: "shared", lr: -1 }), /lr/);
    assert.throws(() => new NPlayerAaLearner(ctx, { scheme: "shared", criticSweeps: 0 }), /criticSweeps/);
  });

  it("training is reproducible per seed and does not depend on how many seeds share the batch", () => {
    const base = {
      game: publicGoodsGame(4),
      gamma: 0.96,
      learner: { scheme: "shared" as const },
      steps: 5,
      seed: 3,
    };
    const one = trainNPlayerSampled({ ...base, seeds: 1, horizon: 10, gamesPerSeed: 4, evalGames: 8 });
    const two = trainNPlayerSampled({ ...base, seeds: 2, horizon: 10, gamesPerSeed: 4, evalGames: 8 });
    const S = one.states;
    assert.deepEqual(Array.from(two.theta.subarray(0, 4 * S)), Array.from(one.theta));
    assert.equal(two.cooperation[0], one.cooperation[0]);
    assert.equal(one.criticTables, 8);
  });
});
