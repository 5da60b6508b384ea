/**
 * Neural learners on Commons Harvest lite (issue 16 §3): the N-agent rollout on a hand-built board (rewards,
 * dones, observations per agent; a parameter-shared policy's recorded log-probabilities against a fresh pass
 * over each seat's games), the shared critic's target (Σ_{j≠i} r^j in the opponent slot, and PAA's A* from it on
 * a hand-worked batch), Melting Pot's min–max normalisation, and the kind's resume through the run store.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ACTION, type CommonsParams, CommonsHarvestEnv, type CommonsState } from "../src/envs/commons/env.js";
import type { CommonsAgent } from "../src/envs/commons/fixedAgents.js";
import { frameTiles, stripFrames } from "../src/envs/commons/frames.js";
import { parseCommonsMap } from "../src/envs/commons/map.js";
import { validateConfig } from "../src/experiments/config.js";
import { commonsHarvestKind } from "../src/experiments/kinds/commonsHarvest.js";
import { generalizedAdvantages, valueTdErrors } from "../src/learners/sampled/advantages.js";
import { commonsLearnerViews, rolloutCommons } from "../src/learners/neural/commonsRollout.js";
import { paaEntry } from "../src/learners/neural/index.js";
import type { PaaLearner } from "../src/learners/neural/paa.js";
import { CoinPolicy } from "../src/learners/neural/nets.js";
import { minMaxNormalise } from "../src/learners/neural/trainCommons.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import { Rng } from "../src/util/rng.js";

/** Agent 0 and 1 start on the Q cells (1,1) and (1,5), agent 2 on the only P cell (3,3); apples at (1,2), (1,3). */
const BOARD = ["WWWWWWW", "WQAA QW", "W     W", "WWWPWWW", "WWWWWWW"];
const T = 4;

function boardEnv(): CommonsHarvestEnv {
  const params: CommonsParams = {
    players: 3,
    episodeSteps: T,
    regrowth: [0, 0, 0, 0], // no regrowth: every reward is an apple of the board
    beamLength: 3,
    cooldown: 2,
    respawnFrames: 4,
    view: { left: 2, right: 2, forward: 2, backward: 2 }, // a centred 5 × 5 window: its counts do not depend on facing
  };
  return new CommonsHarvestEnv(parseCommonsMap("board", BOARD), params);
}

/** Steps east whatever its facing (the relative move that points east), or stands still. */
const eastward: CommonsAgent = {
  act(state: CommonsState, g: number, i: number) {
    const facing = state.facing[g * 3 + i];
    return [ACTION.right, ACTION.forward, ACTION.left, ACTION.backward][facing];
  },
};
const still: CommonsAgent = { act: () => ACTION.noop };

/** Σ of channel c of the 5 × 5 × 4 observation of agent i at step t in game g. */
function channelSum(obs: Float32Array, games: number, F: number, t: number, g: number, c: number): number {
  let s = 0;
  const o = (t * games + g) * F;
  for (let k = c; k < F; k += 4) s += obs[o + k];
  return s;
}

