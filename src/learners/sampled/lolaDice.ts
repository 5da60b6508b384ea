/**
 * `lola-dice`: Learning with Opponent-Learning Awareness through the DiCE estimator (Foerster, Farquhar,
 * Al-Shedivat, Rocktäschel, Xing, Whiteson, "DiCE: The Infinitely Differentiable Monte-Carlo Estimator",
 * ICML 2018, §5 / LOLA-DiCE), for tabular memory-one policies, with every derivative in closed form.
 *
 * Agent i looks ahead k naive steps of its opponent j, each estimated from fresh rollouts and differentiated
 * through, then takes its own step against the looked-ahead opponent:
 *
 *   θ_j^(0) = θ_j,   θ_j^(m+1) = θ_j^(m) + α_in · ∇_{θ_j} L_j^⊡(θ_i, θ_j^(m))           (m = 0 … k−1)
 *   θ_i ← θ_i + α_out · d/dθ_i L_i^⊡(θ_i, θ_j^(k)(θ_i))
 *       = θ_i + α_out · ( ∂L_i/∂θ_i + J_kᵀ ∂L_i/∂θ_j ),      J_m = dθ_j^(m)/dθ_i  (5 × 5)
 *   J_0 = 0,   J_{m+1} = J_m + α_in · ( ∂²L_j/∂θ_j∂θ_i + ∂²L_j/∂θ_j² · J_m )
 *
 * L^⊡ is the DiCE objective (magic box over both agents' cumulative log-probabilities, optional state-value
 * baseline); its first and second derivatives are the closed-form batch estimators of ./dice.ts, each from the
 * rollout of the parameters it is evaluated at (as the reference implementations resample per look-ahead step).
 * With k = 0 this is the naive learner. `magicBox: false` is the paper's ablation: the surrogate loses the score
 * outer products, J stays 0, and the agent learns naively (≈ −2 per step in the IPD).
 *
 * Variance reduction, as the official code: without a baseline, rewards are centred per step over the batch
 * (`centerRewards`, see ./dice.ts). Baseline (`baseline: true`): V tables of both agents, fitted by TD(0) on the
 * outer rollout each update; b_t = V(s_t) of the objective's agent, the return-to-go a DiCE baseline should
 * estimate. (The public PyTorch re-implementation instead regresses V on the immediate reward.)
 */
import * as z from "../../zod.js";
import { fitStateValuesTd0, StateValueTable, TdStatistics } from "../../policies/critics.js";
import { LIMITS } from "../../util/limits.js";
import { sigmoid } from "../../util/math.js";
import { validateConfig } from "../hyperparameters.js";
import { allocateDiceDerivatives, type DiceDerivatives, diceDerivatives } from "./dice.js";
import {
  GradientAscent,
  type LearnerContext,
  type LearnerStepInput,
  type SampledLearner,
  type SampledLearnerEntry,
  SHARED_FIELDS,
} from "./learner.js";

/** Every hyperparameter of `lola-dice`, once: its default and its doc (the CLI, experiments and the arena read these). */
export const LOLA_DICE_SCHEMA = z.strictObject({
  lrOuter: z.number().min(0).default(0.2).describe("outer (own) learning rate α_out (the paper's 0.2)"),
  lrInner: z
    .number()
    .min(0)
    .default(0.3)
    .describe(
      "inner (looked-ahead opponent) learning rate α_in (the public PyTorch re-implementation's 0.3; the official " +
        "script uses 0.1 with 2 steps)",
    ),
  lookahead: z.number().int().min(0).max(LIMITS.diceLookahead).default(1).describe("look-ahead steps k"),
  optimizer: SHARED_FIELDS.optimizer,
  baseline: z
    .boolean()
    .default(false)
    .describe(
      "state-value baseline in the DiCE objective (off: per-step reward centring, as the official IPD run)",
    ),
  lrCritic: z.number().min(0).default(1).describe("critic step size of the baseline tables"),
  magicBox: z
    .boolean()
    .default(true)
    .describe("keep the magic box (off: the no-magic-box ablation, learns naively)"),
  centerRewards: z
    .boolean()
    .optional()
    .describe("subtract per-step batch-mean rewards (absent: on exactly when there is no baseline)"),
});
export type LolaDiceOptions = z.input<typeof LOLA_DICE_SCHEMA>;
export type LolaDiceConfig = Required<z.output<typeof LOLA_DICE_SCHEMA>>;

/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolveLolaDiceOptions(options: LolaDiceOptions = {}): LolaDiceConfig {
  const config = validateConfig(lolaDiceEntry, options, "lola-dice");
  return { ...config, centerRewards: config.centerRewards ?? !config.baseline };
}

