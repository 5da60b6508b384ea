/**
 * Baseline adversaries of the bandit task and the session loop (src/envs/bandit/task.ts). Calibration against
 * the Q-learning surrogate (measured for the research notes on the released task; test/bandit.test.ts
 * re-measures them): a random 25/25 schedule ≈ 50 %, the primacy schedule and greedy target-first ≈ 54 %, the
 * white-box threshold rule ≈ 69 %, and the surrogate's ceiling 79.4 %. Ours: the one-step look-ahead shaper 67.7 %.
 *
 * - `random`: each option's 25 rewards on 25 trials drawn uniformly without replacement, independently per option.
 * - `primacy`: the target is rewarded on trials 1–25, the other option on trials 76–100.
 * - `greedy`: reward the target whenever the budget allows, the other option never (the constraint forces its
 *   25 rewards into the last trials).
 * - `threshold` (white box: reads the learner's Q values): reward the target iff Q_0 < 0.1 or the target has not
 *   been sampled; reward the other option iff it has been sampled, t ≥ 10 and Q_0 − Q_1 > 0.3, i.e. burn its
 *   budget while the learner is committed to the target, where the unseen reward is lost.
 * - `lookahead` (white box, a one-step shaping adversary: it differentiates nothing but evaluates the learner's
 *   update exactly): pick the reward vector u maximising the expected probability of a target choice at the
 *   next trial, E_a[P_target(after a, r_u(a))] with a ~ the learner's current policy and r_u the rewards after
 *   the 25/25 constraint; ties go to the vector that spends fewer rewards. It asks the surrogate only for
 *   `probabilityAfter`, so it runs against the Q-learner (its exact update) and the GRU (one hypothetical step).
 *   `threshold` reads Q values and so runs against the Q-learner only.
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import { QLearnerSurrogate } from "./qLearner.js";
import type { BanditSurrogate } from "./surrogate.js";
import {
  assignRewards,
  type BanditState,
  bias,
  constrainedReward,
  recordChoices,
  resetBandit,
  TRIALS,
} from "./task.js";

export const BANDIT_BASELINES = ["random", "primacy", "greedy", "threshold", "lookahead"] as const;
export type BanditBaselineName = (typeof BANDIT_BASELINES)[number];

export interface BanditAdversary {
  readonly name: string;
  /** Called once per session before the first trial. */
  reset(games: number, rng: Rng): void;
  /** Actions 0..3 (reward vectors (0,0), (1,0), (0,1), (1,1)) for every game into `out`. */
  act(state: BanditState, learner: BanditSurrogate, out: Int32Array): void;
}

/** An adversary as it was at one step of its training (an update or an episode batch). */
export interface AdversarySnapshot {
  readonly step: number;
  readonly adversary: BanditAdversary;
}

const vector = (target: boolean, other: boolean) => (target ? 1 : 0) + (other ? 2 : 0);

export function banditBaseline(name: BanditBaselineName): BanditAdversary {
  switch (name) {
    case "random": {
      let schedule = new Uint8Array(0);
      return {
        name,
        reset(games, rng) {
          schedule = new Uint8Array(2 * TRIALS * games);
          const trials = Array.from({ length: TRIALS }, (_, t) => t);
          for (let g = 0; g < games; g++) {
            for (let option = 0; option < 2; option++) {
              // Partial Fisher–Yates: the first 25 of a uniform permutation.
              for (let i = 0; i < 25; i++) {
                const j = i + rng.int(TRIALS - i);
                [trials[i], trials[j]] = [trials[j], trials[i]];
                schedule[(g * 2 + option) * TRIALS + trials[i]] = 1;
              }
            }
          }
        },
        act(state, _learner, out) {
          for (let g = 0; g < state.games; g++) {
            const at = (option: number) => schedule[(g * 2 + option) * TRIALS + state.trial] === 1;
            out[g] = vector(at(0), at(1));
          }
        },
      };
    }
    case "primacy":
      return {
        name,
        reset() {},
        act(state, _learner, out) {
          out.fill(vector(state.trial < 25, state.trial >= TRIALS - 25));
        },
      };
    case "greedy":
      return {
        name,
        reset() {},
        act(_state, _learner, out) {
          out.fill(vector(true, false));
        },
      };
    case "threshold":
      return {
        name,
        reset() {},
        act(state, learner, out) {
          if (!(learner instanceof QLearnerSurrogate)) {
            throw new InputError(
              "adversary",
              "threshold reads Q values: it runs against the q-learner surrogate only",
            );
          }
          for (let g = 0; g < state.games; g++) {
            const q0 = learner.q[2 * g];
            const q1 = learner.q[2 * g + 1];
            const target = q0 < 0.1 || !learner.sampled[2 * g];
            const other = learner.sampled[2 * g + 1] === 1 && state.trial >= 10 && q0 - q1 > 0.3;
            out[g] = vector(target, other);
          }
        },
      };
    case "lookahead":
      return {
        name,
        reset() {},
        act(state, learner, out) {
          for (let g = 0; g < state.games; g++) {
            const p = learner.probabilityOfTarget(g);
            // The four outcomes a reward vector can lead to: (choice, reward) ∈ {0, 1}².
            const after = [
              learner.probabilityAfter(g, 0, 0),
              learner.probabilityAfter(g, 0, 1),
              learner.probabilityAfter(g, 1, 0),
              learner.probabilityAfter(g, 1, 1),
            ];
            let best = 0;
            let bestValue = Number.NEGATIVE_INFINITY;
            for (const u of [0, 1, 2, 3]) {
              const r0 = constrainedReward(state, g, 0, u & 1);
              const r1 = constrainedReward(state, g, 1, (u >> 1) & 1);
              const value = p * after[r0] + (1 - p) * after[2 + r1];
              if (value > bestValue + 1e-12) {
                bestValue = value;
                best = u;
              }
            }
            out[g] = best;
          }
        },
      };
  }
}

/**
 * Play one session of `games` games; returns each game's bias (fraction of target choices). `record`, if given,
 * sees every trial's choices [games] and assigned rewards [games, 2] (to build choice data).
 */
export function playBanditSessions(
  adversary: BanditAdversary,
  learner: BanditSurrogate,
  rng: Rng,
  record?: (trial: number, choices: Int32Array, rewards: Int32Array) => void,
): Float64Array {
  const games = learner.games;
  const state = resetBandit(games);
  adversary.reset(games, rng);
  const actions = new Int32Array(games);
  const rewards = new Int32Array(2 * games);
  const choices = new Int32Array(games);
  for (let t = 0; t < TRIALS; t++) {
    adversary.act(state, learner, actions);
    assignRewards(state, actions, rewards);
    learner.choose(rng, choices);
    record?.(t, choices, rewards);
    recordChoices(state, choices);
    learner.learn(choices, rewards);
  }
  return bias(state);
}
