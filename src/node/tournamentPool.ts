/**
 * Tournaments over worker threads (workerPool.ts). The matches (pairs × repetitions) are cut into ranges, about
 * 8 per worker so threads that finish early take more; each range's summaries land at their match indices, and
 * each match draws from its own stream Rng.derive(seed, i, j, repetition). So the results are identical for any
 * number of workers, including 0 (everything in this thread).
 *
 * This module is also the job: worker threads import it and play the ranges they are given.
 */
import { SUMMARY_SIZE } from "../arena/match.js";
import {
  assembleTournament,
  matchCount,
  planTournament,
  playTournamentMatches,
  type StrategySpec,
  type TournamentOptions,
  type TournamentPlan,
  type TournamentResult,
} from "../arena/tournament.js";
import type { MatrixGame } from "../games/game.js";
import { checkWorkers, coreCount, streamTasks, type WorkerJob } from "./workerPool.js";

/** Below this many turns in total a tournament runs in-process: starting workers would cost more than it saves. */
export const IN_PROCESS_TURNS = 400_000;

/** The default worker count: in-process for small tournaments, otherwise one per core (at most 8). */
export function defaultWorkers(plan: TournamentPlan): number {
  const expectedTurns =
    matchCount(plan) * Math.min(plan.turns, plan.probEnd > 0 ? 1 / plan.probEnd : plan.turns);
  if (expectedTurns < IN_PROCESS_TURNS) return 0;
  return Math.min(8, coreCount());
}

interface MatchRange {
  from: number;
  to: number;
}

const playRange: WorkerJob<TournamentPlan, MatchRange, Float64Array> = {
  url: import.meta.url,
  run: (plan, range) => playTournamentMatches(plan, range.from, range.to),
};
export default playRange;

export async function playPlanInWorkers(
  plan: TournamentPlan,
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Float64Array> {
  const total = matchCount(plan);
  // In this thread one range is all the matches: no chunking to pay for.
  const chunk = workers > 0 ? Math.max(1, Math.ceil(total / (workers * 8))) : Math.max(1, total);
  const ranges: MatchRange[] = [];
  for (let from = 0; from < total; from += chunk) ranges.push({ from, to: Math.min(total, from + chunk) });
  const summaries = new Float64Array(total * SUMMARY_SIZE);
  let played = 0;
  await streamTasks(playRange, plan, ranges, {
    workers,
    onResult(index, out) {
      const { from, to } = ranges[index];
      summaries.set(out, from * SUMMARY_SIZE);
      played += to - from;
      onProgress?.(played, total);
    },
  });
  return summaries;
}

/**
 * Run a tournament; `workers` = 0 plays in this thread, undefined picks `defaultWorkers`. Same seed, same result,
 * whatever the worker count.
 */
export async function runTournamentParallel(
  specs: StrategySpec[],
  game: MatrixGame,
  options: TournamentOptions & { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<TournamentResult> {
  const plan = planTournament(specs, game, options);
  const workers = checkWorkers(options.workers ?? defaultWorkers(plan));
  const summaries = await playPlanInWorkers(plan, workers, options.onProgress);
  return assembleTournament(plan, summaries);
}