describe("the N-agent rollout on a hand-built board", () => {
  it("records each agent's rewards, observations and the episode's end", () => {
    const env = boardEnv();
    const games = 2;
    const r = rolloutCommons(env, [{ agent: eastward }, { agent: still }, { agent: still }], {
      games,
      seed: 5,
    });
    const F = env.obsSize;
    assert.equal(F, 5 * 5 * 4);
    for (let g = 0; g < games; g++) {
      // Agent 0 walks (1,1) → (1,2) → (1,3) → (1,4), eating the two apples, then is blocked by agent 1.
      assert.deepEqual(
        Array.from({ length: T }, (_, t) => r.seats[0].rewards[t * games + g]),
        [1, 1, 0, 0],
      );
      for (const i of [1, 2]) {
        assert.deepEqual(
          Array.from({ length: T }, (_, t) => r.seats[i].rewards[t * games + g]),
          [0, 0, 0, 0],
        );
      }
      const seq = (i: number, c: number) =>
        Array.from({ length: T }, (_, t) => channelSum(r.seats[i].obs, games, F, t, g, c));
      // Observed before acting: agent 0 at (1,1), (1,2), (1,3), (1,4).
      assert.deepEqual(seq(0, 0), [18, 16, 14, 16]); // walls and the outside in its 5 × 5 window
      assert.deepEqual(seq(0, 1), [2, 1, 0, 0]); // live apples in view
      assert.deepEqual(seq(0, 2), [1, 1, 1, 1]); // itself, once
      assert.deepEqual(seq(0, 3), [1, 1, 2, 2]); // agent 2 always, agent 1 from (1,3) on
      assert.deepEqual(seq(2, 3), [2, 2, 2, 2]); // agent 2 sees both others throughout
      assert.deepEqual(seq(2, 1), [2, 1, 0, 0]);
      const e = r.episodes[g];
      assert.deepEqual(e.returns, [2, 0, 0]);
      assert.deepEqual(e.liveApples, [1, 0, 0, 0]);
      assert.deepEqual(e.livePatches, [1, 0, 0, 0]);
      assert.equal(e.collapseStep, 1);
    }
    // The episode ends at T: done, and with autoReset off the last state is kept (no apple), not a fresh board.
    const state = env.reset(Rng.seeded(1), 1);
    const done = new Uint8Array(1);
    const rewards = new Float64Array(3);
    for (let t = 0; t < T; t++) {
      env.stepInto(
        state,
        Uint8Array.of(eastward.act(state, 0, 0, Rng.seeded(0)), 0, 0),
        Rng.seeded(t),
        rewards,
        done,
        false,
      );
      assert.equal(done[0], t === T - 1 ? 1 : 0);
    }
    assert.equal(env.liveApples(state, 0), 0);
    assert.equal(r.frames, undefined);
  });

  it("a parameter-shared policy carries one GRU state per (seat, game): its log-probs match a fresh pass", () => {
    const env = boardEnv();
    const games = 3;
    const policy = new CoinPolicy(env.obsSize, 8, env.nActions);
    policy.init(Rng.seeded(3));
    const r = rolloutCommons(env, [{ policy }, { agent: still }, { policy }], {
      games,
      seed: 2,
      frames: true,
    });
    for (const i of [0, 2]) {
      const { ws, head } = policy.buffers(T, games);
      ws.gru.hs.fill(0, 0, games * policy.net.architecture.hidden);
      head.forward(policy.net.forward(r.seats[i].obs, ws), T * games);
      const logProbs = new Float32Array(T * games);
      head.logProbOf(r.seats[i].actions, logProbs, T * games);
      for (let k = 0; k < T * games; k++) assert.ok(Math.abs(logProbs[k] - r.seats[i].logProbs[k]) < 1e-6);
    }
    assert.ok(r.seats[1].logProbs.every((x) => x === 0)); // a fixed agent has no log-probs
    assert.equal(r.frames?.length, T + 1); // the start and every step of game 0
    assert.equal(r.frames?.[0].apples, "11");
  });
});

