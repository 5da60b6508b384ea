/**
 * The run store: an embedded SQLite database (better-sqlite3 12) in `./shapelab-runs/runs.sqlite` unless
 * `--store` names another folder. Artifacts (JSON data a run returns, e.g. a payoff matrix) are files under
 * `<store>/artifacts/<run key>/`, and the database holds their paths.
 *
 * Tables
 *   experiments(id, name, config_hash UNIQUE, config JSON, created_at)
 *   runs(id, run_key UNIQUE, experiment_id, experiment, case_name, point JSON, seed_index, seed, config JSON,
 *        code_version, status running|complete|failed, started_at, ended_at, elapsed_ms, final JSON,
 *        artifacts JSON {name: path}, error)
 *   metrics(run_id, metric, step, value)   -- tidy time series, one row per (run, metric, step)
 *   checkpoints(key PRIMARY KEY, text, updated_at)   -- resumable state of long runs (e.g. neural training)
 *
 * Atomicity: a run row is written as `running` when it starts; its metrics, final values and the `complete`
 * status are then written in ONE transaction. A process killed at any moment leaves each run either complete
 * or marked incomplete (`running` with no end time), never half-written. SQLite's WAL journal makes the commit
 * durable against SIGKILL. A rerun finds runs by key: complete ones are skipped, others are redone in place
 * (same row id, old metrics replaced), so nothing is lost or duplicated.
 *
 * Several processes on one store (leases). A process claims a run with ONE conditional upsert: it gets the row
 * only when the row is absent, not complete with this code version, and not held by a live lease of another
 * owner. A lease is (owner, heartbeat_at): the owner is `host:pid:token`, the holder refreshes heartbeat_at every
 * few seconds, and a lease whose heartbeat is older than the lease length, or whose owner is a process on this
 * host that no longer exists (SIGKILL), may be taken over. Completing and failing are conditional on still
 * holding the lease and on the row not being complete, so a complete row is never overwritten: two processes that
 * race on one run store it once. This is the compare-and-set lease of a work queue (Gray & Cheriton 1989,
 * "Leases"), done inside SQLite's write lock, with no server.
 *
 * Queue workers (queueWorker.ts) hold no lease: the queue hands a job to one worker, and a job it hands out
 * twice (a stalled worker) is stored once by `storeResultOnce`, whose check and write are one transaction keyed
 * by (run key, code version). The PostgreSQL backend (postgresStore.ts) implements the same operations.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { canonicalJson, hashText } from "../experiments/plan.js";
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { storedExperimentName } from "../experiments/presets.js";
import { InputError } from "../util/errors.js";
import { ensureWritableDir } from "./files.js";
import { storeError } from "./storeErrors.js";

export const DEFAULT_STORE_DIR = "shapelab-runs";
export const DB_FILE = "runs.sqlite";

export type RunStatus = "running" | "complete" | "failed";

export interface StoredRun {
  id: number;
  key: string;
  experimentId: number;
  experiment: string;
  caseName: string | null;
  point: Record<string, unknown>;
  seedIndex: number;
  seed: number;
  config: RunUnit["config"];
  codeVersion: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  elapsedMs: number | null;
  final: Record<string, number>;
  artifacts: Record<string, string>;
  error: string | null;
  /** Lease holder of a `running` row (`host:pid:token`), null when released or written by older code. */
  owner: string | null;
  /** Last heartbeat of the lease, ms since the epoch. */
  heartbeatAt: number | null;
}

/** What `claimRun` found: the row is ours, or another process completed it, or another holds a live lease. */
export type Claim =
  | { kind: "claimed"; id: number }
  | { kind: "complete"; id: number }
  | { kind: "leased"; id: number; owner: string };

/** Default lease length: a lease whose heartbeat is older than this may be taken over. */
export const DEFAULT_LEASE_MS = 60_000;

