/**
 * An RL adversary for the bandit task: REINFORCE with a learned baseline (the A2C of Dezfouli et al.'s
 * `rl/pol_grad.py` with Monte-Carlo returns, γ = 1, no bootstrap), on a linear softmax policy over hand-made
 * features of the paper's adversary state (the learner's predicted policy, choice and reward counts, trial) plus
 * a black-box summary of the surrogate's internal state: its policy one trial ahead after each of the four
 * (choice, reward) outcomes (`BanditSurrogate.probabilityAfter`). That summary plays the part of the GRU's hidden
 * state in the paper's state vector and means the same for every surrogate, so an adversary trained against one
 * surrogate can be tested against another (transfer, as the paper's `cross_sims.py`). With `whiteBox` the
 * features also hold the surrogate's own internal state (`writeState`: the Q-learner's Q values, the GRU's hidden
 * state, as the paper's adversary state holds h_t); such an adversary runs only against surrogates of that kind:
 *
 *   π(u | s) = softmax(W φ(s))_u over the 4 reward vectors,  V(s) = v·φ(s),
 *   ∇_W J ≈ (1/B) Σ_games Σ_t (G_t − V(s_t))·∇_W log π(u_t | s_t) + c·∇_W H(π(·|s_t)),   G_t = Σ_{t'≥t} [a_{t'} = 0],
 * with the value fitted by least squares (one gradient step per batch), Adam on both, and an entropy bonus c.
 *
 * Linear, not deep: the neural engine (src/nn) is where a DQN or deep A2C adversary belongs; this one is the
 * tabular-era baseline the issue's calibration points compare against.
 */
import { AdamAscent } from "../../util/adamAscent.js";
import { InputError } from "../../util/errors.js";
import { exp, log } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import { checkpointSteps } from "../rl/checkpoints.js";
import type { AdversarySnapshot, BanditAdversary } from "./adversaries.js";
import { ACTIONS, adversaryFeatures as features, COMMON_FEATURES } from "./adversaryState.js";
import type { BanditSurrogate } from "./surrogate.js";
import { assignRewards, recordChoices, resetBandit, TRIALS } from "./task.js";

export interface PolicyGradientAdversaryOptions {
  /** Games per update (default 500). */
  batch?: number;
  updates: number;
  /** Adam step size of the policy (default 0.02) and of the value (default 0.05). */
  lr?: number;
  lrValue?: number;
  /** Entropy bonus (default 0.01). */
  entropy?: number;
  /** Read the surrogate's internal state too (default true); false gives an adversary that transfers. */
  whiteBox?: boolean;
  /** A factory for the surrogate a batch is played against (fresh per batch). */
  surrogate: (games: number) => BanditSurrogate;
  onUpdate?: (update: number, meanBias: number) => void;
  /** Keep this many snapshots of the policy, evenly spaced over training, the last at the end (default 0). */
  checkpoints?: number;
}

export interface TrainedBanditAdversary extends BanditAdversary {
  /** Policy weights [4, features]. */
  readonly weights: Float64Array;
  /** Mean bias of each training batch. */
  readonly curve: number[];
  /** The `checkpoints` snapshots, in training order. */
  readonly snapshots: AdversarySnapshot[];
}

/**
 * The softmax policy of weights W at features φ into `probs` (4 probabilities, then Σ exp(z − max) at index 4),
 * and the shifted logits z − max into `logits`.
 */
function policy(
  weights: Float64Array,
  phi: Float64Array,
  o: number,
  probs: Float64Array,
  logits: Float64Array,
  FEATURES: number,
): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let u = 0; u < ACTIONS; u++) {
    let z = 0;
    for (let f = 0; f < FEATURES; f++) z += weights[u * FEATURES + f] * phi[o + f];
    logits[u] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let u = 0; u < ACTIONS; u++) {
    logits[u] -= max;
    probs[u] = exp(logits[u]);
    sum += probs[u];
  }
  for (let u = 0; u < ACTIONS; u++) probs[u] /= sum;
  probs[ACTIONS] = sum;
}

