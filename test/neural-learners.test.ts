/**
 * The neural Coin Game learners (src/learners/neural) against independent computations:
 * - the clipped surrogate against a PyTorch fixture (bench/peers/ppo_clip_fixture_torch.py, CleanRL's lines);
 * - A* against a hand-worked batch (both past-sum variants, a quadrant mask, the quadrant shares);
 * - GAE of the neural path against the explicit sum A_t = Σ_l (γλ)^l δ_{t+l};
 * - each learner's update (ppo, ppo-sum, aa, paa) on a tiny case (width 3, T = 3, 2 games): the gradient the
 *   update leaves in the actor (and critic) equals central finite differences of the loss written out here from
 *   forward passes only (advantages, normalisation and A* recomputed by the test's own loops).
 * Tolerances as test/nn-gradients.test.ts (float32 engine, h = 1e-3): |fd − g| ≤ 2e-3·max|g| + 1e-2·|g|.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { AaLearner, aaSchema } from "../src/learners/neural/aa.js";
import { estimateAdvantages, emptyEstimate, type NeuralLearner } from "../src/learners/neural/learner.js";
import { CoinCritic, CoinPolicy } from "../src/learners/neural/nets.js";
import { PaaLearner, paaSchema } from "../src/learners/neural/paa.js";
import { clippedSurrogate, PpoLearner, ppoSchema } from "../src/learners/neural/ppo.js";
import { createPpoSum } from "../src/learners/neural/ppoSum.js";
import { rolloutNeuralCoin, type SeatView, seatView } from "../src/learners/neural/rollout.js";
import { alignAdvantages, quadrantMask } from "../src/learners/sampled/alignment.js";
import { CategoricalHead } from "../src/nn/heads.js";
import { exp } from "../src/util/elementary.js";
import { Rng } from "../src/util/rng.js";

const H = 1e-3;

function checkGradient(label: string, values: Float32Array, analytic: ArrayLike<number>, loss: () => number) {
  const fd = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    values[i] = p + H;
    const up = values[i];
    const lUp = loss();
    values[i] = p - H;
    const down = values[i];
    const lDown = loss();
    values[i] = p;
    fd[i] = (lUp - lDown) / (up - down);
  }
  let scale = 0;
  for (let i = 0; i < fd.length; i++) scale = Math.max(scale, Math.abs(analytic[i]));
  assert.ok(scale > 0, `${label}: the gradient is identically zero (the check would be empty)`);
  for (let i = 0; i < fd.length; i++) {
    const tol = 2e-3 * scale + 1e-2 * Math.abs(analytic[i]);
    assert.ok(
      Math.abs(fd[i] - analytic[i]) <= tol,
      `${label}[${i}]: analytic ${analytic[i]}, finite difference ${fd[i]}`,
    );
  }
}

// --- the tiny case: a 3×3 board, 3-step games, 2 games, width-3 networks --------------------------------------
const T = 3;
const GAMES = 2;
const env = new CoinGameEnv({ episodeSteps: T });
const tiny = { width: 3, epochs: 1, minibatches: 1, criticEpochs: 1, maxGradNorm: 1e9 };

/** A rollout of the learner's actor against always-defect, as the learner's seat-0 view. */
function tinyView(policy: CoinPolicy, seed = 5): SeatView {
  const rollout = rolloutNeuralCoin(env, [{ policy }, { agent: fixedCoinAgent("always-defect", env) }], {
    games: GAMES,
    seed,
  });
  return seatView(rollout, 0);
}

/** log π(a_n) and H_n of every row under the actor's current weights (forward passes only). */
function policyRows(policy: CoinPolicy, view: SeatView): { logProbs: Float64Array; entropies: Float64Array } {
  const net = policy.net;
  const ws = net.workspace(T, GAMES);
  const head = new CategoricalHead(policy.actions, T * GAMES);
  ws.gru.hs.fill(0);
  head.forward(net.forward(view.own.obs, ws), T * GAMES);
  const logProbs = new Float64Array(T * GAMES);
  const entropies = new Float64Array(T * GAMES);
  for (let n = 0; n < T * GAMES; n++) {
    logProbs[n] = head.logProbs[n * policy.actions + view.own.actions[n]];
    entropies[n] = head.entropies[n];
  }
  return { logProbs, entropies };
}

