/**
 * Tournaments over worker threads. The matches (pairs × repetitions) are cut into chunks that idle workers pull
 * one at a time; each chunk's summaries land at their match indices, and each match draws from its own stream
 * Rng.derive(seed, i, j, repetition). So the results are identical for any number of workers, including 0
 * (everything in this thread).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
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
import { InputError } from "../util/errors.js";

/** Below this many turns in total a tournament runs in-process: starting workers would cost more than it saves. */
export const IN_PROCESS_TURNS = 400_000;

/** The default worker count: in-process for small tournaments, otherwise one per core (at most 8). */
export function defaultWorkers(plan: TournamentPlan): number {
  const expectedTurns =
    matchCount(plan) * Math.min(plan.turns, plan.probEnd > 0 ? 1 / plan.probEnd : plan.turns);
  if (expectedTurns < IN_PROCESS_TURNS) return 0;
  return Math.min(8, availableParallelism());
}

export async function playPlanInWorkers(
  plan: TournamentPlan,
  workers: number,
  onProgress?: (done: number, total: number) => void,
): Promise<Float64Array> {
  const total = matchCount(plan);
  if (workers <= 0) {
    const out = playTournamentMatches(plan, 0, total);
    onProgress?.(total, total);
    return out;
  }
  const summaries = new Float64Array(total * SUMMARY_SIZE);
  const chunk = Math.max(1, Math.ceil(total / (workers * 8)));
  let next = 0;
  let done = 0;
  const pool = Array.from(
    { length: Math.min(workers, Math.ceil(total / chunk)) },
    () => new Worker(new URL("./arenaWorker.js", import.meta.url), { workerData: plan }),
  );
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= total) {
                resolve();
                return;
              }
              const from = next;
              next = Math.min(total, next + chunk);
              worker.postMessage({ from, to: next });
            };
            worker.on("message", (msg: { from: number; to: number; out: Float64Array }) => {
              summaries.set(msg.out, msg.from * SUMMARY_SIZE);
              done += msg.to - msg.from;
              onProgress?.(done, total);
              send();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0 && next < total) reject(new Error(`tournament worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
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
  const workers = options.workers ?? defaultWorkers(plan);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new InputError("--workers", `must be an integer in [0, 64], got ${workers}`);
  }
  const summaries = await playPlanInWorkers(plan, workers, options.onProgress);
  return assembleTournament(plan, summaries);
}
