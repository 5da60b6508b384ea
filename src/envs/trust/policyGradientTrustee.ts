/**
 * An RL trustee: REINFORCE with a learned baseline (the pattern of src/envs/bandit/policyGradientAdversary.ts, the
 * A2C of Dezfouli et al.'s `rl/pol_grad.py` with Monte-Carlo returns, γ = 1), on a linear softmax over the 5 repay
 * levels:
 *   π(k | s) = softmax(W φ(s))_k,   V(s) = v·φ(s),
 *   ∇_W J ≈ (1/(B·10)) Σ_games Σ_t (G_t − V(s_t)) ∇_W log π(k_t | s_t) + c ∇_W H,
 * per-round reward MAX: (3I − R)/60; FAIR: 0, and −|Σ gap|/60 at the last round (`fair_max`), G_t the return to go.
 * Features φ(s) (black box: what the trustee sees and the investor's predicted mean investment, as the paper's
 * state holds π_t): 1, t/10, (t/10)², [last round], I/20, I/20·t/10, E_π[I]/20, gap so far/60, (gap/60)·[last].
 */
import { AdamAscent } from "../../util/adamAscent.js";
import { exp, log } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import type { TrustInvestor } from "./investor.js";
import {
  BIN_INVESTMENTS,
  ENDOWMENT,
  INVESTMENT_BINS,
  REPAY_LEVELS,
  ROUNDS,
  resetTrust,
  settleRound,
  type TrustObjective,
  type TrustState,
  trusteeEarning,
} from "./task.js";
import type { Trustee } from "./trustees.js";

/** Features of the trustee's view (shared with the DQN trustee, dqnTrustee.ts). */
export const TRUSTEE_FEATURES = 9;
const FEATURES = TRUSTEE_FEATURES;
const K = REPAY_LEVELS;
/** Rewards are earnings / 60 (the largest round earning). */
export const REWARD_SCALE = 60;
const SCALE = REWARD_SCALE;
const BIN_MEANS = BIN_INVESTMENTS.map((is) => is.reduce((s, i) => s + i, 0) / is.length);

export function trusteeFeatures(
  state: TrustState,
  investor: TrustInvestor,
  g: number,
  I: number,
  out: Float64Array,
  o: number,
) {
  const t = state.round / ROUNDS;
  const last = state.round === ROUNDS - 1 ? 1 : 0;
  let mean = 0;
  for (let b = 0; b < INVESTMENT_BINS; b++) mean += investor.policy[g * INVESTMENT_BINS + b] * BIN_MEANS[b];
  const gap = (state.trustee[g] - state.investor[g]) / SCALE;
  out[o] = 1;
  out[o + 1] = t;
  out[o + 2] = t * t;
  out[o + 3] = last;
  out[o + 4] = I / ENDOWMENT;
  out[o + 5] = (I / ENDOWMENT) * t;
  out[o + 6] = mean / ENDOWMENT;
  out[o + 7] = gap;
  out[o + 8] = gap * last;
}

/** Softmax of W φ into probs; returns log Σ exp(z − max) and leaves z − max in logits. */
function policy(
  w: Float64Array,
  phi: Float64Array,
  o: number,
  probs: Float64Array,
  logits: Float64Array,
): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    let z = 0;
    for (let f = 0; f < FEATURES; f++) z += w[k * FEATURES + f] * phi[o + f];
    logits[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    logits[k] -= max;
    probs[k] = exp(logits[k]);
    sum += probs[k];
  }
  for (let k = 0; k < K; k++) probs[k] /= sum;
  return log(sum);
}

function sample(probs: Float64Array, rng: Rng): number {
  const x = rng.uniform();
  let k = 0;
  for (let c = probs[0]; k < K - 1 && x >= c; ) c += probs[++k];
  return k;
}

export interface PolicyGradientTrusteeOptions {
  objective: TrustObjective;
  updates: number;
  /** Games per update (default 500), policy and value step sizes, entropy bonus. */
  batch?: number;
  lr?: number;
  lrValue?: number;
  entropy?: number;
  investor: (games: number) => TrustInvestor;
}

export interface TrainedTrustee extends Trustee {
  /** The objective's mean per training batch: trustee earnings (MAX) or −|gap| (FAIR). */
  readonly curve: number[];
}

