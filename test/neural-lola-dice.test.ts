/**
 * Neural LOLA-DiCE (src/learners/neural/lolaDice.ts) against independent computations:
 * 1. When the "network" is the memory-one table (5 logits, σ(θ_s) = P(C)), the learner's direction on the same
 *    two rollouts equals the tabular LOLA-DiCE learner's (src/learners/sampled/lolaDice.ts), whose second-order
 *    term is the closed-form DiCE cross Hessian (src/learners/sampled/dice.ts); and the finite-difference
 *    Hessian-vector product equals that closed-form block times v.
 * 2. On a small Dense → GRU Coin Game actor, the Hessian-vector product equals central differences of
 *    θ_i ↦ ∇_j L_j(θ_i, θ_j)·v, and the whole direction equals central differences of the look-ahead objective
 *    F(θ_i) = L_i(θ_i, θ_j + η ∇_j L_j(θ_i, θ_j)) on the same two batches (importance-weighted off the point
 *    where they were played, which is what the magic box differentiates). Without the shaping term the check fails.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { neuralCoinAgent } from "../src/envs/coin/neuralAgent.js";
import { type CoinTrajectories, rolloutCoin } from "../src/envs/coin/rollout.js";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { type Trajectories, rolloutMemoryOne } from "../src/envs/rollout.js";
import { gamePreset } from "../src/games/presets.js";
import {
  diceCredits,
  type RewardBatch,
  scoreCoefficients,
  weightsFromLogProbs,
} from "../src/learners/neural/diceObjective.js";
import {
  diceHessianVectorProduct,
  NeuralLolaDice,
  neuralLolaDiceEntry,
  neuralLolaDiceSchema,
} from "../src/learners/neural/lolaDice.js";
import { RecurrentCoinPolicy, type ScorePolicy } from "../src/learners/neural/scorePolicy.js";
import { allocateDiceDerivatives, diceDerivatives } from "../src/learners/sampled/dice.js";
import { LolaDiceLearner } from "../src/learners/sampled/lolaDice.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { log, sigmoid } from "../src/util/elementary.js";
import { Rng } from "../src/util/rng.js";

/** The memory-one table as a score policy: log π(a | s) = log σ(±θ_s), ∂/∂θ_s = 1[a = C] − σ(θ_s). */
const tablePolicy: ScorePolicy<Trajectories> = {
  size: 5,
  logProbs(theta, batch, seat, out) {
    for (let n = 0; n < batch.horizon * batch.batch; n++) {
      const s = batch.obs[2 * n + seat];
      out[n] = log(sigmoid(batch.actions[2 * n + seat] === 0 ? theta[s] : -theta[s]));
    }
    return out;
  },
  scoreGradient(theta, batch, seat, coefficients, grad) {
    grad.fill(0);
    for (let n = 0; n < batch.horizon * batch.batch; n++) {
      const s = batch.obs[2 * n + seat];
      grad[s] += coefficients[n] * ((batch.actions[2 * n + seat] === 0 ? 1 : 0) - sigmoid(theta[s]));
    }
    return grad;
  },
};

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe("neural LOLA-DiCE on a table equals the tabular closed forms", () => {
  const game = gamePreset("ipd-lola");
  const horizon = 20;
  const games = 64;
  const gamma = 0.96;
  const env = new IteratedGameEnv(game, horizon);
  const theta = Float64Array.from([0.3, -0.5, 0.8, -0.2, 0.4, -0.6, 0.2, 0.5, -0.9, 0.1]);

  /** Rollouts numbered by call: the k-th call of either learner sees the same games for the same policies. */
  function numberedRollouts(seed: number) {
    let call = 0;
    return (pC: Float64Array) => rolloutMemoryOne(env, pC, games, Rng.derive(seed, call++));
  }

  for (const seat of [0, 1] as const) {
    it(`seat ${seat}: the direction equals the tabular learner's (SGD, α_out = 1) to 1e-7 relative`, () => {
      const eta = 0.3;
      const tabularRollout = numberedRollouts(5);
      const tabular = new LolaDiceLearner(
        { game, gamma, seeds: 1, gamesPerSeed: games, horizon, agent: seat },
        { lrOuter: 1, lrInner: eta, lookahead: 1, optimizer: "sgd" },
      );
      const delta = new Float64Array(5);
      const pC = theta.map(sigmoid);
      tabular.step({ traj: tabularRollout(pC), theta, pC, rollout: tabularRollout }, delta);

      const neuralRollout = numberedRollouts(5);
      neuralRollout(pC); // the tabular step's `traj` argument used call 0 (it is not read with a look-ahead)
      const learner = new NeuralLolaDice(neuralLolaDiceSchema.parse({ lrInner: eta, gamma, hvpStep: 1e-5 }), {
        seat,
        policy: tablePolicy,
        opponentPolicy: tablePolicy,
        rollout: (a, b) => neuralRollout(Float64Array.from([...a, ...b].map(sigmoid))),
      });
      const own = theta.slice(5 * seat, 5 * seat + 5);
      const opp = theta.slice(5 * (1 - seat), 5 * (1 - seat) + 5);
      const grad = new Float64Array(5);
      const diagnostics = learner.gradient(own, opp, grad);
      assert.ok(
        (diagnostics["lolaDice.shapingNorm"] as number) > 0.05 * maxAbs(grad),
        "the shaping term matters here",
      );
      for (let s = 0; s < 5; s++) {
        assert.ok(
          Math.abs(grad[s] - delta[s]) <= 1e-7 * maxAbs(delta),
          `θ[${s}]: ${grad[s]} vs tabular ${delta[s]}`,
        );
      }
    });
  }

  it("the finite-difference Hessian-vector product equals the closed-form cross Hessian times v", () => {
    const rollout = numberedRollouts(9);
    const pC = theta.map(sigmoid);
    const batch = rollout(pC);
    const seat = 0;
    const derivatives = diceDerivatives(
      batch,
      1,
      pC,
      games,
      gamma,
      { centerRewards: true },
      allocateDiceDerivatives(1),
    );
    const credits = diceCredits(batch, 1, gamma, "center", new Float64Array(horizon * games)).map(
      (c) => c / games,
    );
    const own = theta.slice(0, 5);
    const opp = theta.slice(5);
    const v = Float64Array.from([0.7, -1.2, 0.4, 2.0, -0.3]);
    const inner = { own: tablePolicy, opponent: tablePolicy, seat, batch, opponentCredits: credits } as const;
    // The closed form: (∂²L_j/∂θ_j∂θ_i)ᵀ v, rows = opponent logits, columns = own logits.
    const exact = new Float64Array(5);
    for (let c = 0; c < 5; c++)
      for (let r = 0; r < 5; r++) exact[c] += derivatives.hessCross[5 * r + c] * v[r];
    for (const [step, tolerance] of [
      [1e-5, 1e-8],
      [1e-2, 1e-3],
    ]) {
      const hvp = new Float64Array(5);
      diceHessianVectorProduct(inner, own, opp, v, step, hvp);
      for (let c = 0; c < 5; c++) {
        assert.ok(
          Math.abs(hvp[c] - exact[c]) <= tolerance * maxAbs(exact),
          `step ${step}, θ_i[${c}]: ${hvp[c]} vs ${exact[c]}`,
        );
      }
    }
    // The first-order credits are the tabular estimator's gradient too.
    const g = tablePolicy.scoreGradient(opp, batch, 1, credits, new Float64Array(5));
    for (let r = 0; r < 5; r++) assert.ok(Math.abs(g[r] - derivatives.gradSelf[r]) < 1e-12);
  });
});

