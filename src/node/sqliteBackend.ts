/**
 * The SQLite run store (store.ts) behind the async RunStoreBackend interface: every method calls the
 * synchronous RunStore and resolves with its answer, so SQLite behaves exactly as before for every caller.
 * `store` stays public for the code that needs the synchronous store itself (the local runner's leases).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { RunStore, type StoredRun } from "./store.js";
import type { RunFilter, RunStoreBackend } from "./storeBackend.js";

export class SqliteBackend implements RunStoreBackend {
  readonly kind = "sqlite";
  readonly location: string;

  constructor(readonly store: RunStore) {
    this.location = store.dir;
  }

  static open(dir: string, options: { readonly?: boolean } = {}): SqliteBackend {
    return new SqliteBackend(RunStore.open(dir, options));
  }

  async close() {
    this.store.close();
  }
  async registerExperiment(config: ExperimentConfig) {
    return this.store.registerExperiment(config);
  }
  async getExperiment(id: number) {
    return this.store.getExperiment(id);
  }
  async latestExperiment(name: string) {
    return this.store.latestExperiment(name);
  }
  async completeKeys(keys: readonly string[], codeVersion: string) {
    return this.store.completeKeys(keys, codeVersion);
  }
  async getRun(id: number) {
    return this.store.getRun(id);
  }
  async listRuns(filter: RunFilter = {}) {
    return this.store.listRuns(filter);
  }
  async runsByKeys(keys: readonly string[]) {
    return this.store.runsByKeys(keys);
  }
  async metrics(runId: number) {
    return this.store.metrics(runId);
  }
  /** Artifacts are JSON files under the store folder; the row holds their relative paths. */
  async readArtifact(run: StoredRun, name: string) {
    const path = run.artifacts[name];
    if (!path) return undefined;
    const file = join(this.store.dir, path);
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  }
  async counts() {
    return this.store.counts();
  }
  async startQueuedRun(unit: RunUnit, experimentId: number, codeVersion: string, owner: string) {
    return this.store.startQueuedRun(unit, experimentId, codeVersion, owner);
  }
  async storeResultOnce(unit: RunUnit, experimentId: number, codeVersion: string, result: RunResult) {
    return this.store.storeResultOnce(unit, experimentId, codeVersion, result);
  }
  async storeFailureOnce(unit: RunUnit, experimentId: number, codeVersion: string, error: string) {
    return this.store.storeFailureOnce(unit, experimentId, codeVersion, error);
  }
  async putCheckpoint(key: string, text: string) {
    this.store.putCheckpoint(key, text);
  }
  async getCheckpoint(key: string) {
    return this.store.getCheckpoint(key);
  }
  async deleteCheckpoint(key: string) {
    return this.store.deleteCheckpoint(key);
  }
}
