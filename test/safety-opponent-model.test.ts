/**
 * Advantage Alignment's opponent model made worse on purpose (src/learners/sampled/opponentModel.ts), against
 * independent computations:
 * - the state-aggregated TD(0) critic with one group per state is the tabular critic of src/policies/critics.ts,
 *   bit for bit, on a sampled batch;
 * - at its fixed point (step 1, many sweeps) each aggregation solves the projected Bellman equation of a
 *   hand-built batch; the expected values are numpy's `linalg.solve` of (diag(N) − γA)·V = b (the script is below);
 * - the modelled payoffs are the game's, read by hand; the oracle under the `own` reward model values the
 *   opponent's seat for this agent's payoff, so its V(start) is this agent's exact value;
 * - AA runs reproducibly with each option, and each changes its training.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { rolloutMemoryOne } from "../src/envs/rollout.js";
import { discountedValues } from "../src/exact/values.js";
import { gamePreset } from "../src/games/presets.js";
import { fillOracleCritic } from "../src/learners/sampled/oracleCritic.js";
import {
  CRITIC_STATE_GROUPS,
  fitAggregatedTd0,
  modelPayoffs,
  relabelRewards,
} from "../src/learners/sampled/opponentModel.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import {
  fitJointActionValuesTd0,
  fitStateValuesTd0,
  JointActionValueTable,
  StateValueTable,
  TdStatistics,
} from "../src/policies/critics.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const ipd = gamePreset("ipd-lola");

/*
 * The fixture (/usr/bin/python3, numpy):
 *   r = [-1, -3, 0, -2]; n = [[1,2,0,1],[6,1,2,1],[2,3,1,4],[1,1,5,2],[0,2,1,7]]; R = n * r; γ = 0.9
 *   for each grouping: N_g = Σ_{s∈g,j} n, b_g = Σ R, A[g, g(1+j)] += γ n(s,j); V = solve(diag(N) − A, b)
 *   Q(s, j) = Σ_{t∈g(s)} R(t,j) / Σ n(t,j) + γ V(1+j)   (0 where the group never played j)
 */
const VISITS = [
  [1, 2, 0, 1],
  [6, 1, 2, 1],
  [2, 3, 1, 4],
  [1, 1, 5, 2],
  [0, 2, 1, 7],
];
const PAYOFF = [-1, -3, 0, -2];
const EXPECTED_V: Record<string, number[]> = {
  full: [
    -16.802129483492102, -14.742066512309831, -16.457991171215927, -14.825022187683327, -17.018082183000992,
  ],
  "opponent-last": [
    -15.609602917341983, -14.854132901134527, -14.854132901134527, -14.813614262560781, -14.813614262560781,
  ],
  "own-last": [
    -16.408732179226078, -14.353360488798376, -16.191446028513248, -14.353360488798376, -16.191446028513248,
  ],
  none: [
    -15.63461538461539, -14.871794871794878, -14.871794871794878, -14.871794871794878, -14.871794871794878,
  ],
};
/** Q(s, ·) of the states after the start (they are equal there for memory-one play), and Q(start, ·). */
const EXPECTED_Q: Record<string, { start: number[]; later: number[] }> = {
  full: {
    start: [-14.267859861078849, -17.812192054094332, 0, -17.31627396470089],
    later: [-14.267859861078849, -17.812192054094332, -13.342519968914996, -17.31627396470089],
  },
  "opponent-last": {
    start: [-14.368719611021074, -16.368719611021074, 0, -15.332252836304704],
    later: [-14.368719611021074, -16.368719611021074, -13.332252836304704, -15.332252836304704],
  },
  "own-last": {
    start: [-13.91802443991854, -17.572301425661923, 0, -16.572301425661923],
    later: [-13.91802443991854, -17.572301425661923, -12.91802443991854, -16.572301425661923],
  },
  none: {
    start: [-14.38461538461539, -16.38461538461539, 0, -15.38461538461539],
    later: [-14.38461538461539, -16.38461538461539, -13.38461538461539, -15.38461538461539],
  },
};

function handBuiltStatistics(): TdStatistics {
  const stats = new TdStatistics(1);
  VISITS.forEach((row, s) =>
    row.forEach((n, j) => {
      stats.visits[4 * s + j] = n;
      stats.rewardSum[4 * s + j] = n * PAYOFF[j];
    }),
  );
  return stats;
}

