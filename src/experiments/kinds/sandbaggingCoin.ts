/**
 * Kind `sandbagging-coin`: sandbagging (the seed post §7.3, §8.3; issue 14 §2) on the Coin Game. Seat 1 is an
 * Advantage Alignment learner (aa / paa) with `alignFrom: K`: β = 0 for its first K updates — a plain REINFORCE /
 * PPO learner on its own reward, though it fits its opponent critic all along — then its full β. Seat 2 is any
 * neural learner (a shaper, PAA with β₂, is the one that can be lured). The pair trains together (coinPair.ts).
 * Sweep K (`agents.0.alignFrom`); K = 0 is the no-sandbagging baseline, K ≥ updates never switches.
 *
 * Phases of training: before = updates u < K, after = u ≥ K (a phase with no update is left out). Per phase, the
 * mean over its updates of the training rollouts' reward per step and own-coin fraction:
 *
 *   lure.gap         mean_{u<K} (r₂ − r₁)       the opponent's lead while seat 1 sandbags (> 0: lured ahead)
 *   before.reward.i, before.ownCoin.i, after.reward.i, after.ownCoin.i
 *   mean.reward.i    over the whole training (what sandbagging earned seat i in total: compare across K)
 * and the final pair's evaluation (`reward.i`, `ownCoin.i`, `welfare`), series `train.*`.
 */
import * as z from "../../zod.js";
import { InputError } from "../../util/errors.js";
import type { ExperimentKind, RunConfig, RunContext } from "../types.js";
import {
  PairAgentSchema,
  PairBudgetSchema,
  PairParamsSchema,
  pairMetrics,
  pairSeat,
  pairSeries,
  trainPair,
} from "./coinPair.js";

/** Mean of `curve[from … to)`, skipping nulls (updates without a pickup); undefined when nothing is left. */
export function phaseMean(curve: readonly (number | null)[], from: number, to: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (let u = from; u < Math.min(to, curve.length); u++) {
    const x = curve[u];
    if (x === null) continue;
    sum += x;
    n++;
  }
  return n === 0 ? undefined : sum / n;
}

/** The phase metrics of the header from the training curves, with the switch at update `switchAt`. */
export function sandbaggingMetrics(
  rewards: readonly [readonly number[], readonly number[]],
  ownCoin: readonly [readonly (number | null)[], readonly (number | null)[]],
  switchAt: number,
): Record<string, number> {
  const updates = rewards[0].length;
  const out: Record<string, number> = {};
  const put = (name: string, v: number | undefined) => {
    if (v !== undefined) out[name] = v;
  };
  for (const i of [0, 1] as const) {
    const seat = i + 1;
    put(`before.reward.${seat}`, phaseMean(rewards[i], 0, switchAt));
    put(`after.reward.${seat}`, phaseMean(rewards[i], switchAt, updates));
    put(`before.ownCoin.${seat}`, phaseMean(ownCoin[i], 0, switchAt));
    put(`after.ownCoin.${seat}`, phaseMean(ownCoin[i], switchAt, updates));
    put(`mean.reward.${seat}`, phaseMean(rewards[i], 0, updates));
  }
  const lead = rewards[1].map((r2, u) => r2 - rewards[0][u]);
  put("lure.gap", phaseMean(lead, 0, switchAt));
  return out;
}

export const sandbaggingCoinKind: ExperimentKind = {
  name: "sandbagging-coin",
  description:
    "sandbagging on the Coin Game: neural AA/PAA that trains with β = 0 for its first K updates, then its full β, " +
    "against a shaper; does the opponent get lured, does the sandbagger profit",
  agents: z.array(PairAgentSchema).length(2),
  budget: PairBudgetSchema,
  params: PairParamsSchema,
  check(config: RunConfig) {
    const seat = pairSeat(config, 0);
    pairSeat(config, 1);
    if (!("alignFrom" in seat.options)) {
      throw new InputError(
        "agents[0].learner",
        `the sandbagger must be an aligning learner (aa or paa): "${seat.learner}" has no alignFrom`,
      );
    }
  },
  metricFamilies: ["reward", "ownCoin", "welfare", "before", "after", "mean", "lure", "train"],
  run(config: RunConfig, seed: number, context?: RunContext) {
    const budget = PairBudgetSchema.parse(config.budget);
    const seats = [pairSeat(config, 0), pairSeat(config, 1)] as const;
    const outcome = trainPair(seats, budget, seed, context?.progress);
    const switchAt = seats[0].options.alignFrom as number;
    const { rewards, ownCoin } = outcome.curves;
    const final = { ...pairMetrics(outcome), ...sandbaggingMetrics(rewards, ownCoin, switchAt) };
    return { final, series: pairSeries(outcome), artifacts: {} };
  },
};
