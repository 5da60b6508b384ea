/**
 * The Q-learning surrogate of the bandit task (Dezfouli, Nock & Dayan 2020, "with the same parameters used in
 * the NC paper": α = 0.4, β = 257, ε = 0.2, perseveration κ = 0; the released `qrl.py`/`qrl_env.py`):
 * - Q starts at (0, 0); the first time option a is chosen, Q_a ← r; afterwards Q_a ← (1 − α)Q_a + α·r;
 * - the first two trials are chosen with P(a = 0) = 0.5; afterwards
 *     P(a = 0) = (1 − 2ε)·σ(β(Q_0 − Q_1) + κ(1[a_{t−1} = 0] − 1[a_{t−1} = 1])) + ε,
 *   so P ∈ [ε, 1 − ε]: with ε = 0.2 the largest reachable bias is (2·0.5 + 98·0.8)/100 = 79.4 %.
 * Batched over games; the state is plain typed arrays, so an adversary may read it (white-box rules do).
 */
import { log, sigmoid } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import type { ChoiceData } from "./choiceData.js";
import type { BanditSurrogate } from "./surrogate.js";

export interface QLearnerParams {
  alpha: number;
  beta: number;
  epsilon: number;
  kappa: number;
}

export const DEZFOULI_Q_PARAMS: QLearnerParams = { alpha: 0.4, beta: 257, epsilon: 0.2, kappa: 0 };

export class QLearnerSurrogate implements BanditSurrogate {
  /** Q values [games, 2]. */
  readonly q: Float64Array;
  /** 1 once option a has been chosen in game g, [games, 2]. */
  readonly sampled: Uint8Array;
  /** Last choice per game (−1 before the first). */
  readonly lastChoice: Int8Array;
  private trial = 0;

  constructor(
    readonly games: number,
    readonly params: QLearnerParams = DEZFOULI_Q_PARAMS,
  ) {
    this.q = new Float64Array(2 * games);
    this.sampled = new Uint8Array(2 * games);
    this.lastChoice = new Int8Array(games).fill(-1);
  }

  /** P(choose option 0) in game g at the current trial. */
  probabilityOfTarget(g: number): number {
    if (this.trial < 2) return 0.5;
    const { beta, epsilon, kappa } = this.params;
    const last = this.lastChoice[g];
    const perseveration = last < 0 ? 0 : last === 0 ? kappa : -kappa;
    return (1 - 2 * epsilon) * sigmoid(beta * (this.q[2 * g] - this.q[2 * g + 1]) + perseveration) + epsilon;
  }

  readonly stateSize = 5;

  /** [Q_0, Q_1, Q_0 − Q_1, sampled_0, sampled_1]. */
  writeState(g: number, out: Float64Array, o: number): void {
    out[o] = this.q[2 * g];
    out[o + 1] = this.q[2 * g + 1];
    out[o + 2] = this.q[2 * g] - this.q[2 * g + 1];
    out[o + 3] = this.sampled[2 * g];
    out[o + 4] = this.sampled[2 * g + 1];
  }

  /** P(target) at the next trial after a hypothetical (choice, reward) now: the update below, evaluated. */
  probabilityAfter(g: number, choice: number, reward: number): number {
    if (this.trial + 1 < 2) return 0.5;
    const { alpha, beta, epsilon, kappa } = this.params;
    const k = 2 * g + choice;
    const updated = this.sampled[k] ? (1 - alpha) * this.q[k] + alpha * reward : reward;
    const q0 = choice === 0 ? updated : this.q[2 * g];
    const q1 = choice === 1 ? updated : this.q[2 * g + 1];
    const perseveration = choice === 0 ? kappa : -kappa;
    return (1 - 2 * epsilon) * sigmoid(beta * (q0 - q1) + perseveration) + epsilon;
  }

  /** Draw every game's choice (0/1) into `out`. */
  choose(rng: Rng, out: Int32Array): void {
    for (let g = 0; g < this.games; g++) out[g] = rng.uniform() < this.probabilityOfTarget(g) ? 0 : 1;
  }

  /** Learn from the chosen option's reward (`rewards` is [games, 2]: the learner sees only its choice's). */
  learn(choices: ArrayLike<number>, rewards: ArrayLike<number>): void {
    const { alpha } = this.params;
    for (let g = 0; g < this.games; g++) {
      const a = choices[g];
      const r = rewards[2 * g + a];
      const k = 2 * g + a;
      this.q[k] = this.sampled[k] ? (1 - alpha) * this.q[k] + alpha * r : r;
      this.sampled[k] = 1;
      this.lastChoice[g] = a;
    }
    this.trial++;
  }
}

/**
 * NLL per choice of choice data under a Q-learner, replaying each subject's own actions and rewards: the
 * reference a fitted GRU is compared with (the generating model's own NLL is the best achievable on average).
 * Missed trials (a = −1) count for nothing and do not update the learner.
 */
export function qLearnerNll(data: ChoiceData, params: QLearnerParams = DEZFOULI_Q_PARAMS): number {
  const { subjects: S, trials: T } = data;
  let total = 0;
  let counted = 0;
  const rewards = new Float64Array(2);
  for (let s = 0; s < S; s++) {
    const learner = new QLearnerSurrogate(1, params);
    for (let t = 0; t < T; t++) {
      const a = data.actions[s * T + t];
      if (a < 0) continue;
      const p = learner.probabilityOfTarget(0);
      total -= log(a === 0 ? p : 1 - p);
      counted++;
      rewards.fill(0);
      rewards[a] = data.rewards[s * T + t];
      learner.learn([a], rewards);
    }
  }
  return total / counted;
}
