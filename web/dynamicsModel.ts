/**
 * The explorer's learning-dynamics run, without the DOM (so Node tests can check it): two exact learners on a
 * memory-one iterated game, one `trainExact` call whose `onStepRewards` observer gives every seed's per-step
 * reward after each update, from which the mean and sd over the seeds still running are kept (trainExact's own
 * curve holds only the mean). Each agent has its own learning rate; custom payoffs replace the preset
 * (./gameSetting.ts).
 */
import type { ExactLearnerName, ExactLearnerSpec } from "../src/learners/exact/index.js";
import { type TrainExactResult, trainExact } from "../src/learners/exact/train.js";
import { mean, sd } from "../src/util/stats.js";
import { settingsGame } from "./gameSetting.js";

export interface DynamicsSettings {
  game: string;
  /** Custom payoffs ("R,S,T,P" or eight numbers); "" = the preset `game`. */
  payoffs: string;
  gamma: number;
  learners: [ExactLearnerName, ExactLearnerName];
  /** Each agent's step size. */
  lr: [number, number];
  eta: number;
  /** cross-hessian's β and lookahead's k (both agents). */
  beta: number;
  lookahead: number;
  steps: number;
  seeds: number;
  seed: number;
}

export const DEFAULT_DYNAMICS: DynamicsSettings = {
  game: "ipd-lola",
  payoffs: "",
  gamma: 0.96,
  learners: ["lola", "lola"],
  lr: [1, 1],
  eta: 1,
  beta: 1,
  lookahead: 1,
  steps: 200,
  seeds: 50,
  seed: 0,
};

export interface DynamicsRun {
  /** The final state: θ, P(C), rewards, TFT flags and fractions, divergence reports. */
  final: TrainExactResult;
  /** Mean and sd over the seeds still running of each agent's per-step reward after 0..steps updates: [(steps + 1), 2]. */
  rewardMean: Float64Array;
  rewardSd: Float64Array;
}

export function runDynamics(settings: DynamicsSettings): DynamicsRun {
  const spec = (agent: 0 | 1): ExactLearnerSpec => ({
    name: settings.learners[agent],
    lr: settings.lr[agent],
    eta: settings.eta,
    beta: settings.beta,
    lookahead: settings.lookahead,
  });
  const options = {
    game: settingsGame(settings),
    gamma: settings.gamma,
    learners: [spec(0), spec(1)] as [ExactLearnerSpec, ExactLearnerSpec],
    seeds: settings.seeds,
    seed: settings.seed,
  };
  const { steps } = settings;
  const rewardMean = new Float64Array(2 * (steps + 1));
  const rewardSd = new Float64Array(2 * (steps + 1));
  const final = trainExact({
    ...options,
    steps,
    onStepRewards: (step, rewards, valued) => {
      for (let agent = 0; agent < 2; agent++) {
        const xs: number[] = [];
        for (let s = 0; s < valued.length; s++) if (valued[s]) xs.push(rewards[2 * s + agent]);
        rewardMean[2 * step + agent] = xs.length > 0 ? mean(xs) : Number.NaN;
        rewardSd[2 * step + agent] = xs.length > 0 ? sd(xs) : Number.NaN;
      }
    },
  });
  return { final, rewardMean, rewardSd };
}
