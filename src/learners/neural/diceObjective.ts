/**
 * The DiCE objective of one agent on a recorded batch, as a function of both agents' parameters, and the
 * per-step coefficients of its gradient (Foerster, Farquhar, Al-Shedivat, Rocktäschel, Xing, Whiteson, "DiCE: The
 * Infinitely Differentiable Monte-Carlo Estimator", ICML 2018; the loaded form with advantages is Farquhar et al.
 * 2019, "Loaded DiCE", which POLA's coin code uses). Networks here have hand-written backward passes and no tape,
 * so the magic box is written out as what it is on a fixed batch: an importance weight.
 *
 * Batch: B games × T steps played at parameters (θ₁⁰, θ₂⁰). Let ρ^k_u(θ_k) = π_k(a^k_u; θ_k) / π_k(a^k_u; θ_k⁰) and
 * the cumulative weight W_t = Π_{u ≤ t} ρ¹_u ρ²_u (W_{−1} = 1). The magic box ⊡(τ_t) = exp(τ_t − ⊥τ_t) over both
 * agents' cumulative log-probabilities τ_t has, at every order, the derivatives of W_t at θ⁰ (both are
 * exp(τ_t(θ) − τ_t(θ⁰)) with the subtrahend frozen). So the DiCE objective of agent i is the function
 *
 *   L_i(θ₁, θ₂) = (1/B) Σ_g Σ_t (W_t − W_{t−1}) · c_t                                          (W ≡ 1 at θ⁰)
 *
 * with per-step credits c_t (`diceCredits`):
 *   plain DiCE        c_t = Σ_{s ≥ t} γ^s r^i_s       (summation by parts of Σ_t W_t γ^t r_t, up to the constant
 *                                                      W_{−1}·c_0, which has no gradient)
 *   centred rewards   the same with r^i_s − mean_g r^i_s (the official LOLA-DiCE code without a baseline)
 *   loaded DiCE       c_t = γ^t A_t, A_t = GAE(λ) of a critic V (POLA's coin objective; λ = 1: A_t = G_t − V_t)
 *
 * Its gradient in θ_k at any parameters (W not necessarily 1), with S^k_t = Σ_{u ≤ t} ∇ log π_k(a^k_u):
 *   ∇_k L_i = (1/B) Σ_g Σ_t c_t (W_t S^k_t − W_{t−1} S^k_{t−1}) = (1/B) Σ_g Σ_u κ_u ∇ log π_k(a^k_u),
 *   κ_u = c_u W_u + Σ_{t > u} c_t (W_t − W_{t−1})                                   (`scoreCoefficients`)
 * At θ⁰ (W ≡ 1), κ = c: the first-order DiCE gradient is REINFORCE with credits c. Elsewhere it is the gradient of
 * the importance-weighted objective on the same batch, which is what a finite difference over parameters needs
 * (src/learners/neural/lolaDice.ts).
 */
import { cumulativeRatios, importanceRatios } from "./offPolicy.js";

export const DICE_BASELINES = ["none", "center", "critic"] as const;
export type DiceBaseline = (typeof DICE_BASELINES)[number];

/**
 * Credits c_t (header) of one agent from its rewards `[T, games]`, into `out` (`[T, games]`). "critic" reads the
 * agent's GAE(λ) advantages `[T, games]` from its critic (src/learners/neural/learner.ts's `estimateAdvantages`).
 */
