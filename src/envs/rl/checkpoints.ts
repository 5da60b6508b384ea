/**
 * Where a training run keeps its checkpoints: `count` steps evenly spaced over `total` (1-based), the last at
 * `total`, as Dezfouli et al. saved their adversaries along training and kept the one with the best validation
 * bias (the experiment's `selection`). Step k of count is ⌈k·total/count⌉; at count ≥ total every step.
 */
import { InputError } from "../../util/errors.js";

export function checkpointSteps(total: number, count: number): number[] {
  if (!(Number.isInteger(count) && count >= 0))
    throw new InputError("checkpoints", `must be a whole number ≥ 0, got ${count}`);
  const steps = new Set<number>();
  for (let k = 1; k <= count; k++) steps.add(Math.ceil((k * total) / count));
  return [...steps];
}
