/**
 * What an adversary of the bandit task may ask of a surrogate of a human (src/envs/bandit/task.ts), whatever the
 * model behind it (the Q-learner of qLearner.ts, the GRU of gruSurrogate.ts): its current policy, its policy one
 * trial ahead after a hypothetical choice and reward (what a one-step shaping adversary evaluates, and the
 * black-box summary of the learner's state the policy-gradient adversary reads), a draw of choices and an update.
 * Batched over `games` independent learners.
 */
import type { Rng } from "../../util/rng.js";

export interface BanditSurrogate {
  readonly games: number;
  /** P(choose option 0, the target) in game g at the current trial. */
  probabilityOfTarget(g: number): number;
  /** P(target) at the next trial if game g's learner now chose `choice` (0/1) and saw `reward` (0/1). */
  probabilityAfter(g: number, choice: number, reward: number): number;
  /** Length of the model's internal state (Q-learner: Q values and sampled flags; GRU: its hidden state). */
  readonly stateSize: number;
  /** Game g's internal state into out[o … o + stateSize): what a white-box adversary may read. */
  writeState(g: number, out: Float64Array, o: number): void;
  /** Draw every game's choice (0/1) into `out`. */
  choose(rng: Rng, out: Int32Array): void;
  /** Learn from the chosen option's reward (`rewards` is [games, 2]: the learner sees only its choice's). */
  learn(choices: ArrayLike<number>, rewards: ArrayLike<number>): void;
}
