/**
 * The alignment term of Advantage Alignment (Duque et al., "Advantage Alignment Algorithms", ICLR 2025) and its
 * sign-quadrant bookkeeping, shared by the tabular learner (src/learners/sampled/aa.ts) and the neural ones
 * (src/learners/neural/aa.ts, paa.ts). Per game, over `[T, batch]` advantages:
 *
 *   discounted     A*_t = A_t + β·γ·( Σ_{k<t} (ρ·γ)^{t−k} A^past_k )·A^opp_t           (the paper's formula: ρ = 1)
 *   running-mean   A*_t = A_t + β·( (1/t)·Σ_{k<t} A^past_k )·A^opp_t,   0 at t = 0     (the authors' code)
 *
 * ρ (`pastDiscount`, default 1) shortens the memory of the past sum: the AA coin code's loaded-DiCE shaping term
 * (MiladInk/loqa `coin_train.py::differentiable_loaded_dice_returns`, DiCE discount 0.9) is, after swapping its
 * two sums, β·γ·Σ_{k<t} (0.9·γ)^{t−1−k} A_k·A^opp_t, i.e. this form with ρ = 0.9 and β scaled by 1/(0.9·γ).
 * A^past is the agent's own advantage (the paper) or another estimate the caller passes (the tabular
 * "opponent-action" option). Quadrants of (sign past term, sign A^opp): "++" cooperative, "+-" empathetic,
 * "-+" vengeful, "--" spiteful. `shares` gets, per group of games, the fraction of Σ_t |alignment term| in each
 * quadrant, measured BEFORE masking (so an ablation run shows what it removed); masked quadrants contribute 0
 * to A*.
 */

export const AA_VARIANTS = ["discounted", "running-mean"] as const;
export type AaVariant = (typeof AA_VARIANTS)[number];
/** Sign quadrants of (past own advantage, opponent advantage), in diagnostics order. */
export const QUADRANTS = ["++", "+-", "-+", "--"] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export interface AlignmentSettings {
  beta: number;
  gamma: number;
  variant: AaVariant;
  /** ρ: the discounted past sum decays by ρ·γ per step (1: the paper's γ^{t−k}); unused by running-mean. */
  pastDiscount?: number;
}

/** A 0/1 mask per quadrant (QUADRANTS order) from the listed quadrants. */
export function quadrantMask(masked: readonly Quadrant[]): Uint8Array {
  const mask = new Uint8Array(QUADRANTS.length);
  for (const q of masked) mask[QUADRANTS.indexOf(q)] = 1;
  return mask;
}

/**
 * out = A* from `own`, `opponent` and `past` advantages (all `[T, batch]`); `shares` ([groups, 4]) is
 * overwritten with each group's quadrant shares of |alignment term|.
 */
export function alignAdvantages(
  own: Float64Array,
  opponent: Float64Array,
  past: Float64Array,
  horizon: number,
  batch: number,
  gamesPerGroup: number,
  settings: AlignmentSettings,
  mask: Uint8Array,
  shares: Float64Array,
  out: Float64Array,
): Float64Array {
  shares.fill(0);
  accumulateAlignment(own, opponent, past, horizon, batch, gamesPerGroup, settings, mask, shares, out);
  normalizeQuadrantShares(shares);
  return out;
}

/**
 * The same A*, but `shares` only accumulates Σ |alignment term| per group and quadrant, so a caller forming A*
 * for several agents (the N-player AA) can normalise once over all of them with `normalizeQuadrantShares`.
 */
export function accumulateAlignment(
  own: Float64Array,
  opponent: Float64Array,
  past: Float64Array,
  horizon: number,
  batch: number,
  gamesPerGroup: number,
  settings: AlignmentSettings,
  mask: Uint8Array,
  shares: Float64Array,
  out: Float64Array,
): Float64Array {
  const { beta, gamma, variant } = settings;
  const decay = gamma * (settings.pastDiscount ?? 1);
  const runningMean = variant === "running-mean";
  const weight = runningMean ? beta : beta * gamma;
  for (let g = 0; g < batch; g++) {
    const k = (g / gamesPerGroup) | 0;
    let sum = 0; // Σ_{k<t} (ργ)^{t−k} A^past_k (discounted) or Σ_{k<t} A^past_k (running mean)
    for (let t = 0; t < horizon; t++) {
      const i = t * batch + g;
      // Discounted: sum = ργ·(P_{t−1} + A_{t−1}) = P_t. Running mean: sum = Σ_{k<t} A_k, divided by t below.
      if (!runningMean) sum *= decay;
      const pastTerm = runningMean ? (t > 0 ? sum / t : 0) : sum;
      const align = weight * pastTerm * opponent[i];
      let applied = align;
      if (align !== 0) {
        const quadrant = (pastTerm > 0 ? 0 : 2) + (opponent[i] > 0 ? 0 : 1);
        shares[k * 4 + quadrant] += Math.abs(align);
        if (mask[quadrant]) applied = 0;
      }
      out[i] = own[i] + applied;
      sum += past[i];
    }
  }
  return out;
}

/** Turn accumulated |term| per quadrant (`[groups, 4]`) into shares that sum to 1 per group (0 if no term). */
export function normalizeQuadrantShares(shares: Float64Array): void {
  for (let k = 0; k < shares.length / 4; k++) {
    const total = shares[4 * k] + shares[4 * k + 1] + shares[4 * k + 2] + shares[4 * k + 3];
    for (let q = 0; q < 4; q++) shares[4 * k + q] = total > 0 ? shares[4 * k + q] / total : 0;
  }
}