/** A lease owner id unique to this process and call: `host:pid:token`. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** True when `owner` names a process on this host that no longer exists (its lease is dead, whatever its age). */
export function ownerIsDead(owner: string): boolean {
  const [host, pidText] = owner.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export interface StoredExperiment {
  id: number;
  name: string;
  configHash: string;
  config: ExperimentConfig;
  createdAt: string;
}

export interface MetricRow {
  metric: string;
  step: number;
  value: number;
}

interface RunRow {
  id: number;
  run_key: string;
  experiment_id: number;
  experiment: string;
  case_name: string | null;
  point: string;
  seed_index: number;
  seed: number;
  config: string;
  code_version: string;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  elapsed_ms: number | null;
  final: string | null;
  artifacts: string | null;
  error: string | null;
  owner: string | null;
  heartbeat_at: number | null;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS experiments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  config_hash TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  run_key TEXT NOT NULL UNIQUE,
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  experiment TEXT NOT NULL,
  case_name TEXT,
  point TEXT NOT NULL,
  seed_index INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  config TEXT NOT NULL,
  code_version TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  elapsed_ms REAL,
  final TEXT,
  artifacts TEXT,
  error TEXT,
  owner TEXT,
  heartbeat_at INTEGER
);
CREATE INDEX IF NOT EXISTS runs_by_experiment ON runs(experiment, status);
CREATE TABLE IF NOT EXISTS metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  metric TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (run_id, metric, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  key TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    key: row.run_key,
    experimentId: row.experiment_id,
    experiment: row.experiment,
    caseName: row.case_name,
    point: JSON.parse(row.point),
    seedIndex: row.seed_index,
    seed: row.seed,
    config: JSON.parse(row.config),
    codeVersion: row.code_version,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    elapsedMs: row.elapsed_ms,
    final: row.final ? JSON.parse(row.final) : {},
    artifacts: row.artifacts ? JSON.parse(row.artifacts) : {},
    error: row.error,
    owner: row.owner ?? null,
    heartbeatAt: row.heartbeat_at ?? null,
  };
}

/** Stores made before leases lack the lease columns: add them (concurrent openers may race; both end equal). */
function addLeaseColumns(db: Database.Database): void {
  const columns = new Set(
    (db.prepare("PRAGMA table_info(runs)").all() as { name: string }[]).map((c) => c.name),
  );
  for (const [name, type] of [
    ["owner", "TEXT"],
    ["heartbeat_at", "INTEGER"],
  ] as const) {
    if (columns.has(name)) continue;
    try {
      db.exec(`ALTER TABLE runs ADD COLUMN ${name} ${type}`);
    } catch (error) {
      if (!/duplicate column/i.test((error as Error).message)) throw error;
    }
  }
}

export class RunStore {
  private constructor(
    readonly dir: string,
    /** The database file (for messages). */
    readonly file: string,
    private readonly db: Database.Database,
  ) {}

