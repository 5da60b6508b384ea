/**
 * Worker thread for tournaments: receives a plan once, then plays the ranges of matches it is sent and posts
 * back their summaries (transferring the buffer). See tournamentPool.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { playTournamentMatches, type TournamentPlan } from "../arena/tournament.js";

const plan = workerData as TournamentPlan;

parentPort!.on("message", (task: { from: number; to: number }) => {
  const out = playTournamentMatches(plan, task.from, task.to);
  parentPort!.postMessage({ from: task.from, to: task.to, out }, [out.buffer as ArrayBuffer]);
});
