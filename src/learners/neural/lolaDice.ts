/**
 * `lola-dice` on neural policies: Learning with Opponent-Learning Awareness through the DiCE estimator
 * (Foerster, Farquhar, Al-Shedivat, Rocktäschel, Xing, Whiteson, ICML 2018, §5), with one look-ahead step of the
 * opponent, as the LOLA-DiCE coin baseline of POLA (Zhao, Lu, Grosse, Foerster, NeurIPS 2022; Silent-Zebra/POLA
 * `jax_files/POLA_dice_jax.py` with `--inner_steps 1 --outer_steps 1 --inner_beta 0 --outer_beta 0`).
 *
 * Agent i (parameters θ_i, seat `seat`) and its opponent j. L_k(θ_i, θ_j) is agent k's DiCE objective on a batch
 * (./diceObjective.ts). The update, with inner (look-ahead) rate η and the opponent's naive step:
 *
 *   inner batch D ~ (θ_i, θ_j):   g_j = ∇_j L_j^D(θ_i, θ_j),   θ_j' = θ_j + η·g_j
 *   outer batch D' ~ (θ_i, θ_j'):
 *   d/dθ_i L_i^{D'}(θ_i, θ_j'(θ_i)) = ∂_i L_i^{D'}(θ_i, θ_j') + η·∇_i[ g_j(θ_i, θ_j) · v ],   v = ∂_j L_i^{D'}(θ_i, θ_j')
 *
 * (the chain rule, dθ_j'/dθ_i = η·∂²L_j/∂θ_j∂θ_i, with v held fixed). The agent then takes an Adam ascent step
 * (POLA's outer optimiser) along it. The networks have hand-written backward passes and no tape, so the
 * second-order term is a Hessian-vector product by a finite difference of first-order DiCE gradients on the same
 * inner batch. Mixed partials commute, so
 *
 *   ∇_i[ g_j · v ] = ∂/∂ε ∇_i L_j^D(θ_i, θ_j + εv) |_{ε=0}
 *                  ≈ [ ∇_i L_j^D(θ_i, θ_j + εv) − ∇_i L_j^D(θ_i, θ_j − εv) ] / 2ε          (error O(ε²))
 *
 * and off the sampling point, L_j^D is the importance-weighted objective whose gradient in θ_i is the score
 * gradient with coefficients κ^±_u = c_u W^±_u + Σ_{t>u} c_t (W^±_t − W^±_{t−1}), W^±_t = Π_{u≤t} π_j(b_u; θ_j ± εv) /
 * π_j(b_u; θ_j) (θ_i does not move, so its ratios are 1). Both gradients are linear in κ, so the product costs two
 * forward passes of the opponent's network and ONE backward pass of the agent's, with coefficients
 * (κ⁺ − κ⁻)/2ε. ε is chosen so that the step in parameter space has norm `hvpStep`: ε = hvpStep / ‖v‖.
 * Tested against the closed-form tabular DiCE derivatives (src/learners/sampled/dice.ts) and against central
 * differences of the whole look-ahead objective on a GRU (test/neural-lola-dice.test.ts).
 *
 * Variance reduction: rewards centred per step over the batch (the official LOLA-DiCE code without a baseline),
 * or none. The loaded-DiCE critic baseline of POLA is implemented in ./diceObjective.ts (credits "critic") but
 * this learner does not fit a critic yet, so it is not offered here.
 */
import { z } from "zod";
import type { LearnerDiagnostics, LearnerEntry } from "../entry.js";
import { Adam } from "../../nn/optim.js";
import { type RewardBatch, diceCredits, scoreCoefficients, weightsFromLogProbs } from "./diceObjective.js";
import type { ScorePolicy } from "./scorePolicy.js";

export const neuralLolaDiceSchema = z
  .object({
    lrInner: z
      .number()
      .positive()
      .default(0.003)
      .describe(
        "η: the look-ahead step of the opponent, plain gradient ascent (POLA's coin LOLA-DiCE: 0.003)",
      ),
    lrOuter: z
      .number()
      .positive()
      .default(0.003)
      .describe("the agent's own Adam learning rate (POLA's coin LOLA-DiCE: 0.003)"),
    gamma: z.number().min(0).max(1).default(0.96).describe("discount γ of the DiCE objective"),
    baseline: z
      .enum(["none", "center"])
      .default("center")
      .describe(
        "variance reduction: none, or rewards centred per step over the batch (the LOLA-DiCE code's)",
      ),
    hvpStep: z
      .number()
      .positive()
      .max(1)
      .default(1e-2)
      .describe("norm ε‖v‖ of the parameter step of the Hessian-vector product's central difference"),
  })
  .strict();