export class LolaDiceLearner implements SampledLearner {
  readonly name = "lola-dice";
  private readonly opts: LolaDiceConfig;
  private readonly optimizer: GradientAscent;
  private readonly inner: DiceDerivatives;
  private readonly outer: DiceDerivatives;
  private readonly values: [StateValueTable, StateValueTable];
  private readonly stats: TdStatistics;
  private readonly lookPC: Float64Array;
  private readonly thetaOpp: Float64Array;
  private readonly jacobian: Float64Array;
  private readonly nextJacobian: Float64Array;
  private readonly grad: Float64Array;

  constructor(
    private readonly ctx: LearnerContext,
    options: LolaDiceOptions = {},
  ) {
    this.opts = resolveLolaDiceOptions(options);
    const n = ctx.seeds;
    this.optimizer = new GradientAscent(this.opts.optimizer, this.opts.lrOuter, n * 5);
    this.inner = allocateDiceDerivatives(n);
    this.outer = allocateDiceDerivatives(n);
    this.values = [new StateValueTable(n), new StateValueTable(n)];
    this.stats = new TdStatistics(n);
    this.lookPC = new Float64Array(n * 10);
    this.thetaOpp = new Float64Array(n * 5);
    this.jacobian = new Float64Array(n * 25);
    this.nextJacobian = new Float64Array(n * 25);
    this.grad = new Float64Array(n * 5);
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    const { agent, gamma, seeds, gamesPerSeed } = this.ctx;
    const opp = (1 - agent) as 0 | 1;
    const { lrInner, lookahead, magicBox, centerRewards } = this.opts;
    const baselineOf = (seat: 0 | 1) => (this.opts.baseline ? this.values[seat].values : undefined);
    this.lookPC.set(input.pC);
    for (let k = 0; k < seeds; k++)
      for (let s = 0; s < 5; s++) this.thetaOpp[k * 5 + s] = input.theta[k * 10 + 5 * opp + s];
    this.jacobian.fill(0);
    for (let m = 0; m < lookahead; m++) {
      const traj = input.rollout(this.lookPC);
      // The opponent's objective: self = opponent (rows of both Hessian blocks are its logits).
      diceDerivatives(
        traj,
        opp,
        this.lookPC,
        gamesPerSeed,
        gamma,
        { magicBox, centerRewards, baseline: baselineOf(opp) },
        this.inner,
      );
      const { gradSelf, hessSelf, hessCross } = this.inner;
      for (let k = 0; k < seeds; k++) {
        const J = k * 25;
        // J_{m+1} = J_m + α_in (H_ji + H_jj J_m), all 5 × 5 row-major (row = opponent logit, column = own logit).
        for (let r = 0; r < 5; r++) {
          for (let c = 0; c < 5; c++) {
            let hj = 0;
            for (let x = 0; x < 5; x++) hj += hessSelf[J + 5 * r + x] * this.jacobian[J + 5 * x + c];
            this.nextJacobian[J + 5 * r + c] =
              this.jacobian[J + 5 * r + c] + lrInner * (hessCross[J + 5 * r + c] + hj);
          }
        }
        for (let s = 0; s < 5; s++) {
          this.thetaOpp[k * 5 + s] += lrInner * gradSelf[k * 5 + s];
          this.lookPC[k * 10 + 5 * opp + s] = sigmoid(this.thetaOpp[k * 5 + s]);
        }
      }
      this.jacobian.set(this.nextJacobian);
    }
    const traj = lookahead > 0 ? input.rollout(this.lookPC) : input.traj;
    diceDerivatives(
      traj,
      agent,
      this.lookPC,
      gamesPerSeed,
      gamma,
      {
        magicBox,
        centerRewards,
        baseline: baselineOf(agent),
        secondOrder: false,
      },
      this.outer,
    );
    const { gradSelf, gradOther } = this.outer;
    for (let k = 0; k < seeds; k++) {
      for (let c = 0; c < 5; c++) {
        let shaped = 0;
        for (let r = 0; r < 5; r++) shaped += this.jacobian[k * 25 + 5 * r + c] * gradOther[k * 5 + r];
        this.grad[k * 5 + c] = gradSelf[k * 5 + c] + shaped;
      }
    }
    this.optimizer.direction(this.grad, delta);
    if (this.opts.baseline) {
      for (const seat of [agent, opp] as const) {
        fitStateValuesTd0(
          this.values[seat],
          this.stats.collect(traj, seat, gamesPerSeed),
          gamma,
          this.opts.lrCritic,
          5,
        );
      }
    }
  }
}

export const lolaDiceEntry: SampledLearnerEntry<z.output<typeof LOLA_DICE_SCHEMA>> = {
  name: "lola-dice",
  label: "LOLA-DiCE",
  family: "sampled",
  summary: "LOLA through DiCE: k look-ahead opponent steps from fresh rollouts, differentiated through",
  reference: "Foerster, Farquhar et al., DiCE, ICML 2018 (§5, LOLA-DiCE)",
  schema: LOLA_DICE_SCHEMA,
  create: (config, context) => new LolaDiceLearner(context, config),
};
