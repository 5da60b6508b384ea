/**
 * Trustees (the adversaries) of the trust task (task.ts) and the game loop.
 *
 * - `random`: k uniform over the 5 repay levels (the paper's RND condition).
 * - `equaliser`: the level whose round gap 4I − 20 − 2R is closest to 0 (the paper's per-round heuristic
 *   f = max(0, (4I − 20)/(6I)), here on the 5 levels of the action space).
 * - `shaping` (ours, white box: a one-step look-ahead on the investor's update, investor.ts): for each level k it
 *   evaluates the investor's trust after this round, τ'(k), and the investment the updated investor would make,
 *   and values the remaining R_rem = 10 − t − 1 rounds as if each had that investment with the one-round best
 *   response to it:
 *     MAX   V(k) = (3I − R_k) + R_rem · E_{I'∼π(τ'(k))}[3I']                     (keep all of it next time)
 *     FAIR  V(k) = −| G + (4I − 20 − 2R_k) + R_rem · E_{I'∼π(τ'(k))}[δ*(I')] |   (δ*(I') the round gap closest to 0)
 *   with G the gap so far; ties go to the lower level. In the last round R_rem = 0: MAX repays nothing.
 */
import type { Rng } from "../../util/rng.js";
import { type InvestorParams, investorPolicy, type TrustInvestor, updatedTrust } from "./investor.js";
import {
  BIN_INVESTMENTS,
  ENDOWMENT,
  gapIncrement,
  INVESTMENT_BINS,
  MULTIPLIER,
  REPAY_LEVELS,
  ROUNDS,
  resetTrust,
  settleRound,
  type TrustObjective,
  type TrustState,
  trusteeEarning,
} from "./task.js";

export const TRUSTEE_BASELINES = ["random", "equaliser", "shaping"] as const;
export type TrusteeBaselineName = (typeof TRUSTEE_BASELINES)[number];

export interface Trustee {
  readonly name: string;
  reset(games: number, rng: Rng): void;
  /** Repay levels 0…4 for every game into `out`, given this round's investments. */
  act(state: TrustState, investor: TrustInvestor, investments: Float64Array, out: Int32Array): void;
}

/** The signed round gap closest to 0 at investment I, over the repay levels. */
function closestGap(I: number): number {
  let best = gapIncrement(I, 0);
  for (let k = 1; k < REPAY_LEVELS; k++)
    if (Math.abs(gapIncrement(I, k)) < Math.abs(best)) best = gapIncrement(I, k);
  return best;
}
const CLOSEST_GAP = Array.from({ length: ENDOWMENT + 1 }, (_, I) => closestGap(I));

/** E_{I∼π(τ)}[f(I)] with I uniform within the drawn bin. */
function expectedOver(
  params: InvestorParams,
  trust: number,
  f: (I: number) => number,
  scratch: Float64Array,
): number {
  investorPolicy(params, trust, scratch);
  let e = 0;
  for (let b = 0; b < INVESTMENT_BINS; b++) {
    const within = BIN_INVESTMENTS[b];
    let m = 0;
    for (const I of within) m += f(I);
    e += (scratch[b] * m) / within.length;
  }
  return e;
}

/** The shaping trustee's value of repay level k in game g (see the header). */
export function shapingValue(
  objective: TrustObjective,
  state: TrustState,
  investor: TrustInvestor,
  g: number,
  I: number,
  k: number,
  scratch: Float64Array,
): number {
  const remaining = ROUNDS - state.round - 1;
  const trust = updatedTrust(investor.params, investor.trust[g], I, k / (REPAY_LEVELS - 1));
  if (objective === "max") {
    const future = remaining > 0 ? expectedOver(investor.params, trust, (x) => MULTIPLIER * x, scratch) : 0;
    return trusteeEarning(I, k) + remaining * future;
  }
  const gap = state.trustee[g] - state.investor[g] + gapIncrement(I, k);
  const future = remaining > 0 ? expectedOver(investor.params, trust, (x) => CLOSEST_GAP[x], scratch) : 0;
  return -Math.abs(gap + remaining * future);
}

export function trusteeBaseline(name: TrusteeBaselineName, objective: TrustObjective = "max"): Trustee {
  switch (name) {
    case "random": {
      let rng: Rng | undefined;
      return {
        name,
        reset(_games, r) {
          rng = r;
        },
        act(state, _investor, _investments, out) {
          for (let g = 0; g < state.games; g++) out[g] = (rng as Rng).int(REPAY_LEVELS);
        },
      };
    }
    case "equaliser":
      return {
        name,
        reset() {},
        act(state, _investor, investments, out) {
          for (let g = 0; g < state.games; g++) {
            let best = 0;
            for (let k = 1; k < REPAY_LEVELS; k++)
              if (Math.abs(gapIncrement(investments[g], k)) < Math.abs(gapIncrement(investments[g], best)))
                best = k;
            out[g] = best;
          }
        },
      };
    case "shaping": {
      const scratch = new Float64Array(INVESTMENT_BINS);
      return {
        name: `shaping-${objective}`,
        reset() {},
        act(state, investor, investments, out) {
          for (let g = 0; g < state.games; g++) {
            let best = 0;
            let bestValue = Number.NEGATIVE_INFINITY;
            for (let k = 0; k < REPAY_LEVELS; k++) {
              const v = shapingValue(objective, state, investor, g, investments[g], k, scratch);
              if (v > bestValue + 1e-9) {
                bestValue = v;
                best = k;
              }
            }
            out[g] = best;
          }
        },
      };
    }
  }
}

/** Play one 10-round game in each of `investor.games` games; returns the final state (earnings and record). */
export function playTrustGames(trustee: Trustee, investor: TrustInvestor, rng: Rng): TrustState {
  const games = investor.games;
  const state = resetTrust(games);
  trustee.reset(games, rng);
  const investments = new Float64Array(games);
  const levels = new Int32Array(games);
  const fractions = new Float64Array(games);
  for (let t = 0; t < ROUNDS; t++) {
    investor.invest(rng, investments);
    trustee.act(state, investor, investments, levels);
    settleRound(state, investments, levels);
    for (let g = 0; g < games; g++) fractions[g] = levels[g] / (REPAY_LEVELS - 1);
    investor.learn(investments, fractions);
  }
  return state;
}