export type NeuralLolaDiceConfig = z.infer<typeof neuralLolaDiceSchema>;

/** What a LOLA-DiCE seat needs from its trainer: both networks as score policies and fresh rollouts. */
export interface NeuralLolaDiceContext<Batch extends RewardBatch> {
  /** The seat this learner plays (0 or 1). */
  readonly seat: 0 | 1;
  /** The agent's own network. */
  readonly policy: ScorePolicy<Batch>;
  /** The opponent's network (LOLA looks through the opponent's parameters, as the reference code does). */
  readonly opponentPolicy: ScorePolicy<Batch>;
  /** A fresh batch played by parameters (seat 0, seat 1); each call draws new games. */
  rollout(seat0: Float64Array, seat1: Float64Array): Batch;
}

export class NeuralLolaDice<Batch extends RewardBatch> {
  readonly name = "lola-dice";
  private readonly own: ScorePolicy<Batch>;
  private readonly opp: ScorePolicy<Batch>;
  private readonly gInner: Float64Array;
  private readonly lookedAhead: Float64Array;
  private readonly v: Float64Array;
  private readonly shaping: Float64Array;
  private readonly direction: Float64Array;
  private optimizer: Adam | null = null;
  private descent = new Float32Array(0);

  constructor(
    readonly config: NeuralLolaDiceConfig,
    private readonly context: NeuralLolaDiceContext<Batch>,
  ) {
    this.own = context.policy;
    this.opp = context.opponentPolicy;
    this.gInner = new Float64Array(this.opp.size);
    this.lookedAhead = new Float64Array(this.opp.size);
    this.v = new Float64Array(this.opp.size);
    this.shaping = new Float64Array(this.own.size);
    this.direction = new Float64Array(this.own.size);
  }

  /**
   * The LOLA-DiCE ascent direction d/dθ_i L_i(θ_i, θ_j + η g_j) at (own, opponent), into `grad` (`own.length`);
   * two fresh rollouts. Returns the diagnostics of this step.
   */
  gradient(own: Float64Array, opponent: Float64Array, grad: Float64Array): LearnerDiagnostics {
    const { seat } = this.context;
    const oppSeat = (1 - seat) as 0 | 1;
    const { lrInner: eta, gamma, baseline, hvpStep } = this.config;
    const play = (mine: Float64Array, theirs: Float64Array) =>
      seat === 0 ? this.context.rollout(mine, theirs) : this.context.rollout(theirs, mine);

    // Inner: the opponent's naive step on its own objective.
    const inner = play(own, opponent);
    const rows = inner.horizon * inner.batch;
    // Credits divided by the batch size once: every gradient below is a batch mean.
    const innerCredits = scaled(
      diceCredits(inner, oppSeat, gamma, baseline, new Float64Array(rows)),
      1 / inner.batch,
    );
    this.opp.scoreGradient(opponent, inner, oppSeat, innerCredits, this.gInner);
    for (let k = 0; k < opponent.length; k++) this.lookedAhead[k] = opponent[k] + eta * this.gInner[k];

    // Outer: the agent's objective against the looked-ahead opponent, in both agents' parameters.
    const outer = play(own, this.lookedAhead);
    const outerRows = outer.horizon * outer.batch;
    const outerCredits = scaled(
      diceCredits(outer, seat, gamma, baseline, new Float64Array(outerRows)),
      1 / outer.batch,
    );
    this.own.scoreGradient(own, outer, seat, outerCredits, grad);
    this.opp.scoreGradient(this.lookedAhead, outer, oppSeat, outerCredits, this.v);

    // Shaping: η ∇_i[g_j · v] by the central difference of ∇_i L_j on the inner batch at θ_j ± εv.
    const epsilon = diceHessianVectorProduct(
      { own: this.own, opponent: this.opp, seat, batch: inner, opponentCredits: innerCredits },
      own,
      opponent,
      this.v,
      hvpStep,
      this.shaping,
    );
    const ownNorm = norm(grad);
    for (let k = 0; k < grad.length; k++) grad[k] += eta * this.shaping[k];
    return {
      "lolaDice.ownGradNorm": ownNorm,
      "lolaDice.shapingNorm": eta * norm(this.shaping),
      "lolaDice.innerStepNorm": eta * norm(this.gInner),
      "lolaDice.hvpEpsilon": epsilon,
      "lolaDice.reward": meanReward(outer, seat),
      "lolaDice.opponentReward": meanReward(outer, oppSeat),
    };
  }