describe("neural LOLA-DiCE on a GRU coin actor against finite differences", () => {
  const env = new CoinGameEnv({ episodeSteps: 4 });
  const architecture = {
    kind: "gru",
    inputs: env.obsSize,
    dense: 5,
    hidden: 4,
    outputs: env.nActions,
  } as const;
  const games = 12;
  const gamma = 0.9;
  const eta = 10; // a large look-ahead step, so the shaping term is a visible part of the direction

  function initial(seed: number): Float64Array {
    const net = new RecurrentNet(architecture);
    net.init(Rng.seeded(seed), "orthogonal", 1);
    return Float64Array.from(net.params.values);
  }

  /** Rollouts of two GRU actors; every batch is kept so the test can re-evaluate the same games. */
  function recordingRollout() {
    const players = [new RecurrentNet(architecture), new RecurrentNet(architecture)];
    const agents = players.map((net, i) => neuralCoinAgent(net, env, `p${i}`));
    const batches: CoinTrajectories[] = [];
    const rollout = (a: Float64Array, b: Float64Array) => {
      players[0].params.values.set(a);
      players[1].params.values.set(b);
      const batch = rolloutCoin(env, agents[0], agents[1], { games, seed: 21, keys: [batches.length] });
      batches.push(batch);
      return batch;
    };
    return { rollout, batches };
  }

  const policy = new RecurrentCoinPolicy(architecture);
  const seat = 1;
  const oppSeat = 0;
  const own = initial(1);
  const opp = initial(2);
  const rows = env.params.episodeSteps * games;

  /** ∇_j L_j^D(θ_i, θ_j) on batch D played at (own, opp), with θ_i moved: importance weights of the agent's actions. */
  function opponentGradient(
    D: CoinTrajectories,
    thetaOwn: Float64Array,
    thetaOpp: Float64Array,
  ): Float64Array {
    const credits = diceCredits(D, oppSeat, gamma, "center", new Float64Array(rows)).map((c) => c / games);
    const W = weightsFromLogProbs(
      policy.logProbs(thetaOwn, D, seat, new Float64Array(rows)),
      policy.logProbs(own, D, seat, new Float64Array(rows)),
      D.horizon,
      D.batch,
      new Float64Array(rows),
    );
    const kappa = scoreCoefficients(credits, W, D.horizon, D.batch, new Float64Array(rows));
    return policy.scoreGradient(thetaOpp, D, oppSeat, kappa, new Float64Array(policy.size));
  }

  /** L_i^{D'}(θ_i, θ_j') = (1/B) Σ (W_t − W_{t−1}) c_t on batch D' played at (own, lookedAhead⁰). */
  function ownObjective(
    Dp: CoinTrajectories,
    thetaOwn: Float64Array,
    thetaOpp: Float64Array,
    oppAtSample: Float64Array,
  ) {
    const credits = diceCredits(Dp, seat, gamma, "center", new Float64Array(rows)).map((c) => c / games);
    const now = policy.logProbs(thetaOwn, Dp, seat, new Float64Array(rows));
    const then = policy.logProbs(own, Dp, seat, new Float64Array(rows));
    const oppNow = policy.logProbs(thetaOpp, Dp, oppSeat, new Float64Array(rows));
    const oppThen = policy.logProbs(oppAtSample, Dp, oppSeat, new Float64Array(rows));
    for (let n = 0; n < rows; n++) {
      now[n] += oppNow[n];
      then[n] += oppThen[n];
    }
    const W = weightsFromLogProbs(now, then, Dp.horizon, Dp.batch, now);
    let value = 0;
    for (let n = 0; n < rows; n++) value += (W[n] - (n >= games ? W[n - games] : 1)) * credits[n];
    return value;
  }

  function directions(count: number): Float64Array[] {
    const rng = Rng.seeded(77);
    return Array.from({ length: count }, () => {
      const d = Float64Array.from({ length: policy.size }, () => rng.normal());
      const n = Math.sqrt(dot(d, d));
      return d.map((x) => x / n);
    });
  }

  it("the Hessian-vector product equals central differences of θ_i ↦ ∇_j L_j(θ_i, θ_j)·v (4 directions)", () => {
    const { rollout } = recordingRollout();
    const D = rollout(opp, own); // seat 0 = opponent, seat 1 = agent
    const credits = diceCredits(D, oppSeat, gamma, "center", new Float64Array(rows)).map((c) => c / games);
    const v = directions(1)[0].map((x) => 3 * x);
    const hvp = new Float64Array(policy.size);
    diceHessianVectorProduct(
      { own: policy, opponent: policy, seat, batch: D, opponentCredits: credits },
      own,
      opp,
      v,
      1e-2,
      hvp,
    );
    const h = 1e-2;
    for (const d of directions(4)) {
      const plus = dot(
        opponentGradient(
          D,
          own.map((x, k) => x + h * d[k]),
          opp,
        ),
        v,
      );
      const minus = dot(
        opponentGradient(
          D,
          own.map((x, k) => x - h * d[k]),
          opp,
        ),
        v,
      );
      const fd = (plus - minus) / (2 * h);
      const analytic = dot(hvp, d);
      assert.ok(
        Math.abs(fd - analytic) <= 0.005 * Math.abs(fd) + 1e-4 * Math.sqrt(dot(hvp, hvp)),
        `${analytic} vs FD ${fd}`,
      );
    }
  });

  it("the whole direction equals central differences of the look-ahead objective on the same batches", () => {
    const { rollout, batches } = recordingRollout();
    const learner = new NeuralLolaDice(neuralLolaDiceSchema.parse({ lrInner: eta, gamma }), {
      seat,
      policy,
      opponentPolicy: policy,
      rollout,
    });
    const grad = new Float64Array(policy.size);
    const diagnostics = learner.gradient(own, opp, grad);
    const [D, Dp] = batches;
    const lookedAhead0 = opp.map((x, k) => x + eta * opponentGradient(D, own, opp)[k]);
    const F = (thetaOwn: Float64Array) => {
      const g = opponentGradient(D, thetaOwn, opp);
      return ownObjective(
        Dp,
        thetaOwn,
        opp.map((x, k) => x + eta * g[k]),
        lookedAhead0,
      );
    };
    const shaping = diagnostics["lolaDice.shapingNorm"] as number;
    assert.ok(
      shaping > 0.2 * (diagnostics["lolaDice.ownGradNorm"] as number),
      `shaping ${shaping} is visible`,
    );
    const h = 1e-2;
    let withoutShapingFails = false;
    const ownOnly = policy.scoreGradient(
      own,
      Dp,
      seat,
      diceCredits(Dp, seat, gamma, "center", new Float64Array(rows)).map((c) => c / games),
      new Float64Array(policy.size),
    );
    for (const d of directions(4)) {
      const fd = (F(own.map((x, k) => x + h * d[k])) - F(own.map((x, k) => x - h * d[k]))) / (2 * h);
      const tolerance = 0.02 * Math.abs(fd) + 1e-4 * Math.sqrt(dot(grad, grad));
      assert.ok(Math.abs(fd - dot(grad, d)) <= tolerance, `${dot(grad, d)} vs FD ${fd}`);
      if (Math.abs(fd - dot(ownOnly, d)) > tolerance) withoutShapingFails = true;
    }
    assert.ok(withoutShapingFails, "the naive gradient alone does not pass the check");
  });

  it("update: one Adam ascent step of lrOuter per parameter at most; the entry validates its options", () => {
    const { rollout } = recordingRollout();
    const params = Float32Array.from(own);
    const learner = neuralLolaDiceEntry.create(neuralLolaDiceSchema.parse({ lrOuter: 0.01 }), {
      seat,
      policy,
      opponentPolicy: policy,
      rollout: rollout as (a: Float64Array, b: Float64Array) => RewardBatch & CoinTrajectories,
    });
    const before = Float32Array.from(params);
    learner.update(params, Float32Array.from(opp));
    let moved = 0;
    for (let k = 0; k < params.length; k++) {
      assert.ok(Math.abs(params[k] - before[k]) <= 0.01 * (1 + 1e-3));
      if (params[k] !== before[k]) moved++;
    }
    assert.ok(moved > params.length / 2);
    assert.throws(() => neuralLolaDiceSchema.parse({ lrInner: -1 }), /lrInner/);
    assert.throws(() => neuralLolaDiceSchema.parse({ baseline: "critic" }), /baseline/);
    assert.throws(() => neuralLolaDiceSchema.parse({ lookahead: 2 }), /lookahead/);
  });
});
