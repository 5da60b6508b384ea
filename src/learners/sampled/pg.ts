/**
 * `pg`: REINFORCE with a state-value baseline, the naive learner (Williams 1992; Sutton & Barto 2018 §13.4).
 *
 *   ∇θ J ≈ (1/B) Σ_games Σ_t γ^t · (G_t − V(s_t)) · ∇θ log π(a_t | s_t),      G_t = Σ_{u≥t} γ^{u−t} r_u
 *
 * The baseline V(s) is a table fitted to the Monte-Carlo returns (step `lrCritic` per update towards each state's
 * mean return in the batch); it is fitted AFTER the gradient is formed, so the baseline never sees the returns it
 * is subtracted from. The learner ignores the opponent's learning: it is the "naive learner" of the LOLA papers.
 */
import { fitStateValuesToTargets, StateValueTable } from "../../policies/critics.js";
import { accumulatePolicyGradient, discountedReturns, normalizePerGroup } from "./advantages.js";
import {
  addEntropyGradient,
  GradientAscent,
  type LearnerContext,
  type LearnerStepInput,
  type OptimizerName,
  type SampledLearner,
  seatSlice,
} from "./learner.js";

export interface PgOptions {
  /** Actor learning rate (default 0.1). */
  lr?: number;
  optimizer?: OptimizerName;
  /** Subtract the fitted state-value baseline (default true). */
  baseline?: boolean;
  /** Step size of the baseline fit towards the batch-mean return (default 0.5). */
  lrCritic?: number;
  /** Z-score the weights (G_t − V(s_t)) per seed before the gradient (default false). */
  normalize?: boolean;
  /** Entropy bonus coefficient (default 0). */
  entropy?: number;
}


/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolvePgOptions(options: PgOptions = {}): Required<PgOptions> {
  return {
    lr: options.lr ?? 0.1,
    optimizer: options.optimizer ?? "sgd",
    baseline: options.baseline ?? true,
    lrCritic: options.lrCritic ?? 0.5,
    normalize: options.normalize ?? false,
    entropy: options.entropy ?? 0,
  };
}

export class PolicyGradientLearner implements SampledLearner {
  readonly name = "pg";
  private readonly baseline: StateValueTable;
  private readonly optimizer: GradientAscent;
  private readonly opts: Required<PgOptions>;
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