/** GAE by the explicit sum A_t = Σ_{l ≥ 0} (γλ)^l δ_{t+l}, δ_t = r_t + γV_{t+1} − V_t, V_T = 0. */
function explicitGae(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  gamma: number,
  lambda: number,
): Float64Array {
  const out = new Float64Array(T * GAMES);
  for (let g = 0; g < GAMES; g++) {
    for (let t = 0; t < T; t++) {
      let sum = 0;
      let w = 1;
      for (let k = t; k < T; k++) {
        const next = k + 1 < T ? values[(k + 1) * GAMES + g] : 0;
        sum += w * (rewards[k * GAMES + g] + gamma * next - values[k * GAMES + g]);
        w *= gamma * lambda;
      }
      out[t * GAMES + g] = sum;
    }
  }
  return out;
}

/** G_t − V_t, G_t = Σ_{k ≥ t} γ^{k−t} r_k to the game's end (no bootstrap: the game ends at T). */
function monteCarloAdvantages(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  gamma: number,
): Float64Array {
  const out = new Float64Array(T * GAMES);
  for (let g = 0; g < GAMES; g++) {
    for (let t = 0; t < T; t++) {
      let ret = 0;
      let w = 1;
      for (let k = t; k < T; k++) {
        ret += w * rewards[k * GAMES + g];
        w *= gamma;
      }
      out[t * GAMES + g] = ret - values[t * GAMES + g];
    }
  }
  return out;
}

function criticValues(critic: CoinCritic, obs: Float32Array): Float64Array {
  return critic.values(obs, T, GAMES, T, new Float64Array(T * GAMES));
}

const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / x.length;

function zScored(x: Float64Array, unbiased: boolean): Float64Array {
  const m = mean(x);
  const ss = Array.from(x).reduce((a, b) => a + (b - m) * (b - m), 0);
  const sd = Math.sqrt(ss / (unbiased ? x.length - 1 : x.length));
  return x.map((v) => (v - m) / (sd + 1e-8));
}

/** −mean min(ρA, clip(ρ)A) − c·mean H, with ρ = exp(log π − log π_old). */
function clipLoss(
  policy: CoinPolicy,
  view: SeatView,
  adv: Float64Array,
  clip: number,
  entropy: number,
): number {
  const { logProbs, entropies } = policyRows(policy, view);
  let loss = 0;
  for (let n = 0; n < T * GAMES; n++) {
    const ratio = exp(logProbs[n] - view.own.logProbs[n]);
    loss -= Math.min(ratio * adv[n], Math.min(Math.max(ratio, 1 - clip), 1 + clip) * adv[n]);
  }
  return loss / (T * GAMES) - entropy * mean(entropies);
}

/** Run one update on a copy of the actor's weights, return the gradient it left and the weights before it. */
function updateGradient(
  learner: NeuralLearner,
  view: SeatView,
): { before: Float32Array; grad: Float32Array } {
  const before = learner.policy.net.params.values.slice();
  learner.update(view, 0);
  const grad = learner.policy.net.params.grads.slice();
  learner.policy.net.params.values.set(before);
  return { before, grad };
}

/** Perturb the recorded old log-probs so some rows sit outside the trust region (ratios e^{±0.6}, e^{±0.05}). */
function offsetOldLogProbs(view: SeatView): void {
  const offsets = [0.6, -0.05, -0.6, 0.05, 0.6, -0.6];
  for (let n = 0; n < T * GAMES; n++) view.own.logProbs[n] += offsets[n];
}

