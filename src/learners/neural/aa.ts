/**
 * `aa`: Advantage Alignment with neural critics (Duque, Aghajohari, Cooijmans, Ciuca, Zhang, Gidel, Courville,
 * "Advantage Alignment Algorithms", ICLR 2025, Algorithm 1), on the Coin Game's recurrent actor (nets.ts).
 *
 *   A_t      = GAE(λ) from the agent's own critic V on its own rewards
 *   A^opp_t  = GAE(λ) from a second critic the agent fits on the OPPONENT's observations and rewards, or
 *              G^opp_t − V^opp_t (`opponentAdvantage: monte-carlo`: the AA coin code's loaded-DiCE return)
 *   A*_t     = A_t + β·γ·( Σ_{k<t} (ρ·γ)^{t−k} A_k )·A^opp_t                      (the paper, "discounted": ρ = 1;
 *              the AA coin code: ρ = 0.9, its DiCE discount, with β·ρ·γ = 1; src/learners/sampled/alignment.ts)
 *            = A_t + β·( (1/t)·Σ_{k<t} A_k )·A^opp_t                              ("running-mean", the authors' code)
 *   loss     = −mean_t A*_t·log π(a_t|o_≤t) − entropy·mean_t H(π(·|o_≤t))         (REINFORCE with A*, one step;
 *              `actorMinibatches` > 1 takes one step per minibatch of whole games, each game used once)
 *   critics  ½·mean (V − y)² towards the λ-returns y = A + V, epochs × minibatches of whole games
 *
 * The alignment term and its sign-quadrant bookkeeping are src/learners/sampled/alignment.ts's, shared with the
 * tabular learner: diagnostics `aa.quadrant.++`, `+-`, `-+`, `--` (share of Σ|β·past·A^opp| per quadrant,
 * measured before masking) and `maskQuadrants` (the quadrant ablation: drop the term there).
 * Normalisations of the authors' code, as options: `normalize` z-scores A and A^opp over the batch BEFORE the
 * alignment term is formed (`normalize_advantages`, Melting Pot PAA); `normalizeAligned` z-scores A* before the
 * policy step. Proximal AA (`paa`, paa.ts) reuses `AlignmentCritics` with ppo.ts's clipped update.
 * Off-policy option (`offPolicy`, off by default; offPolicy.ts): each actor minibatch after the first re-aligns
 * with the agent's own advantages corrected by the ratios π_θ/π_old of its policy as it is then, and the critics
 * fit the corrected targets of the updated policy (learner.ts's `estimateAdvantages`: one mechanism).
 *
 * Opponent-model fidelity (issue 14 §1, the seed post §8.1), as options; each changes only the A^opp that enters
 * the alignment term, never the opponent critic's own fit (its targets stay the current critic's λ-returns):
 *   opponentCriticWidth   capacity: the opponent critic's dense and GRU width (default: `width`)
 *   criticLag  k          A^opp from the opponent critic as it was k updates ago (before the first k updates:
 *                         its initial weights); the k past copies are trainables, so checkpoints keep them
 *   criticNoise σ         A^opp_t + σ·ε_t, ε_t ~ N(0, 1) per row and update (stream LEARNER_STREAM.criticNoise)
 * and a schedule for sandbagging (§7.3): `alignFrom` K sets β = 0 for updates u < K (a plain REINFORCE / PPO
 * learner that still fits its opponent critic), then the full β.
 */
import * as z from "../../zod.js";
import { clipGradNorm } from "../../nn/optim.js";
import { normalizePerGroup } from "../sampled/advantages.js";
import { AA_VARIANTS, alignAdvantages, QUADRANTS, quadrantMask } from "../sampled/alignment.js";
import {
  type AdvantageCorrection,
  type Diagnostics,
  emptyEstimate,
  estimateAdvantages,
  explainedVariance,
  fitCritic,
  LEARNER_STREAM,
  makeTrainable,
  type NeuralContext,
  type NeuralLearner,
  policyPass,
  policyRatios,
  PolicyScratch,
  ratioDiagnostics,
  streamRng,
  type Trainable,
  type ValueEstimate,
} from "./learner.js";
import { gameMinibatches, gatherGames, gatherTrajectory } from "./minibatches.js";
import { CoinCritic, CoinPolicy } from "./nets.js";
import { offPolicyConfig, offPolicyFields } from "./offPolicy.js";
import { emptySeatTrajectory, type SeatView } from "./rollout.js";

/** 0 … n−1: the whole batch as one minibatch, in order. */
function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let g = 0; g < n; g++) out[g] = g;
  return out;
}

/** How A^opp is estimated: the same GAE(λ) as the agent's own A, or the Monte Carlo return minus V (λ = 1). */
export const OPPONENT_ADVANTAGES = ["gae", "monte-carlo"] as const;

