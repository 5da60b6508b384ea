/**
 * `aa`: Advantage Alignment (Duque, Aghajohari, Cooijmans, Ciuca, Zhang, Gidel, Courville, "Advantage Alignment
 * Algorithms", ICLR 2025; Algorithm 1), for tabular memory-one policies.
 *
 * The agent (i) keeps a critic for itself and one for its opponent (j), both fitted by TD on their own rewards
 * (the opponent's from the opponent's own view), and replaces its advantage by
 *
 *   A*_t = A^i_t + β·γ·( Σ_{k<t} γ^{t−k} A^i_k )·A^j_t,        A^x_t = Q_x(s_t, a_t, b_t) − V_x(s_t)
 *   ∇θ J ≈ (1/B) Σ_games Σ_t γ^t · A*_t · ∇θ log π(a_t | s_t)  + entropy · ∇θ Σ_s H(π(·|s))
 *
 * The alignment term raises the probability of actions whose effect on the opponent (sign of A^j_t) agrees with
 * how the past went for the agent (sign of its discounted past advantages): cooperate with cooperators, punish
 * defectors. Options, all named:
 * - `variant: "running-mean"`: the authors' released code, (1/t)·Σ_{k<t} A^i_k (undiscounted) instead of the
 *   γ-weighted sum, and no extra γ: A*_t = A^i_t + β·mean_{k<t}(A^i_k)·A^j_t.
 * - `normalize`: z-score A^i and A^j per seed over the batch BEFORE forming the alignment term (as the code does).
 *   The alignment term is a product of two advantages, so z-scoring changes its weight against A^i: in nearly
 *   deterministic play the batch sd is tiny, a rare deviation's z-score is ≈ √(steps / deviations), and the
 *   product outweighs A^i by that factor (the aa-tft recipe in docs/learners.md uses raw advantages).
 * - `gaeLambda`: GAE(λ) advantages from each critic's V instead of Q − V (the code's choice in Melting Pot).
 * - `entropy`: entropy bonus coefficient.
 * - `pastAdvantage: "opponent-action"`: sum Ã^i_k = Q_i(s_k, a_k, b_k) − Σ_b π̂_j(b | s_k)·Q_i(s_k, a_k, b) in the past
 *   term instead of A^i_k (π̂_j: the opponent's empirical action frequency in s_k in this batch). Why: the past
 *   term comes from the opponent-shaping gradient E[Σ_k γ^k A^i_k ∇θ_i log π_j(b_k | s_k)] with π_j ∝ exp Q_j,
 *   and ∇ log π_j(b_k|s_k) = ∇Q_j(s_k, b_k) − Σ_b′ π_j(b′|s_k) ∇Q_j(s_k, b′). The paper keeps only the first part
 *   (the authors' code stops the gradient of the softmax normaliser); keeping both is the same as keeping the first
 *   part and replacing A^i_k by its part that varies with b_k, which is Ã^i_k:
 *   E[A^i_k (∇Q_j(b_k) − E_b′ ∇Q_j(b′))] = E[Ã^i_k ∇Q_j(b_k)]. So the past term then measures how the OPPONENT's
 *   actions helped or hurt the agent, and the agent's own exploratory defections (negative A^i against a
 *   retaliator) no longer make it punish a cooperating opponent after them (the spiteful quadrant that keeps
 *   P(C | DC) low with the paper's A^i).
 * - `maskQuadrants`: ablation; drop the alignment term at steps whose (sign past own advantage, sign opponent
 *   advantage) falls in the listed quadrants: "++" (cooperative), "+-" (empathetic), "-+" (vengeful),
 *   "--" (spiteful).
 * Diagnostics: each update reports, per seed, the share of Σ_t |alignment term| from each quadrant (sign of the
 * past term as configured), measured
 * before masking (so an ablation run shows what it removed).
 *
 * - Opponent-model fidelity (issue 14 §1): `opponentCritic: "oracle"` replaces the fitted opponent critic by the
 *   true values of the current policies from the exact engine (src/learners/sampled/oracleCritic.ts);
 *   `criticLag: k` gives those of the policies k updates ago (a stale model); `criticNoise: σ` adds independent
 *   N(0, σ²) noise to every entry of the oracle's Q and V each update (stream `Rng.derive(seed + k, 3, agent)` for
 *   seed index k). With `opponentCritic: "td"` (default) the model is learned with a budget: `criticSweeps` TD
 *   sweeps on the batch's samples (`batch` × `rollout`) with step `lrCritic`, and of a capacity
 *   (`opponentCriticStates`: the full table, or a state-aggregated one that sees only the opponent's last action,
 *   only its own, or neither; src/learners/sampled/opponentModel.ts).
 * - Miscalculation (issue 14 §2): `opponentReward: "own" | "zero-sum"` fits (or, with the oracle, computes) the
 *   opponent critic as if the opponent were paid this agent's own payoff or minus it, instead of its own.
 * Critic fitting: TD(0) on V from the batch's sufficient statistics (`criticSweeps` sweeps of step `lrCritic`),
 * then Q(s,a,b) one step of `lrCritic` towards r + γ·V(s′). The critics are fitted on the batch first, so the
 * advantages evaluate the policy that produced it.
 */
