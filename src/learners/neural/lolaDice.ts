/**
 * `lola-dice` on neural policies: Learning with Opponent-Learning Awareness through the DiCE estimator
 * (Foerster, Farquhar, Al-Shedivat, Rocktäschel, Xing, Whiteson, ICML 2018, §5), with one look-ahead step of the
 * opponent, as the LOLA-DiCE coin baseline of POLA (Zhao, Lu, Grosse, Foerster, NeurIPS 2022; Silent-Zebra/POLA
 * `jax_files/POLA_dice_jax.py` with `--inner_steps 1 --outer_steps 1 --inner_beta 0 --outer_beta 0`).
 *
 * Agent i (parameters θ_i) and its opponent j. L_k^D(θ_i, θ_j) is agent k's DiCE objective on batch D
 * (./diceObjective.ts). With the look-ahead rate η and the opponent's naive step:
 *
 *   inner batch D ~ (θ_i, θ_j) (the trainer's games):   g_j = ∇_j L_j^D(θ_i, θ_j),   θ_j' = θ_j + η·g_j
 *   outer batch D' ~ (θ_i, θ_j') (fresh games):
 *   d/dθ_i L_i^{D'}(θ_i, θ_j'(θ_i)) = ∂_i L_i^{D'}(θ_i, θ_j') + η·∇_i[ g_j(θ_i, θ_j) · v ],   v = ∂_j L_i^{D'}(θ_i, θ_j')
 *
 * (the chain rule through dθ_j'/dθ_i = η·∂²L_j/∂θ_j∂θ_i, v held fixed), then an Adam ascent step along it (POLA's
 * outer optimiser). The networks have hand-written backward passes and no tape, so the second-order term is a
 * Hessian-vector product by a finite difference of first-order DiCE gradients on the same inner batch. Mixed
 * partials commute, so
 *
 *   ∇_i[ g_j · v ] = ∂/∂ε ∇_i L_j^D(θ_i, θ_j + εv) |_{ε=0}
 *                  ≈ [ ∇_i L_j^D(θ_i, θ_j + εv) − ∇_i L_j^D(θ_i, θ_j − εv) ] / 2ε          (error O(ε²))
 *
 * Off the sampling point L_j^D is the importance-weighted objective, whose gradient in θ_i is the score gradient
 * with coefficients κ^±_u = c_u W^±_u + Σ_{t>u} c_t (W^±_t − W^±_{t−1}), W^±_t = Π_{u≤t} π_j(b_u; θ_j ± εv) /
 * π_j(b_u; θ_j) (θ_i does not move, so its own ratios are 1). Both gradients are linear in κ, so the product costs
 * two forward passes of the opponent's network and ONE backward pass of the agent's, with coefficients
 * (κ⁺ − κ⁻)/2ε. ε makes the parameter step ‖εv‖ = `hvpStep`. Tested against the tabular closed forms
 * (src/learners/sampled/dice.ts, lolaDice.ts) and against central differences of the whole look-ahead objective on
 * a GRU (test/neural-lola-dice.test.ts).
 *
 * When the inner batch was played by other parameters than the current ones (the trainer updated the other seat
 * first; a replayed opponent), the same objective is importance-weighted from the recorded behaviour log-probs μ
 * (W_t = Π_{u≤t} π_i π_j / μ_i μ_j, untruncated: ./offPolicy.ts's per-decision weights), so g_j and the product
 * are taken at the current parameters; at the point that played, W ≡ 1 and nothing changes.
 *
 * LOLA reads the opponent's parameters (as the reference code does): the trainer hands the opponent's network to
 * `setOpponent` before updates. Variance reduction (`baseline`): none; rewards centred per step over the batch
 * (the official LOLA-DiCE code without a critic); or POLA's loaded DiCE with GAE(λ) from two critics the agent
 * fits, one on its own rewards and one on the opponent's (as Advantage Alignment's opponent critic).
 */
import { z } from "zod";
import type { CoinGameEnv } from "../../envs/coin/coinGame.js";
import { InputError } from "../../util/errors.js";
import { DICE_BASELINES, diceCredits, scoreCoefficients, weightsFromLogProbs } from "./diceObjective.js";
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
import { CoinScorePolicy, type ScorePolicy } from "./scorePolicy.js";

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

// ---------------------------------------------------------------------------------------------------------------
// The algorithm, over any policy that can score a record (a table in the tests, the coin GRU below).