/** The alignment hyperparameters (shared by `aa` and `paa`). */
export const alignmentFields = {
  beta: z.number().min(0).default(1).describe("alignment weight β (0: plain actor-critic / PPO)"),
  variant: z
    .enum(AA_VARIANTS)
    .default("discounted")
    .describe("past sum: γ-weighted (paper) or running mean (code)"),
  pastDiscount: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      "ρ: the discounted past sum decays by ρ·γ per step (1: the paper; 0.9: the AA coin code's DiCE discount)",
    ),
  opponentAdvantage: z
    .enum(OPPONENT_ADVANTAGES)
    .default("gae")
    .describe("A^opp: GAE(λ) as A, or Monte Carlo G − V (the AA coin code's loaded-DiCE return)"),
  normalize: z
    .boolean()
    .default(false)
    .describe("z-score A and A^opp over the batch before aligning (the code)"),
  normalizeAligned: z.boolean().default(false).describe("z-score A* over the batch before the policy step"),
  maskQuadrants: z
    .array(z.enum(QUADRANTS))
    .default([])
    .describe("ablation: drop the alignment term in these quadrants"),
  opponentCriticWidth: z
    .number()
    .int()
    .min(1)
    .max(1024)
    .optional()
    .describe("capacity of the opponent critic: its dense and GRU width (default: width)"),
  criticLag: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe("align with the opponent critic of this many updates ago (a stale model)"),
  criticNoise: z.number().min(0).default(0).describe("sd of Gaussian noise added to every A^opp entry"),
  alignFrom: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("β = 0 before this update (sandbagging: plays as plain PPO / REINFORCE until then)"),
};

export const aaSchema = z.strictObject({
  lr: z.number().positive().default(1e-3).describe("actor Adam learning rate"),
  lrCritic: z.number().positive().default(1e-3).describe("critics' Adam learning rate"),
  gamma: z.number().min(0).max(1).default(0.96).describe("discount γ"),
  gaeLambda: z.number().min(0).max(1).default(0.95).describe("GAE λ of both critics' advantages"),
  entropy: z.number().min(0).default(0.01).describe("entropy bonus coefficient"),
  maxGradNorm: z.number().positive().default(1).describe("global grad-norm clip per network"),
  ...offPolicyFields,
  criticEpochs: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(4)
    .describe("critic passes over the batch per update"),
  minibatches: z.number().int().min(1).max(4096).default(4).describe("critic minibatches of whole games"),
  actorMinibatches: z
    .number()
    .int()
    .min(1)
    .max(4096)
    .default(1)
    .describe("REINFORCE steps per update, one per minibatch of whole games (1: the paper's one step)"),
  width: z.number().int().min(1).max(1024).default(64).describe("dense and GRU width of every network"),
  ...alignmentFields,
});
export type AaConfig = z.output<typeof aaSchema>;

type AlignmentConfig = Pick<
  AaConfig,
  | "lrCritic"
  | "gamma"
  | "gaeLambda"
  | "beta"
  | "variant"
  | "pastDiscount"
  | "opponentAdvantage"
  | "normalize"
  | "normalizeAligned"
  | "maskQuadrants"
  | "opponentCriticWidth"
  | "criticLag"
  | "criticNoise"
  | "alignFrom"
  | "criticEpochs"
  | "minibatches"
  | "maxGradNorm"
  | "width"
>;

/** Z-score a [T, games] block as one group (the AA code's batch normalisation). */
function zScoreBatch(x: Float64Array, view: SeatView): void {
  normalizePerGroup(x, view.horizon, view.games, view.games);
}

/** The agent's two critics and the A* they give; shared by `aa` and `paa`. */
export class AlignmentCritics {
  readonly own: CoinCritic;
  readonly opponent: CoinCritic;
  /** The opponent critic of the last `criticLag` updates, as a ring: slot u mod k holds update u − k's. */
  readonly pastOpponents: readonly CoinCritic[];
  /** Own critic, opponent critic, then the past opponent critics (their optimisers never step). */
  readonly trainables: readonly Trainable[];
  private readonly mask: Uint8Array;
  private readonly shares = new Float64Array(QUADRANTS.length);
  private ownEst: ValueEstimate = emptyEstimate(0);
  private oppEst: ValueEstimate = emptyEstimate(0);
  /** The A^opp estimate of the lagged critic (only with criticLag > 0). */
  private laggedEst: ValueEstimate = emptyEstimate(0);
  /** The opponent critic of `criticLag` updates ago, as of the update `rotatedAt` (derived from the ring). */
  private readonly stale: CoinCritic;
  private rotatedAt = -1;
  /** A*, [T, games], of the last `aligned` call. */
  aligned = new Float64Array(0);