import * as z from "../../zod.js";
import { swapView } from "../../games/game.js";
import {
  fitJointActionValuesTd0,
  fitStateValuesTd0,
  JointActionValueTable,
  StateValueTable,
  TdStatistics,
} from "../../policies/critics.js";
import { Rng } from "../../util/rng.js";
import { validateConfig } from "../hyperparameters.js";
import {
  accumulatePolicyGradient,
  generalizedAdvantages,
  jointActionAdvantages,
  normalizePerGroup,
  opponentActionAdvantages,
  tdErrors,
} from "./advantages.js";
import {
  addEntropyGradient,
  GradientAscent,
  type LearnerContext,
  type LearnerStepInput,
  type SampledLearner,
  type SampledLearnerEntry,
  type SeedDiagnostics,
  SHARED_FIELDS,
  seatSlice,
} from "./learner.js";
import { fillOracleCritic } from "./oracleCritic.js";
import {
  CRITIC_STATE_GROUPS,
  CRITIC_STATE_LEVELS,
  fitAggregatedTd0,
  modelPayoffs,
  OPPONENT_REWARD_MODELS,
  relabelRewards,
} from "./opponentModel.js";
import {
  AA_VARIANTS,
  type AaVariant,
  alignAdvantages,
  QUADRANTS,
  type Quadrant,
  quadrantMask,
} from "./alignment.js";

export { AA_VARIANTS, type AaVariant, QUADRANTS, type Quadrant };

/** What the past sum adds up: the agent's joint-action advantages (paper) or the opponent-action part (exact). */
export const AA_PAST_ADVANTAGES = ["joint", "opponent-action"] as const;
export type AaPastAdvantage = (typeof AA_PAST_ADVANTAGES)[number];

/** The diagnostic name of quadrant q's share: "aa.quadrant.++", … */
export function quadrantDiagnostic(q: Quadrant): string {
  return `aa.quadrant.${q}`;
}

export const AA_OPPONENT_CRITICS = ["td", "oracle"] as const;
export type AaOpponentCritic = (typeof AA_OPPONENT_CRITICS)[number];

