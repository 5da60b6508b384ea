/**
 * The worker-thread entry point of the run pool: one task = one run unit (plain data in, plain data out).
 * Everything a run needs travels in the unit, so the same function could serve a distributed queue.
 */
import { runUnit } from "../experiments/run.js";
import type { RunResult, RunUnit } from "../experiments/types.js";

export default function runTask(unit: RunUnit): Promise<RunResult> {
  return runUnit(unit);
}
