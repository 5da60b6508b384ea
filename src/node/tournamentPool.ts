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

/**
 * What starting a pool costs before its first match: creating the threads, each importing this module and the
 * strategy zoo, and tearing them down. Measured on the 2-core build machine (tournament of 105 short matches,
 * 2 workers minus 0 workers): 0.23–0.35 s; the lower end is used, so the choice errs towards workers only a little.
 */
export const WORKER_START_SECONDS = 0.25;

/** How long the in-process calibration slice runs before the remaining work is estimated (at most). */
export const CALIBRATION_SECONDS = 0.02;

/**
 * The worker count that finishes `remainingSeconds` of in-process work soonest: n threads cost about
 * WORKER_START_SECONDS + remaining / n (the main thread only waits), this thread costs `remainingSeconds`. Workers
 * are chosen only when they save at least a quarter, so a noisy estimate near the break-even point stays in process.
 */
export function chooseWorkers(remainingSeconds: number, cores = coreCount()): number {
  let best = 0;
  let bestSeconds = remainingSeconds * 0.75;
  for (let n = 2; n <= Math.min(8, cores); n++) {
    const seconds = WORKER_START_SECONDS + remainingSeconds / n;
    if (seconds < bestSeconds) {
      best = n;
      bestSeconds = seconds;
    }
  }
  return best;
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

/**
 * Play matches `start..` of the plan into `summaries` (all the plan's matches, SUMMARY_SIZE numbers each); the
 * ones before `start` are already there.
 */
export async function playPlanInWorkers(
  plan: TournamentPlan,
  workers: number,
  onProgress?: (done: number, total: number) => void,
  summaries = new Float64Array(matchCount(plan) * SUMMARY_SIZE),
  start = 0,
): Promise<Float64Array> {
  const total = matchCount(plan);
  const left = total - start;
  // In this thread one range is all the matches: no chunking to pay for.
  const chunk = workers > 0 ? Math.max(1, Math.ceil(left / (workers * 8))) : Math.max(1, left);
  const ranges: MatchRange[] = [];
  for (let from = start; from < total; from += chunk)
    ranges.push({ from, to: Math.min(total, from + chunk) });
  let played = start;
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
 * Play the first matches in this thread for up to CALIBRATION_SECONDS (they are part of the result, not thrown
 * away), time them, and pick the worker count for the rest from that measured cost (chooseWorkers). The prefix is
 * player 0's matches against everyone, so it samples every opponent's cost. Returns the matches played.
 */
function calibrate(plan: TournamentPlan, summaries: Float64Array): { played: number; seconds: number } {
  const total = matchCount(plan);
  const started = performance.now();
  let played = 0;
  let batch = Math.max(1, Math.min(plan.repetitions, total));
  while (played < total) {
    const to = Math.min(total, played + batch);
    summaries.set(playTournamentMatches(plan, played, to), played * SUMMARY_SIZE);
    played = to;
    if ((performance.now() - started) / 1000 >= CALIBRATION_SECONDS) break;
    batch *= 2;
  }
  return { played, seconds: (performance.now() - started) / 1000 };
}

/**
 * Run a tournament; `workers` = 0 plays in this thread, a number starts that many worker threads, undefined
 * measures the cost of the first matches and chooses (calibrate, chooseWorkers). Same seed, same result, whatever
 * the worker count.
 */
export async function runTournamentParallel(
  specs: StrategySpec[],
  game: MatrixGame,
  options: TournamentOptions & { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<TournamentResult> {
  const plan = planTournament(specs, game, options);
  if (options.workers !== undefined) {
    const summaries = await playPlanInWorkers(plan, checkWorkers(options.workers), options.onProgress);
    return assembleTournament(plan, summaries);
  }
  const total = matchCount(plan);
  const summaries = new Float64Array(total * SUMMARY_SIZE);
  const { played, seconds } = calibrate(plan, summaries);
  options.onProgress?.(played, total);
  const workers = chooseWorkers((seconds / played) * (total - played));
  await playPlanInWorkers(plan, workers, options.onProgress, summaries, played);
  return assembleTournament(plan, summaries);
}
