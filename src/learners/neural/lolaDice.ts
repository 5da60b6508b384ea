/**
 * `lola-dice` on neural policies: Learning with Opponent-Learning Awareness through the DiCE estimator
 * (Foerster, Farquhar, Al-Shedivat, Rocktäschel, Xing, Whiteson, ICML 2018, §5), with one look-ahead step of the
 * opponent, as the LOLA-DiCE coin baseline of POLA (Zhao, Lu, Grosse, Foerster, NeurIPS 2022; Silent-Zebra/POLA
 * `jax_files/POLA_dice_jax.py` with `--inner_steps 1 --outer_steps 1 --inner_beta 0 --outer_beta 0`).
 *
 * Agent i (parameters θ_i) and its opponent j; L_k^D is agent k's DiCE objective on batch D (./diceObjective.ts):
 *
 *   θ_j' = θ_j + η·∇_j L_j^D(θ_i, θ_j)                      D: the trainer's games
 *   θ_i ← θ_i + Adam( d/dθ_i L_i^{D'}(θ_i, θ_j'(θ_i)) )      D': fresh games against θ_j'
 *
 * The direction and its Hessian-vector product by finite differences of importance-weighted first-order DiCE
 * gradients (our networks have no autodiff tape) are ./diceLookahead.ts; this file is the Coin Game learner around
 * it: the actor and its Adam optimiser (POLA's outer optimiser), the look-ahead rollout, the critics.
 *
 * LOLA reads the opponent's parameters (as the reference code does): the trainer hands the opponent's network to
 * `setOpponent` before updates. Variance reduction (`baseline`): none; rewards centred per step over the batch
 * (the official LOLA-DiCE code without a critic); or POLA's loaded DiCE with GAE(λ) from two critics the agent
 * fits, one on its own rewards and one on the opponent's (as Advantage Alignment's opponent critic).
 */
import * as z from "../../zod.js";
import { CoinGameEnv } from "../../envs/coin/coinGame.js";
import { InputError } from "../../util/errors.js";
import { DICE_BASELINES, diceCredits } from "./diceObjective.js";
import { type LolaDiceParts, lolaDiceDirection, rewardCredits } from "./diceLookahead.js";
import type { NeuralLearnerEntry } from "./index.js";
import {
  type Diagnostics,
  emptyEstimate,
  estimateAdvantages,
  fitCritic,
  LEARNER_STREAM,
  makeTrainable,
  type NeuralContext,
  type NeuralLearner,
  streamRng,
  type Trainable,
  type ValueEstimate,
} from "./learner.js";
import { CoinCritic, CoinPolicy } from "./nets.js";
import { rolloutNeuralCoin, type SeatTrajectory, type SeatView, seatView } from "./rollout.js";
import { CoinScorePolicy } from "./scorePolicy.js";

export const lolaDiceSchema = z.strictObject({
  lrInner: z
    .number()
    .positive()
    .default(0.003)
    .describe("η: the opponent's look-ahead step, plain gradient ascent (POLA's coin LOLA-DiCE: 0.003)"),
  lr: z
    .number()
    .positive()
    .default(0.003)
    .describe("actor Adam learning rate (POLA's coin LOLA-DiCE: 0.003)"),
  gamma: z.number().min(0).max(1).default(0.96).describe("discount γ of the DiCE objective"),
  baseline: z
    .enum(DICE_BASELINES)
    .default("center")
    .describe(
      "variance reduction: none, rewards centred per step (LOLA-DiCE code), critic (POLA's loaded DiCE)",
    ),
  hvpStep: z
    .number()
    .positive()
    .max(1)
    .default(1e-2)
    .describe("norm ‖εv‖ of the parameter step of the Hessian-vector product's central difference"),
  maxRatio: z
    .number()
    .gt(1)
    .nullable()
    .default(null)
    .describe(
      "ρ̄ > 1: truncate each step's importance ratio of an off-policy inner batch (replayed opponents); null = exact",
    ),
  gaeLambda: z.number().min(0).max(1).default(1).describe("GAE λ of the critic baseline (POLA: 1)"),
  lrCritic: z.number().positive().default(5e-4).describe("critics' Adam learning rate (POLA's lr_v: 5e-4)"),
  criticEpochs: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(1)
    .describe("critic passes over the batch per update"),
  minibatches: z.number().int().min(1).max(4096).default(1).describe("critic minibatches of whole games"),
  maxGradNorm: z.number().positive().default(1).describe("global grad-norm clip of each critic step"),
  width: z.number().int().min(1).max(1024).default(64).describe("dense and GRU width of every network"),
});
export type LolaDiceConfig = z.output<typeof lolaDiceSchema>;

