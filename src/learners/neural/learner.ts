/**
 * The contract of the neural Coin Game learners (ppo, ppo-sum, aa, paa) and the two passes they all use:
 *
 *   policy pass   forward the actor over a [T, mb] block of whole games, ask the loss for ∂L/∂log π(a_n) and
 *                 ∂L/∂H_n per row, backpropagate (src/nn/heads.ts's CategoricalHead.backward, then BPTT)
 *   critic fit    L = ½·mean_n (V(o_n, t_n) − y_n)² over epochs × minibatches of whole games, Adam, grad-norm clip
 *   estimate      V for every row, δ_t = r_t + γV_{t+1} − V_t (V_T = 0), GAE(λ) A_t (src/learners/sampled/
 *                 advantages.ts: the tabular learners' functions), λ-return targets y_t = A_t + V_t; with the
 *                 off-policy option, the GAE form of V-trace on the ratios π_θ/μ (offPolicy.ts)
 *
 * A learner owns its networks and their optimisers (`trainables`, so a checkpoint can save and restore them
 * exactly) and returns its diagnostics as named numbers; the trainer averages them without knowing what they mean.
 */
import type { CoinGameEnv } from "../../envs/coin/coinGame.js";
import { squaredErrorLoss } from "../../nn/heads.js";
import { Adam, clipGradNorm } from "../../nn/optim.js";
import type { RecurrentNet } from "../../nn/recurrent.js";
import { Rng } from "../../util/rng.js";
import { generalizedAdvantages, valueTdErrors } from "../sampled/advantages.js";
import { gameMinibatches, gatherGames } from "./minibatches.js";
import {
  correctedAdvantages,
  importanceRatios,
  type OffPolicyConfig,
  truncationLevels,
} from "./offPolicy.js";
import type { CoinCritic, CoinPolicy } from "./nets.js";
import type { SeatTrajectory, SeatView } from "./rollout.js";

export type Diagnostics = Record<string, number>;

/**
 * The shape of the env a learner's networks are built for: observation size and action count. The Coin Game
 * (CoinGameEnv) and Commons Harvest (src/learners/neural/commonsRollout.ts's `commonsLearnerEnv`) both give it;
 * a learner that plays games itself (lola-dice) checks for the env it needs.
 */
export interface NeuralEnvShape {
  readonly obsSize: number;
  readonly nActions: number;
}

/** What a learner needs from its surroundings. */
export interface NeuralContext {
  readonly env: NeuralEnvShape | CoinGameEnv;
  /** Seeds the learner's initial weights and its minibatch shuffles. */
  readonly seed: number;
}

/** A network and its optimiser, named for checkpoints. */
export interface Trainable {
  readonly name: string;
  readonly net: RecurrentNet;
  readonly optimizer: Adam;
}

export interface NeuralLearner {
  readonly name: string;
  readonly policy: CoinPolicy;
  /** One update from a batch of whole games seen from this learner's seat; `update` numbers the random streams. */
  update(view: SeatView, update: number): Diagnostics;
  /** Every network with its optimiser, in a fixed order. */
  trainables(): readonly Trainable[];
  /**
   * Opponent-aware learners (lola-dice) read the opponent's network: the trainer calls this with the opponent's
   * actor and this learner's seat whenever the pairing changes, before `update`.
   */
  setOpponent?(opponent: CoinPolicy, seat: 0 | 1): void;
}

/** Random streams of a learner, by purpose (Rng.derive(seed, LEARNER_STREAM.x, update)). */
export const LEARNER_STREAM = { init: 11, actorBatches: 12, criticBatches: 13, criticNoise: 14 } as const;

export function streamRng(seed: number, stream: number, update: number): Rng {
  return Rng.derive(seed, stream, update);
}