describe("PPO's clipped surrogate", () => {
  it("matches the PyTorch fixture (CleanRL's pg_loss, approx_kl, clipfrac) and its gradient", () => {
    const f = JSON.parse(
      readFileSync(new URL("../../test/fixtures/ppo_clip_torch.json", import.meta.url), "utf8"),
    );
    const n = f.advantages.length;
    const d = new Float32Array(n);
    const stats = { rows: 0, approxKl: 0, clipped: 0 };
    const loss = clippedSurrogate(f.newLogProbs, f.oldLogProbs, f.advantages, f.clip, n, d, stats);
    assert.ok(Math.abs(loss - f.loss) < 1e-12, `loss ${loss} vs torch ${f.loss}`);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(d[i] - f.dLoss_dNewLogProbs[i]) < 1e-7, `d[${i}]`);
    assert.ok(Math.abs(stats.approxKl / stats.rows - f.approxKl) < 1e-12);
    assert.equal(stats.clipped / stats.rows, f.clipFrac);
    assert.ok(f.clipFrac > 0 && f.clipFrac < 1, "the fixture has clipped and unclipped rows");
  });
});

describe("A* (src/learners/sampled/alignment.ts) on a hand-worked batch", () => {
  // One game, T = 3: A = (1, −2, 0.5), A^opp = (0.3, 1, −1), β = 1, γ = 0.5.
  const own = Float64Array.from([1, -2, 0.5]);
  const opp = Float64Array.from([0.3, 1, -1]);
  const run = (variant: "discounted" | "running-mean", masked: ("++" | "--")[] = []) => {
    const shares = new Float64Array(4);
    const out = new Float64Array(3);
    alignAdvantages(
      own,
      opp,
      own,
      3,
      1,
      1,
      { beta: 1, gamma: 0.5, variant },
      quadrantMask(masked),
      shares,
      out,
    );
    return { out: Array.from(out), shares: Array.from(shares) };
  };
  it("discounted: past_1 = γ·1 = 0.5, past_2 = γ(0.5 − 2) = −0.75; terms βγ·past·A^opp = 0.25, 0.375", () => {
    const { out, shares } = run("discounted");
    assert.deepEqual(out, [1, -1.75, 0.875]);
    assert.deepEqual(shares, [0.4, 0, 0, 0.6]); // ++ at t = 1, -- at t = 2
  });
  it("discounted with ρ = 0.5: past_1 = ργ·1 = 0.25, past_2 = ργ(0.25 − 2) = −0.4375; terms 0.125, 0.21875", () => {
    const shares = new Float64Array(4);
    const out = new Float64Array(3);
    const settings = { beta: 1, gamma: 0.5, variant: "discounted" as const, pastDiscount: 0.5 };
    alignAdvantages(own, opp, own, 3, 1, 1, settings, quadrantMask([]), shares, out);
    assert.deepEqual(Array.from(out), [1, -1.875, 0.71875]);
  });
  it("running mean: mean_1 = 1, mean_2 = −0.5; terms β·mean·A^opp = 1, 0.5", () => {
    assert.deepEqual(run("running-mean").out, [1, -1, 1]);
  });
  it("a masked quadrant drops its term from A* but still counts in the shares", () => {
    const { out, shares } = run("discounted", ["--"]);
    assert.deepEqual(out, [1, -1.75, 0.5]);
    assert.deepEqual(shares, [0.4, 0, 0, 0.6]);
  });
});

describe("GAE of the neural critics", () => {
  it("estimateAdvantages (valueTdErrors + the shared generalizedAdvantages) equals the explicit sum", () => {
    const critic = new CoinCritic(env.obsSize, 3);
    critic.init(rngFor(1));
    const policy = tinyPolicy(2);
    const view = tinyView(policy);
    const est = estimateAdvantages(
      critic,
      view.own.obs,
      view.own.rewards,
      view,
      0.9,
      0.7,
      emptyEstimate(T * GAMES),
    );
    const v = criticValues(critic, view.own.obs);
    const expected = explicitGae(view.own.rewards, v, 0.9, 0.7);
    for (let i = 0; i < T * GAMES; i++) {
      assert.ok(Math.abs(est.advantages[i] - expected[i]) < 1e-12, `A[${i}]`);
      assert.ok(Math.abs(est.returns[i] - (expected[i] + v[i])) < 1e-12, `return[${i}]`);
    }
  });
});

function rngFor(seed: number): Rng {
  return Rng.seeded(seed);
}

function tinyPolicy(seed: number): CoinPolicy {
  const p = new CoinPolicy(env.obsSize, 3, env.nActions);
  p.net.init(rngFor(seed), "orthogonal", 1); // gain 1 on the head: logits far enough from uniform to matter
  return p;
}