export function trainPolicyGradientTrustee(options: PolicyGradientTrusteeOptions, rng: Rng): TrainedTrustee {
  const batch = options.batch ?? 500;
  const c = options.entropy ?? 0.01;
  const w = new Float64Array(K * FEATURES);
  const value = new Float64Array(FEATURES);
  const adamW = new AdamAscent(options.lr ?? 0.05, w.length);
  const adamV = new AdamAscent(options.lrValue ?? 0.05, value.length);
  const phi = new Float64Array(ROUNDS * batch * FEATURES);
  const taken = new Int32Array(ROUNDS * batch);
  const probsAt = new Float64Array(ROUNDS * batch * K);
  const logProbsAt = new Float64Array(ROUNDS * batch * K);
  const reward = new Float64Array(ROUNDS * batch);
  const probs = new Float64Array(K);
  const logits = new Float64Array(K);
  const gradW = new Float64Array(w.length);
  const gradV = new Float64Array(FEATURES);
  const investments = new Float64Array(batch);
  const levels = new Int32Array(batch);
  const fractions = new Float64Array(batch);
  const curve: number[] = [];
  for (let update = 0; update < options.updates; update++) {
    const investor = options.investor(batch);
    const state = resetTrust(batch);
    for (let t = 0; t < ROUNDS; t++) {
      investor.invest(rng, investments);
      for (let g = 0; g < batch; g++) {
        const row = t * batch + g;
        trusteeFeatures(state, investor, g, investments[g], phi, row * FEATURES);
        const logSum = policy(w, phi, row * FEATURES, probs, logits);
        const k = sample(probs, rng);
        levels[g] = k;
        taken[row] = k;
        for (let j = 0; j < K; j++) {
          probsAt[row * K + j] = probs[j];
          logProbsAt[row * K + j] = logits[j] - logSum;
        }
        reward[row] = options.objective === "max" ? trusteeEarning(investments[g], k) / SCALE : 0;
      }
      settleRound(state, investments, levels);
      for (let g = 0; g < batch; g++) fractions[g] = levels[g] / (REPAY_LEVELS - 1);
      investor.learn(investments, fractions);
    }
    let score = 0;
    for (let g = 0; g < batch; g++) {
      const gap = Math.abs(state.trustee[g] - state.investor[g]);
      if (options.objective === "fair") reward[(ROUNDS - 1) * batch + g] = -gap / SCALE;
      score += options.objective === "max" ? state.trustee[g] / batch : -gap / batch;
    }
    curve.push(score);
    gradW.fill(0);
    gradV.fill(0);
    for (let g = 0; g < batch; g++) {
      let toGo = 0;
      for (let t = ROUNDS - 1; t >= 0; t--) {
        const row = t * batch + g;
        toGo += reward[row];
        const o = row * FEATURES;
        let baseline = 0;
        for (let f = 0; f < FEATURES; f++) baseline += value[f] * phi[o + f];
        const advantage = toGo - baseline;
        for (let f = 0; f < FEATURES; f++) gradV[f] += advantage * phi[o + f];
        let entropy = 0;
        for (let j = 0; j < K; j++) entropy -= probsAt[row * K + j] * logProbsAt[row * K + j];
        for (let j = 0; j < K; j++) {
          const p = probsAt[row * K + j];
          const dLog = (j === taken[row] ? 1 : 0) - p; // ∂ log π(k)/∂z_j
          const dEntropy = -p * (logProbsAt[row * K + j] + entropy); // ∂H/∂z_j
          const coefficient = advantage * dLog + c * dEntropy;
          for (let f = 0; f < FEATURES; f++) gradW[j * FEATURES + f] += coefficient * phi[o + f];
        }
      }
    }
    const scale = 1 / (batch * ROUNDS);
    for (let i = 0; i < gradW.length; i++) gradW[i] *= scale;
    for (let i = 0; i < FEATURES; i++) gradV[i] *= scale;
    adamW.step(w, gradW);
    adamV.step(value, gradV);
  }
  const evalPhi = new Float64Array(FEATURES);
  let evalRng: Rng | undefined;
  return {
    name: `policy-gradient-${options.objective}`,
    curve,
    reset(_games, r) {
      evalRng = r;
    },
    act(state, investor, invested, out) {
      for (let g = 0; g < state.games; g++) {
        trusteeFeatures(state, investor, g, invested[g], evalPhi, 0);
        policy(w, evalPhi, 0, probs, logits);
        out[g] = sample(probs, evalRng as Rng);
      }
    },
  };
}