/** A batch of whole games seen from the agent: its record and its opponent's, each with rewards `[T, games]`. */
export interface DiceView<Record extends { readonly rewards: ArrayLike<number> }> {
  readonly horizon: number;
  readonly games: number;
  readonly own: Record;
  readonly opponent: Record;
}

export interface LolaDiceParts<
  Record extends { readonly rewards: ArrayLike<number> },
  View extends DiceView<Record> = DiceView<Record>,
> {
  readonly own: ScorePolicy<Record>;
  readonly opponent: ScorePolicy<Record>;
  /** Fresh games of the agent (at its current parameters) against the opponent at `opponentTheta`. */
  rollout(opponentTheta: Float64Array): View;
  /** DiCE credits (./diceObjective.ts) of one side of a view, `[T, games]`, into `out`. */
  credits(view: View, side: "own" | "opponent", out: Float64Array): Float64Array;
  /**
   * log μ(a_t) recorded when the view was played, `[T, games]`. Given, the inner objective is importance-weighted
   * from the policies that played to the current parameters (a trainer that updated the other seat first, a
   * replayed opponent); omitted, the view is taken as played at the current parameters.
   */
  behaviourLogProbs?(view: View, side: "own" | "opponent"): ArrayLike<number>;
}

/** Credits from rewards alone (baseline "none" or "center"). */
export function rewardCredits<Record extends { readonly rewards: ArrayLike<number> }>(
  gamma: number,
  baseline: "none" | "center",
) {
  return (view: DiceView<Record>, side: "own" | "opponent", out: Float64Array) =>
    diceCredits(view[side].rewards, view.horizon, view.games, gamma, baseline, out);
}

/**
 * The LOLA-DiCE ascent direction (header) at (own, opponent) on the inner batch `inner` (played there), into
 * `grad`; one fresh rollout for the outer batch. Returns the diagnostics.
 */
export function lolaDiceDirection<
  Record extends { readonly rewards: ArrayLike<number> },
  View extends DiceView<Record>,
>(
  parts: LolaDiceParts<Record, View>,
  settings: { readonly lrInner: number; readonly hvpStep: number },
  inner: View,
  own: Float64Array,
  opponent: Float64Array,
  grad: Float64Array,
): Diagnostics {
  const eta = settings.lrInner;
  // --- inner: the opponent's naive step on its own objective (credits ÷ games: every gradient is a batch mean)
  const { horizon: T, games: B } = inner;
  const rows = T * B;
  const innerCredits = scaled(parts.credits(inner, "opponent", new Float64Array(rows)), 1 / B);
  const played = playedBy(parts, inner, own, opponent);
  // Off the point that played, the inner gradient is the importance-weighted one (κ from W ≠ 1).
  const innerCoefficients = played
    ? scoreCoefficients(
        innerCredits,
        weightsFromLogProbs(played.current, played.behaviour, T, B, new Float64Array(rows)),
        T,
        B,
        new Float64Array(rows),
      )
    : innerCredits;
  const gInner = parts.opponent.scoreGradient(
    opponent,
    inner.opponent,
    T,
    B,
    innerCoefficients,
    new Float64Array(opponent.length),
  );
  const lookedAhead = new Float64Array(opponent.length);
  for (let k = 0; k < opponent.length; k++) lookedAhead[k] = opponent[k] + eta * gInner[k];

  // --- outer: the agent's objective against the looked-ahead opponent, in both agents' parameters
  const outer = parts.rollout(lookedAhead);
  const outerRows = outer.horizon * outer.games;
  const outerCredits = scaled(parts.credits(outer, "own", new Float64Array(outerRows)), 1 / outer.games);
  parts.own.scoreGradient(own, outer.own, outer.horizon, outer.games, outerCredits, grad);
  const v = parts.opponent.scoreGradient(
    lookedAhead,
    outer.opponent,
    outer.horizon,
    outer.games,
    outerCredits,
    new Float64Array(opponent.length),
  );

  // --- shaping: η ∇_i[g_j · v] by the central difference of ∇_i L_j on the inner batch at θ_j ± εv
  const shaping = new Float64Array(own.length);
  const epsilon = diceHessianVectorProduct(
    parts,
    inner,
    innerCredits,
    own,
    opponent,
    v,
    settings.hvpStep,
    shaping,
    played,
  );
  const ownNorm = norm(grad);
  for (let k = 0; k < grad.length; k++) grad[k] += eta * shaping[k];
  return {
    "lolaDice.ownGradNorm": ownNorm,
    "lolaDice.shapingNorm": eta * norm(shaping),
    "lolaDice.innerStepNorm": eta * norm(gInner),
    "lolaDice.hvpEpsilon": epsilon,
    "lolaDice.innerMaxWeight": played
      ? maxOf(weightsFromLogProbs(played.current, played.behaviour, T, B, new Float64Array(rows)))
      : 1,
    "lolaDice.lookaheadReward": meanOf(outer.own.rewards, outerRows),
    "lolaDice.lookaheadOpponentReward": meanOf(outer.opponent.rewards, outerRows),
  };
}