/** Give a learner's actor livelier weights than the 0.01-gain policy head (so the gradient is not ≈ uniform). */
function liven(learner: NeuralLearner, seed: number): void {
  learner.policy.net.init(rngFor(seed), "orthogonal", 1);
}

describe("the rollout's recorded log-probabilities", () => {
  it("equal the full-sequence forward's, for both seats of one policy in self-play (each seat keeps its own h)", () => {
    const policy = tinyPolicy(3);
    const rollout = rolloutNeuralCoin(env, [{ policy }, { policy }], { games: GAMES, seed: 2 });
    for (const seat of [0, 1] as const) {
      const view = seatView(rollout, seat);
      const { logProbs } = policyRows(policy, view);
      for (let n = 0; n < T * GAMES; n++) {
        assert.ok(Math.abs(logProbs[n] - view.own.logProbs[n]) < 1e-5, `seat ${seat} row ${n}`);
      }
    }
  });
});

describe("each learner's update against finite differences of its loss", () => {
  it("ppo: actor gradient of L^CLIP − c·H with z-scored GAE advantages, and the critic's ½·mean (V − y)²", () => {
    const config = ppoSchema.parse({ ...tiny, entropy: 0.05, gamma: 0.9, gaeLambda: 0.8, clip: 0.2 });
    const learner = new PpoLearner(config, { env, seed: 3 });
    liven(learner, 31);
    const view = tinyView(learner.policy);
    offsetOldLogProbs(view);
    const values = criticValues(learner.critic, view.own.obs);
    const adv = zScored(explicitGae(view.own.rewards, values, 0.9, 0.8), true);
    const returns = explicitGae(view.own.rewards, values, 0.9, 0.8).map((a, i) => a + values[i]);
    const criticBefore = learner.critic.net.params.values.slice();
    const { grad } = updateGradient(learner, view);
    checkGradient("ppo actor", learner.policy.net.params.values, grad, () =>
      clipLoss(learner.policy, view, adv, 0.2, 0.05),
    );
    const criticGrad = learner.critic.net.params.grads.slice();
    learner.critic.net.params.values.set(criticBefore);
    checkGradient("ppo critic", learner.critic.net.params.values, criticGrad, () => {
      const v = criticValues(learner.critic, view.own.obs);
      return 0.5 * mean(v.map((x, i) => (x - returns[i]) * (x - returns[i])));
    });
  });

  it("ppo-sum: the same loss on r_self + r_opp", () => {
    const config = ppoSchema.parse({
      ...tiny,
      entropy: 0,
      gamma: 0.9,
      gaeLambda: 1,
      normalizeAdvantages: false,
    });
    const learner = createPpoSum(config, { env, seed: 4 });
    liven(learner, 41);
    const view = tinyView(learner.policy, 9);
    offsetOldLogProbs(view);
    const summed = view.own.rewards.map((r, i) => r + view.opponent.rewards[i]);
    assert.ok(
      summed.some((r, i) => r !== view.own.rewards[i]),
      "the opponent scored: the sum differs",
    );
    const adv = explicitGae(summed, criticValues(learner.critic, view.own.obs), 0.9, 1);
    const { grad } = updateGradient(learner, view);
    checkGradient("ppo-sum actor", learner.policy.net.params.values, grad, () =>
      clipLoss(learner.policy, view, adv, 0.2, 0),
    );
  });

  /** A* by the test's own loops: GAE from each critic, then the discounted alignment term. */
  function expectedAligned(
    learner: AaLearner | PaaLearner,
    view: SeatView,
    gamma: number,
    lambda: number,
    beta: number,
    coinCode: { rho: number } | undefined = undefined,
  ): Float64Array {
    const own = explicitGae(view.own.rewards, criticValues(learner.critics.own, view.own.obs), gamma, lambda);
    const oppValues = criticValues(learner.critics.opponent, view.opponent.obs);
    // The AA coin code's options: A^opp = G − V with G the discounted return to the game's end, summed here
    // directly (not through GAE), and the past sum decaying by ρ·γ.
    const opp = coinCode
      ? monteCarloAdvantages(view.opponent.rewards, oppValues, gamma)
      : explicitGae(view.opponent.rewards, oppValues, gamma, lambda);
    const decay = gamma * (coinCode?.rho ?? 1);
    const out = new Float64Array(T * GAMES);
    for (let g = 0; g < GAMES; g++) {
      for (let t = 0; t < T; t++) {
        let past = 0;
        for (let k = 0; k < t; k++) {
          let w = 1;
          for (let j = 0; j < t - k; j++) w *= decay;
          past += w * own[k * GAMES + g];
        }
        out[t * GAMES + g] = own[t * GAMES + g] + beta * gamma * past * opp[t * GAMES + g];
      }
    }
    return out;
  }

  it("aa: actor gradient of −mean A*·log π − c·H (REINFORCE with A*), and the opponent critic's loss", () => {
    const { epochs: _epochs, ...aaTiny } = tiny;
    const config = aaSchema.parse({ ...aaTiny, entropy: 0.05, gamma: 0.9, gaeLambda: 0.8, beta: 2 });
    const learner = new AaLearner(config, { env, seed: 6 });
    liven(learner, 62); // (seed 61 puts a dense pre-activation within h of the ReLU kink)
    const view = tinyView(learner.policy, 7);
    const aligned = expectedAligned(learner, view, 0.9, 0.8, 2);
    const oppValues = criticValues(learner.critics.opponent, view.opponent.obs);
    const oppReturns = explicitGae(view.opponent.rewards, oppValues, 0.9, 0.8).map(
      (a, i) => a + oppValues[i],
    );
    const oppBefore = learner.critics.opponent.net.params.values.slice();
    const { grad } = updateGradient(learner, view);
    checkGradient("aa actor", learner.policy.net.params.values, grad, () => {
      const { logProbs, entropies } = policyRows(learner.policy, view);
      return -mean(logProbs.map((l, i) => aligned[i] * l)) - 0.05 * mean(entropies);
    });
    const oppGrad = learner.critics.opponent.net.params.grads.slice();
    learner.critics.opponent.net.params.values.set(oppBefore);
    checkGradient("aa opponent critic", learner.critics.opponent.net.params.values, oppGrad, () => {
      const v = criticValues(learner.critics.opponent, view.opponent.obs);
      return 0.5 * mean(v.map((x, i) => (x - oppReturns[i]) * (x - oppReturns[i])));
    });
  });

  it("aa with the AA coin code's options (ρ = 0.9, Monte Carlo A^opp): the same check against G − V summed directly", () => {
    const { epochs: _epochs, ...aaTiny } = tiny;
    const config = aaSchema.parse({
      ...aaTiny,
      entropy: 0.05,
      gamma: 0.9,
      gaeLambda: 0,
      beta: 2,
      pastDiscount: 0.9,
      opponentAdvantage: "monte-carlo",
    });
    const learner = new AaLearner(config, { env, seed: 6 });
    liven(learner, 62);
    const view = tinyView(learner.policy, 7);
    const aligned = expectedAligned(learner, view, 0.9, 0, 2, { rho: 0.9 });
    const { grad } = updateGradient(learner, view);
    checkGradient("aa actor (coin-code options)", learner.policy.net.params.values, grad, () => {
      const { logProbs, entropies } = policyRows(learner.policy, view);
      return -mean(logProbs.map((l, i) => aligned[i] * l)) - 0.05 * mean(entropies);
    });
  });

  it("paa: the clipped surrogate with A* in place of A", () => {
    const config = paaSchema.parse({
      ...tiny,
      entropy: 0.02,
      gamma: 0.9,
      gaeLambda: 0.5,
      beta: 1.5,
      clip: 0.2,
    });
    const learner = new PaaLearner(config, { env, seed: 8 });
    liven(learner, 81);
    const view = tinyView(learner.policy, 11);
    offsetOldLogProbs(view);
    const aligned = expectedAligned(learner, view, 0.9, 0.5, 1.5);
    const { grad } = updateGradient(learner, view);
    checkGradient("paa actor", learner.policy.net.params.values, grad, () =>
      clipLoss(learner.policy, view, aligned, 0.2, 0.02),
    );
  });
});
