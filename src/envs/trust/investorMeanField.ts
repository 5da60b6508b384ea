/**
 * The investor's learning rule (investor.ts) run on expectations over a planned sequence of repaid fractions,
 * and differentiated: what the gradient-shaper trustee (gradientShaperTrustee.ts) ascends, as the bandit's
 * gradient shaper ascends the Q-learner's (src/envs/bandit/qLearnerMeanField.ts).
 *
 * A plan gives a fraction f_τ ∈ [0, 1] for each of the R = 10 − t rounds still to play, τ = 0 being this round,
 * whose investment I₀ the trustee has already seen. With τ the investor's trust (the scalar investor.ts learns),
 *
 *   round τ = 0:  Ī_0 = I₀,   q_0 = [I₀ > 0]                                         (already drawn)
 *   round τ ≥ 1:  π_b = softmax_b(β(3T_τ − 1)·Ī_b/20),  Ī_τ = Σ_b π_b Ī_b,  q_τ = 1 − π_0/|bin 0|
 *                 (the expected investment, and the chance of an investment > 0, the only kind it learns from)
 *   trust         T_{τ+1} = T_τ + q_τ·α·(f_τ − T_τ)                                   (the expected update)
 *   earnings      trustee c_τ = 3Ī_τ(1 − f_τ);   gap (trustee − investor) d_τ = 4Ī_τ − 20 − 6 f_τ Ī_τ
 *   objective     MAX  J = Σ_τ c_τ                  (expected trustee earnings still to come)
 *                 FAIR J = −(G + Σ_τ d_τ)²          (G the gap so far; the square is |·|'s smooth stand-in:
 *                                                    both are minimised at a zero final gap)
 *
 * Mean-field, as the bandit's: the update is averaged over the investment exactly (it is linear in the
 * indicator I > 0 given T), but the spread of T across investment histories is replaced by its mean, and the
 * repayment is relaxed from ⌊3·I·k/4⌋ to 3·I·f (this round's may be given exactly, `firstRepayment`).
 * ∂J/∂f is by reverse mode through the recursion, written out in `backward` (tested by finite differences in
 * test/trust-shaper.test.ts). Derivatives of the investment model in T, with u_b = β(3T − 1)Ī_b/20:
 *   ∂Ī/∂T = (3β/20)·Var_π(Ī_b),   ∂π_0/∂T = π_0·(3β/20)·(Ī_0 − Ī),   ∂q/∂T = −(∂π_0/∂T)/|bin 0|.
 */
import { exp } from "../../util/math.js";
import type { InvestorParams } from "./investor.js";
import {
  BIN_INVESTMENTS,
  ENDOWMENT,
  INVESTMENT_BINS,
  MULTIPLIER,
  ROUNDS,
  type TrustObjective,
} from "./task.js";

const BIN_MEANS = BIN_INVESTMENTS.map((is) => is.reduce((s, i) => s + i, 0) / is.length);
/** The chance that an investment drawn in bin 0 is 0 (it is uniform over the bin's integers, 0 among them). */
const ZERO_IN_BIN_0 = 1 / BIN_INVESTMENTS[0].length;
/** Gap per round: trustee − investor = (3I − R) − (20 − I + R) = 4I − 20 − 2R. */
const GAP_PER_INVESTMENT = MULTIPLIER + 1;

/** Where the plan starts: this round's investment, the investor's trust, and the gap so far. */
export interface TrustPlanStart {
  objective: TrustObjective;
  trust: number;
  /** This round's investment I₀ (seen by the trustee before it repays). */
  investment: number;
  /** Trustee − investor earnings so far (FAIR only). */
  gapSoFar: number;
  /** This round's repayment in units, in place of the relaxed 3·I₀·f₀ (f₀ still drives the trust update). */
  firstRepayment?: number;
}

/** Per-round values kept by the forward pass for the backward one, [ROUNDS] each. */
export class TrustPlanTape {
  readonly trust = new Float64Array(ROUNDS);
  readonly meanInvestment = new Float64Array(ROUNDS);
  readonly learns = new Float64Array(ROUNDS);
  /** ∂Ī/∂T and ∂q/∂T (0 in round τ = 0, whose investment is drawn). */
  readonly dMeanDTrust = new Float64Array(ROUNDS);
  readonly dLearnsDTrust = new Float64Array(ROUNDS);
  readonly policy = new Float64Array(INVESTMENT_BINS);
}

