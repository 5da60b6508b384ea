/**
 * The outside data an experiment kind may read while its config is resolved (ExperimentKind.resolve): files on
 * disk and the runs of other experiments in the same store. The runner and the report both resolve a config
 * here before planning it, so they plan the same units (and find the same run keys).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { planRuns } from "../experiments/plan.js";
import { KINDS } from "../experiments/registry.js";
import type { ConfigSources, ExperimentConfig, StoredResult } from "../experiments/types.js";
import { InputError } from "../util/errors.js";
import { readTextCapped } from "./files.js";
import type { RunStore, StoredRun } from "./store.js";

/** A stored run's artifacts, read from their files (an artifact whose file is gone is left out). */
function readArtifacts(store: RunStore, run: StoredRun): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(run.artifacts)) {
    const file = join(store.dir, path);
    if (existsSync(file)) out[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  return out;
}

/** The complete runs of the latest config of experiment `name`, in plan order. */
function latestRuns(store: RunStore, name: string): StoredRun[] {
  const latest = store.latestExperiment(name);
  if (!latest) return [];
  let keys: string[];
  try {
    keys = [...new Set(planRuns(latest.config).map((u) => u.key))];
  } catch {
    // Stored by other code (its kind or schema changed): the runs registered under that config instead.
    return store
      .listRuns({ experiment: name, status: "complete" })
      .filter((r) => r.experimentId === latest.id)
      .reverse();
  }
  return store.runsByKeys(keys).filter((r) => r.status === "complete");
}

export function storeSources(store: RunStore): ConfigSources {
  return {
    readText: (path, field, maxBytes) => readTextCapped(path, maxBytes, field),
    storedRuns(name: string, field: string): StoredResult[] {
      const runs = latestRuns(store, name);
      if (runs.length === 0) {
        throw new InputError(
          field,
          `no complete runs of "${name}" in the store ${store.dir}; run it first: shapelab run ${name}` +
            (store.dir === "shapelab-runs" ? "" : ` --store ${store.dir}`),
        );
      }
      return runs.map((r) => ({
        key: r.key,
        seed: r.seed,
        caseName: r.caseName,
        point: r.point,
        config: r.config,
        final: r.final,
        artifacts: readArtifacts(store, r),
      }));
    },
  };
}

/** The config with its outside references resolved (the config itself when its kind needs none). */
export function resolveConfig(config: ExperimentConfig, store: RunStore): ExperimentConfig {
  const kind = KINDS[config.kind];
  return kind?.resolve ? kind.resolve(config, storeSources(store)) : config;
}
