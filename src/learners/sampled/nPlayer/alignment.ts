/**
 * Advantage Alignment's alignment term and its sign-quadrant diagnostics for the N-player AA (./aa.ts): the same
 * loop, in the same order, as the two-player tabular AA's (../aa.ts; test/n-player-learners.test.ts checks that
 * at N = 2 the two learners take the same steps). The neural room is moving the two-player loop into a shared
 * src/learners/sampled/alignment.ts; when it lands, this file should become that one (one mechanism).
 *
 *   discounted:    A*_t = A^i_t + β·γ·( Σ_{k<t} γ^{t−k} Ā^i_k )·A^o_t
 *   running-mean:  A*_t = A^i_t + β·( (1/t)·Σ_{k<t} Ā^i_k )·A^o_t          (0 at t = 0; the authors' code)
 *
 * A^i is the agent's own advantage, Ā^i what its past term sums (A^i itself, or the opponent-action part), and
 * A^o the opponent term: the one opponent's advantage (two players) or Σ_{j≠i} A^j (N players). Arrays are
 * `[T, batch]` (`i = t·batch + g`); game g belongs to group ⌊g / gamesPerGroup⌋.
 *
 * Quadrants of (sign past term, sign opponent term): "++" cooperative, "+-" empathetic, "-+" vengeful, "--"
 * spiteful. `shares[group·4 + q]` accumulates Σ |alignment term| per quadrant (measured before masking); a step
 * whose quadrant is masked keeps only A^i.
 */

export interface AlignmentSettings {
  readonly horizon: number;
  readonly batch: number;
  readonly gamesPerGroup: number;
  readonly gamma: number;
  readonly beta: number;
  readonly runningMean: boolean;
  /** 1 for each quadrant (order ++, +-, -+, --) whose term is dropped. */
  readonly masked: Uint8Array;
}

/** Write A*_t into `out` and add |alignment term| per quadrant into `shares` (`[groups, 4]`). */
export function alignAdvantages(
  s: AlignmentSettings,
  own: Float64Array,
  past: Float64Array,
  opponent: Float64Array,
  shares: Float64Array,
  out: Float64Array,
): void {
  const { horizon, batch, gamesPerGroup, gamma, beta, runningMean, masked } = s;
  const weight = runningMean ? beta : beta * gamma;
  for (let g = 0; g < batch; g++) {
    const k = (g / gamesPerGroup) | 0;
    let sum = 0; // Σ_{k<t} γ^{t−k} Ā^i_k (discounted) or Σ_{k<t} Ā^i_k (running mean)
    for (let t = 0; t < horizon; t++) {
      const i = t * batch + g;
      // Discounted: sum = γ·(P_{t−1} + Ā^i_{t−1}) = P_t. Running mean: sum = Σ_{k<t} Ā^i_k, divided by t below.
      if (!runningMean) sum *= gamma;
      const pastTerm = runningMean ? (t > 0 ? sum / t : 0) : sum;
      const align = weight * pastTerm * opponent[i];
      let applied = align;
      if (align !== 0) {
        const quadrant = (pastTerm > 0 ? 0 : 2) + (opponent[i] > 0 ? 0 : 1);
        shares[k * 4 + quadrant] += Math.abs(align);
        if (masked[quadrant]) applied = 0;
      }
      out[i] = own[i] + applied;
      sum += past[i];
    }
  }
}

/** Turn accumulated |term| per quadrant (`[groups, 4]`) into shares that sum to 1 per group (0 if no term). */
export function normalizeQuadrantShares(shares: Float64Array): void {
  for (let k = 0; k < shares.length / 4; k++) {
    const total = shares[4 * k] + shares[4 * k + 1] + shares[4 * k + 2] + shares[4 * k + 3];
    for (let q = 0; q < 4; q++) shares[4 * k + q] = total > 0 ? shares[4 * k + q] / total : 0;
  }
}