/** Every hyperparameter of `aa`, once: its default and its doc (the CLI, experiments and the arena read these). */
export const AA_SCHEMA = z.strictObject({
  lr: z.number().min(0).default(0.1).describe("actor learning rate"),
  optimizer: SHARED_FIELDS.optimizer,
  beta: z
    .number()
    .min(0)
    .default(1)
    .describe("alignment weight β (0: a plain actor-critic with Q − V advantages)"),
  variant: z.enum(AA_VARIANTS).default("discounted").meta({
    flag: "aa-variant",
    description:
      "past term: discounted (paper, γ-weighted sum) or running-mean (authors' code, undiscounted mean)",
  }),
  lrCritic: z.number().min(0).default(1).describe("critic step size"),
  criticSweeps: SHARED_FIELDS.criticSweeps,
  gaeLambda: SHARED_FIELDS.gaeLambda,
  normalize: z
    .boolean()
    .default(false)
    .describe("z-score A^i and A^j per seed before forming the alignment term"),
  entropy: SHARED_FIELDS.entropy,
  maskQuadrants: z
    .array(z.enum(QUADRANTS))
    .default([])
    .describe("ablation: drop the alignment term in these sign quadrants (++, +-, -+, --; -- = spite)"),
  discountSteps: z
    .boolean()
    .default(true)
    .describe("weight step t by γ^t in the policy gradient (the paper's formula)"),
  pastAdvantage: z
    .enum(AA_PAST_ADVANTAGES)
    .default("joint")
    .meta({
      flag: "aa-past",
      description:
        "advantages summed in the past term: joint (paper: own Q(s,a,b) − V(s)) or opponent-action " +
        "(Q(s,a,b) − Σ_b π̂(b|s)·Q(s,a,b): the opponent's action's effect, keeping the softmax normaliser's gradient)",
    }),
  opponentCritic: z
    .enum(AA_OPPONENT_CRITICS)
    .default("td")
    .describe("the opponent's critic: fitted by TD (td) or the exact engine's true values (oracle)"),
  criticLag: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(0)
    .describe("oracle only: use the policies of this many updates ago"),
  criticNoise: z
    .number()
    .min(0)
    .default(0)
    .describe("oracle only: sd of Gaussian noise added to every Q and V entry"),
  opponentCriticStates: z
    .enum(CRITIC_STATE_LEVELS)
    .default("full")
    .describe(
      "td only: the opponent critic's capacity: full (table), opponent-last / own-last (sees only that " +
        "agent's last action), none (one value after the start)",
    ),
  opponentReward: z
    .enum(OPPONENT_REWARD_MODELS)
    .default("opponent")
    .describe(
      "the payoff the opponent critic assumes the opponent gets: opponent (true), own (this agent's), zero-sum (minus it)",
    ),
});
export type AaOptions = z.input<typeof AA_SCHEMA>;
export type AaConfig = z.output<typeof AA_SCHEMA>;

interface Critic {
  v: StateValueTable;
  q: JointActionValueTable;
  stats: TdStatistics;
}

/** Every option with its default filled in (the constructor's settings; also what `--json` reports as the config). */
export function resolveAaOptions(options: AaOptions = {}): AaConfig {
  return validateConfig(aaEntry, options, "aa");
}

export class AdvantageAlignmentLearner implements SampledLearner {
  readonly name = "aa";
  /** Past policies for a lagged oracle, oldest first (at most criticLag + 1). */
  private readonly pastPolicies: Float64Array[] = [];
  private readonly noiseRngs: Rng[];
  private readonly own: Critic;
  private readonly opponent: Critic;
  private readonly optimizer: GradientAscent;
  private readonly opts: Required<Omit<AaOptions, "gaeLambda">> & { gaeLambda?: number };
  private readonly masked: Uint8Array;
  private readonly ownAdv: Float64Array;
  private readonly oppAdv: Float64Array;
  private readonly pastAdv: Float64Array;
  private readonly aligned: Float64Array;
  private readonly scratch: Float64Array;
  private readonly pSelf: Float64Array;
  private readonly grad: Float64Array;
  /** Each seed's share of Σ_t |alignment term| per quadrant in the last step, `[seeds, 4]`. */
  private readonly shares: Float64Array;
  /** The same shares by diagnostic name (`aa.quadrant.<q>`), each `[seeds]`. */
  private readonly named: Record<string, Float64Array>;
  /** The opponent's payoff per joint action (its own view) as this agent models it. */
  private readonly opponentPayoffs: Float64Array;
  /** The same payoffs indexed by the joint action in agent 1's view, as the oracle reads them. */
  private readonly oracleReward: Float64Array;