/** Random stream of the look-ahead rollouts (apart from ./learner.ts's LEARNER_STREAM and trainCoin's TRAIN_STREAM keys). */
export const LOLA_DICE_STREAM = { lookahead: 31 } as const;

export class LolaDiceLearner implements NeuralLearner {
  readonly name = "lola-dice";
  readonly policy: CoinPolicy;
  private readonly actor: Trainable;
  private readonly critics: {
    own: CoinCritic;
    opponent: CoinCritic;
    trainables: [Trainable, Trainable];
  } | null;
  private readonly env: CoinGameEnv;
  private readonly score: CoinScorePolicy;
  /** The opponent as the look-ahead plays it: a network of its own, loaded with θ_j'. */
  private readonly lookahead: CoinPolicy;
  private opponent: CoinPolicy | null = null;
  private seat: 0 | 1 = 0;
  /** Work buffers of the own and the opponent critic's estimates. */
  private readonly estimates: [ValueEstimate, ValueEstimate] = [emptyEstimate(0), emptyEstimate(0)];

  constructor(
    readonly config: LolaDiceConfig,
    private readonly ctx: NeuralContext,
  ) {
    const { env, seed } = ctx;
    // Its look-ahead plays Coin Games itself, so it needs that env, not just its shape.
    if (!(env instanceof CoinGameEnv))
      throw new InputError(
        "learner",
        "lola-dice runs on the Coin Game only (its look-ahead plays coin games)",
      );
    this.env = env;
    const init = streamRng(seed, LEARNER_STREAM.init, 0);
    this.policy = new CoinPolicy(env.obsSize, config.width, env.nActions);
    this.policy.init(init);
    this.actor = makeTrainable("actor", this.policy.net, config.lr);
    if (config.baseline === "critic") {
      const own = new CoinCritic(env.obsSize, config.width);
      const opponent = new CoinCritic(env.obsSize, config.width);
      own.init(init);
      opponent.init(init);
      this.critics = {
        own,
        opponent,
        trainables: [
          makeTrainable("critic", own.net, config.lrCritic),
          makeTrainable("opponentCritic", opponent.net, config.lrCritic),
        ],
      };
    } else {
      this.critics = null;
    }
    this.score = new CoinScorePolicy(env.obsSize, config.width, env.nActions);
    this.lookahead = new CoinPolicy(env.obsSize, config.width, env.nActions);
  }

  /** The opponent's network (LOLA looks through its parameters) and this learner's seat in the trainer's games. */
  setOpponent(opponent: CoinPolicy, seat: 0 | 1): void {
    if (opponent.net.params.size !== this.score.size) {
      throw new RangeError(
        `lola-dice: the opponent's actor has ${opponent.net.params.size} parameters, this one ${this.score.size} ` +
          "(the look-ahead needs the same architecture)",
      );
    }
    this.opponent = opponent;
    this.seat = seat;
  }

  trainables(): readonly Trainable[] {
    return this.critics ? [this.actor, ...this.critics.trainables] : [this.actor];
  }

