/**
 * Kind `asymmetry-coin`: the seed post's two knobs of asymmetric shaping (§8.1) on the Coin Game, for the neural
 * Advantage Alignment learners (issue 14 §1): seat 1 has its own alignment weight β₁ and an opponent critic of
 * chosen fidelity (aa.ts's options: learned as usual; `opponentCriticWidth` = capacity; `criticLag` k = the
 * critic of k updates ago; `criticNoise` σ on A^opp), seat 2 its own β₂ (β₂ = 0 with `paa` is PPO: the naive,
 * "weaker" learner). The pair trains together (coinPair.ts: trainCoin, not self-play).
 *
 * Each run also trains the SYMMETRIC pair of the same seed: seat 1 keeps its options, fidelity included, but takes
 * seat 2's β (so both seats start from the same weights as in the configured pair, and the pair differs only in
 * β₁). The exploitation index is paired per seed and fidelity:
 *
 *   exploit = (r₁ − r₂) − (r₁ − r₂)_sym          (reward per step in the final pair's evaluation games)
 *   gain    = r₁ − r₁,sym                        (what the asymmetry earns seat 1)
 *   taken   = r₂,sym − r₂                        (what it costs seat 2: against PPO, the naive learner's loss)
 *
 * When β₁ = β₂ the symmetric pair IS the configured one (same options, same seed: the same numbers), so it is not
 * trained twice and the index is 0.
 *
 * Records (metric families): `reward.1`, `reward.2`, `ownCoin.1`, `ownCoin.2`, `welfare` (coinPair.ts); `exploit`,
 * `exploit.gain`, `exploit.taken`; `sym.reward.*`, `sym.ownCoin.*`, `sym.welfare`; series `train.*` of the
 * configured pair.
 */
import * as z from "../../zod.js";
import { InputError } from "../../util/errors.js";
import type { ExperimentKind, RunConfig, RunContext } from "../types.js";
import { partsProgress } from "../unitProgress.js";
import {
  PairAgentSchema,
  PairBudgetSchema,
  type PairOutcome,
  PairParamsSchema,
  type PairSeat,
  pairMetrics,
  pairSeat,
  pairSeries,
  seatBeta,
  trainPair,
} from "./coinPair.js";

/** The paired exploitation index of a configured pair against its symmetric pair (see the header). */
export function exploitationIndex(
  main: Pick<PairOutcome, "reward">,
  sym: Pick<PairOutcome, "reward">,
): { exploit: number; gain: number; taken: number } {
  const [r1, r2] = main.reward;
  const [s1, s2] = sym.reward;
  return { exploit: r1 - r2 - (s1 - s2), gain: r1 - s1, taken: s2 - r2 };
}

/** Seat 1 of the symmetric pair: seat 1's options with seat 2's β. */
export function symmetricSeat(seats: readonly [PairSeat, PairSeat]): PairSeat {
  return { learner: seats[0].learner, options: { ...seats[0].options, beta: seatBeta(seats[1]) } };
}

function seatsOf(config: RunConfig): [PairSeat, PairSeat] {
  return [pairSeat(config, 0), pairSeat(config, 1)];
}

export const asymmetryCoinKind: ExperimentKind = {
  name: "asymmetry-coin",
  description:
    "asymmetric shaping on the Coin Game: neural AA/PAA with its own β and opponent-critic fidelity (capacity, " +
    "lag, noise) against AA/PAA or PPO, paired with the symmetric pair of the same seed",
  agents: z.array(PairAgentSchema).length(2),
  budget: PairBudgetSchema,
  params: PairParamsSchema,
  check(config: RunConfig) {
    const seats = seatsOf(config);
    if (!("beta" in seats[0].options)) {
      throw new InputError(
        "agents[0].learner",
        `seat 1 must be an aligning learner (aa or paa): "${seats[0].learner}" has no β`,
      );
    }
  },
  metricFamilies: ["reward", "ownCoin", "welfare", "exploit", "sym", "train"],
  run(config: RunConfig, seed: number, context?: RunContext) {
    const budget = PairBudgetSchema.parse(config.budget);
    const seats = seatsOf(config);
    const symSeat = symmetricSeat(seats);
    // Same keys in the same order (symmetricSeat spreads seat 1's options), so the text compares the values.
    const same = JSON.stringify(symSeat) === JSON.stringify(seats[0]);
    const part = partsProgress(context?.progress, same ? 1 : 2);
    const main = trainPair(seats, budget, seed, part(0));
    const sym = same ? main : trainPair([symSeat, seats[1]], budget, seed, part(1));
    const index = exploitationIndex(main, sym);
    const final: Record<string, number> = {
      ...pairMetrics(main),
      exploit: index.exploit,
      "exploit.gain": index.gain,
      "exploit.taken": index.taken,
      ...pairMetrics(sym, "sym."),
    };
    return { final, series: pairSeries(main), artifacts: {} };
  },
};
