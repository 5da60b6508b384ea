/**
 * Worker thread for the learners' arena: receives the plan once, then trains and evaluates the pairs it is sent.
 * An InputError (e.g. a learner's update turning NaN) is sent back as data so the main thread can rethrow it as
 * an InputError (exit code 2) instead of a crash.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ArenaPlan, playArenaPair } from "../arena/learners.js";
import { InputError } from "../util/errors.js";

const plan = workerData as ArenaPlan;

parentPort!.on("message", (task: { k: number; i: number; j: number }) => {
  try {
    parentPort!.postMessage({ k: task.k, result: playArenaPair(plan, task.i, task.j) });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const message = error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
    parentPort!.postMessage({ k: task.k, inputError: { field: error.field, message } });
  }
});
