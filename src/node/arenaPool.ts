/**
 * The learners' arena over worker threads: each (row, column) pair — training plus evaluation — is one task,
 * handed to the next idle worker. Pairs are pure functions of (plan, i, j), so results are identical for any
 * number of workers (0 = this thread).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type ArenaOptions,
  type ArenaResult,
  arenaPairs,
  assembleArena,
  defaultNaive,
  type PairResult,
  planArena,
  playArenaPair,
} from "../arena/learners.js";
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";

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
  const workers = options.workers ?? Math.min(availableParallelism(), pairs.length);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new InputError("--workers", `must be an integer in [0, 64], got ${workers}`);
  }
  const results: PairResult[] = new Array(pairs.length);
  let done = 0;
  if (workers === 0) {
    pairs.forEach(([i, j], k) => {
      results[k] = playArenaPair(plan, i, j);
      options.onPair?.(++done, pairs.length);
    });
  } else {
    // Start the pairs with learners first (they are the slow ones), so workers finish together.
    const order = pairs
      .map((p, k) => ({ k, cost: p.filter((x) => plan.entrants[x].kind !== "strategy").length }))
      .sort((a, b) => b.cost - a.cost || a.k - b.k)
      .map((x) => x.k);
    let next = 0;
    const pool = Array.from(
      { length: Math.min(workers, pairs.length) },
      () => new Worker(new URL("./arenaLearnersWorker.js", import.meta.url), { workerData: plan }),
    );
    try {
      await Promise.all(
        pool.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= order.length) {
                  resolve();
                  return;
                }
                const k = order[next++];
                worker.postMessage({ k, i: pairs[k][0], j: pairs[k][1] });
              };
              worker.on(
                "message",
                (msg: {
                  k: number;
                  result?: PairResult;
                  inputError?: { field: string; message: string };
                }) => {
                  if (msg.inputError) {
                    reject(new InputError(msg.inputError.field, msg.inputError.message));
                    return;
                  }
                  results[msg.k] = msg.result!;
                  options.onPair?.(++done, pairs.length);
                  send();
                },
              );
              worker.on("error", reject);
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(pool.map((w) => w.terminate()));
    }
  }
  return assembleArena(plan, results, {
    shapers: options.shapers ?? ["aa", "lola-dice", "lola"],
    naive: options.naive ?? defaultNaive(plan),
  });
}
