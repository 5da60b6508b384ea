/**
 * `pg`: REINFORCE with a state-value baseline, the naive learner (Williams 1992; Sutton & Barto 2018 §13.4).
 *
 *   ∇θ J ≈ (1/B) Σ_games Σ_t γ^t · (G_t − V(s_t)) · ∇θ log π(a_t | s_t),      G_t = Σ_{u≥t} γ^{u−t} r_u
 *
 * The baseline V(s) is a table fitted to the Monte-Carlo returns (step `lrCritic` per update towards each state's
 * mean return in the batch); it is fitted AFTER the gradient is formed, so the baseline never sees the returns it
 * is subtracted from. The learner ignores the opponent's learning: it is the "naive learner" of the LOLA papers.
 */
import * as z from "../../zod.js";
import { fitStateValuesToTargets, StateValueTable } from "../../policies/critics.js";
import { validateConfig } from "../hyperparameters.js";
import { accumulatePolicyGradient, discountedReturns, normalizePerGroup } from "./advantages.js";
import {
  addEntropyGradient,
  GradientAscent,
  type LearnerContext,
  type LearnerStepInput,
  type SampledLearner,
  type SampledLearnerEntry,
  SHARED_FIELDS,
  seatSlice,
} from "./learner.js";

/** Every hyperparameter of `pg`, once: its default and its doc (the CLI, experiments and the arena read these). */
export const PG_SCHEMA = z.strictObject({
  lr: z.number().min(0).default(0.1).describe("actor learning rate"),
  optimizer: SHARED_FIELDS.optimizer,
  baseline: z.boolean().default(true).describe("subtract the fitted state-value baseline V(s)"),
  lrCritic: z
    .number()
    .min(0)
    .default(0.5)
    .describe("step size of the baseline fit towards each state's batch-mean return"),
  normalize: z
    .boolean()
    .default(false)
    .describe("z-score the weights (G_t − V(s_t)) per seed before the gradient"),
  entropy: SHARED_FIELDS.entropy,
});
export type PgOptions = z.input<typeof PG_SCHEMA>;
export type PgConfig = z.output<typeof PG_SCHEMA>;

/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolvePgOptions(options: PgOptions = {}): PgConfig {
  return validateConfig(pgEntry, options, "pg");
}

export class PolicyGradientLearner implements SampledLearner {
  readonly name = "pg";
  private readonly baseline: StateValueTable;
  private readonly optimizer: GradientAscent;
  private readonly opts: PgConfig;
  private readonly returns: Float64Array;
  private readonly weights: Float64Array;
  private readonly pSelf: Float64Array;
  private readonly grad: Float64Array;

  constructor(
    private readonly ctx: LearnerContext,
    options: PgOptions = {},
  ) {
    this.opts = resolvePgOptions(options);
    this.baseline = new StateValueTable(ctx.seeds);
    this.optimizer = new GradientAscent(this.opts.optimizer, this.opts.lr, ctx.seeds * 5);
    const n = ctx.horizon * ctx.seeds * ctx.gamesPerSeed;
    this.returns = new Float64Array(n);
    this.weights = new Float64Array(n);
    this.pSelf = new Float64Array(ctx.seeds * 5);
    this.grad = new Float64Array(ctx.seeds * 5);
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    const { agent, gamma, seeds, gamesPerSeed, horizon } = this.ctx;
    const { traj } = input;
    discountedReturns(traj, agent, gamma, this.returns);
    const V = this.baseline.values;
    for (let t = 0; t < horizon; t++) {
      for (let g = 0; g < traj.batch; g++) {
        const i = t * traj.batch + g;
        const b = this.opts.baseline ? V[((g / gamesPerSeed) | 0) * 5 + traj.obs[i * 2 + agent]] : 0;
        this.weights[i] = this.returns[i] - b;
      }
    }
    if (this.opts.normalize) normalizePerGroup(this.weights, horizon, traj.batch, gamesPerSeed);
    seatSlice(input.pC, agent, seeds, this.pSelf);
    this.grad.fill(0);
    accumulatePolicyGradient(traj, agent, this.weights, this.pSelf, gamesPerSeed, gamma, true, this.grad);
    addEntropyGradient(input.theta, agent, seeds, this.opts.entropy, this.grad);
    this.optimizer.direction(this.grad, delta);
    if (this.opts.baseline)
      fitStateValuesToTargets(this.baseline, traj, agent, gamesPerSeed, this.returns, this.opts.lrCritic);
  }
}

export const pgEntry: SampledLearnerEntry<PgConfig> = {
  name: "pg",
  label: "naive PG",
  family: "sampled",
  summary: "REINFORCE with a fitted state-value baseline: the naive learner",
  reference: "Williams 1992; Sutton & Barto 2018 §13.4",
  schema: PG_SCHEMA,
  create: (config, context) => new PolicyGradientLearner(context, config),
};
