/**
 * Running one unit: look up its kind, run it on (config, seed), keep only the metric families the config asked
 * for, and check that every number is finite (a diverged run fails loudly instead of storing NaN). The `context`
 * (a checkpoint, when the runner has a store) goes to the kind as it is.
 * Isomorphic: the worker thread, the main thread and a browser all call this.
 */
import { KINDS } from "./registry.js";
import type { RunContext, RunResult, RunUnit } from "./types.js";

function keep(metrics: string[] | undefined, name: string): boolean {
  return metrics === undefined || metrics.includes(name.split(".")[0]);
}

export async function runUnit(unit: RunUnit, context?: RunContext): Promise<RunResult> {
  const kind = KINDS[unit.config.kind];
  if (!kind) throw new Error(`unknown experiment kind "${unit.config.kind}"`);
  const started = performance.now();
  const raw = await kind.run(unit.config, unit.seed, context);
  const elapsedMs = performance.now() - started;
  const wanted = unit.config.metrics;
  const final: Record<string, number> = {};
  for (const [name, value] of Object.entries(raw.final)) {
    if (!keep(wanted, name)) continue;
    if (!Number.isFinite(value))
      throw new Error(`run ${unit.key} (seed ${unit.seed}): final metric ${name} is ${value}`);
    final[name] = value;
  }
  const values: Record<string, number[]> = {};
  for (const [name, series] of Object.entries(raw.series.values)) {
    if (!keep(wanted, name)) continue;
    if (series.length !== raw.series.steps.length) {
      throw new Error(
        `run ${unit.key}: series ${name} has ${series.length} values for ${raw.series.steps.length} steps`,
      );
    }
    const bad = series.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new Error(
        `run ${unit.key} (seed ${unit.seed}): series ${name} is ${series[bad]} at step ${raw.series.steps[bad]}`,
      );
    values[name] = series;
  }
  return { final, series: { steps: raw.series.steps, values }, artifacts: raw.artifacts, elapsedMs };
}
