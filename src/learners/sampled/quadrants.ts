/**
 * The sign quadrants of an Advantage Alignment term (Duque et al., ICLR 2025), shared by every AA learner so the
 * diagnostics mean the same thing whatever the policy:
 *
 *   alignment_t = β · past_t · A^j_t,   quadrant = (sign past_t, sign A^j_t) ∈ {++, +-, -+, --}
 *
 * "++" cooperative (reward an opponent whose good actions followed a good past), "+-" empathetic, "-+" vengeful,
 * "--" spiteful. Each seed's share of Σ_t |alignment_t| from each quadrant is the diagnostic
 * `aa.quadrant.<q>` (`[seeds]`), which the trainers average without knowing what it means. A zero past term or
 * opponent advantage counts as negative, as the tabular learner always did.
 */

/** Sign quadrants of (past own advantage, opponent advantage), in diagnostics order. */
export const QUADRANTS = ["++", "+-", "-+", "--"] as const;
export type Quadrant = (typeof QUADRANTS)[number];

/** The diagnostic name of quadrant q's share: "aa.quadrant.++", … */
export function quadrantDiagnostic(q: Quadrant): string {
  return `aa.quadrant.${q}`;
}

/** The index in QUADRANTS of (sign past, sign opponent advantage). */
export function quadrantOf(past: number, opponentAdvantage: number): number {
  return (past > 0 ? 0 : 2) + (opponentAdvantage > 0 ? 0 : 1);
}

/** Per-seed shares of |alignment term| by quadrant, allocated once; `diagnostics` is the named view. */
export class QuadrantShares {
  /** `[quadrant][seeds]`. */
  private readonly shares: Float64Array[];
  readonly diagnostics: Readonly<Record<string, Float64Array>>;

  constructor(private readonly seeds: number) {
    this.shares = QUADRANTS.map(() => new Float64Array(seeds));
    this.diagnostics = Object.fromEntries(QUADRANTS.map((q, i) => [quadrantDiagnostic(q), this.shares[i]]));
  }

  reset(): void {
    for (const share of this.shares) share.fill(0);
  }

  /** Count |align| for seed k in quadrant q (from `quadrantOf`). */
  add(k: number, quadrant: number, align: number): void {
    this.shares[quadrant][k] += Math.abs(align);
  }

  /** Turn each seed's sums into shares (all 0 for a seed with no alignment term). */
  normalise(): void {
    const [pp, pm, mp, mm] = this.shares;
    for (let k = 0; k < this.seeds; k++) {
      const total = pp[k] + pm[k] + mp[k] + mm[k];
      for (const share of this.shares) share[k] = total > 0 ? share[k] / total : 0;
    }
  }
}