  /**
   * One update of the agent's network parameters `params` (Float32, updated in place by Adam ascent with
   * lrOuter) against the opponent's current `opponentParams`.
   */
  update(params: Float32Array, opponentParams: Float32Array): LearnerDiagnostics {
    if (!this.optimizer || this.optimizer.params !== params) {
      this.optimizer = new Adam(params, { lr: this.config.lrOuter });
      this.descent = new Float32Array(params.length);
    }
    const diagnostics = this.gradient(
      Float64Array.from(params),
      Float64Array.from(opponentParams),
      this.direction,
    );
    for (let k = 0; k < params.length; k++) this.descent[k] = -this.direction[k]; // Adam descends
    this.optimizer.step(this.descent);
    return diagnostics;
  }
}

/** The inner batch and what the Hessian-vector product reads from it. */
export interface InnerBatch<Batch extends RewardBatch> {
  readonly own: ScorePolicy<Batch>;
  readonly opponent: ScorePolicy<Batch>;
  /** The agent's seat. */
  readonly seat: 0 | 1;
  /** Played at (own, opponent). */
  readonly batch: Batch;
  /** The opponent's DiCE credits on it, divided by the batch size (`[T, batch]`). */
  readonly opponentCredits: Float64Array;
}

/**
 * out = ∇_own[ ∇_opp L_opp(own, opponent) · v ] on the inner batch, by the central difference of the importance-
 * weighted gradient ∇_own L_opp at opponent ± εv (header), ε = step / ‖v‖. Returns ε (0 when v = 0, out = 0).
 */
export function diceHessianVectorProduct<Batch extends RewardBatch>(
  inner: InnerBatch<Batch>,
  own: Float64Array,
  opponent: Float64Array,
  v: Float64Array,
  step: number,
  out: Float64Array,
): number {
  const { batch, seat, opponentCredits } = inner;
  const oppSeat = (1 - seat) as 0 | 1;
  const vNorm = norm(v);
  out.fill(0);
  if (vNorm === 0) return 0;
  const epsilon = step / vNorm;
  const { horizon: T, batch: B } = batch;
  const atSample = inner.opponent.logProbs(opponent, batch, oppSeat, new Float64Array(T * B));
  const shifted = new Float64Array(opponent.length);
  const coefficients = (sign: 1 | -1) => {
    for (let k = 0; k < opponent.length; k++) shifted[k] = opponent[k] + sign * epsilon * v[k];
    const lp = inner.opponent.logProbs(shifted, batch, oppSeat, new Float64Array(T * B));
    const W = weightsFromLogProbs(lp, atSample, T, B, lp);
    return scoreCoefficients(opponentCredits, W, T, B, new Float64Array(T * B));
  };
  const plus = coefficients(1);
  const minus = coefficients(-1);
  for (let n = 0; n < T * B; n++) plus[n] = (plus[n] - minus[n]) / (2 * epsilon);
  inner.own.scoreGradient(own, batch, seat, plus, out);
  return epsilon;
}

function scaled(x: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] *= factor;
  return x;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Mean reward per step of agent `agent` over the batch. */
function meanReward(batch: RewardBatch, agent: 0 | 1): number {
  let s = 0;
  const n = batch.horizon * batch.batch;
  for (let i = 0; i < n; i++) s += batch.rewards[2 * i + agent];
  return s / n;
}

/** The learner entry (issue 13 §1): one declaration; the coordinator wires it into src/learners/registry.ts. */
export const neuralLolaDiceEntry: LearnerEntry<
  NeuralLolaDiceConfig,
  NeuralLolaDiceContext<RewardBatch>,
  NeuralLolaDice<RewardBatch>
> = {
  name: "lola-dice",
  label: "LOLA-DiCE (neural)",
  family: "neural",
  summary:
    "looks one naive step ahead of the opponent through the DiCE objective; Hessian-vector product by finite differences",
  reference: "Foerster, Farquhar et al., ICML 2018 (DiCE); Zhao et al., NeurIPS 2022 (POLA's coin baseline)",
  schema: neuralLolaDiceSchema,
  create: (config, context) => new NeuralLolaDice(config, context),
};
