/**
 * Unit tests of the sampled-learning pieces: tabular scores, TD critics against the exact engine, the shared
 * advantage utilities, Advantage Alignment's quadrant bookkeeping and masks, per-seed determinism of
 * trainSampled, and the `shapelab train` CLI contract (JSON shape, exit code 2 on bad input).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { rolloutMemoryOne } from "../src/envs/rollout.js";
import { discountedValues } from "../src/exact/values.js";
import { gamePreset } from "../src/games/presets.js";
import { AdvantageAlignmentLearner, QUADRANTS, quadrantDiagnostic } from "../src/learners/sampled/aa.js";
import {
  discountedReturns,
  generalizedAdvantages,
  jointActionAdvantages,
  normalizePerGroup,
  opponentActionAdvantages,
  tdErrors,
} from "../src/learners/sampled/advantages.js";
import type { LearnerContext } from "../src/learners/sampled/learner.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import {
  fitJointActionValuesTd0,
  fitStateValuesTd0,
  JointActionValueTable,
  StateValueTable,
  TdStatistics,
} from "../src/policies/critics.js";
import { logProbCurvature, logProbOfAction, scoreOfAction } from "../src/policies/tabular.js";
import { sigmoid } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd-lola");
const pC = Float64Array.from([0.8, 0.7, 0.3, 0.6, 0.2, 0.6, 0.9, 0.4, 0.5, 0.1]);

describe("tabular memory-one policy", () => {
  it("score and curvature match finite differences of log π", () => {
    const h = 1e-5;
    for (const theta of [-2, -0.3, 0, 0.7, 3]) {
      for (const a of [0, 1]) {
        const lp = (x: number) => logProbOfAction(sigmoid(x), a);
        const fd1 = (lp(theta + h) - lp(theta - h)) / (2 * h);
        const fd2 = (lp(theta + h) - 2 * lp(theta) + lp(theta - h)) / (h * h);
        assert.ok(Math.abs(fd1 - scoreOfAction(sigmoid(theta), a)) < 1e-8);
        assert.ok(Math.abs(fd2 - logProbCurvature(sigmoid(theta))) < 1e-4);
      }
    }
  });
});

describe("TD critics", () => {
  it("batch TD(0) on a large batch recovers the exact value of the start state, and Q = r + γV(s′)", () => {
    const gamma = 0.8;
    const env = new IteratedGameEnv(game, 60);
    const traj = rolloutMemoryOne(env, pC, 4000, Rng.derive(5));
    const exact = discountedValues(game, pC, gamma);
    for (const agent of [0, 1] as const) {
      const v = new StateValueTable(1);
      const q = new JointActionValueTable(1);
      const stats = new TdStatistics(1).collect(traj, agent, 4000);
      fitStateValuesTd0(v, stats, gamma, 1, 300);
      fitJointActionValuesTd0(q, v, stats, gamma, 1);
      assert.ok(Math.abs(v.get(0, 0) - exact[agent]) / Math.abs(exact[agent]) < 0.02, `agent ${agent}`);
      const r = agent === 0 ? game.r1 : [game.r2[0], game.r2[2], game.r2[1], game.r2[3]];
      for (let s = 0; s < 5; s++) {
        for (const [a, b] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]) {
          if (stats.visits[s * 4 + 2 * a + b] === 0) continue;
          assert.ok(Math.abs(q.get(0, s, a, b) - (r[2 * a + b] + gamma * v.get(0, 1 + 2 * a + b))) < 1e-9);
        }
      }
    }
  });
});

describe("shared advantage utilities", () => {
  const env = new IteratedGameEnv(game, 12);
  const traj = rolloutMemoryOne(env, pC, 6, Rng.derive(9));
  const n = 12 * 6;
  it("GAE with λ = 0 is the TD error; with λ = 1 and V = 0 it is the Monte-Carlo return", () => {
    const V = Float64Array.from([-3, -2, -4, -1, -5]);
    const deltas = tdErrors(traj, 0, V, 6, 0.9, new Float64Array(n));
    assert.deepEqual(
      Array.from(generalizedAdvantages(deltas, 12, 6, 0.9, 0, new Float64Array(n))),
      Array.from(deltas),
    );
    const zero = new Float64Array(5);
    const d0 = tdErrors(traj, 1, zero, 6, 0.9, new Float64Array(n));
    const gae = generalizedAdvantages(d0, 12, 6, 0.9, 1, new Float64Array(n));
    const mc = discountedReturns(traj, 1, 0.9, new Float64Array(n));
    for (let i = 0; i < n; i++) assert.ok(Math.abs(gae[i] - mc[i]) < 1e-12);
  });
  it("joint-action advantages read Q(s, a, b) − V(s) in the agent's own view", () => {
    const q = Float64Array.from({ length: 20 }, (_, i) => i);
    const v = Float64Array.from([100, 200, 300, 400, 500]);
    const adv = jointActionAdvantages(traj, 1, q, v, 6, new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const s = traj.obs[2 * i + 1];
      assert.equal(adv[i], s * 4 + 2 * traj.actions[2 * i + 1] + traj.actions[2 * i] - v[s]);
    }
  });
  it("opponent-action advantages are Q(s, a, b) − Σ_b π̂(b | s)·Q(s, a, b), π̂ the other's frequency in s", () => {
    const q = Float64Array.from({ length: 20 }, (_, i) => (i * 37) % 11);
    const stats = new TdStatistics(1).collect(traj, 1, 6);
    const adv = opponentActionAdvantages(traj, 1, q, stats.visits, 6, new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const s = traj.obs[2 * i + 1];
      const own = traj.actions[2 * i + 1];
      // π̂(C | s): share of steps in own-view state s where agent 1 (the other) cooperated, counted directly.
      let visits = 0;
      let otherC = 0;
      for (let j = 0; j < n; j++) {
        if (traj.obs[2 * j + 1] !== s) continue;
        visits++;
        if (traj.actions[2 * j] === 0) otherC++;
      }
      const p = otherC / visits;
      const expected =
        q[s * 4 + 2 * own + traj.actions[2 * i]] - p * q[s * 4 + 2 * own] - (1 - p) * q[s * 4 + 2 * own + 1];
      assert.ok(Math.abs(adv[i] - expected) < 1e-12);
    }
  });
  it("normalisation gives mean 0 and sd 1 within each group", () => {
    const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 13);
    normalizePerGroup(x, 12, 6, 3);
    for (const group of [0, 1]) {
      const values: number[] = [];
      for (let t = 0; t < 12; t++) for (let g = 3 * group; g < 3 * group + 3; g++) values.push(x[t * 6 + g]);
      const m = values.reduce((a, b) => a + b) / values.length;
      const s = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
      assert.ok(Math.abs(m) < 1e-12 && Math.abs(s - 1) < 1e-6);
    }
  });
});

describe("Advantage Alignment bookkeeping", () => {
  const ctx: LearnerContext = { game, gamma: 0.96, seeds: 2, gamesPerSeed: 16, horizon: 30, agent: 0 };
  const pair = Float64Array.from([...pC, ...pC]);
  const theta = pair.map((p) => Math.log(p / (1 - p)));
  const env = new IteratedGameEnv(game, 30);
  const traj = rolloutMemoryOne(env, pair, 16, Rng.derive(4));
  const input = { traj, theta, pC: pair, rollout: () => traj };
  const stepOf = (options: ConstructorParameters<typeof AdvantageAlignmentLearner>[1]) => {
    const learner = new AdvantageAlignmentLearner(ctx, options);
    const delta = new Float64Array(10);
    learner.step(input, delta);
    // The named diagnostics ("aa.quadrant.++", …), laid out as [seed][quadrant] for the checks below.
    const named = learner.diagnostics();
    const shares = [0, 1].flatMap((k) => QUADRANTS.map((q) => named[quadrantDiagnostic(q)][k]));
    return { delta, shares };
  };
  it("quadrant shares sum to one per seed, and masking all four quadrants equals β = 0", () => {
    const full = stepOf({ beta: 1 });
    for (const k of [0, 1])
      assert.ok(Math.abs(full.shares.slice(4 * k, 4 * k + 4).reduce((a, b) => a + b) - 1) < 1e-12);
    const masked = stepOf({ beta: 1, maskQuadrants: ["++", "+-", "-+", "--"] });
    const plain = stepOf({ beta: 0 });
    assert.deepEqual(Array.from(masked.delta), Array.from(plain.delta));
    assert.notDeepEqual(Array.from(full.delta), Array.from(plain.delta));
    // Diagnostics are measured before the mask: an ablation run still reports what it removed.
    assert.deepEqual(masked.shares, full.shares);
  });
  it("masking one quadrant changes the step unless that quadrant is empty", () => {
    const full = stepOf({ beta: 1 });
    const noSpite = stepOf({ beta: 1, maskQuadrants: ["--"] });
    assert.ok(full.shares[3] > 0);
    assert.notDeepEqual(Array.from(noSpite.delta), Array.from(full.delta));
  });
});

describe("trainSampled", () => {
  it("seed k's numbers do not depend on how many seeds share the batch", () => {
    const base = {
      game,
      gamma: 0.96,
      learners: [{ name: "aa" }, { name: "pg" }] as const,
      batch: 8,
      rollout: 20,
      updates: 5,
      seed: 3,
    };
    const one = trainSampled({ ...base, seeds: 1 });
    const three = trainSampled({ ...base, seeds: 3 });
    assert.deepEqual(three.finalPC[0], one.finalPC[0]);
    assert.deepEqual(
      three.rewardPerStep.map((u) => u[0]),
      one.rewardPerStep.map((u) => u[0]),
    );
  });
  it("a fixed seat keeps its probabilities and bad specs are InputErrors", () => {
    const r = trainSampled({
      game,
      gamma: 0.96,
      learners: [{ name: "a2c" }, { name: "fixed", pC: [1, 1, 0, 1, 0] }],
      batch: 8,
      rollout: 10,
      updates: 3,
      seeds: 2,
      seed: 0,
    });
    assert.deepEqual(r.finalPC[1][1], [1, 1, 0, 1, 0]);
    assert.throws(
      () => trainSampled({ ...r, game, learners: [{ name: "aa", lr: -1 }, { name: "pg" }], seeds: 1 }),
      /learners\[0\]\.lr/,
    );
    assert.throws(
      () =>
        trainSampled({
          ...r,
          game,
          learners: [{ name: "fixed", pC: [1, 2, 0, 0, 0] }, { name: "pg" }],
          seeds: 1,
        }),
      /learners\[0\]\.pC\[1\]/,
    );
  });
});

describe("shapelab train CLI", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["dist/src/cli/main.js", "train", ...args], { encoding: "utf8" });
  it("--json prints per-seed P(C), curves, quadrant diagnostics and elapsedMs", () => {
    const res = cli(
      "--agents",
      "aa,tft",
      "--seeds",
      "2",
      "--batch",
      "8",
      "--rollout",
      "20",
      "--updates",
      "4",
      "--json",
      "--quiet",
    );
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.final.empiricalPC.length, 2);
    assert.equal(out.final.pC[0][0].length, 5);
    assert.equal(out.rewardPerStep.exact.length, 4);
    assert.equal(out.aaQuadrants[0].shares.length, 4);
    assert.equal(typeof out.elapsedMs, "number");
  });
  it("--out writes the tit-for-tat bars, the empirical bars, learning curves and AA quadrant shares", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-train-"));
    try {
      const res = cli(
        "--agents",
        "aa,pg",
        "--seeds",
        "3",
        "--batch",
        "8",
        "--rollout",
        "20",
        "--updates",
        "5",
        "--quiet",
        "--out",
        dir,
      );
      assert.equal(res.status, 0, res.stderr);
      for (const name of ["tft-bars", "tft-bars-empirical", "learning-curves", "aa-quadrants-agent1"]) {
        for (const ext of ["svg", "png", "csv", "vl.json"])
          assert.ok(existsSync(join(dir, `${name}.${ext}`)), `${name}.${ext}`);
      }
      assert.ok(!existsSync(join(dir, "aa-quadrants-agent2.svg")), "pg has no alignment term");
      const csv = readFileSync(join(dir, "tft-bars.csv"), "utf8").trim().split("\n");
      assert.equal(csv[0], "group,state,mean,sd,lo,hi,n");
      assert.equal(csv.length, 1 + 2 * 5);
      assert.match(readFileSync(join(dir, "tft-bars.svg"), "utf8"), /START/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  for (const bad of [
    ["--agents", "aa,nope"],
    ["--agents", "aa"],
    ["--gamma", "1"],
    ["--batch", "0"],
    ["--mask-quadrants", "+*"],
    ["--agents", "aa,fixed", "--fixed", "1,1,0"],
    ["--init", "uniform"],
    ["--aa-variant", "median"],
  ]) {
    it(`exit 2 on ${bad.join(" ")}`, () => {
      const res = cli(...bad, "--updates", "1", "--quiet");
      assert.equal(res.status, 2, res.stdout + res.stderr);
      assert.match(res.stderr, /^shapelab: error: --/);
    });
  }
});