  constructor(
    private readonly config: AlignmentConfig,
    private readonly ctx: NeuralContext,
    init: ReturnType<typeof streamRng>,
  ) {
    const { env } = ctx;
    const opponentWidth = config.opponentCriticWidth ?? config.width;
    this.own = new CoinCritic(env.obsSize, config.width);
    this.opponent = new CoinCritic(env.obsSize, opponentWidth);
    this.own.init(init);
    this.opponent.init(init);
    this.stale = new CoinCritic(env.obsSize, opponentWidth);
    this.pastOpponents = Array.from({ length: config.criticLag }, () => {
      const past = new CoinCritic(env.obsSize, opponentWidth);
      past.net.params.values.set(this.opponent.net.params.values);
      return past;
    });
    this.trainables = [
      makeTrainable("critic", this.own.net, config.lrCritic),
      makeTrainable("opponentCritic", this.opponent.net, config.lrCritic),
      ...this.pastOpponents.map((past, k) => makeTrainable(`opponentCritic.lag${k}`, past.net, 0)),
    ];
    this.mask = quadrantMask(config.maskQuadrants);
  }

  /**
   * A*_t for the view (into `this.aligned`) and the quadrant diagnostics; `correction` (the off-policy option)
   * corrects the agent's own advantages and targets for its policy's moves since the batch was played. `update`
   * numbers the noise stream and the lag ring (rotated once per update: a re-align within it sees the same stale
   * critic and the same noise) and is compared with `alignFrom` (default 0: a first update).
   */
  align(view: SeatView, correction?: AdvantageCorrection, update = 0): Diagnostics {
    const c = this.config;
    const rows = view.horizon * view.games;
    if (this.aligned.length !== rows) {
      this.aligned = new Float64Array(rows);
      this.ownEst = emptyEstimate(rows);
      this.oppEst = emptyEstimate(rows);
      if (c.criticLag > 0) this.laggedEst = emptyEstimate(rows);
    }
    const own = estimateAdvantages(
      this.own,
      view.own.obs,
      view.own.rewards,
      view,
      c.gamma,
      c.gaeLambda,
      this.ownEst,
      correction,
    );
    const opp = estimateAdvantages(
      this.opponent,
      view.opponent.obs,
      view.opponent.rewards,
      view,
      c.gamma,
      this.opponentLambda(),
      this.oppEst,
    );
    const diagnostics: Diagnostics = {
      "aa.explainedVariance": explainedVariance(own.values, own.returns),
      "aa.opponentExplainedVariance": explainedVariance(opp.values, opp.returns),
    };
    // The opponent model the alignment term sees: the current critic's A^opp, or a stale one, plus noise.
    const modelled = this.opponentModel(view, update, opp.advantages);
    if (c.normalize) {
      zScoreBatch(own.advantages, view);
      zScoreBatch(modelled, view);
    }
    const { gamma, variant, pastDiscount } = c;
    const beta = update < c.alignFrom ? 0 : c.beta;
    alignAdvantages(
      own.advantages,
      modelled,
      own.advantages,
      view.horizon,
      view.games,
      view.games,
      { beta, gamma, variant, pastDiscount },
      this.mask,
      this.shares,
      this.aligned,
    );
    if (c.normalizeAligned) zScoreBatch(this.aligned, view);
    QUADRANTS.forEach((q, k) => {
      diagnostics[`aa.quadrant.${q}`] = this.shares[k];
    });
    return diagnostics;
  }

  /** λ of A^opp: the agent's GAE λ, or 1 for the Monte Carlo return minus V. */
  private opponentLambda(): number {
    return this.config.opponentAdvantage === "monte-carlo" ? 1 : this.config.gaeLambda;
  }

  /**
   * A^opp as the alignment term sees it at update `update`: `current` (the opponent critic's own estimate), or
   * with criticLag k the estimate of the critic of k updates ago (whose slot then takes the current weights), then
   * plus criticNoise·N(0, 1) per row. May return `current` itself, modified in place.
   */
  private opponentModel(view: SeatView, update: number, current: Float64Array): Float64Array {
    const c = this.config;
    let modelled = current;
    if (c.criticLag > 0) {
      if (update !== this.rotatedAt) {
        // Once per update: the slot of u − k becomes the stale critic, then takes the current weights.
        const slot = this.pastOpponents[update % c.criticLag];
        this.stale.net.params.values.set(slot.net.params.values);
        slot.net.params.values.set(this.opponent.net.params.values);
        this.rotatedAt = update;
      }
      const lagged = estimateAdvantages(
        this.stale,
        view.opponent.obs,
        view.opponent.rewards,
        view,
        c.gamma,
        this.opponentLambda(),
        this.laggedEst,
      );
      modelled = lagged.advantages;
    }
    if (c.criticNoise > 0) {
      const rng = streamRng(this.ctx.seed, LEARNER_STREAM.criticNoise, update);
      for (let i = 0; i < modelled.length; i++) modelled[i] += c.criticNoise * rng.normal();
    }
    return modelled;
  }

