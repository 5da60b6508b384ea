/**
 * `exact({ agents: ["lola", "lola"] })`: two exact learners trained against each other on a memory-one game with
 * closed-form values and derivatives, batched over seeds (src/learners/exact/train.ts; the rules and their papers
 * are in each learner's file and docs/learners.md). Defaults are the LOLA paper's exact IPD setting: `ipd-lola`
 * payoffs, γ = 0.96, lr = η = 1, 200 updates, 50 seeds, θ ~ N(0, 1).
 *
 * Returns the mean over seeds of each agent's final per-step reward (1 − γ)·V, the TFT-like fractions (every
 * probability within 0.5 of tit-for-tat [1, 1, 0, 1, 0]), the mean P(C) per own-view state
 * [start, CC, CD, DC, DD], and the full batched `result` (θ, P(C), rewards per seed, the learning curve).
 */
import type { MatrixGame } from "../games/game.js";
import type { ExactLearnerName, ExactLearnerSpec } from "../learners/exact/learner.js";
import { type TrainExactResult, trainExact } from "../learners/exact/train.js";
import { type GameInput, resolveGameInput } from "./game.js";

export interface ExactSettings {
  /** The two learners: names (`naive`, `lola`, `lookahead`, `sos`, `cross-hessian`, `fixed`) or full specs. */
  agents: readonly [ExactLearnerName | ExactLearnerSpec, ExactLearnerName | ExactLearnerSpec];
  /** A preset name or a MatrixGame (default `ipd-lola`). */
  game?: GameInput;
  gamma?: number;
  /** Step size and look-ahead rate of both agents where a spec does not set its own (default 1, 1). */
  lr?: number;
  eta?: number;
  steps?: number;
  seeds?: number;
  /** Base seed: seed index s draws its θ from Rng.derive(seed, s) (default 0). */
  seed?: number;
}

export interface ExactSummary {
  game: MatrixGame;
  /** Mean over seeds of each agent's final per-step reward (1 − γ)·V. */
  reward: [number, number];
  /** Fraction of seeds in which agent 1's, and agent 2's, final policy is TFT-like. */
  tftPerAgent: [number, number];
  /** Fraction of seeds in which both are. */
  tftBoth: number;
  /** Mean over seeds of each agent's final P(C) at [start, CC, CD, DC, DD] (own view). */
  meanPC: [number[], number[]];
  result: TrainExactResult;
}

export function exact(settings: ExactSettings): ExactSummary {
  const game = resolveGameInput(settings.game, "ipd-lola");
  const spec = (agent: ExactLearnerName | ExactLearnerSpec): ExactLearnerSpec => {
    const base: ExactLearnerSpec = typeof agent === "string" ? { name: agent } : { ...agent };
    return { ...base, lr: base.lr ?? settings.lr ?? 1, eta: base.eta ?? settings.eta ?? 1 };
  };
  const seeds = settings.seeds ?? 50;
  const result = trainExact({
    game,
    gamma: settings.gamma ?? 0.96,
    learners: [spec(settings.agents[0]), spec(settings.agents[1])],
    steps: settings.steps ?? 200,
    seeds,
    seed: settings.seed ?? 0,
  });
  const reward: [number, number] = [0, 0];
  const meanPC: [number[], number[]] = [new Array(5).fill(0), new Array(5).fill(0)];
  for (let s = 0; s < seeds; s++) {
    for (let i = 0; i < 2; i++) {
      reward[i] += result.rewardPerStep[2 * s + i] / seeds;
      for (let k = 0; k < 5; k++) meanPC[i][k] += result.pC[10 * s + 5 * i + k] / seeds;
    }
  }
  return {
    game,
    reward,
    tftPerAgent: [...result.tftFractionPerAgent],
    tftBoth: result.tftFraction,
    meanPC,
    result,
  };
}