/** Per-row coefficients of a policy loss: fill dLogProb[n] = ∂L/∂log π(a_n), dEntropy[n] = ∂L/∂H_n. */
export type PolicyLossCoefficients = (
  logProbs: Float32Array,
  entropies: Float32Array,
  rows: number,
  dLogProb: Float32Array,
  dEntropy: Float32Array,
) => void;

/**
 * Accumulate ∂L/∂θ of the actor over [T, mb] rows of whole games (obs [T, mb, F], actions [T, mb]); `coefficients`
 * sees log π(a_n) and H_n and writes the loss's per-row derivatives.
 */
export function policyPass(
  policy: CoinPolicy,
  obs: Float32Array,
  actions: Uint8Array,
  steps: number,
  games: number,
  coefficients: PolicyLossCoefficients,
  scratch: PolicyScratch,
): void {
  const { ws, head } = policy.buffers(steps, games);
  const rows = steps * games;
  ws.gru.hs.fill(0, 0, games * policy.net.architecture.hidden);
  const logits = policy.net.forward(obs, ws);
  head.forward(logits, rows);
  head.logProbOf(actions, scratch.logProbs, rows);
  coefficients(scratch.logProbs, head.entropies, rows, scratch.dLogProb, scratch.dEntropy);
  head.backward(actions, scratch.dLogProb, scratch.dEntropy, scratch.dLogits, rows);
  policy.net.backward(obs, scratch.dLogits, ws);
}

/** Per-row work arrays of `policyPass` for up to `rows` rows. */
export class PolicyScratch {
  readonly logProbs: Float32Array;
  readonly dLogProb: Float32Array;
  readonly dEntropy: Float32Array;
  readonly dLogits: Float32Array;
  constructor(rows: number, actions: number) {
    this.logProbs = new Float32Array(rows);
    this.dLogProb = new Float32Array(rows);
    this.dEntropy = new Float32Array(rows);
    this.dLogits = new Float32Array(rows * actions);
  }
}

/** Advantages and value targets of one critic for one seat's record. */
export interface ValueEstimate {
  readonly values: Float64Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;
}

export function emptyEstimate(rows: number): ValueEstimate {
  return {
    values: new Float64Array(rows),
    advantages: new Float64Array(rows),
    returns: new Float64Array(rows),
  };
}

/**
 * The off-policy option of a learner and the ratios π_θ/μ of the batch's actions (`[T, games]`, from
 * `policyRatios`), for `estimateAdvantages`.
 */
export interface AdvantageCorrection {
  readonly config: OffPolicyConfig;
  readonly ratios: ArrayLike<number>;
}

/**
 * V, GAE(λ) advantages and λ-returns of `rewards` under `critic` for the observations `obs` ([T, games]). With a
 * `correction` whose mode is not "none", the advantages and the targets are offPolicy.ts's GAE-form V-trace
 * (with ratios ≡ 1: the same numbers, bit for bit); the one place ppo, ppo-sum, aa and paa correct for
 * off-policy data.
 */
export function estimateAdvantages(
  critic: CoinCritic,
  obs: Float32Array,
  rewards: ArrayLike<number>,
  view: SeatView,
  gamma: number,
  lambda: number,
  out: ValueEstimate,
  correction?: AdvantageCorrection,
): ValueEstimate {
  const { horizon: T, games, episodeSteps } = view;
  critic.values(obs, T, games, episodeSteps, out.values);
  valueTdErrors(rewards, out.values, T, games, gamma, out.returns); // δ_t, in the returns buffer for now
  if (correction === undefined || correction.config.mode === "none") {
    generalizedAdvantages(out.returns, T, games, gamma, lambda, out.advantages);
    for (let i = 0; i < T * games; i++) out.returns[i] = out.advantages[i] + out.values[i];
  } else {
    const { rhoBar, cBar } = truncationLevels(correction.config);
    // The corrections a_t = v_t − V_t overwrite the δ_t they are computed from; then v_t = V_t + a_t.
    correctedAdvantages(
      out.returns,
      correction.ratios,
      T,
      games,
      gamma,
      lambda,
      rhoBar,
      cBar,
      out.advantages,
      out.returns,
    );
    for (let i = 0; i < T * games; i++) out.returns[i] = out.returns[i] + out.values[i];
  }
  return out;
}

