/**
 * What the Coin Game safety kinds (`asymmetry-coin`, `sandbagging-coin`) share: two neural learners, one per seat,
 * each with its own options over a preset's (src/learners/neural/presets.ts), trained together — a pair, not
 * self-play — by src/learners/neural/trainCoin.ts, and measured as coin-train measures: the final pair in the
 * league's protocol (trainCoin's `evaluation.opponent`: 512 fresh 16-step games of seat 1 against seat 2, both
 * sides' reward per step and own-coin fraction) and each update's training rollout as curves.
 *
 *   agents:  [{learner: paa, beta: 3, …}, {learner: paa, beta: 1}]   seat 1, seat 2 (each entry's schema checks)
 *   budget:  {updates, batch, turns, evalGames}
 *   params:  {preset: small | paper}                                  fills the options a seat does not give
 *
 * Metric names: seat i is `.1` / `.2`; `reward.i`, `ownCoin.i` (absent when seat i picked up no coin in the
 * evaluation), `welfare` = reward.1 + reward.2; series `train.reward.i`, `train.ownCoin.i`.
 */
import * as z from "../../zod.js";
import { NEURAL_LEARNER_NAMES, neuralLearnerEntry } from "../../learners/neural/index.js";
import { COIN_PRESET_NAMES, COIN_PRESETS } from "../../learners/neural/presets.js";
import { type CoinSeatSpec, type CoinTrainResult, trainCoin } from "../../learners/neural/trainCoin.js";
import { InputError } from "../../util/errors.js";
import type { RunConfig, UnitProgress } from "../types.js";

export const PairAgentSchema = z.looseObject({ learner: z.string().min(1) });
export const PairBudgetSchema = z.strictObject({
  updates: z.number().int().min(1).max(10_000_000),
  batch: z.number().int().min(1).max(100_000),
  turns: z.number().int().min(1).max(10_000).default(16),
  evalGames: z.number().int().min(1).max(100_000).default(512),
});
export type PairBudget = z.output<typeof PairBudgetSchema>;
export const PairParamsSchema = z.strictObject({
  preset: z.enum(COIN_PRESET_NAMES as [string, ...string[]]).default("small"),
});

/** A seat's learner and its options with every default filled (the preset's, then the entry's schema's). */
export interface PairSeat {
  learner: string;
  options: Record<string, unknown>;
}

/** Seat `index`'s learner and options: the config's over the preset's, checked by the learner's entry. */
export function pairSeat(config: RunConfig, index: 0 | 1): PairSeat {
  const field = `agents[${index}]`;
  const { learner, ...given } = PairAgentSchema.parse(config.agents[index]);
  const entry = neuralLearnerEntry(learner);
  if (entry === undefined) {
    throw new InputError(
      `${field}.learner`,
      `unknown value "${learner}"; allowed: ${NEURAL_LEARNER_NAMES.join(", ")}`,
    );
  }
  const { preset } = PairParamsSchema.parse(config.params);
  const parsed = entry.schema.safeParse({ ...(COIN_PRESETS[preset].learners[learner] ?? {}), ...given });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = "keys" in issue ? (issue.keys as string[])[0] : issue.path.join(".");
    throw new InputError(
      `${field}.${key}`,
      `${issue.message} (options of ${learner}: see \`shapelab learners\`)`,
    );
  }
  return { learner, options: parsed.data as Record<string, unknown> };
}

/** The alignment weight a seat's options give (0 for a learner without one: ppo is the naive learner). */
export function seatBeta(seat: PairSeat): number {
  return typeof seat.options.beta === "number" ? seat.options.beta : 0;
}

/** What one pair training measured. */
export interface PairOutcome {
  /** Reward per step of seat 1 and seat 2 in the evaluation games against each other. */
  reward: [number, number];
  ownCoin: [number | null, number | null];
  curves: CoinTrainResult["curves"];
}

/** Train the pair with trainCoin (seat 1 = its seat a) and read the league-protocol evaluation. */
export function trainPair(
  seats: readonly [PairSeat, PairSeat],
  budget: PairBudget,
  seed: number,
  progress?: UnitProgress,
): PairOutcome {
  const spec = (s: PairSeat): CoinSeatSpec => ({ learner: s.learner, config: s.options });
  const result = trainCoin(
    {
      a: spec(seats[0]),
      b: spec(seats[1]),
      env: { episodeSteps: budget.turns },
      updates: budget.updates,
      batch: budget.batch,
      seed,
      evalGames: budget.evalGames,
    },
    { onUpdate: progress },
  );
  const m = result.evaluation.opponent;
  return {
    reward: [m.rewards[0], m.rewards[1]],
    ownCoin: [m.ownCoin[0], m.ownCoin[1]],
    curves: result.curves,
  };
}

/** The final metrics of a pair under `prefix` (`reward.1`, …, `welfare`; `sym.reward.1`, … with prefix "sym."). */
export function pairMetrics(outcome: PairOutcome, prefix = ""): Record<string, number> {
  const out: Record<string, number> = {
    [`${prefix}reward.1`]: outcome.reward[0],
    [`${prefix}reward.2`]: outcome.reward[1],
    [`${prefix}welfare`]: outcome.reward[0] + outcome.reward[1],
  };
  outcome.ownCoin.forEach((x, i) => {
    if (x !== null) out[`${prefix}ownCoin.${i + 1}`] = x;
  });
  return out;
}

/** The training curves as series (an own-coin curve with an update without pickups is left out, as coin-train does). */
export function pairSeries(outcome: PairOutcome): { steps: number[]; values: Record<string, number[]> } {
  const { rewards, ownCoin } = outcome.curves;
  const values: Record<string, number[]> = { "train.reward.1": rewards[0], "train.reward.2": rewards[1] };
  ownCoin.forEach((curve, i) => {
    if (curve.every((x) => x !== null)) values[`train.ownCoin.${i + 1}`] = curve as number[];
  });
  return { steps: rewards[0].map((_, u) => u), values };
}