  /**
   * Open (creating if needed) the store in `dir`. `readonly` opens without creating or writing. Every failure
   * (no such folder, a file where the folder should be, read-only media, a damaged database) is an InputError
   * naming the path (storeErrors.ts). A read-only store on media where SQLite cannot create its WAL index
   * (`-shm`) is read from a private copy, so `runs list` and `report` work on a read-only database.
   */
  static open(dir: string = DEFAULT_STORE_DIR, options: { readonly?: boolean } = {}): RunStore {
    if (dir.trim() === "") throw new InputError("--store", "is empty; give a folder path");
    const file = join(dir, DB_FILE);
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw new InputError(
        "--store",
        `"${dir}" is a file, not a folder (the store is a folder holding ${DB_FILE})`,
      );
    if (options.readonly && !existsSync(file)) {
      throw new InputError(
        "--store",
        `no run store at "${dir}" (run an experiment first: shapelab run <file|name>)`,
      );
    }
    try {
      if (options.readonly) return new RunStore(dir, file, openReadonly(file));
      ensureWritableDir(dir, "--store");
      const db = new Database(file);
      db.pragma("busy_timeout = 5000");
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      db.exec(SCHEMA);
      addLeaseColumns(db);
      return new RunStore(dir, file, db);
    } catch (error) {
      throw storeError(dir, file, error);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Record an experiment config (once per distinct config) and return its id. */
  registerExperiment(config: ExperimentConfig): number {
    const text = canonicalJson(config);
    const hash = hashText(text);
    const found = this.db.prepare("SELECT id FROM experiments WHERE config_hash = ?").get(hash) as
      | { id: number }
      | undefined;
    if (found) return found.id;
    const info = this.db
      .prepare("INSERT INTO experiments (name, config_hash, config, created_at) VALUES (?, ?, ?, ?)")
      .run(storedExperimentName(config), hash, text, new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  /**
   * Keys of every run among `keys` that is complete AND was computed by `codeVersion`. A run finished by other
   * code is stale: the runner redoes it (and `startRun` overwrites it), so a store never mixes results of two
   * code versions into one sweep without saying so.
   */
  completeKeys(keys: readonly string[], codeVersion: string): Set<string> {
    const out = new Set<string>();
    const stmt = this.db
      .prepare("SELECT 1 FROM runs WHERE run_key = ? AND status = 'complete' AND code_version = ?")
      .pluck();
    for (const key of keys) if (stmt.get(key, codeVersion)) out.add(key);
    return out;
  }

  /**
   * Claim a run for `owner` (see the header): insert it as `running`, or take over a row that is not complete
   * with this code version and whose lease is released, expired (heartbeat older than `leaseMs`) or held by a
   * dead process on this host. One statement, so two processes never both get it.
   */
  claimRun(unit: RunUnit, experimentId: number, codeVersion: string, owner: string, leaseMs: number): Claim {
    const claim = this.db.prepare(
      `INSERT INTO runs (run_key, experiment_id, experiment, case_name, point, seed_index, seed, config,
                         code_version, status, started_at, owner, heartbeat_at)
       VALUES (@key, @experimentId, @experiment, @caseName, @point, @seedIndex, @seed, @config, @codeVersion,
               'running', @now, @owner, @nowMs)
       ON CONFLICT(run_key) DO UPDATE SET status = 'running', started_at = excluded.started_at,
         code_version = excluded.code_version, ended_at = NULL, error = NULL, owner = excluded.owner,
         heartbeat_at = excluded.heartbeat_at
       WHERE (runs.status != 'complete' OR runs.code_version != excluded.code_version)
         AND (runs.status != 'running' OR runs.owner IS NULL OR runs.owner = excluded.owner
              OR runs.owner = @deadOwner OR runs.heartbeat_at IS NULL OR runs.heartbeat_at < @expiredBefore)
       RETURNING id`,
    );
    const args = {
      key: unit.key,
      experimentId,
      experiment: unit.experiment,
      caseName: unit.caseName,
      point: canonicalJson(unit.point),
      seedIndex: unit.seedIndex,
      seed: unit.seed,
      config: canonicalJson(unit.config),
      codeVersion,
      owner,
      deadOwner: null as string | null,
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const nowMs = Date.now();
      const row = claim.get({
        ...args,
        now: new Date(nowMs).toISOString(),
        nowMs,
        expiredBefore: nowMs - leaseMs,
      }) as { id: number } | undefined;
      if (row) return { kind: "claimed", id: row.id };
      const found = this.db
        .prepare("SELECT id, status, code_version, owner FROM runs WHERE run_key = ?")
        .get(unit.key) as { id: number; status: RunStatus; code_version: string; owner: string | null };
      if (found.status === "complete" && found.code_version === codeVersion)
        return { kind: "complete", id: found.id };
      // Held by someone else: take it over at once if that process is gone (SIGKILL), else report it.
      if (attempt === 0 && found.owner !== null && ownerIsDead(found.owner)) {
        args.deadOwner = found.owner;
        continue;
      }
      return { kind: "leased", id: found.id, owner: found.owner ?? "?" };
    }
    throw new Error(`run ${unit.key}: claim did not settle`);
  }

  /** Refresh the heartbeat of every lease `owner` holds (rows still `running`). */
  heartbeat(owner: string): void {
    this.db
      .prepare("UPDATE runs SET heartbeat_at = ? WHERE owner = ? AND status = 'running'")
      .run(Date.now(), owner);
  }

  /** Give up `owner`'s leases (an interrupted run): the rows stay incomplete and any process may take them. */
  releaseLeases(owner: string): void {
    this.db.prepare("UPDATE runs SET owner = NULL WHERE owner = ? AND status = 'running'").run(owner);
  }

  /**
   * Write a finished run: artifacts to files, then metrics + final + status in one transaction, only while
   * `owner` still holds the row's lease. Returns false (and writes nothing to the database) when the lease was
   * taken over or the row is already complete: the other process's identical result stands.
   */
  completeRun(id: number, unit: RunUnit, result: RunResult, owner: string): boolean {
    const artifactPaths = this.writeArtifacts(unit, result);
    const finish = this.db.prepare(
      `UPDATE runs SET status = 'complete', ended_at = ?, elapsed_ms = ?, final = ?, artifacts = ?, error = NULL,
         owner = NULL
       WHERE id = ?`,
    );
    const holds = this.db
      .prepare("SELECT 1 FROM runs WHERE id = ? AND owner = ? AND status = 'running'")
      .pluck();
    return this.db
      .transaction(() => {
        if (!holds.get(id, owner)) return false;
        this.replaceMetrics(id, result);
        finish.run(
          new Date().toISOString(),
          result.elapsedMs,
          JSON.stringify(result.final),
          JSON.stringify(artifactPaths),
          id,
        );
        return true;
      })
      .immediate();
  }

  /** Write a result's artifacts as files under `artifacts/<run key>/`; returns their paths relative to the store. */
  private writeArtifacts(unit: RunUnit, result: RunResult): Record<string, string> {
    const artifactPaths: Record<string, string> = {};
    const names = Object.keys(result.artifacts);
    if (names.length === 0) return artifactPaths;
    const dir = join(this.dir, "artifacts", unit.key);
    mkdirSync(dir, { recursive: true });
    for (const name of names) {
      const file = join(dir, `${name.replace(/[^\w.-]/g, "_")}.json`);
      writeFileSync(file, `${JSON.stringify(result.artifacts[name])}\n`);
      artifactPaths[name] = relative(this.dir, file);
    }
    return artifactPaths;
  }

  /** Replace run `id`'s time series by `result`'s (inside the caller's transaction). */
  private replaceMetrics(id: number, result: RunResult): void {
    this.db.prepare("DELETE FROM metrics WHERE run_id = ?").run(id);
    const insert = this.db.prepare("INSERT INTO metrics (run_id, metric, step, value) VALUES (?, ?, ?, ?)");
    const steps = result.series.steps;
    for (const [metric, values] of Object.entries(result.series.values)) {
      for (let i = 0; i < values.length; i++) insert.run(id, metric, steps[i], values[i]);
    }
  }

  /** The row of `unit` (inserted as `running` when absent), inside the caller's transaction. */
  private ensureRow(unit: RunUnit, experimentId: number, codeVersion: string): RunRow {
    this.db
      .prepare(
        `INSERT INTO runs (run_key, experiment_id, experiment, case_name, point, seed_index, seed, config,
                           code_version, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?) ON CONFLICT(run_key) DO NOTHING`,
      )
      .run(
        unit.key,
        experimentId,
        unit.experiment,
        unit.caseName,
        canonicalJson(unit.point),
        unit.seedIndex,
        unit.seed,
        canonicalJson(unit.config),
        codeVersion,
        new Date().toISOString(),
      );
    return this.db.prepare("SELECT * FROM runs WHERE run_key = ?").get(unit.key) as RunRow;
  }

  /**
   * A queue job starts `unit`: mark its row `running` by `owner` (for `runs list`), unless it is already
   * complete with this code version, in which case nothing is written and "complete" is returned.
   */
  startQueuedRun(unit: RunUnit, experimentId: number, codeVersion: string, owner: string): Claim {
    return this.db
      .transaction((): Claim => {
        const row = this.ensureRow(unit, experimentId, codeVersion);
        if (row.status === "complete" && row.code_version === codeVersion)
          return { kind: "complete", id: row.id };
        this.db
          .prepare(
            `UPDATE runs SET status = 'running', code_version = ?, started_at = ?, ended_at = NULL, error = NULL,
               owner = ?, heartbeat_at = ? WHERE id = ?`,
          )
          .run(codeVersion, new Date().toISOString(), owner, Date.now(), row.id);
        return { kind: "claimed", id: row.id };
      })
      .immediate();
  }

  /**
   * Store `unit`'s result exactly once: in ONE transaction, check that the row is not already complete with
   * this code version, then write metrics, final values and the `complete` mark. Returns false (writing
   * nothing) when it was: a job the queue ran twice stores one row. Artifacts are files written first
   * (identical bytes for an identical result, so a second write changes nothing).
   */
  storeResultOnce(unit: RunUnit, experimentId: number, codeVersion: string, result: RunResult): boolean {
    const artifactPaths = this.writeArtifacts(unit, result);
    return this.db
      .transaction(() => {
        const row = this.ensureRow(unit, experimentId, codeVersion);
        if (row.status === "complete" && row.code_version === codeVersion) return false;
        this.replaceMetrics(row.id, result);
        this.db
          .prepare(
            `UPDATE runs SET status = 'complete', code_version = ?, ended_at = ?, elapsed_ms = ?, final = ?,
               artifacts = ?, error = NULL, owner = NULL WHERE id = ?`,
          )
          .run(
            codeVersion,
            new Date().toISOString(),
            result.elapsedMs,
            JSON.stringify(result.final),
            JSON.stringify(artifactPaths),
            row.id,
          );
        return true;
      })
      .immediate();
  }

  /** Record that `unit` threw `error` (never over a row complete with this code version). */
  storeFailureOnce(unit: RunUnit, experimentId: number, codeVersion: string, error: string): boolean {
    return this.db
      .transaction(() => {
        const row = this.ensureRow(unit, experimentId, codeVersion);
        if (row.status === "complete" && row.code_version === codeVersion) return false;
        this.db
          .prepare(
            `UPDATE runs SET status = 'failed', code_version = ?, ended_at = ?, error = ?, owner = NULL
             WHERE id = ?`,
          )
          .run(codeVersion, new Date().toISOString(), error, row.id);
        return true;
      })
      .immediate();
  }

  /** Save (or replace) the checkpoint text under `key`, e.g. a training run's weights and step. */
  putCheckpoint(key: string, text: string): void {
    this.db
      .prepare(
        `INSERT INTO checkpoints (key, text, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      )
      .run(key, text, new Date().toISOString());
  }

  /** The checkpoint text under `key`, undefined when there is none. */
  getCheckpoint(key: string): string | undefined {
    return this.db.prepare("SELECT text FROM checkpoints WHERE key = ?").pluck().get(key) as
      | string
      | undefined;
  }

  /** Delete the checkpoint under `key`; true when there was one. */
  deleteCheckpoint(key: string): boolean {
    return this.db.prepare("DELETE FROM checkpoints WHERE key = ?").run(key).changes > 0;
  }

  /** Mark `owner`'s run failed; never touches a complete row or a row whose lease another process took over. */
  failRun(id: number, error: string, owner: string): boolean {
    const info = this.db
      .prepare(
        `UPDATE runs SET status = 'failed', ended_at = ?, error = ?, owner = NULL
         WHERE id = ? AND status = 'running' AND owner = ?`,
      )
      .run(new Date().toISOString(), error, id, owner);
    return info.changes > 0;
  }

  getRun(id: number): StoredRun | undefined {
    const row = this.db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  /** Runs, newest first, optionally of one experiment name and/or status. */
  listRuns(filter: { experiment?: string; status?: RunStatus; limit?: number } = {}): StoredRun[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment) {
      where.push("experiment = ?");
      args.push(filter.experiment);
    }
    if (filter.status) {
      where.push("status = ?");
      args.push(filter.status);
    }
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC ${
      filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ""
    }`;
    return (this.db.prepare(sql).all(...args) as RunRow[]).map(toRun);
  }

  /** Runs with the given keys that exist (any status), in the order of `keys`. */
  runsByKeys(keys: readonly string[]): StoredRun[] {
    const stmt = this.db.prepare("SELECT * FROM runs WHERE run_key = ?");
    const out: StoredRun[] = [];
    for (const key of keys) {
      const row = stmt.get(key) as RunRow | undefined;
      if (row) out.push(toRun(row));
    }
    return out;
  }

  metrics(runId: number): MetricRow[] {
    return this.db
      .prepare("SELECT metric, step, value FROM metrics WHERE run_id = ? ORDER BY metric, step")
      .all(runId) as MetricRow[];
  }

  /** The most recently registered experiment with this name. */
  latestExperiment(name: string): StoredExperiment | undefined {
    return toStoredExperiment(
      this.db.prepare("SELECT * FROM experiments WHERE name = ? ORDER BY id DESC LIMIT 1").get(name),
    );
  }

  getExperiment(id: number): StoredExperiment | undefined {
    return toStoredExperiment(this.db.prepare("SELECT * FROM experiments WHERE id = ?").get(id));
  }

  /** Counts by status, for tests and summaries. */
  counts(): Record<RunStatus, number> & { total: number; metricRows: number } {
    const rows = this.db.prepare("SELECT status, COUNT(*) AS n FROM runs GROUP BY status").all() as {
      status: RunStatus;
      n: number;
    }[];
    const out = { running: 0, complete: 0, failed: 0, total: 0, metricRows: 0 };
    for (const r of rows) {
      out[r.status] = r.n;
      out.total += r.n;
    }
    out.metricRows = this.db.prepare("SELECT COUNT(*) FROM metrics").pluck().get() as number;
    return out;
  }
}

interface ExperimentRow {
  id: number;
  name: string;
  config_hash: string;
  config: string;
  created_at: string;
}

/** An `experiments` row as a StoredExperiment (undefined when there is no row). */
function toStoredExperiment(row: unknown): StoredExperiment | undefined {
  if (!row) return undefined;
  const r = row as ExperimentRow;
  return {
    id: r.id,
    name: r.name,
    configHash: r.config_hash,
    config: JSON.parse(r.config),
    createdAt: r.created_at,
  };
}

/**
 * Open `file` read-only. SQLite reads a WAL database only if it can create the `-shm` index beside it; on
 * read-only media it cannot, so the database (and its `-wal`, if any) is copied to a private temporary folder and
 * read there. A probe query surfaces "file is not a database" here rather than in the first real query.
 */
function openReadonly(file: string): Database.Database {
  const probe = (db: Database.Database) => {
    db.pragma("busy_timeout = 5000");
    db.prepare("SELECT COUNT(*) FROM sqlite_master").pluck().get();
    return db;
  };
  try {
    return probe(new Database(file, { readonly: true, fileMustExist: true }));
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("SQLITE_CANTOPEN") && !code.startsWith("SQLITE_READONLY")) throw error;
  }
  const copyDir = mkdtempSync(join(tmpdir(), "shapelab-readonly-store-"));
  process.once("exit", () => rmSync(copyDir, { recursive: true, force: true }));
  copyFileSync(file, join(copyDir, DB_FILE));
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, join(copyDir, `${DB_FILE}-wal`));
  return probe(new Database(join(copyDir, DB_FILE), { readonly: true, fileMustExist: true }));
}

// Every query method turns SQLite's failures (disk full, damaged file, read-only media) into one clear
// InputError naming the store's file, in one place instead of a try/catch in each method.
for (const name of Object.getOwnPropertyNames(RunStore.prototype)) {
  const method = (RunStore.prototype as unknown as Record<string, unknown>)[name];
  if (name === "constructor" || typeof method !== "function") continue;
  (RunStore.prototype as unknown as Record<string, unknown>)[name] = function (
    this: RunStore,
    ...args: unknown[]
  ) {
    try {
      return (method as (...a: unknown[]) => unknown).apply(this, args);
    } catch (error) {
      throw storeError(this.dir, this.file, error);
    }
  };
}
