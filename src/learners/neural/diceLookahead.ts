/**
 * One LOLA-DiCE look-ahead on any policy that can score a record (src/learners/neural/scorePolicy.ts: the Coin
 * Game GRU, or a table in the tests): the direction d/dθ_i L_i(θ_i, θ_j + η g_j) of ./lolaDice.ts, with its
 * second-order term computed without an autodiff tape.
 *
 *   inner batch D ~ (θ_i, θ_j):   g_j = ∇_j L_j^D(θ_i, θ_j),   θ_j' = θ_j + η·g_j
 *   outer batch D' ~ (θ_i, θ_j'):  d = ∂_i L_i^{D'}(θ_i, θ_j') + η·∇_i[ g_j(θ_i, θ_j) · v ],   v = ∂_j L_i^{D'}(θ_i, θ_j')
 *
 * (the chain rule through dθ_j'/dθ_i = η·∂²L_j/∂θ_j∂θ_i, v held fixed). Mixed partials commute, so the product is
 * a directional derivative of a first-order gradient:
 *
 *   ∇_i[ g_j · v ] = ∂/∂ε ∇_i L_j^D(θ_i, θ_j + εv) |_{ε=0}
 *                  ≈ [ ∇_i L_j^D(θ_i, θ_j + εv) − ∇_i L_j^D(θ_i, θ_j − εv) ] / 2ε          (error O(ε²))
 *
 * Off the point where D was played, L_j^D is the importance-weighted objective of ./diceObjective.ts, whose
 * gradient in θ_i is the score gradient with coefficients κ^±_u = c_u W^±_u + Σ_{t>u} c_t (W^±_t − W^±_{t−1}),
 * W^±_t = Π_{u≤t} π_j(b_u; θ_j ± εv) / π_j(b_u; θ_j) (θ_i does not move, so its own ratios are 1). Both gradients
 * are linear in κ, so the product costs two forward passes of the opponent's network and ONE backward pass of the
 * agent's, with coefficients (κ⁺ − κ⁻)/2ε. ε makes the parameter step ‖εv‖ = `hvpStep`.
 *
 * When D was played by other parameters than the current ones (a trainer that updated the other seat first; a
 * replayed opponent), the same objective is importance-weighted from the recorded behaviour log-probs μ
 * (W_t = Π_{u≤t} π_i π_j / μ_i μ_j: ./offPolicy.ts's per-decision weights), so g_j and the product are
 * taken at the current parameters; at the point that played, W ≡ 1 and nothing changes. Optionally each step's
 * ratio is truncated at ρ̄ > 1 (`maxRatio`, V-trace's trade of bias for bounded variance): the objective then has
 * W̃_t = Π min(ρ̄, ρ_u), whose gradient drops the scores of the truncated steps (./diceObjective.ts); it is only
 * piecewise smooth, so the product is the finite difference on the smooth piece of the current point (the
 * truncation mask held fixed), the derivative almost everywhere.
 *
 * Tested against the tabular closed forms (src/learners/sampled/dice.ts, lolaDice.ts) and against central
 * differences of the whole look-ahead objective on a GRU (test/neural-lola-dice.test.ts).
 */
import type { Diagnostics } from "./learner.js";
import { diceCredits, scoreCoefficients, truncatedWeights } from "./diceObjective.js";
import type { ScorePolicy } from "./scorePolicy.js";

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

export interface LookaheadSettings {
  /** η, the opponent's look-ahead step. */
  readonly lrInner: number;
  /** ‖εv‖ of the Hessian-vector product's central difference. */
  readonly hvpStep: number;
  /** ρ̄ > 1 truncating each step's importance ratio in an off-policy inner batch; ∞ (default) = exact. */
  readonly maxRatio?: number;
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
  settings: LookaheadSettings,
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
  const maxRatio = settings.maxRatio ?? Number.POSITIVE_INFINITY;
  const played = playedBy(parts, inner, own, opponent, maxRatio);
  // Off the point that played, the inner gradient is the importance-weighted one (κ from W ≠ 1).
  const innerCoefficients = played
    ? scoreCoefficients(innerCredits, played.weights, T, B, new Float64Array(rows), played.mask)
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
    "lolaDice.innerMaxWeight": played ? maxOf(played.weights) : 1,
    "lolaDice.innerTruncated": played ? 1 - meanOf(played.mask, rows) : 0,
    "lolaDice.lookaheadReward": meanOf(outer.own.rewards, outerRows),
    "lolaDice.lookaheadOpponentReward": meanOf(outer.opponent.rewards, outerRows),
  };
}

/**
 * How an inner view was played, for importance weights: Σ of both agents' log π at the current parameters and
 * Σ of their recorded log μ, per step; the agent's own log-ratio log π_own − log μ_own alone; and the (truncated)
 * cumulative weights at the current parameters with their mask.
 */
export interface PlayedBy {
  readonly current: Float64Array;
  readonly behaviour: Float64Array;
  readonly ownLogRatio: Float64Array;
  readonly maxRatio: number;
  readonly weights: Float64Array;
  readonly mask: Uint8Array;
}

/** The importance-weight inputs of `inner`, or null when the parts record no behaviour log-probs (W ≡ 1). */
function playedBy<Record extends { readonly rewards: ArrayLike<number> }, View extends DiceView<Record>>(
  parts: LolaDiceParts<Record, View>,
  inner: View,
  own: Float64Array,
  opponent: Float64Array,
  maxRatio: number,
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
  const mask = new Uint8Array(T * B);
  const weights = truncatedWeights(current, behaviour, maxRatio, T, B, new Float64Array(T * B), mask);
  return { current, behaviour, ownLogRatio, maxRatio, weights, mask };
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
  const mask = new Uint8Array(T * B);
  const coefficients = (sign: 1 | -1) => {
    for (let k = 0; k < opponent.length; k++) shifted[k] = opponent[k] + sign * epsilon * v[k];
    const lp = parts.opponent.logProbs(shifted, inner.opponent, T, B, new Float64Array(T * B));
    if (played) for (let n = 0; n < T * B; n++) lp[n] += played.ownLogRatio[n];
    // On the smooth piece of the base point (its truncation mask), so the difference never straddles a kink.
    const W = played
      ? truncatedWeights(lp, reference, played.maxRatio, T, B, lp, mask, played.mask)
      : truncatedWeights(lp, reference, Number.POSITIVE_INFINITY, T, B, lp, mask);
    return scoreCoefficients(opponentCredits, W, T, B, new Float64Array(T * B), mask);
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
