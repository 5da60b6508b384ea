/**
 * The gradient-shaper trustee of the trust task (ours; the opponent-shaping answer to Dezfouli et al.'s RL
 * trustee, as src/envs/bandit/gradientShaper.ts is for the bandit): before each repayment it plans the repaid
 * fractions of every round still to play by gradient ascent through the investor's learning rule
 * (investorMeanField.ts: J = expected trustee earnings for MAX, −(final gap)² for FAIR), then repays this round
 * at the level the plan values most (receding horizon).
 *
 * The plan is f_τ = σ(z_τ) for the R = 10 − t remaining rounds, so ∂J/∂z_τ = f_τ(1 − f_τ)·∂J/∂f_τ;
 * `iterations` Adam-ascent steps (step `lr` on z) per round, warm-started from the previous round's plan (the
 * first plan starts at f = ½). Then this round's level k ∈ 0…4 is the one maximising J with f₀ = k/4 and this
 * round's exact repayment ⌊3·I·k/4⌋, the rest of the plan kept (ties to the lower level). In the last round the
 * plan is this round alone: MAX repays nothing, FAIR the level that brings the final gap closest to 0.
 */
import { AdamAscent } from "../../util/adamAscent.js";
import { InputError } from "../../util/errors.js";
import { sigmoid } from "../../util/math.js";
import type { TrustInvestor } from "./investor.js";
import { plannedTrusteeObjective, TrustPlanTape } from "./investorMeanField.js";
import { REPAY_LEVELS, ROUNDS, repayment, type TrustObjective } from "./task.js";
import type { Trustee } from "./trustees.js";

export interface GradientShaperTrusteeOptions {
  /** Adam-ascent steps per round (default 20) and their step size on z (default 0.2). */
  iterations?: number;
  lr?: number;
}

export interface GradientShaperTrustee extends Trustee {
  /** Mean planned J at each round of the last game batch (MAX: earnings to come; FAIR: −(final gap)²). */
  readonly plannedCurve: number[];
}

export function gradientShaperTrustee(
  objective: TrustObjective,
  options: GradientShaperTrusteeOptions = {},
): GradientShaperTrustee {
  const iterations = options.iterations ?? 20;
  const lr = options.lr ?? 0.2;
  if (!(Number.isInteger(iterations) && iterations >= 0))
    throw new InputError("iterations", `must be a whole number ≥ 0, got ${iterations}`);
  if (!(lr > 0)) throw new InputError("lr", `must be > 0, got ${lr}`);
  // Per game: z over the absolute rounds [games, 10], so a round's warm start is the same slot.
  let z = new Float64Array(0);
  const fractions = new Float64Array(ROUNDS);
  const gradF = new Float64Array(ROUNDS);
  const gradZ = new Float64Array(ROUNDS);
  const tape = new TrustPlanTape();
  const plannedCurve: number[] = [];
  return {
    name: `gradient-shaper-${objective}`,
    plannedCurve,
    reset(games) {
      z = new Float64Array(games * ROUNDS);
      plannedCurve.length = 0;
    },
    act(state, investor, investments, out) {
      const t = state.round;
      const R = ROUNDS - t;
      let plannedSum = 0;
      for (let g = 0; g < state.games; g++) {
        const zg = z.subarray(g * ROUNDS + t, (g + 1) * ROUNDS);
        const start = {
          objective,
          trust: investor.trust[g],
          investment: investments[g],
          gapSoFar: state.trustee[g] - state.investor[g],
        };
        const adam = new AdamAscent(lr, R); // fresh moments each round: the plan's length changes
        for (let iteration = 0; iteration < iterations; iteration++) {
          for (let tau = 0; tau < R; tau++) fractions[tau] = sigmoid(zg[tau]);
          plannedTrusteeObjective(investor.params, start, fractions, R, tape, gradF);
          for (let tau = 0; tau < R; tau++) gradZ[tau] = fractions[tau] * (1 - fractions[tau]) * gradF[tau];
          adam.step(zg, gradZ);
        }
        for (let tau = 1; tau < R; tau++) fractions[tau] = sigmoid(zg[tau]);
        const [level, planned] = bestLevel(investor, start, fractions, R, tape);
        out[g] = level;
        plannedSum += planned;
      }
      plannedCurve.push(plannedSum / state.games);
    },
  };
}

/**
 * This round's level and the plan's J with it: the level whose f₀ = k/4 and exact repayment give the highest J
 * (ties: the lower level).
 */
function bestLevel(
  investor: TrustInvestor,
  start: { objective: TrustObjective; trust: number; investment: number; gapSoFar: number },
  fractions: Float64Array,
  R: number,
  tape: TrustPlanTape,
): [level: number, value: number] {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < REPAY_LEVELS; k++) {
    fractions[0] = k / (REPAY_LEVELS - 1);
    const firstRepayment = repayment(start.investment, k);
    const value = plannedTrusteeObjective(investor.params, { ...start, firstRepayment }, fractions, R, tape);
    if (value > bestValue + 1e-9) {
      bestValue = value;
      best = k;
    }
  }
  return [best, bestValue];
}