  /** Fit both critics to their λ-returns of the last `align` call. */
  fit(view: SeatView, update: number): Diagnostics {
    const c = this.config;
    const settings = { epochs: c.criticEpochs, minibatches: c.minibatches, maxGradNorm: c.maxGradNorm };
    const rng = streamRng(this.ctx.seed, LEARNER_STREAM.criticBatches, update);
    return {
      "critic.loss": fitCritic(
        this.trainables[0],
        this.own,
        view.own,
        this.ownEst.returns,
        view,
        settings,
        rng,
      ),
      "opponentCritic.loss": fitCritic(
        this.trainables[1],
        this.opponent,
        view.opponent,
        this.oppEst.returns,
        view,
        settings,
        rng,
      ),
    };
  }
}

export class AaLearner implements NeuralLearner {
  readonly name = "aa";
  readonly policy: CoinPolicy;
  readonly critics: AlignmentCritics;
  private readonly actor: Trainable;
  private scratch = new PolicyScratch(0, 0);
  private batch = emptySeatTrajectory(0, 0, 0);
  private batchAligned = new Float64Array(0);
  private ratios = new Float64Array(0);
  private readonly seed: number;

  constructor(
    readonly config: AaConfig,
    ctx: NeuralContext,
  ) {
    const { env, seed } = ctx;
    this.seed = seed;
    const init = streamRng(seed, LEARNER_STREAM.init, 0);
    this.policy = new CoinPolicy(env.obsSize, config.width, env.nActions);
    this.policy.init(init);
    this.critics = new AlignmentCritics(config, ctx, init);
    this.actor = makeTrainable("actor", this.policy.net, config.lr);
  }

  trainables(): readonly Trainable[] {
    return [this.actor, ...this.critics.trainables];
  }

  update(view: SeatView, update: number): Diagnostics {
    const { horizon: T, games } = view;
    // --- advantages: A, A^opp from the two critics, then A*
    const diagnostics = this.critics.align(view, undefined, update);
    const aligned = this.critics.aligned;
    // The off-policy option: after the first step the policy is not the one that played; re-align with the
    // ratios of the policy as it is (the opponent's record, played by the opponent, needs none).
    const c = this.config;
    if (this.ratios.length !== T * games) this.ratios = new Float64Array(T * games);
    const correction =
      c.offPolicy === "none" ? undefined : { config: offPolicyConfig(c), ratios: this.ratios };
    const realign = (corrected: AdvantageCorrection) => {
      policyRatios(this.policy, view.own, T, games, this.ratios);
      this.critics.align(view, corrected, update);
    };
    // --- policy: REINFORCE steps on −mean A*·log π − entropy·mean H, one per minibatch of whole games (each
    // game used once; `actorMinibatches` = 1 is the paper's single step over the whole batch)
    const steps = this.config.actorMinibatches;
    const mb = games / steps;
    if (this.scratch.logProbs.length !== T * mb) {
      this.scratch = new PolicyScratch(T * mb, this.policy.actions);
      this.batch = emptySeatTrajectory(T, mb, view.obsSize);
      this.batchAligned = new Float64Array(T * mb);
    }
    const { batch, batchAligned } = this;
    const params = this.policy.net.params;
    const entropyCoef = this.config.entropy;
    let entropy = 0;
    const rng = streamRng(this.seed, LEARNER_STREAM.actorBatches, update);
    const picks = steps === 1 ? [identity(games)] : gameMinibatches(games, steps, rng);
    for (const [step, pick] of picks.entries()) {
      if (step > 0 && correction) realign(correction);
      gatherTrajectory(view.own, view.obsSize, T, games, pick, batch);
      gatherGames(aligned, 1, T, games, pick, batchAligned);
      params.zeroGrad();
      policyPass(
        this.policy,
        batch.obs,
        batch.actions,
        T,
        mb,
        (_logProbs, entropies, n, dLogProb, dEntropy) => {
          for (let i = 0; i < n; i++) {
            dLogProb[i] = -batchAligned[i] / n;
            dEntropy[i] = -entropyCoef / n;
            entropy += entropies[i] / n / steps;
          }
        },
        this.scratch,
      );
      clipGradNorm(params.grads, this.config.maxGradNorm);
      this.actor.optimizer.step(params.grads);
    }
    // --- critics (on the corrected targets of the updated policy, with the off-policy option)
    if (correction) realign(correction);
    return {
      ...diagnostics,
      ...this.critics.fit(view, update),
      "aa.entropy": entropy,
      ...(correction ? ratioDiagnostics(this.ratios, T * games) : {}),
    };
  }
}
