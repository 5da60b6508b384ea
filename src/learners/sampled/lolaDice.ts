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
import { fitStateValuesTd0, StateValueTable, TdStatistics } from "../../policies/critics.js";
import { sigmoid } from "../../util/math.js";
import { allocateDiceDerivatives, type DiceDerivatives, diceDerivatives } from "./dice.js";
import {
  GradientAscent,
  type LearnerContext,
  type LearnerStepInput,
  type OptimizerName,
  type SampledLearner,
} from "./learner.js";

export interface LolaDiceOptions {
  /** Outer (own) learning rate α_out (default 0.2, the paper's). */
  lrOuter?: number;
  /**
   * Inner (looked-ahead opponent) learning rate α_in (default 0.3, the public PyTorch re-implementation's; the
   * official script uses 0.1 with 2 steps; with 1 step, 0.1 is too weak to shape and both agents defect).
   */
  lrInner?: number;
  /** Look-ahead steps k (default 1). */
  lookahead?: number;
  optimizer?: OptimizerName;
  /** Use a state-value baseline in the DiCE objective (default false, as the official IPD run). */
  baseline?: boolean;
  /** Critic step size for the baseline tables (default 1). */
  lrCritic?: number;
  /** Keep the magic box (default true); false = the no-magic-box ablation. */
  magicBox?: boolean;
  /** Subtract per-step batch-mean rewards (default: on when there is no value baseline, as the official code). */
  centerRewards?: boolean;
}


/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolveLolaDiceOptions(options: LolaDiceOptions = {}): Required<LolaDiceOptions> {
  return {
    lrOuter: options.lrOuter ?? 0.2,
    lrInner: options.lrInner ?? 0.3,
    lookahead: options.lookahead ?? 1,
    optimizer: options.optimizer ?? "sgd",
    baseline: options.baseline ?? false,
    lrCritic: options.lrCritic ?? 1,
    magicBox: options.magicBox ?? true,
    centerRewards: options.centerRewards ?? !(options.baseline ?? false),
  };
}

export class LolaDiceLearner implements SampledLearner {
  readonly name = "lola-dice";
  private readonly opts: Required<LolaDiceOptions>;
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
