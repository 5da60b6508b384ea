/**
 * The exact learners on the SOS paper's tandem game (src/games/tandem.ts), with the settings of the SOS paper's
 * experiments (authors' notebook): 100 runs, 30 steps, α = lr = η = 0.1, x, y ~ N(0, 0.1²) per run.
 * Published: SOS settles at mean loss ≈ 0; LOLA (the SOS paper's LOLA, with the look-ahead term) overshoots to
 * ≈ +0.44. The same update rules as on the IPD, through the `DifferentiableGame` interface.
 */
import { tandemGame, tandemLosses } from "../../games/tandem.js";
import { InputError } from "../../util/errors.js";
import { mean } from "../../util/stats.js";
import { Rng } from "../../util/rng.js";
import { createExactLearner, type ExactLearner, type ExactLearnerSpec } from "./index.js";
import { type DivergenceReport, runSimultaneous } from "./train.js";

export interface TandemOptions {
  learners: [ExactLearnerSpec, ExactLearnerSpec];
  runs?: number;
  steps?: number;
  seed?: number;
  initSd?: number;
}

export interface TandemResult {
  /** Final (x, y) per run: [runs, 2]. */
  theta: Float64Array;
  /** Final losses L_1, L_2 per run: [runs, 2]. */
  losses: Float64Array;
  /** Mean loss of each agent at the end, over the runs whose losses are finite (see `diverged`). */
  meanLoss: [number, number];
  /** Mean losses after 0..steps updates: [(steps + 1), 2]. */
  curve: Float64Array;
  diverged: DivergenceReport[];
}

export function runTandem(options: TandemOptions): TandemResult {
  const runs = options.runs ?? 100;
  const steps = options.steps ?? 30;
  if (!(Number.isInteger(runs) && runs >= 1))
    throw new InputError("runs", `must be an integer ≥ 1, got ${runs}`);
  const learners: [ExactLearner, ExactLearner] = [
    createExactLearner({ lr: 0.1, eta: 0.1, ...options.learners[0] }, tandemGame, "agents[0]"),
    createExactLearner({ lr: 0.1, eta: 0.1, ...options.learners[1] }, tandemGame, "agents[1]"),
  ];
  const theta = new Float64Array(2 * runs);
  for (let r = 0; r < runs; r++)
    Rng.derive((options.seed ?? 0) + r, 0).fillNormal(
      theta.subarray(2 * r, 2 * r + 2),
      0,
      options.initSd ?? 0.1,
    );
  const run = runSimultaneous(tandemGame, learners, theta, steps);
  const losses = new Float64Array(2 * runs);
  for (let r = 0; r < runs; r++) {
    const [l1, l2] = tandemLosses(theta[2 * r], theta[2 * r + 1]);
    losses[2 * r] = l1;
    losses[2 * r + 1] = l2;
  }
  // A run frozen at huge (finite) parameters can still have an infinite loss, (x + y)² overflowing: it counts as
  // diverged too, and the mean is over the runs whose losses are finite.
  const diverged = [...run.diverged];
  const reported = new Set(diverged.map((d) => d.seed));
  for (let r = 0; r < runs; r++) {
    if (Number.isFinite(losses[2 * r]) && Number.isFinite(losses[2 * r + 1])) continue;
    if (!reported.has(r))
      diverged.push({
        seed: r,
        step: steps,
        learner: `${learners[0].name}/${learners[1].name}`,
        reason: "loss is not finite at the final parameters",
      });
  }
  const finiteLoss = (agent: number) =>
    mean(
      losses.filter(
        (_, i) =>
          i % 2 === agent && Number.isFinite(losses[i - agent]) && Number.isFinite(losses[i - agent + 1]),
      ),
    );
  return {
    theta,
    losses,
    meanLoss: [finiteLoss(0), finiteLoss(1)],
    curve: run.curve.map((v) => -v),
    diverged,
  };
}