  constructor(
    private readonly ctx: LearnerContext,
    options: AaOptions = {},
  ) {
    this.opts = resolveAaOptions(options);
    this.noiseRngs = Array.from({ length: ctx.seeds }, (_, k) =>
      Rng.derive((ctx.seed ?? 0) + k, 3, ctx.agent),
    );
    this.masked = quadrantMask(this.opts.maskQuadrants);
    const make = (): Critic => ({
      v: new StateValueTable(ctx.seeds),
      q: new JointActionValueTable(ctx.seeds),
      stats: new TdStatistics(ctx.seeds),
    });
    this.own = make();
    this.opponent = make();
    this.optimizer = new GradientAscent(this.opts.optimizer, this.opts.lr, ctx.seeds * 5);
    const n = ctx.horizon * ctx.seeds * ctx.gamesPerSeed;
    this.ownAdv = new Float64Array(n);
    this.oppAdv = new Float64Array(n);
    this.pastAdv = this.opts.pastAdvantage === "joint" ? this.ownAdv : new Float64Array(n);
    this.aligned = new Float64Array(n);
    this.scratch = new Float64Array(n);
    this.pSelf = new Float64Array(ctx.seeds * 5);
    this.grad = new Float64Array(ctx.seeds * 5);
    this.shares = new Float64Array(ctx.seeds * 4);
    this.named = Object.fromEntries(
      QUADRANTS.map((q) => [quadrantDiagnostic(q), new Float64Array(ctx.seeds)]),
    );
    const opponentSeat = (1 - ctx.agent) as 0 | 1;
    this.opponentPayoffs = modelPayoffs(ctx.game, opponentSeat, this.opts.opponentReward);
    this.oracleReward = this.opponentPayoffs.map(
      (_, j) => this.opponentPayoffs[opponentSeat === 0 ? j : swapView(j)],
    );
  }

  /** `aa.quadrant.<q>`: each seed's share of |alignment term| from quadrant q (measured before masking). */
  diagnostics(): SeedDiagnostics {
    QUADRANTS.forEach((q, i) => {
      const column = this.named[quadrantDiagnostic(q)];
      for (let k = 0; k < this.ctx.seeds; k++) column[k] = this.shares[4 * k + i];
    });
    return this.named;
  }

  private advantages(input: LearnerStepInput, seat: 0 | 1, critic: Critic, out: Float64Array): void {
    const { gamma, gamesPerSeed, horizon } = this.ctx;
    const { traj } = input;
    const { lrCritic, criticSweeps, gaeLambda } = this.opts;
    critic.stats.collect(traj, seat, gamesPerSeed);
    const opponent = critic === this.opponent;
    if (opponent && this.opts.opponentReward !== "opponent")
      relabelRewards(critic.stats, this.opponentPayoffs);
    if (opponent && this.opts.opponentCritic === "oracle") {
      this.fillOracle(input, seat, critic);
    } else if (opponent && this.opts.opponentCriticStates !== "full") {
      const groups = CRITIC_STATE_GROUPS[this.opts.opponentCriticStates];
      fitAggregatedTd0(critic.v, critic.q, critic.stats, groups, gamma, lrCritic, criticSweeps);
    } else {
      fitStateValuesTd0(critic.v, critic.stats, gamma, lrCritic, criticSweeps);
      fitJointActionValuesTd0(critic.q, critic.v, critic.stats, gamma, lrCritic);
    }
    if (gaeLambda === undefined) {
      jointActionAdvantages(traj, seat, critic.q.values, critic.v.values, gamesPerSeed, out);
    } else {
      tdErrors(traj, seat, critic.v.values, gamesPerSeed, gamma, this.scratch);
      generalizedAdvantages(this.scratch, horizon, traj.batch, gamma, gaeLambda, out);
    }
    if (this.opts.normalize) normalizePerGroup(out, horizon, traj.batch, gamesPerSeed);
  }