/** Train the adversary against fresh surrogates; returns it as a (stochastic) BanditAdversary. */
export function trainPolicyGradientAdversary(
  options: PolicyGradientAdversaryOptions,
  rng: Rng,
): TrainedBanditAdversary {
  const batch = options.batch ?? 500;
  const entropyBonus = options.entropy ?? 0.01;
  const whiteBox = options.whiteBox ?? true;
  const stateSize = whiteBox ? options.surrogate(1).stateSize : 0;
  const FEATURES = COMMON_FEATURES + stateSize;
  const weights = new Float64Array(ACTIONS * FEATURES);
  const value = new Float64Array(FEATURES);
  const policyOptimizer = new AdamAscent(options.lr ?? 0.02, weights.length);
  const valueOptimizer = new AdamAscent(options.lrValue ?? 0.05, value.length);
  const phi = new Float64Array(TRIALS * batch * FEATURES);
  const taken = new Int32Array(TRIALS * batch);
  const takenProbs = new Float64Array(TRIALS * batch * ACTIONS);
  const takenLogProbs = new Float64Array(TRIALS * batch * ACTIONS);
  const target = new Uint8Array(TRIALS * batch);
  const probs = new Float64Array(ACTIONS + 1);
  const logits = new Float64Array(ACTIONS);
  const gradW = new Float64Array(weights.length);
  const gradV = new Float64Array(value.length);
  const curve: number[] = [];
  const snapshotAt = new Set(checkpointSteps(options.updates, options.checkpoints ?? 0));
  const snapshots: AdversarySnapshot[] = [];
  const actions = new Int32Array(batch);
  const rewards = new Int32Array(2 * batch);
  const choices = new Int32Array(batch);

  for (let update = 0; update < options.updates; update++) {
    const learner = options.surrogate(batch);
    const state = resetBandit(batch);
    for (let t = 0; t < TRIALS; t++) {
      for (let g = 0; g < batch; g++) {
        const o = (t * batch + g) * FEATURES;
        features(state, learner, g, phi, o, FEATURES);
        policy(weights, phi, o, probs, logits, FEATURES);
        let u = 0;
        const x = rng.uniform();
        for (let c = probs[0]; u < ACTIONS - 1 && x >= c; ) c += probs[++u];
        actions[g] = u;
        taken[t * batch + g] = u;
        const p = (t * batch + g) * ACTIONS;
        const logSum = log(probs[ACTIONS]); // log Σ_u exp(z_u − max), kept by policy()
        for (let k = 0; k < ACTIONS; k++) {
          takenProbs[p + k] = probs[k];
          takenLogProbs[p + k] = logits[k] - logSum;
        }
      }
      assignRewards(state, actions, rewards);
      learner.choose(rng, choices);
      for (let g = 0; g < batch; g++) target[t * batch + g] = choices[g] === 0 ? 1 : 0;
      recordChoices(state, choices);
      learner.learn(choices, rewards);
    }
    gradW.fill(0);
    gradV.fill(0);
    let totalBias = 0;
    for (let g = 0; g < batch; g++) {
      let returnToGo = 0;
      for (let t = TRIALS - 1; t >= 0; t--) {
        returnToGo += target[t * batch + g];
        const o = (t * batch + g) * FEATURES;
        let baseline = 0;
        for (let f = 0; f < FEATURES; f++) baseline += value[f] * phi[o + f];
        const advantage = returnToGo - baseline;
        for (let f = 0; f < FEATURES; f++) gradV[f] += advantage * phi[o + f]; // −½∇(G − V)²
        const p = (t * batch + g) * ACTIONS;
        let entropy = 0;
        for (let u = 0; u < ACTIONS; u++) entropy -= takenProbs[p + u] * takenLogProbs[p + u];
        const u0 = taken[t * batch + g];
        for (let u = 0; u < ACTIONS; u++) {
          // ∂ log π(u0)/∂z_u = [u = u0] − π_u;  ∂H/∂z_u = −π_u (log π_u + H)
          const dLog = (u === u0 ? 1 : 0) - takenProbs[p + u];
          const dEntropy = -takenProbs[p + u] * (takenLogProbs[p + u] + entropy);
          const coefficient = advantage * dLog + entropyBonus * dEntropy;
          for (let f = 0; f < FEATURES; f++) gradW[u * FEATURES + f] += coefficient * phi[o + f];
        }
      }
      totalBias += returnToGo / TRIALS;
    }
    const scale = 1 / (batch * TRIALS);
    for (let i = 0; i < gradW.length; i++) gradW[i] *= scale;
    for (let i = 0; i < gradV.length; i++) gradV[i] *= scale;
    policyOptimizer.step(weights, gradW);
    valueOptimizer.step(value, gradV);
    curve.push(totalBias / batch);
    options.onUpdate?.(update + 1, totalBias / batch);
    if (snapshotAt.has(update + 1))
      snapshots.push({
        step: update + 1,
        adversary: linearAdversary(Float64Array.from(weights), whiteBox, stateSize),
      });
  }

  return { ...linearAdversary(weights, whiteBox, stateSize), weights, curve, snapshots };
}

/** The stochastic adversary of policy weights W [4, features] (a copy is not made: W is read at each act). */
function linearAdversary(weights: Float64Array, whiteBox: boolean, stateSize: number): BanditAdversary {
  const FEATURES = weights.length / ACTIONS;
  const evalPhi = new Float64Array(FEATURES);
  const probs = new Float64Array(ACTIONS + 1);
  const logits = new Float64Array(ACTIONS);
  let evalRng: Rng | undefined;
  return {
    name: "policy-gradient",
    reset(_games, r) {
      evalRng = r;
    },
    act(state, learner, out) {
      if (whiteBox && learner.stateSize !== stateSize) {
        throw new InputError(
          "surrogate",
          `this white-box adversary reads a ${stateSize}-number learner state, the surrogate has ${learner.stateSize}: train it with whiteBox false to transfer`,
        );
      }
      for (let g = 0; g < state.games; g++) {
        features(state, learner, g, evalPhi, 0, FEATURES);
        policy(weights, evalPhi, 0, probs, logits, FEATURES);
        let u = 0;
        const x = (evalRng as Rng).uniform();
        for (let c = probs[0]; u < ACTIONS - 1 && x >= c; ) c += probs[++u];
        out[g] = u;
      }
    },
  };
}
