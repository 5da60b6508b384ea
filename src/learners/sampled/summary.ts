/**
 * What a sampled run's numbers are summarised by, shared by `shapelab train` (src/cli/commands/train.ts) and the
 * browser explorer's sampled page, so both report the same values for the same run:
 *
 * - the reward per step each update, `[updates][seeds][2]`: the exact (1 − γ)·V of the policies played when both
 *   seats are memory-one, else (a strategy played as itself has no memory-one chain) the sampled mean of the
 *   training rollout;
 * - the final value per seed and agent, `[seeds][2]`: the mean of the last `window` updates of that curve (the
 *   LOLA-DiCE paper's numbers average the last 10 of 200 iterations).
 */
import { mean } from "../../util/stats.js";
import type { TrainSampledResult } from "./train.js";

export function rewardCurves(result: TrainSampledResult): {
  source: "exact" | "sampled";
  values: number[][][];
} {
  return result.exactPerStep.length > 0
    ? { source: "exact", values: result.exactPerStep }
    : { source: "sampled", values: result.rewardPerStep };
}

/** `final.rewardPerStep` and the summaries average the last FINAL_WINDOW updates. */
export const FINAL_WINDOW = 10;

export function finalValues(result: TrainSampledResult, window = FINAL_WINDOW): number[][] {
  const last = rewardCurves(result).values.slice(-window);
  return Array.from({ length: result.seeds }, (_, k) => [0, 1].map((a) => mean(last.map((u) => u[k][a]))));
}