/** Ī, q and their T-derivatives at trust T into the tape's slot τ. */
function investmentModel(params: InvestorParams, trust: number, tape: TrustPlanTape, tau: number): void {
  const pi = tape.policy;
  const slope = (params.beta * MULTIPLIER) / ENDOWMENT; // ∂u_b/∂T = slope·Ī_b
  let max = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    pi[b] = (params.beta * (MULTIPLIER * trust - 1) * BIN_MEANS[b]) / ENDOWMENT;
    if (pi[b] > max) max = pi[b];
  }
  let sum = 0;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    pi[b] = exp(pi[b] - max);
    sum += pi[b];
  }
  let mean = 0;
  let square = 0;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    pi[b] /= sum;
    mean += pi[b] * BIN_MEANS[b];
    square += pi[b] * BIN_MEANS[b] * BIN_MEANS[b];
  }
  tape.meanInvestment[tau] = mean;
  tape.learns[tau] = 1 - pi[0] * ZERO_IN_BIN_0;
  tape.dMeanDTrust[tau] = slope * (square - mean * mean);
  tape.dLearnsDTrust[tau] = -ZERO_IN_BIN_0 * pi[0] * slope * (BIN_MEANS[0] - mean);
}

/**
 * J over the R rounds of the plan `fractions` [R] from `start` (see the header); with `grad`, ∂J/∂f into grad [R].
 */
export function plannedTrusteeObjective(
  params: InvestorParams,
  start: TrustPlanStart,
  fractions: ArrayLike<number>,
  R: number,
  tape: TrustPlanTape,
  grad?: Float64Array,
): number {
  const { alpha } = params;
  const max = start.objective === "max";
  let trust = start.trust;
  let total = 0; // Σ c_τ (MAX) or Σ d_τ (FAIR)
  // ---- forward
  for (let tau = 0; tau < R; tau++) {
    tape.trust[tau] = trust;
    if (tau === 0) {
      tape.meanInvestment[0] = start.investment;
      tape.learns[0] = start.investment > 0 ? 1 : 0;
      tape.dMeanDTrust[0] = 0;
      tape.dLearnsDTrust[0] = 0;
    } else investmentModel(params, trust, tape, tau);
    const I = tape.meanInvestment[tau];
    const f = fractions[tau];
    const repaid =
      tau === 0 && start.firstRepayment !== undefined ? start.firstRepayment : MULTIPLIER * I * f;
    total += max ? MULTIPLIER * I - repaid : GAP_PER_INVESTMENT * I - ENDOWMENT - 2 * repaid;
    trust += tape.learns[tau] * alpha * (f - trust);
  }
  const finalGap = start.gapSoFar + total;
  const J = max ? total : -finalGap * finalGap;
  if (grad) backward(params, start, fractions, R, tape, max ? 1 : -2 * finalGap, grad);
  return J;
}

/** ∂J/∂f by reverse mode; `perRound` is ∂J/∂c_τ (MAX: 1) or ∂J/∂d_τ (FAIR: −2·final gap), the same every round. */
function backward(
  params: InvestorParams,
  start: TrustPlanStart,
  fractions: ArrayLike<number>,
  R: number,
  tape: TrustPlanTape,
  perRound: number,
  grad: Float64Array,
): void {
  const { alpha } = params;
  const max = start.objective === "max";
  let gTrust = 0; // ∂J/∂T_{τ+1}, carried down to ∂J/∂T_τ
  for (let tau = R - 1; tau >= 0; tau--) {
    const I = tape.meanInvestment[tau];
    const f = fractions[tau];
    const T = tape.trust[tau];
    const q = tape.learns[tau];
    const exactFirst = tau === 0 && start.firstRepayment !== undefined;
    // c = 3I(1 − f): ∂c/∂f = −3I, ∂c/∂I = 3(1 − f);  d = 4I − 20 − 6fI: ∂d/∂f = −6I, ∂d/∂I = 4 − 6f
    const dEarningDf = exactFirst ? 0 : max ? -MULTIPLIER * I : -2 * MULTIPLIER * I;
    const dEarningDI = max ? MULTIPLIER * (1 - f) : GAP_PER_INVESTMENT - 2 * MULTIPLIER * f;
    // T' = T + q·α·(f − T)
    grad[tau] = perRound * dEarningDf + gTrust * q * alpha;
    gTrust =
      perRound * dEarningDI * tape.dMeanDTrust[tau] +
      gTrust * (1 - q * alpha + alpha * (f - T) * tape.dLearnsDTrust[tau]);
  }
}
