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
import { loadavg } from "node:os";
import type { MatrixGame } from "../games/game.js";
import { checkWorkers, coreCount, streamTasks, type WorkerJob } from "./workerPool.js";

/**
 * What starting a pool costs before its first match: creating the threads, each importing this module and the
 * strategy zoo, and tearing them down. Measured on the 2-core build machine (tournament of 105 short matches,
 * 2 workers minus 0 workers): 0.23–0.35 s; the lower end is used, so the choice errs towards workers only a little.
 */
export const WORKER_START_SECONDS = 0.25;

/**
 * CPU time of one turn of a match in this thread, warm: 36 deterministic strategies (bench/tournament.ts), 1.33 M
 * turns in 55 ms on the build machine (41 ns), rounded up to cover the heavier strategies and start-up. Timing the
 * first matches instead was tried and misleads: in a fresh process they run before the JIT has compiled the match
 * loop and cost 40× a warm turn, which would start workers for a tournament that takes 0.06 s.
 */
export const TURN_SECONDS = 50e-9;

/** Expected in-process time of a tournament: matches × expected turns per match × TURN_SECONDS. */
export function estimatedSeconds(plan: TournamentPlan): number {
  const turnsPerMatch = Math.min(plan.turns, plan.probEnd > 0 ? 1 / plan.probEnd : plan.turns);
  return matchCount(plan) * turnsPerMatch * TURN_SECONDS;
}

/**
 * The worker count that finishes `inProcessSeconds` of work soonest: n threads cost about
 * WORKER_START_SECONDS + inProcessSeconds / min(n, idle cores) (the main thread only waits), this thread
 * `inProcessSeconds`. Idle cores = cores − the load of other processes (the 1-minute load average less this
 * process's 1): on a shared machine whose cores are busy, threads only take turns, which is why 2 workers were
 * slower than 1 thread at every size tried on the (loaded) build machine. Workers are chosen only when they save
 * at least a quarter, so an estimate near the break-even point stays in process.
 */
export function chooseWorkers(
  inProcessSeconds: number,
  cores = coreCount(),
  loadAverage = loadavg()[0],
): number {
  const idle = Math.max(1, cores - Math.max(0, loadAverage - 1));
  let best = 0;
  let bestSeconds = inProcessSeconds * 0.75;
  for (let n = 2; n <= Math.min(8, cores); n++) {
    const seconds = WORKER_START_SECONDS + inProcessSeconds / Math.min(n, idle);
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
 * Run a tournament; `workers` = 0 plays in this thread, a number starts that many worker threads, undefined
 * chooses from the estimated cost (estimatedSeconds, chooseWorkers). Same seed, same result, whatever the worker
 * count.
 */
export async function runTournamentParallel(
  specs: StrategySpec[],
  game: MatrixGame,
  options: TournamentOptions & { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<TournamentResult> {
  const plan = planTournament(specs, game, options);
  const workers =
    options.workers !== undefined ? checkWorkers(options.workers) : chooseWorkers(estimatedSeconds(plan));
  const summaries = await playPlanInWorkers(plan, workers, options.onProgress);
  return assembleTournament(plan, summaries);
}
