/** Worker thread for the learners' arena: receives the plan once, then trains and evaluates the pairs it is sent. */
import { parentPort, workerData } from "node:worker_threads";
import { type ArenaPlan, playArenaPair } from "../arena/learners.js";

const plan = workerData as ArenaPlan;

parentPort!.on("message", (task: { k: number; i: number; j: number }) => {
  parentPort!.postMessage({ k: task.k, result: playArenaPair(plan, task.i, task.j) });
});