describe("state-aggregated opponent critic", () => {
  it("with one group per state equals the tabular TD critic bit for bit (sampled batch, 3 seeds)", () => {
    const seeds = 3;
    const games = 6;
    const env = new IteratedGameEnv(ipd, 12);
    const pC = Float64Array.from({ length: 10 * seeds }, (_, i) => 0.15 + ((i * 37) % 70) / 100);
    const rngs = Array.from({ length: seeds }, (_, k) => Rng.derive(11, k));
    const traj = rolloutMemoryOne(env, pC, games, rngs);
    for (const seat of [0, 1] as const) {
      const stats = new TdStatistics(seeds).collect(traj, seat, games);
      const v1 = new StateValueTable(seeds);
      const q1 = new JointActionValueTable(seeds);
      const v2 = new StateValueTable(seeds);
      const q2 = new JointActionValueTable(seeds);
      for (let update = 0; update < 3; update++) {
        fitStateValuesTd0(v1, stats, 0.96, 0.7, 5);
        fitJointActionValuesTd0(q1, v1, stats, 0.96, 0.7);
        fitAggregatedTd0(v2, q2, stats, CRITIC_STATE_GROUPS.full, 0.96, 0.7, 5);
      }
      assert.deepEqual(v2.values, v1.values);
      assert.deepEqual(q2.values, q1.values);
      assert.ok(v1.values.some((x) => x !== 0));
    }
  });

  for (const level of Object.keys(EXPECTED_V) as (keyof typeof CRITIC_STATE_GROUPS)[]) {
    it(`${level}: the fixed point solves the projected Bellman equation of a hand-built batch (numpy)`, () => {
      const v = new StateValueTable(1);
      const q = new JointActionValueTable(1);
      fitAggregatedTd0(v, q, handBuiltStatistics(), CRITIC_STATE_GROUPS[level], 0.9, 1, 3000);
      EXPECTED_V[level].forEach((expected, s) =>
        assert.ok(Math.abs(v.values[s] - expected) < 1e-9, `${level} V[${s}] ${v.values[s]} vs ${expected}`),
      );
      for (let s = 0; s < 5; s++) {
        const row = s === 0 ? EXPECTED_Q[level].start : EXPECTED_Q[level].later;
        row.forEach((expected, j) => {
          const got = q.values[4 * s + j];
          // The one cell the hand-built batch never visits in the full table, (DD, CC), keeps its start value 0.
          const want = level === "full" && s === 4 && j === 0 ? 0 : expected;
          assert.ok(Math.abs(got - want) < 1e-9, `${level} Q[${s},${j}] ${got} vs ${want}`);
        });
      }
    });
  }
});

describe("modelled opponent reward", () => {
  it("payoffs per joint action in the opponent's own view: true, own (this agent's), zero-sum", () => {
    // ipd-lola from the row player's view: CC −1, CD −3, DC 0, DD −2. The opponent (seat 2) in its own view
    // is paid the same table; this agent (seat 1) is paid −1, 0, −3, −2 at the opponent's CC, CD, DC, DD.
    assert.deepEqual([...modelPayoffs(ipd, 1, "opponent")], [-1, -3, 0, -2]);
    assert.deepEqual([...modelPayoffs(ipd, 1, "own")], [-1, 0, -3, -2]);
    assert.deepEqual([...modelPayoffs(ipd, 1, "zero-sum")], [1, -0, 3, 2]);
    assert.deepEqual([...modelPayoffs(ipd, 0, "own")], [-1, 0, -3, -2]);
    const stats = handBuiltStatistics();
    relabelRewards(stats, modelPayoffs(ipd, 1, "own"));
    assert.equal(stats.rewardSum[4 * 2 + 1], 3 * 0);
    assert.equal(stats.rewardSum[4 * 3 + 2], 5 * -3);
  });

  it("the oracle under the `own` model: V(start) of the opponent's seat is this agent's exact value", () => {
    const pC = Float64Array.from([0.7, 0.9, 0.2, 0.6, 0.4, 0.5, 0.8, 0.3, 0.55, 0.25]);
    const gamma = 0.9;
    const exact = discountedValues(ipd, pC, gamma);
    for (const agent of [0, 1] as const) {
      const opponent = (1 - agent) as 0 | 1;
      const q = new Float64Array(20);
      const v = new Float64Array(5);
      const ownPayoff = agent === 0 ? ipd.r1 : ipd.r2;
      assert.ok(fillOracleCritic(ipd, gamma, pC, opponent, q, v, ownPayoff));
      assert.ok(Math.abs(v[0] - exact[agent]) < 1e-10, `${v[0]} vs ${exact[agent]}`);
      assert.ok(Math.abs(v[0] - exact[opponent]) > 1e-3);
    }
  });
});

describe("AA with a reduced or misspecified opponent model", () => {
  const run = (extra: Record<string, unknown>) =>
    trainSampled({
      game: ipd,
      gamma: 0.96,
      learners: [
        { name: "aa", beta: 2, lr: 0.5, ...extra },
        { name: "aa", beta: 2, lr: 0.5 },
      ],
      batch: 8,
      rollout: 20,
      updates: 6,
      seeds: 1,
      seed: 5,
    }).finalPC[0][0];

  it("is reproducible, and each capacity level and reward model changes the training", () => {
    const table = run({});
    assert.deepEqual(run({ opponentCriticStates: "full", opponentReward: "opponent" }), table);
    const variants = [
      { opponentCriticStates: "opponent-last" },
      { opponentCriticStates: "own-last" },
      { opponentCriticStates: "none" },
      { opponentReward: "own" },
      { opponentReward: "zero-sum" },
      { opponentCritic: "oracle", opponentReward: "zero-sum" },
    ];
    const seen = variants.map((v) => run(v));
    variants.forEach((v, i) => {
      assert.deepEqual(run(v), seen[i], JSON.stringify(v));
      assert.notDeepEqual(seen[i], table, JSON.stringify(v));
    });
    assert.throws(
      () => run({ opponentCriticStates: "half" }),
      (e: unknown) => e instanceof InputError && e.field === "learners[0].opponentCriticStates",
    );
    assert.throws(
      () => run({ opponentReward: "theirs" }),
      (e: unknown) => e instanceof InputError && e.field === "learners[0].opponentReward",
    );
  });
});
