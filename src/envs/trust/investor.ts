/**
 * The investor of the trust task: a hand-built learner (ours; the paper's investor is a GRU fitted to MTurk data
 * that was not released). It tracks the trustee's repaid fraction and chooses an investment bin by softmax over
 * the bins' expected net return:
 *   trust      τ ← τ + α (f − τ) after each round with I > 0 (f = the fraction repaid; nothing to learn at I = 0),
 *              τ₀ = `trust0`;
 *   policy     π(b) ∝ exp(β · (3τ − 1) · Ī_b / 20),   Ī_b the mean investment of bin b,
 * so it invests more while repayments exceed 1/3 of the tripled amount and withdraws when they fall below: a
 * reciprocity rule on the last repayments, in the form of a softmax Q-learner whose bin values are learned through
 * τ. Defaults α = 0.3, β = 8, τ₀ = 0.5 (ours).
 */
import { exp } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import { BIN_INVESTMENTS, INVESTMENT_BINS, MULTIPLIER, ENDOWMENT } from "./task.js";

export interface InvestorParams {
  alpha: number;
  beta: number;
  trust0: number;
}

export const INVESTOR_PARAMS: InvestorParams = { alpha: 0.3, beta: 8, trust0: 0.5 };

const BIN_MEANS = BIN_INVESTMENTS.map((is) => is.reduce((s, i) => s + i, 0) / is.length);

/** π over the 5 bins at trust τ into out[o … o + 5). */
export function investorPolicy(params: InvestorParams, trust: number, out: Float64Array, o = 0): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    out[o + b] = (params.beta * (MULTIPLIER * trust - 1) * BIN_MEANS[b]) / ENDOWMENT;
    if (out[o + b] > max) max = out[o + b];
  }
  let sum = 0;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    out[o + b] = exp(out[o + b] - max);
    sum += out[o + b];
  }
  for (let b = 0; b < INVESTMENT_BINS; b++) out[o + b] /= sum;
}

/** τ after a round with investment I and repaid fraction f. */
export function updatedTrust(
  params: InvestorParams,
  trust: number,
  investment: number,
  fraction: number,
): number {
  return investment > 0 ? trust + params.alpha * (fraction - trust) : trust;
}

export class TrustInvestor {
  readonly trust: Float64Array;
  /** π over bins per game [games, 5], for the current round. */
  readonly policy: Float64Array;

  constructor(
    readonly games: number,
    readonly params: InvestorParams = INVESTOR_PARAMS,
  ) {
    this.trust = new Float64Array(games).fill(params.trust0);
    this.policy = new Float64Array(games * INVESTMENT_BINS);
    for (let g = 0; g < games; g++) investorPolicy(params, this.trust[g], this.policy, g * INVESTMENT_BINS);
  }

  /** Draw a bin from π, then an integer investment uniform within it, for every game. */
  invest(rng: Rng, out: Float64Array): void {
    for (let g = 0; g < this.games; g++) {
      const x = rng.uniform();
      let b = 0;
      for (let c = this.policy[g * INVESTMENT_BINS]; b < INVESTMENT_BINS - 1 && x >= c; )
        c += this.policy[g * INVESTMENT_BINS + ++b];
      const within = BIN_INVESTMENTS[b];
      out[g] = within[rng.int(within.length)];
    }
  }

  /** Learn from the fractions repaid this round. */
  learn(investments: ArrayLike<number>, fractions: ArrayLike<number>): void {
    for (let g = 0; g < this.games; g++) {
      this.trust[g] = updatedTrust(this.params, this.trust[g], investments[g], fractions[g]);
      investorPolicy(this.params, this.trust[g], this.policy, g * INVESTMENT_BINS);
    }
  }
}
