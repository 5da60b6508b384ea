/**
 * The explorer's learning-dynamics run, without the DOM (so Node tests can check it): two exact learners on a
 * memory-one iterated game through `trainExact`, one update at a time, to keep every seed's per-step reward after
 * each update (trainExact's own curve holds only the mean). Each call continues from the previous call's logits,
 * so the final state equals one `trainExact` call of `steps` updates exactly (the learners keep no state between
 * updates). A seed is counted in the curve until the update at which it was reported diverged, as in trainExact.
 */
import { gamePreset } from "../src/games/presets.js";
import type { ExactLearnerName, ExactLearnerSpec } from "../src/learners/exact/index.js";
import { type DivergenceReport, type TrainExactResult, trainExact } from "../src/learners/exact/train.js";
import { mean, sd } from "../src/util/stats.js";

export interface DynamicsSettings {
  game: string;
  gamma: number;
  learners: [ExactLearnerName, ExactLearnerName];
  lr: number;
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
  gamma: 0.96,
  learners: ["lola", "lola"],
  lr: 1,
  eta: 1,
  beta: 1,
  lookahead: 1,
  steps: 200,
  seeds: 50,
  seed: 0,
};

export interface DynamicsRun {
  /**
   * The final state as one trainExact call of `steps` updates would report it (θ, P(C), rewards, TFT flags and
   * fractions, steps, and the first divergence report of each diverged seed with its step counted from the start).
   */
  final: TrainExactResult;
  /** Mean and sd over the seeds still running of each agent's per-step reward after 0..steps updates: [(steps + 1), 2]. */
  rewardMean: Float64Array;
  rewardSd: Float64Array;
}

export function runDynamics(settings: DynamicsSettings): DynamicsRun {
  const spec = (name: ExactLearnerName): ExactLearnerSpec => ({
    name,
    lr: settings.lr,
    eta: settings.eta,
    beta: settings.beta,
    lookahead: settings.lookahead,
  });
  const options = {
    game: gamePreset(settings.game),
    gamma: settings.gamma,
    learners: [spec(settings.learners[0]), spec(settings.learners[1])] as [
      ExactLearnerSpec,
      ExactLearnerSpec,
    ],
    seeds: settings.seeds,
    seed: settings.seed,
  };
  const { steps, seeds } = settings;
  const rewardMean = new Float64Array(2 * (steps + 1));
  const rewardSd = new Float64Array(2 * (steps + 1));
  /** The step after which a seed no longer counts (Infinity while it runs). */
  const stoppedAfter = new Float64Array(seeds).fill(Number.POSITIVE_INFINITY);
  const diverged: DivergenceReport[] = [];
  const record = (step: number, rewards: Float64Array) => {
    for (let agent = 0; agent < 2; agent++) {
      const xs: number[] = [];
      for (let s = 0; s < seeds; s++) if (step <= stoppedAfter[s]) xs.push(rewards[2 * s + agent]);
      rewardMean[2 * step + agent] = xs.length > 0 ? mean(xs) : Number.NaN;
      rewardSd[2 * step + agent] = xs.length > 0 ? sd(xs) : Number.NaN;
    }
  };

  // Step 0: validation (InputError naming the field) and the rewards at the initial logits.
  let result = trainExact({ ...options, steps: 0 });
  record(0, result.rewardPerStep);
  for (let step = 0; step < steps; step++) {
    result = trainExact({ ...options, steps: 1, init: result.theta });
    for (const report of result.diverged) {
      if (Number.isFinite(stoppedAfter[report.seed])) continue; // reported again from its frozen parameters
      // A non-finite update keeps the seed's value at this step; a non-finite value drops it already here.
      const valueFailed = report.learner.includes("/");
      stoppedAfter[report.seed] = valueFailed ? step - 1 : step;
      diverged.push({ ...report, step });
    }
    record(step + 1, result.rewardPerStep);
  }
  return { final: { ...result, steps, diverged }, rewardMean, rewardSd };
}