describe("frames", () => {
  it("draw the recorded board: walls, live and eaten apple cells, focal and background agents", () => {
    const env = boardEnv();
    const r = rolloutCommons(env, [{ agent: eastward }, { agent: still }, { agent: still }], {
      games: 1,
      seed: 5,
      frames: true,
    });
    const layout = { map: BOARD, appleCells: Array.from(env.map.appleCells), focal: 2 };
    const frames = r.frames ?? [];
    const count = (t: number, kind: string) => frameTiles(layout, frames[t]).filter((x) => x.tile === kind);
    assert.equal(count(0, "wall").length, 24);
    assert.equal(count(0, "apple").length, 2);
    assert.equal(count(1, "apple").length, 1);
    assert.equal(count(1, "grass").length, 1);
    assert.deepEqual(
      count(1, "focal").map((x) => [x.agent, x.row, x.col]),
      [
        [0, 1, 2],
        [1, 1, 5],
      ],
    );
    assert.deepEqual(
      count(1, "background").map((x) => [x.agent, x.row, x.col]),
      [[2, 3, 3]],
    );
    assert.deepEqual(stripFrames(101, 6), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(stripFrames(3, 6), [0, 1, 2]);
  });
});

describe("the shared critic", () => {
  it("GAE of the others' summed reward under the summed values is the sum of their advantages (hand-worked)", () => {
    // Two other agents, T = 3, one game, γ = 0.5, λ = 0.5.
    const r = [Float64Array.of(1, 0, 2), Float64Array.of(0, 3, 1)];
    const v = [Float64Array.of(0.5, 1, 0.25), Float64Array.of(2, 0, 1)];
    const gae = (rew: ArrayLike<number>, val: ArrayLike<number>) => {
      const d = valueTdErrors(rew, val, 3, 1, 0.5, new Float64Array(3));
      return generalizedAdvantages(d, 3, 1, 0.5, 0.5, new Float64Array(3));
    };
    // By hand for agent 1: δ = (1 + 0.5·1 − 0.5, 0 + 0.5·0.25 − 1, 2 − 0.25) = (1, −0.875, 1.75);
    // A_2 = 1.75, A_1 = −0.875 + 0.25·1.75 = −0.4375, A_0 = 1 + 0.25·(−0.4375) = 0.890625.
    assert.deepEqual(Array.from(gae(r[0], v[0])), [0.890625, -0.4375, 1.75]);
    const summed = gae(
      r[0].map((x, t) => x + r[1][t]),
      v[0].map((x, t) => x + v[1][t]),
    );
    const each = [gae(r[0], v[0]), gae(r[1], v[1])];
    for (let t = 0; t < 3; t++) assert.ok(Math.abs(summed[t] - (each[0][t] + each[1][t])) < 1e-12);
  });

  it("puts Σ_{j≠i} r^j in the opponent slot, and PAA's A* is formed from that critic's advantages", () => {
    const env = boardEnv();
    const games = 1;
    const r = rolloutCommons(env, [{ agent: eastward }, { agent: still }, { agent: still }], {
      games,
      seed: 5,
    });
    const view = commonsLearnerViews(r, [0, 1, 2]);
    assert.equal(view.games, 3); // seat views side by side: column = seat
    const others = (i: number) => Array.from({ length: T }, (_, t) => view.opponent.rewards[t * 3 + i]);
    assert.deepEqual(others(0), [0, 0, 0, 0]);
    assert.deepEqual(others(1), [1, 1, 0, 0]);
    assert.deepEqual(others(2), [1, 1, 0, 0]);
    // PAA on these views: A from its own critic, A^opp from the shared critic, then the paper's A*.
    const gamma = 0.9;
    const lambda = 0.5;
    const beta = 0.7;
    const config = paaEntry.schema.parse({ width: 8, gamma, gaeLambda: lambda, beta });
    const learner = paaEntry.create(config, { env, seed: 4 }) as PaaLearner;
    learner.critics.align(view);
    const rows = T * 3;
    const values = (critic: typeof learner.critics.own, obs: Float32Array) =>
      critic.values(obs, T, 3, T, new Float64Array(rows));
    const gae = (rew: ArrayLike<number>, val: Float64Array) => {
      const d = valueTdErrors(rew, val, T, 3, gamma, new Float64Array(rows));
      return generalizedAdvantages(d, T, 3, gamma, lambda, new Float64Array(rows));
    };
    const A = gae(view.own.rewards, values(learner.critics.own, view.own.obs));
    const O = gae(view.opponent.rewards, values(learner.critics.opponent, view.opponent.obs));
    for (let g = 0; g < 3; g++) {
      let past = 0; // Σ_{k<t} γ^{t−k} A_k
      for (let t = 0; t < T; t++) {
        const i = t * 3 + g;
        const expected = A[i] + beta * gamma * past * O[i];
        assert.ok(Math.abs(learner.critics.aligned[i] - expected) < 1e-9, `A*[${t}, ${g}]`);
        past = gamma * (past + A[i]);
      }
    }
  });
});

describe("Melting Pot's normalisation", () => {
  it("maps the random population to 0 and the best baseline to 1, and refuses an empty range", () => {
    assert.equal(minMaxNormalise(3, 1, 5), 0.5);
    assert.equal(minMaxNormalise(1, 1, 5), 0);
    assert.equal(minMaxNormalise(5, 1, 5), 1);
    assert.equal(minMaxNormalise(7, 1, 5), 1.5); // above every baseline
    assert.equal(minMaxNormalise(2, 3, 3), undefined);
  });
});

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tinyConfig(seeds: number) {
  return validateConfig({
    name: "commons-tiny",
    kind: "commons-harvest",
    game: "ipd",
    agents: [
      { learner: "ppo", width: 8, minibatches: 2 },
      { learner: "paa", width: 8, beta: 1, minibatches: 2 },
    ],
    budget: { updates: 2, games: 2, evalGames: 2 },
    params: { episodeSteps: 12 },
    seeds: { count: seeds, base: 0 },
  });
}

describe("kind commons-harvest", () => {
  it("records focal returns normalised between the random and the best baseline, and the episodes", async () => {
    const config = tinyConfig(1);
    const run = await commonsHarvestKind.run(
      {
        name: config.name,
        kind: config.kind,
        game: config.game,
        gamma: config.gamma,
        agents: config.agents,
        budget: config.budget,
        params: config.params,
      },
      0,
    );
    const f = run.final;
    const upper = Math.max(f["focal.greedy"], f["focal.sustainable"]);
    for (const label of ["ppo", "paa"]) {
      assert.ok(
        Math.abs(
          f[`normalized.${label}`] - (f[`focal.${label}`] - f["focal.random"]) / (upper - f["focal.random"]),
        ) < 1e-12,
      );
      for (const m of [
        "utilitarian",
        "equality",
        "sustainability",
        "peace",
        "collapse",
        "patches",
        "background",
      ])
        assert.ok(Number.isFinite(f[`${m}.${label}`]), `${m}.${label}`);
      assert.equal(run.series.values[`apples.${label}`].length, 12);
    }
    const episodes = run.artifacts.episodes as { runs: Record<string, unknown[]> };
    assert.deepEqual(Object.keys(episodes.runs).sort(), ["greedy", "paa", "ppo", "random", "sustainable"]);
    assert.equal(episodes.runs.paa.length, 13);
  });

  it("refuses an unknown background agent and a wrong seat count, naming the field", () => {
    const base = tinyConfig(1);
    const check = (params: Record<string, unknown>) =>
      commonsHarvestKind.check?.({ ...base, params: { ...base.params, ...params } });
    assert.throws(() => check({ background: ["greedy", "lola"] }), /params\.background\[1\].*allowed/);
    assert.throws(() => check({ background: ["greedy"] }), /params\.focal/);
    // 2 games × 7 players = 14 seat views per update: 4 minibatches of whole games do not divide them.
    assert.throws(
      () => commonsHarvestKind.check?.({ ...base, agents: [{ learner: "ppo", minibatches: 4 }] }),
      /agents\[0\]\.minibatches.*14/,
    );
  });

  it("resumes: a seed already in the store is kept, not rerun, and equals a run from scratch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-commons-"));
    dirs.push(dir);
    const store = RunStore.open(join(dir, "runs"));
    try {
      const first = await runExperiment(tinyConfig(1), store, { workers: 0, quiet: true });
      assert.equal(first.completed, 1);
      const [kept] = store.listRuns({ experiment: "commons-tiny", status: "complete" });
      const second = await runExperiment(tinyConfig(2), store, { workers: 0, quiet: true });
      assert.equal(second.skipped, 1);
      assert.equal(second.completed, 1);
      const runs = store.listRuns({ experiment: "commons-tiny", status: "complete" });
      const seed0 = runs.find((r) => r.seed === kept.seed);
      assert.equal(seed0?.id, kept.id); // the same row: the finished seed was not recomputed
      const config = tinyConfig(1);
      const fresh = await commonsHarvestKind.run({ ...config, name: config.name }, kept.seed);
      assert.deepEqual(seed0?.final, fresh.final);
    } finally {
      store.close();
    }
  });
});
