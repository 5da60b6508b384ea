/**
 * The outside data an experiment kind may read while its config is resolved (ExperimentKind.resolve): files on
 * disk and the runs of other experiments in the same store. The runner resolves a config here before planning
 * it (and registers the resolved config, so the report plans the same units from the store); `shapelab report
 * <file>` resolves a config file the same way.
 *
 * Store access is awaited, so the same code serves the embedded SQLite store and any backend whose methods
 * return promises; a store that can read an artifact itself (`readArtifact`) is asked to, else the artifact
 * files under its folder are read.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { planRuns } from "../experiments/plan.js";
import { KINDS } from "../experiments/registry.js";
import type { ConfigSources, ExperimentConfig, StoredResult } from "../experiments/types.js";
import { InputError } from "../util/errors.js";
import { readTextCapped } from "./files.js";
import type { StoredExperiment, StoredRun } from "./store.js";

type MaybePromise<T> = T | Promise<T>;

/** What resolving needs of a run store (RunStore has it all). */
export interface ResolvingStore {
  readonly dir?: string;
  latestExperiment(name: string): MaybePromise<StoredExperiment | undefined>;
  runsByKeys(keys: readonly string[]): MaybePromise<StoredRun[]>;
  listRuns(filter: { experiment?: string; status?: "complete" }): MaybePromise<StoredRun[]>;
  readArtifact?(run: StoredRun, name: string): MaybePromise<unknown>;
}

/** A stored run's artifacts (an artifact whose file is gone is left out). */
async function readArtifacts(store: ResolvingStore, run: StoredRun): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(run.artifacts)) {
    if (store.readArtifact) {
      out[name] = await store.readArtifact(run, name);
      continue;
    }
    const file = join(store.dir ?? ".", path);
    if (existsSync(file)) out[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  return out;
}

/** The complete runs of the latest config of experiment `name`, in plan order. */
async function latestRuns(store: ResolvingStore, name: string): Promise<StoredRun[]> {
  const latest = await store.latestExperiment(name);
  if (!latest) return [];
  let keys: string[];
  try {
    keys = [...new Set(planRuns(latest.config).map((u) => u.key))];
  } catch {
    // Stored by other code (its kind or schema changed): the runs registered under that config instead.
    const runs = await store.listRuns({ experiment: name, status: "complete" });
    return runs.filter((r) => r.experimentId === latest.id).reverse();
  }
  return (await store.runsByKeys(keys)).filter((r) => r.status === "complete");
}

/** The `run` arguments that store experiment `name` (`coin-train@small` → `coin-train --preset small`). */
function runCommandOf(name: string): string {
  const at = name.indexOf("@");
  return at < 0 ? name : `${name.slice(0, at)} --preset ${name.slice(at + 1)}`;
}

export function storeSources(store: ResolvingStore): ConfigSources {
  const where = store.dir ?? "this store";
  return {
    readText: (path, field, maxBytes) => readTextCapped(path, maxBytes, field),
    async storedRuns(name: string, field: string): Promise<StoredResult[]> {
      const runs = await latestRuns(store, name);
      if (runs.length === 0) {
        throw new InputError(
          field,
          `no complete runs of "${name}" in ${where}; run it first: shapelab run ${runCommandOf(name)}` +
            (store.dir === undefined || store.dir === "shapelab-runs" ? "" : ` --store ${store.dir}`),
        );
      }
      return Promise.all(
        runs.map(async (r) => ({
          key: r.key,
          seed: r.seed,
          caseName: r.caseName,
          point: r.point,
          config: r.config,
          final: r.final,
          artifacts: await readArtifacts(store, r),
        })),
      );
    },
  };
}

/** The config with its outside references resolved (the config itself when its kind needs none). */
export async function resolveConfig(
  config: ExperimentConfig,
  store: ResolvingStore,
): Promise<ExperimentConfig> {
  const kind = KINDS[config.kind];
  return kind?.resolve ? kind.resolve(config, storeSources(store)) : config;
}
