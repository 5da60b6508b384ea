/**
 * The stored runs of a plan, labelled by the plan.
 *
 * A run's identity is its key (a hash of its resolved config and seed), so a run stored under one sweep point or
 * case name is the same run when a later config reaches that config under another label: e.g. a sweep axis added
 * over a field whose old default it includes (`gamma: [0.8, 0.96]` where 0.96 was the default). The stored row
 * keeps the label it was first stored with; reports and summaries must group by the current plan's labels, or
 * that cell silently disappears from the figure.
 */
import type { RunUnit } from "../experiments/types.js";
import type { StoredRun } from "./store.js";

type MaybePromise<T> = T | Promise<T>;

/** The complete runs of `units`, in plan order, each carrying the case name and sweep point of its plan unit. */
export async function completeRunsOfPlan(
  store: { runsByKeys(keys: readonly string[]): MaybePromise<StoredRun[]> },
  units: readonly RunUnit[],
): Promise<StoredRun[]> {
  const keys = [...new Set(units.map((u) => u.key))];
  const byKey = new Map<string, StoredRun>();
  for (const run of await store.runsByKeys(keys)) if (run.status === "complete") byKey.set(run.key, run);
  const out: StoredRun[] = [];
  for (const unit of units) {
    const run = byKey.get(unit.key);
    if (run) out.push({ ...run, caseName: unit.caseName, point: unit.point });
  }
  return out;
}
