/**
 * The worker job of the experiment runner (runner.ts, workerPool.ts): one task = one run unit, plain data in,
 * plain data out. Everything a run needs travels in the unit, so the same function could serve a distributed
 * queue. A module of its own, so that worker threads load the run code and not the runner's progress bar.
 */
import { runUnit } from "../experiments/run.js";
import { installTextFileReader } from "../experiments/textFiles.js";
import type { RunResult, RunUnit } from "../experiments/types.js";
import { LIMITS } from "../util/limits.js";
import { readTextCapped } from "./files.js";
import type { WorkerJob } from "./workerPool.js";

// Files a run config names (e.g. a fitted GRU) are read here, in whichever thread runs the unit.
installTextFileReader((path, field) => readTextCapped(path, LIMITS.agentFileBytes, field));

const runJob: WorkerJob<undefined, RunUnit, RunResult> = {
  url: import.meta.url,
  run: (_, unit) => runUnit(unit),
};
export default runJob;
