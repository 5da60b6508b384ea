/**
 * The multi-round trust task of Dezfouli, Nock & Dayan (2020, PNAS, Experiment 3; the released
 * `mrtt/learner_env.py`), batched over games. 10 rounds; each round the investor gets 20 units and invests an
 * integer I ∈ 0…20, chosen as one of 5 bins {0–4}, {5–8}, {9–12}, {13–16}, {17–20} with I uniform within the bin
 * (`discr_to_cont_action`); the amount triples; the trustee (the adversary) repays a fraction f = k/4, k ∈ 0…4,
 * of the tripled amount, rounded down as in training: R = ⌊3·I·f⌋. Round earnings:
 *   investor  20 − I + R,     trustee  3I − R,     gap (trustee − investor)  4I − 20 − 2R.
 * Objectives of the trustee: MAX = Σ trustee earnings (per-round reward 3I − R); FAIR = −|Σ gap| (reward 0 until
 * the last round, as `fair_max`).
 */
export const ROUNDS = 10;
export const ENDOWMENT = 20;
export const MULTIPLIER = 3;
export const INVESTMENT_BINS = 5;
export const REPAY_LEVELS = 5;
/** The integer investments of each bin, from ⌊(I − 0.001)/4⌋ clipped at 0. */
export const BIN_INVESTMENTS: readonly (readonly number[])[] = Array.from(
  { length: INVESTMENT_BINS },
  (_, b) =>
    Array.from({ length: ENDOWMENT + 1 }, (_, i) => i).filter(
      (i) => Math.max(0, Math.floor((i - 0.001) / 4)) === b,
    ),
);
export const OBJECTIVES = ["max", "fair"] as const;
export type TrustObjective = (typeof OBJECTIVES)[number];

export const repayment = (investment: number, level: number): number =>
  Math.floor((MULTIPLIER * investment * level) / (REPAY_LEVELS - 1));
export const trusteeEarning = (investment: number, level: number): number =>
  MULTIPLIER * investment - repayment(investment, level);
export const investorEarning = (investment: number, level: number): number =>
  ENDOWMENT - investment + repayment(investment, level);
/** Trustee minus investor earnings of one round. */
export const gapIncrement = (investment: number, level: number): number =>
  trusteeEarning(investment, level) - investorEarning(investment, level);

/** Earnings so far and the per-round record of a batch of games. */
export interface TrustState {
  readonly games: number;
  round: number;
  readonly trustee: Float64Array;
  readonly investor: Float64Array;
  /** [ROUNDS, games]: the investment and the repaid fraction k/4 of each round. */
  readonly investments: Float64Array;
  readonly repaid: Float64Array;
}

export function resetTrust(games: number): TrustState {
  return {
    games,
    round: 0,
    trustee: new Float64Array(games),
    investor: new Float64Array(games),
    investments: new Float64Array(ROUNDS * games),
    repaid: new Float64Array(ROUNDS * games),
  };
}

/** Settle one round: investments [games] and repay levels [games] (0…4). */
export function settleRound(
  state: TrustState,
  investments: ArrayLike<number>,
  levels: ArrayLike<number>,
): void {
  if (state.round >= ROUNDS) throw new RangeError(`the game has ${ROUNDS} rounds`);
  for (let g = 0; g < state.games; g++) {
    const I = investments[g];
    const k = levels[g];
    state.trustee[g] += trusteeEarning(I, k);
    state.investor[g] += investorEarning(I, k);
    state.investments[state.round * state.games + g] = I;
    state.repaid[state.round * state.games + g] = k / (REPAY_LEVELS - 1);
  }
  state.round++;
}