  /** The opponent's true values for the policies `criticLag` updates ago, plus noise if asked. */
  private fillOracle(input: LearnerStepInput, seat: 0 | 1, critic: Critic): void {
    const { criticLag, criticNoise } = this.opts;
    this.pastPolicies.push(Float64Array.from(input.pC));
    if (this.pastPolicies.length > criticLag + 1) this.pastPolicies.shift();
    const policies = this.pastPolicies[0];
    fillOracleCritic(
      this.ctx.game,
      this.ctx.gamma,
      policies,
      seat,
      critic.q.values,
      critic.v.values,
      this.oracleReward,
    );
    if (criticNoise > 0) {
      for (let k = 0; k < this.ctx.seeds; k++) {
        const rng = this.noiseRngs[k];
        for (let a = 0; a < 20; a++) critic.q.values[20 * k + a] += rng.normal(0, criticNoise);
        for (let a = 0; a < 5; a++) critic.v.values[5 * k + a] += rng.normal(0, criticNoise);
      }
    }
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    const { agent, gamma, seeds, gamesPerSeed, horizon } = this.ctx;
    const { traj } = input;
    const batch = traj.batch;
    this.advantages(input, agent, this.own, this.ownAdv);
    this.advantages(input, (1 - agent) as 0 | 1, this.opponent, this.oppAdv);
    if (this.opts.pastAdvantage !== "joint") {
      opponentActionAdvantages(
        traj,
        agent,
        this.own.q.values,
        this.own.stats.visits,
        gamesPerSeed,
        this.pastAdv,
      );
      if (this.opts.normalize) normalizePerGroup(this.pastAdv, horizon, batch, gamesPerSeed);
    }
    const { beta, variant } = this.opts;
    alignAdvantages(
      this.ownAdv,
      this.oppAdv,
      this.pastAdv,
      horizon,
      batch,
      gamesPerSeed,
      { beta, gamma, variant },
      this.masked,
      this.shares,
      this.aligned,
    );
    seatSlice(input.pC, agent, seeds, this.pSelf);
    this.grad.fill(0);
    accumulatePolicyGradient(
      traj,
      agent,
      this.aligned,
      this.pSelf,
      gamesPerSeed,
      gamma,
      this.opts.discountSteps,
      this.grad,
    );
    addEntropyGradient(input.theta, agent, seeds, this.opts.entropy, this.grad);
    this.optimizer.direction(this.grad, delta);
  }
}

export const aaEntry: SampledLearnerEntry<AaConfig> = {
  name: "aa",
  label: "AA",
  family: "sampled",
  summary: "Advantage Alignment: own and opponent critics, A* = A^i + β·γ·(Σ_{k<t} γ^{t−k} A^i_k)·A^j_t",
  reference: "Duque et al., Advantage Alignment Algorithms, ICLR 2025 (Algorithm 1)",
  schema: AA_SCHEMA,
  create: (config, context) => new AdvantageAlignmentLearner(context, config),
};

/** The quadrant curves of an AA seat from the trainer's generic diagnostic averages (the `aaQuadrants` output). */
export function quadrantCurve(
  agent: 0 | 1,
  names: readonly string[],
  perUpdate: readonly (readonly number[])[],
  perSeed: readonly (readonly number[])[],
): { agent: 0 | 1; quadrants: readonly Quadrant[]; shares: number[][]; perSeed: number[][] } {
  const columns = QUADRANTS.map((q) => names.indexOf(quadrantDiagnostic(q)));
  return {
    agent,
    quadrants: QUADRANTS,
    shares: perUpdate.map((row) => columns.map((c) => row[c])),
    perSeed: perSeed.map((row) => columns.map((c) => row[c])),
  };
}