  update(view: SeatView, update: number): Diagnostics {
    const opponentPolicy = this.opponent;
    if (!opponentPolicy) {
      throw new InputError(
        "opponent",
        "lola-dice looks through a learning opponent's network (setOpponent); a fixed agent has none: " +
          "pair it with a neural learner or self-play",
      );
    }
    const c = this.config;
    const own = Float64Array.from(this.policy.net.params.values);
    const opponent = Float64Array.from(opponentPolicy.net.params.values);
    const parts: LolaDiceParts<SeatTrajectory, SeatView> = {
      own: this.score,
      opponent: this.score,
      rollout: (theta) => this.lookaheadRollout(theta, view.games, update),
      credits: this.critics
        ? (v, side, out) => this.criticCredits(v, side, out)
        : rewardCredits(c.gamma, c.baseline as "none" | "center"),
      // The rollout recorded log μ of both seats: the trainer may have moved the other seat since it played.
      behaviourLogProbs: (v, side) => v[side].logProbs,
    };
    // --- policy: the LOLA-DiCE direction, one Adam ascent step
    const direction = new Float64Array(own.length);
    const settings = {
      lrInner: c.lrInner,
      hvpStep: c.hvpStep,
      maxRatio: c.maxRatio ?? Number.POSITIVE_INFINITY,
    };
    const diagnostics = lolaDiceDirection(parts, settings, view, own, opponent, direction);
    const grads = this.policy.net.params.grads;
    for (let k = 0; k < direction.length; k++) grads[k] = -direction[k]; // Adam descends
    this.actor.optimizer.step(grads);
    // --- critics: regress both on their λ-returns of the trainer's games
    if (this.critics) {
      const settings = { epochs: c.criticEpochs, minibatches: c.minibatches, maxGradNorm: c.maxGradNorm };
      const rng = streamRng(this.ctx.seed, LEARNER_STREAM.criticBatches, update);
      const ownEst = this.estimate(view, "own");
      const oppEst = this.estimate(view, "opponent");
      diagnostics["critic.loss"] = fitCritic(
        this.critics.trainables[0],
        this.critics.own,
        view.own,
        ownEst.returns,
        view,
        settings,
        rng,
      );
      diagnostics["opponentCritic.loss"] = fitCritic(
        this.critics.trainables[1],
        this.critics.opponent,
        view.opponent,
        oppEst.returns,
        view,
        settings,
        rng,
      );
    }
    return diagnostics;
  }

  /** Fresh games of the live actor against the looked-ahead opponent θ_j', seen from this learner's seat. */
  private lookaheadRollout(opponentTheta: Float64Array, games: number, update: number): SeatView {
    this.lookahead.net.params.values.set(opponentTheta);
    const mine = { policy: this.policy };
    const theirs = { policy: this.lookahead };
    const rollout = rolloutNeuralCoin(this.env, this.seat === 0 ? [mine, theirs] : [theirs, mine], {
      games,
      seed: this.ctx.seed,
      keys: [LOLA_DICE_STREAM.lookahead, update],
    });
    return seatView(rollout, this.seat);
  }

  /** V, GAE(λ) advantages and λ-returns of one side's critic (own rewards, or the opponent's) on a view. */
  private estimate(view: SeatView, side: "own" | "opponent"): ValueEstimate {
    const critics = this.critics as NonNullable<typeof this.critics>;
    const rows = view.horizon * view.games;
    const k = side === "own" ? 0 : 1;
    if (this.estimates[k].values.length !== rows) this.estimates[k] = emptyEstimate(rows);
    const critic = side === "own" ? critics.own : critics.opponent;
    const { gamma, gaeLambda } = this.config;
    return estimateAdvantages(
      critic,
      view[side].obs,
      view[side].rewards,
      view,
      gamma,
      gaeLambda,
      this.estimates[k],
    );
  }

  /** Loaded-DiCE credits γ^t A_t from the critic of the side asked for. */
  private criticCredits(view: SeatView, side: "own" | "opponent", out: Float64Array): Float64Array {
    const { advantages } = this.estimate(view, side);
    return diceCredits(
      view[side].rewards,
      view.horizon,
      view.games,
      this.config.gamma,
      "critic",
      out,
      advantages,
    );
  }
}

/** The learner entry (issue 13 §1): declared once, listed in ./index.ts's NEURAL_LEARNERS. */
export const lolaDiceEntry: NeuralLearnerEntry<LolaDiceConfig> = {
  name: "lola-dice",
  label: "LOLA-DiCE",
  family: "neural",
  summary:
    "looks one naive step ahead of the opponent through the DiCE objective (Hessian-vector product by finite differences)",
  reference:
    "Foerster, Farquhar et al., ICML 2018 (DiCE §5); the LOLA-DiCE coin baseline of Zhao et al., NeurIPS 2022",
  schema: lolaDiceSchema,
  create: (config, ctx) => new LolaDiceLearner(config, ctx),
};
