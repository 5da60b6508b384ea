/**
 * The adversary's view of a bandit session, shared by the RL adversaries (policyGradientAdversary.ts, the DQN of
 * dqnAdversary.ts): the paper's adversary state (Dezfouli et al.'s `nc/learner_env.py`: the learner's predicted
 * policy π_t, choice and assigned-reward counts, the trial) written as features, plus a black-box summary of the
 * surrogate's internal state, its policy one trial ahead after each (choice, reward) outcome
 * (`BanditSurrogate.probabilityAfter`), which means the same for every surrogate (so an adversary transfers), and,
 * for a white-box adversary, the surrogate's own state (`writeState`: Q values, or the GRU's h_t as the paper's
 * state holds it):
 *   φ = [1, t, t², π_{t+1}(0,0), π_{t+1}(0,1), π_{t+1}(1,0), π_{t+1}(1,1), owed_0/25, owed_1/25,
 *        (target choices)/100, π_t(target), owed_0/(100 − t), owed_1/(100 − t), (internal state)]   (t = trial/100)
 */
import type { BanditSurrogate } from "./surrogate.js";
import { type BanditState, REWARDS_PER_OPTION, TRIALS } from "./task.js";

/** The adversary's four reward vectors (task.ts's REWARD_VECTORS). */
export const ACTIONS = 4;

/** Features every surrogate gives (the white-box internal state comes after them). */
export const COMMON_FEATURES = 13;

/** The feature count of an adversary that does (white box) or does not read the surrogate's internal state. */
export function featureCount(learner: BanditSurrogate, whiteBox: boolean): number {
  return COMMON_FEATURES + (whiteBox ? learner.stateSize : 0);
}

/** φ(s) for game g into out[o … o + F); the internal state fills the slots after the common ones, if F has them. */
export function adversaryFeatures(
  state: BanditState,
  learner: BanditSurrogate,
  g: number,
  out: Float64Array,
  o: number,
  F: number,
): void {
  const t = state.trial / TRIALS;
  const remaining = TRIALS - state.trial;
  const owed0 = REWARDS_PER_OPTION - state.assigned[2 * g];
  const owed1 = REWARDS_PER_OPTION - state.assigned[2 * g + 1];
  out[o] = 1;
  out[o + 1] = t;
  out[o + 2] = t * t;
  out[o + 3] = learner.probabilityAfter(g, 0, 0);
  out[o + 4] = learner.probabilityAfter(g, 0, 1);
  out[o + 5] = learner.probabilityAfter(g, 1, 0);
  out[o + 6] = learner.probabilityAfter(g, 1, 1);
  out[o + 7] = owed0 / REWARDS_PER_OPTION;
  out[o + 8] = owed1 / REWARDS_PER_OPTION;
  out[o + 9] = state.choices[2 * g] / TRIALS;
  out[o + 10] = learner.probabilityOfTarget(g);
  out[o + 11] = owed0 / remaining;
  out[o + 12] = owed1 / remaining;
  if (F > COMMON_FEATURES) learner.writeState(g, out, o + COMMON_FEATURES);
}
