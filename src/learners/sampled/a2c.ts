/**
 * `a2c`: advantage actor-critic with a tabular TD critic (Mnih et al. 2016, synchronous; Sutton & Barto 2018 §13.5).
 *
 *   δ_t = r_t + γ·V(s_{t+1}) − V(s_t)                       (TD error; s_{t+1} is the joint action just played)
 *   A_t = δ_t                    (default)   or   A_t = Σ_l (γλ)^l δ_{t+l}   (GAE, `gaeLambda`)
 *   ∇θ J ≈ (1/B) Σ_games Σ_t γ^t · A_t · ∇θ log π(a_t | s_t)  + entropy · ∇θ Σ_s H(π(·|s))
 *
 * Critic: batch TD(0) on V (`criticSweeps` sweeps of step `lrCritic` over the batch's sufficient statistics), or,
 * with `gaeLambda`, one step of size `lrCritic` towards each state's mean λ-return (TD(λ)). The critic is updated
 * after the actor's gradient is formed from it.
 */
import * as z from "../../zod.js";
import {
  fitStateValuesTd0,
  fitStateValuesToTargets,
  StateValueTable,
  TdStatistics,
} from "../../policies/critics.js";
import { validateConfig } from "../hyperparameters.js";
import {
  accumulatePolicyGradient,
  generalizedAdvantages,
  lambdaReturns,
  normalizePerGroup,
  tdErrors,
} from "./advantages.js";
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

/** Every hyperparameter of `a2c`, once: its default and its doc (the CLI, experiments and the arena read these). */
export const A2C_SCHEMA = z.strictObject({
  lr: z.number().min(0).default(0.1).describe("actor learning rate"),
  optimizer: SHARED_FIELDS.optimizer,
  lrCritic: z.number().min(0).default(1).describe("critic step size"),
  criticSweeps: SHARED_FIELDS.criticSweeps.describe(
    "TD(0) sweeps of the batch statistics per update (ignored with gaeLambda)",
  ),
  gaeLambda: SHARED_FIELDS.gaeLambda.describe(
    "GAE λ for the advantages and TD(λ) critic targets (absent: TD(0) advantages)",
  ),
  normalize: z.boolean().default(false).describe("z-score the advantages per seed"),
  entropy: SHARED_FIELDS.entropy,
});
export type A2cOptions = z.input<typeof A2C_SCHEMA>;
export type A2cConfig = z.output<typeof A2C_SCHEMA>;

/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolveA2cOptions(options: A2cOptions = {}): A2cConfig {
  return validateConfig(a2cEntry, options, "a2c");
}

export class ActorCriticLearner implements SampledLearner {
  readonly name = "a2c";
  private readonly critic: StateValueTable;
  private readonly stats: TdStatistics;
  private readonly optimizer: GradientAscent;
  private readonly opts: A2cConfig;
  private readonly deltas: Float64Array;
  private readonly advantages: Float64Array;
  private readonly targets: Float64Array;
  private readonly pSelf: Float64Array;
  private readonly grad: Float64Array;

  constructor(
    private readonly ctx: LearnerContext,
    options: A2cOptions = {},
  ) {
    this.opts = resolveA2cOptions(options);
    this.critic = new StateValueTable(ctx.seeds);
    this.stats = new TdStatistics(ctx.seeds);
    this.optimizer = new GradientAscent(this.opts.optimizer, this.opts.lr, ctx.seeds * 5);
    const n = ctx.horizon * ctx.seeds * ctx.gamesPerSeed;
    this.deltas = new Float64Array(n);
    this.advantages = new Float64Array(n);
    this.targets = new Float64Array(n);
    this.pSelf = new Float64Array(ctx.seeds * 5);
    this.grad = new Float64Array(ctx.seeds * 5);
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    const { agent, gamma, seeds, gamesPerSeed, horizon } = this.ctx;
    const { traj } = input;
    const V = this.critic.values;
    tdErrors(traj, agent, V, gamesPerSeed, gamma, this.deltas);
    const lambda = this.opts.gaeLambda;
    if (lambda !== undefined)
      generalizedAdvantages(this.deltas, horizon, traj.batch, gamma, lambda, this.advantages);
    else this.advantages.set(this.deltas);
    if (lambda !== undefined) lambdaReturns(traj, agent, this.advantages, V, gamesPerSeed, this.targets);
    if (this.opts.normalize) normalizePerGroup(this.advantages, horizon, traj.batch, gamesPerSeed);
    seatSlice(input.pC, agent, seeds, this.pSelf);
    this.grad.fill(0);
    accumulatePolicyGradient(traj, agent, this.advantages, this.pSelf, gamesPerSeed, gamma, true, this.grad);
    addEntropyGradient(input.theta, agent, seeds, this.opts.entropy, this.grad);
    this.optimizer.direction(this.grad, delta);
    if (lambda !== undefined) {
      fitStateValuesToTargets(this.critic, traj, agent, gamesPerSeed, this.targets, this.opts.lrCritic);
    } else {
      fitStateValuesTd0(
        this.critic,
        this.stats.collect(traj, agent, gamesPerSeed),
        gamma,
        this.opts.lrCritic,
        this.opts.criticSweeps,
      );
    }
  }
}

export const a2cEntry: SampledLearnerEntry<A2cConfig> = {
  name: "a2c",
  label: "naive A2C",
  family: "sampled",
  summary: "advantage actor-critic with a tabular TD(0) critic, or GAE(λ) with a TD(λ) critic",
  reference: "Mnih et al. 2016; Sutton & Barto 2018 §13.5",
  schema: A2C_SCHEMA,
  create: (config, context) => new ActorCriticLearner(context, config),
};