/**
 * ρ_t = π_θ(a_t | o_≤t) / μ(a_t | o_≤t) of a seat's record under the policy as it is now (π_θ) against the policy
 * that played (μ: the record's log-probabilities), `[T, games]`, into `out`; forward pass only.
 */
export function policyRatios(
  policy: CoinPolicy,
  traj: SeatTrajectory,
  steps: number,
  games: number,
  out: Float64Array,
): Float64Array {
  const { ws, head } = policy.buffers(steps, games);
  const rows = steps * games;
  ws.gru.hs.fill(0, 0, games * policy.net.architecture.hidden);
  const logits = policy.net.forward(traj.obs, ws);
  head.forward(logits, rows);
  const logProbs = new Float32Array(rows);
  head.logProbOf(traj.actions, logProbs, rows);
  return importanceRatios(logProbs, traj.logProbs, out);
}

/** Diagnostics of a correction's ratios: their mean and largest value (1 and 1 when the policy has not moved). */
export function ratioDiagnostics(ratios: ArrayLike<number>, rows: number): Diagnostics {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < rows; i++) {
    sum += ratios[i];
    max = Math.max(max, ratios[i]);
  }
  return { "offPolicy.meanRatio": sum / rows, "offPolicy.maxRatio": max };
}

export interface CriticFitSettings {
  epochs: number;
  minibatches: number;
  maxGradNorm: number;
}

/**
 * Fit `critic` to `targets` on the seat record `traj` ([T, games]): epochs × minibatches of whole games, each a
 * step of ½·mean (V − y)². Returns the mean loss over the minibatches.
 */
export function fitCritic(
  trainable: Trainable,
  critic: CoinCritic,
  traj: SeatTrajectory,
  targets: Float64Array,
  view: SeatView,
  settings: CriticFitSettings,
  rng: Rng,
): number {
  const { horizon: T, games, obsSize: F, episodeSteps } = view;
  const mb = games / settings.minibatches;
  const { ws, x } = critic.buffers(T, mb);
  const obs = new Float32Array(T * mb * F);
  const y = new Float64Array(T * mb);
  const dV = new Float32Array(T * mb);
  const params = critic.net.params;
  let total = 0;
  let count = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (const pick of gameMinibatches(games, settings.minibatches, rng)) {
      gatherGames(traj.obs, F, T, games, pick, obs);
      gatherGames(targets, 1, T, games, pick, y);
      critic.fillInputs(obs, T, mb, episodeSteps, x);
      ws.gru.hs.fill(0, 0, mb * critic.net.architecture.hidden);
      const v = critic.net.forward(x, ws);
      params.zeroGrad();
      total += squaredErrorLoss(v, y, dV, T * mb, 0.5);
      count++;
      critic.net.backward(x, dV, ws);
      clipGradNorm(params.grads, settings.maxGradNorm);
      trainable.optimizer.step(params.grads);
    }
  }
  return total / count;
}

/** 1 − Var(y − v) / Var(y): how much of the targets' variance the values explain (CleanRL's diagnostic). */
export function explainedVariance(values: Float64Array, targets: Float64Array): number {
  const n = values.length;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += targets[i];
    md += targets[i] - values[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    const dy = targets[i] - my;
    const dd = targets[i] - values[i] - md;
    vy += dy * dy;
    vd += dd * dd;
  }
  return vy === 0 ? 0 : 1 - vd / vy; // constant targets: nothing to explain
}

export function makeTrainable(name: string, net: RecurrentNet, lr: number): Trainable {
  return { name, net, optimizer: new Adam(net.params.values, { lr }) };
}