/**
 * How an inner view was played, for importance weights: Σ of both agents' log π at the current parameters and
 * Σ of their recorded log μ, per step, and the agent's own log-ratio log π_own − log μ_own alone.
 */
export interface PlayedBy {
  readonly current: Float64Array;
  readonly behaviour: Float64Array;
  readonly ownLogRatio: Float64Array;
}

/** The importance-weight inputs of `inner`, or null when the parts record no behaviour log-probs (W ≡ 1). */
function playedBy<Record extends { readonly rewards: ArrayLike<number> }, View extends DiceView<Record>>(
  parts: LolaDiceParts<Record, View>,
  inner: View,
  own: Float64Array,
  opponent: Float64Array,
): PlayedBy | null {
  if (!parts.behaviourLogProbs) return null;
  const { horizon: T, games: B } = inner;
  const ownBehaviour = parts.behaviourLogProbs(inner, "own");
  const opponentBehaviour = parts.behaviourLogProbs(inner, "opponent");
  const ownLogRatio = parts.own.logProbs(own, inner.own, T, B, new Float64Array(T * B));
  const current = parts.opponent.logProbs(opponent, inner.opponent, T, B, new Float64Array(T * B));
  const behaviour = new Float64Array(T * B);
  for (let n = 0; n < T * B; n++) {
    ownLogRatio[n] -= ownBehaviour[n];
    current[n] += ownLogRatio[n];
    behaviour[n] = opponentBehaviour[n];
  }
  return { current, behaviour, ownLogRatio };
}

/**
 * out = ∇_own[ ∇_opp L_opp(own, opponent) · v ] on `inner`, with the opponent's credits `opponentCredits` (÷ games),
 * by the central difference of the importance-weighted gradient ∇_own L_opp at opponent ± εv (header),
 * ε = step / ‖v‖. Returns ε (0 when v = 0, and then out = 0). `played` (see `PlayedBy`) makes the weights run from
 * the recorded behaviour policies; null means the view was played at (own, opponent).
 */
export function diceHessianVectorProduct<Record extends { readonly rewards: ArrayLike<number> }>(
  parts: Pick<LolaDiceParts<Record>, "own" | "opponent">,
  inner: DiceView<Record>,
  opponentCredits: Float64Array,
  own: Float64Array,
  opponent: Float64Array,
  v: Float64Array,
  step: number,
  out: Float64Array,
  played: PlayedBy | null = null,
): number {
  const { horizon: T, games: B } = inner;
  const vNorm = norm(v);
  out.fill(0);
  if (vNorm === 0) return 0;
  const epsilon = step / vNorm;
  const reference = played
    ? played.behaviour
    : parts.opponent.logProbs(opponent, inner.opponent, T, B, new Float64Array(T * B));
  const shifted = new Float64Array(opponent.length);
  const coefficients = (sign: 1 | -1) => {
    for (let k = 0; k < opponent.length; k++) shifted[k] = opponent[k] + sign * epsilon * v[k];
    const lp = parts.opponent.logProbs(shifted, inner.opponent, T, B, new Float64Array(T * B));
    if (played) for (let n = 0; n < T * B; n++) lp[n] += played.ownLogRatio[n];
    const W = weightsFromLogProbs(lp, reference, T, B, lp);
    return scoreCoefficients(opponentCredits, W, T, B, new Float64Array(T * B));
  };
  const plus = coefficients(1);
  const minus = coefficients(-1);
  for (let n = 0; n < T * B; n++) plus[n] = (plus[n] - minus[n]) / (2 * epsilon);
  parts.own.scoreGradient(own, inner.own, T, B, plus, out);
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

function maxOf(x: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) if (x[i] > m) m = x[i];
  return m;
}

function meanOf(x: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

// ---------------------------------------------------------------------------------------------------------------
// The Coin Game learner (the neural family's contract, ./learner.ts).

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
    const diagnostics = lolaDiceDirection(parts, c, view, own, opponent, direction);
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