export function diceCredits(
  rewards: ArrayLike<number>,
  horizon: number,
  games: number,
  gamma: number,
  baseline: DiceBaseline,
  out: Float64Array,
  advantages?: ArrayLike<number>,
): Float64Array {
  const T = horizon;
  const B = games;
  if (baseline === "critic") {
    if (!advantages) throw new RangeError("diceCredits: the critic baseline needs the critic's advantages");
    for (let t = 0, d = 1; t < T; t++, d *= gamma) {
      for (let g = 0; g < B; g++) out[t * B + g] = d * advantages[t * B + g];
    }
    return out;
  }
  let discount = 1;
  for (let t = 0; t < T; t++, discount *= gamma) {
    let mean = 0;
    if (baseline === "center") {
      for (let g = 0; g < B; g++) mean += rewards[t * B + g];
      mean /= B;
    }
    for (let g = 0; g < B; g++) out[t * B + g] = discount * (rewards[t * B + g] - mean);
  }
  // Reverse cumulative sum over t: c_t = Σ_{s ≥ t} γ^s r_s.
  for (let t = T - 2; t >= 0; t--) for (let g = 0; g < B; g++) out[t * B + g] += out[(t + 1) * B + g];
  return out;
}

/**
 * κ_u = m_u·(c_u W_u + Σ_{t > u} c_t (W_t − W_{t−1})) per game, `[T, batch]`, from credits `c` and cumulative
 * weights `W` (null: W ≡ 1, so κ = c). `mask` m (default all 1) zeroes the steps whose ratio was truncated: there
 * min(ρ̄, ρ_u) does not depend on the parameters (`truncatedWeights`). `out` must not alias `credits`.
 */
export function scoreCoefficients(
  credits: Float64Array,
  weights: Float64Array | null,
  horizon: number,
  batch: number,
  out: Float64Array,
  mask?: Uint8Array,
): Float64Array {
  if (!weights) {
    out.set(credits.subarray(0, horizon * batch));
    return out;
  }
  for (let g = 0; g < batch; g++) {
    let later = 0; // Σ_{t > u} c_t (W_t − W_{t−1})
    for (let u = horizon - 1; u >= 0; u--) {
      const i = u * batch + g;
      out[i] = mask && mask[i] === 0 ? 0 : credits[i] * weights[i] + later;
      const before = u > 0 ? weights[i - batch] : 1;
      later += credits[i] * (weights[i] - before);
    }
  }
  return out;
}

/**
 * Truncated cumulative weights W̃_t = Π_{u ≤ t} min(ρ̄, ρ_u), ρ_u = exp(logProbs_u − reference_u), `[T, batch]`, and
 * the mask of the steps left untruncated (ρ_u < ρ̄), whose scores W̃ still depends on. ρ̄ = ∞ gives the exact
 * weights of `weightsFromLogProbs` and a mask of ones. The truncated objective is V-trace's trade (./offPolicy.ts):
 * bounded weights for a bias where π strays far from μ.
 *
 * W̃ is only piecewise smooth: its gradient jumps where a ratio crosses ρ̄. With `piece` (a mask computed at some
 * base point) every step keeps that point's choice, ρ_u if untruncated there and ρ̄ if not, so a finite difference
 * around the base point differentiates one smooth piece instead of straddling kinks; `mask` is then `piece`.
 */
export function truncatedWeights(
  logProbs: Float64Array,
  reference: ArrayLike<number>,
  maxRatio: number,
  horizon: number,
  batch: number,
  out: Float64Array,
  mask: Uint8Array,
  piece?: Uint8Array,
): Float64Array {
  importanceRatios(logProbs, reference, out);
  for (let i = 0; i < horizon * batch; i++) {
    mask[i] = piece ? piece[i] : out[i] < maxRatio ? 1 : 0;
    if (!mask[i]) out[i] = maxRatio;
  }
  return cumulativeRatios(out, horizon, batch, out);
}

/** W_t = Π_{u ≤ t} π(a_u; θ)/π(a_u; θ⁰) of one agent from its log-probabilities at θ and at θ⁰, `[T, batch]`. */
export function weightsFromLogProbs(
  logProbs: Float64Array,
  logProbsAtSample: Float64Array,
  horizon: number,
  batch: number,
  out: Float64Array,
): Float64Array {
  importanceRatios(logProbs, logProbsAtSample, out);
  return cumulativeRatios(out, horizon, batch, out);
}
