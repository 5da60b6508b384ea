/**
 * The learners' arena over worker threads (workerPool.ts): each (row, column) pair — training plus evaluation —
 * is one task. Pairs are pure functions of (plan, i, j), so results are identical for any number of workers
 * (0 = this thread).
 *
 * This module is also the job: worker threads import it and play the pairs they are given.
 */
import {
  type ArenaOptions,
  type ArenaPlan,
  type ArenaResult,
  arenaPairs,
  assembleArena,
  defaultNaive,
  type PairResult,
  planArena,
  playArenaPair,
} from "../arena/learners.js";
import type { MatrixGame } from "../games/game.js";
import { checkWorkers, coreCount, runTasks, type WorkerJob } from "./workerPool.js";

const playPair: WorkerJob<ArenaPlan, [number, number], PairResult> = {
  url: import.meta.url,
  run: (plan, [i, j]) => playArenaPair(plan, i, j),
};
export default playPair;

export async function runArenaParallel(
  names: string[],
  game: MatrixGame,
  options: ArenaOptions & {
    workers?: number;
    shapers?: string[];
    naive?: string;
    onPair?: (done: number, total: number) => void;
  } = {},
): Promise<ArenaResult> {
  const plan = planArena(names, game, options);
  const pairs = arenaPairs(plan);
  const workers = checkWorkers(options.workers ?? Math.min(coreCount(), pairs.length));
  // Start the pairs with learners first (they are the slow ones), so workers finish together.
  const order = pairs
    .map((p, k) => ({ k, cost: p.filter((x) => plan.entrants[x].kind !== "strategy").length }))
    .sort((a, b) => b.cost - a.cost || a.k - b.k)
    .map((x) => x.k);
  const results = await runTasks(playPair, plan, pairs, {
    workers,
    order,
    onResult: (_index, _result, done) => options.onPair?.(done, pairs.length),
  });
  return assembleArena(plan, results, {
    shapers: options.shapers ?? ["aa", "lola-dice", "lola"],
    naive: options.naive ?? defaultNaive(plan),
  });
}
