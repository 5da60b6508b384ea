/**
 * The run store on PostgreSQL (`--store postgres://user@host:port/db`, client `pg`): the tables of the SQLite
 * store (store.ts) so that results, listing, export and reports read the same, shared by queue workers on many
 * machines. Artifacts, which SQLite keeps as files beside its database, are rows of an `artifacts` table here
 * (a worker's files would be on the wrong machine).
 *
 * Migrations: `schema_migrations` records which of MIGRATIONS ran; opening applies the missing ones in one
 * transaction under an advisory lock, so many workers starting at once migrate once.
 *
 * Exactly once: `storeResultOnce` runs, in ONE transaction, insert-if-absent of the run row, `SELECT … FOR
 * UPDATE` of it (a second worker finishing the same job waits here), and, unless the row is already complete
 * with this code version, the metrics, artifacts, final values and the `complete` mark. A job the queue hands
 * out twice (a stalled worker came back, a retry after a lost acknowledgement) therefore stores one row, and a
 * worker killed mid-transaction stores nothing (PostgreSQL rolls back the open transaction).
 *
 * Numbers: metric values and elapsed times are float8 and JSON text; PostgreSQL ≥ 12 prints float8 in the
 * shortest form that reads back to the same double, so values round-trip bit for bit. int8 columns (counts,
 * heartbeats) are read as JS numbers (they stay far below 2^53).
 */
import pg from "pg";
import { canonicalJson, hashText } from "../experiments/plan.js";
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { storedExperimentName } from "../experiments/presets.js";
import { InputError } from "../util/errors.js";
import type { Claim, MetricRow, RunStatus, StoredExperiment, StoredRun } from "./store.js";
import { type RunFilter, type RunStoreBackend, redactUrl, type StoreCounts } from "./storeBackend.js";

const INT8_OID = 20;
/** Any fixed 64-bit number naming the migration lock of shapelab's tables. */
const MIGRATION_LOCK = 0x5_4a9e_1ab;

/** Each entry runs once per database, in order; never edit one that shipped, append a new one. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE experiments (
     id SERIAL PRIMARY KEY,
     name TEXT NOT NULL,
     config_hash TEXT NOT NULL UNIQUE,
     config TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE runs (
     id SERIAL PRIMARY KEY,
     run_key TEXT NOT NULL UNIQUE,
     experiment_id INTEGER NOT NULL REFERENCES experiments(id),
     experiment TEXT NOT NULL,
     case_name TEXT,
     point TEXT NOT NULL,
     seed_index INTEGER NOT NULL,
     seed BIGINT NOT NULL,
     config TEXT NOT NULL,
     code_version TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
     started_at TEXT NOT NULL,
     ended_at TEXT,
     elapsed_ms DOUBLE PRECISION,
     final TEXT,
     artifacts TEXT,
     error TEXT,
     owner TEXT,
     heartbeat_at BIGINT
   );
   CREATE INDEX runs_by_experiment ON runs(experiment, status);
   CREATE TABLE metrics (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     metric TEXT NOT NULL,
     step BIGINT NOT NULL,
     value DOUBLE PRECISION NOT NULL,
     PRIMARY KEY (run_id, metric, step)
   );
   CREATE TABLE artifacts (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     name TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (run_id, name)
   );`,
  `CREATE TABLE checkpoints (
     key TEXT PRIMARY KEY,
     text TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
];

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
    owner: row.owner,
    heartbeatAt: row.heartbeat_at,
  };
}

function toExperiment(row: Record<string, unknown> | undefined): StoredExperiment | undefined {
  if (!row) return undefined;
  return {
    id: row.id as number,
    name: row.name as string,
    configHash: row.config_hash as string,
    config: JSON.parse(row.config as string),
    createdAt: row.created_at as string,
  };
}

/** int8 as a JS number; every other type as pg parses it. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (text: string) => Number(text)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class PostgresStore implements RunStoreBackend {
  readonly kind = "postgres";

  private constructor(
    readonly location: string,
    private readonly pool: pg.Pool,
    /** The URL as given (password included): for worker threads that open their own connection, never printed. */
    readonly connectionUrl: string,
  ) {}

  /** Connect, create or migrate the tables; a failure to connect is an InputError naming `--store`. */
  static async open(url: string): Promise<PostgresStore> {
    const location = redactUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: 4, types, connectionTimeoutMillis: 10_000 });
    // An idle client whose server went away (a restart) must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    const store = new PostgresStore(location, pool, url);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new InputError(
        "--store",
        `cannot open the PostgreSQL store ${location}: ${(error as Error).message}`,
      );
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)",
      );
      const done = new Set(
        (await client.query("SELECT version FROM schema_migrations")).rows.map((r) => r.version as number),
      );
      for (let version = 1; version <= MIGRATIONS.length; version++) {
        if (done.has(version)) continue;
        await client.query(MIGRATIONS[version - 1]);
        await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
          version,
          new Date().toISOString(),
        ]);
      }
    });
  }

  /** Run `body` in one transaction on one pooled client: commit on success, roll back on any error. */
  private async transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const value = await body(client);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async rows<T>(sql: string, args: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, args)).rows as T[];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async registerExperiment(config: ExperimentConfig): Promise<number> {
    const text = canonicalJson(config);
    const hash = hashText(text);
    // Insert-or-read in one statement pair that two workers may run at once: the loser of the insert reads.
    await this.pool.query(
      `INSERT INTO experiments (name, config_hash, config, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (config_hash) DO NOTHING`,
      [storedExperimentName(config), hash, text, new Date().toISOString()],
    );
    const [row] = await this.rows<{ id: number }>("SELECT id FROM experiments WHERE config_hash = $1", [
      hash,
    ]);
    return row.id;
  }

  async getExperiment(id: number) {
    return toExperiment(
      (await this.rows<Record<string, unknown>>("SELECT * FROM experiments WHERE id = $1", [id]))[0],
    );
  }

  async latestExperiment(name: string) {
    return toExperiment(
      (
        await this.rows<Record<string, unknown>>(
          "SELECT * FROM experiments WHERE name = $1 ORDER BY id DESC LIMIT 1",
          [name],
        )
      )[0],
    );
  }

  async completeKeys(keys: readonly string[], codeVersion: string): Promise<Set<string>> {
    const rows = await this.rows<{ run_key: string }>(
      "SELECT run_key FROM runs WHERE run_key = ANY($1) AND status = 'complete' AND code_version = $2",
      [keys, codeVersion],
    );
    return new Set(rows.map((r) => r.run_key));
  }

  async getRun(id: number) {
    const [row] = await this.rows<RunRow>("SELECT * FROM runs WHERE id = $1", [id]);
    return row ? toRun(row) : undefined;
  }

  async listRuns(filter: RunFilter = {}): Promise<StoredRun[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment) where.push(`experiment = $${args.push(filter.experiment)}`);
    if (filter.status) where.push(`status = $${args.push(filter.status)}`);
    const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : "";
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC ${limit}`;
    return (await this.rows<RunRow>(sql, args)).map(toRun);
  }

  async runsByKeys(keys: readonly string[]): Promise<StoredRun[]> {
    const rows = await this.rows<RunRow>("SELECT * FROM runs WHERE run_key = ANY($1)", [keys]);
    const byKey = new Map(rows.map((r) => [r.run_key, toRun(r)]));
    return keys.flatMap((key) => byKey.get(key) ?? []);
  }

  async metrics(runId: number): Promise<MetricRow[]> {
    return this.rows<MetricRow>(
      "SELECT metric, step, value FROM metrics WHERE run_id = $1 ORDER BY metric, step",
      [runId],
    );
  }

  async readArtifact(run: StoredRun, name: string): Promise<unknown> {
    const [row] = await this.rows<{ data: string }>(
      "SELECT data FROM artifacts WHERE run_id = $1 AND name = $2",
      [run.id, name],
    );
    return row ? JSON.parse(row.data) : undefined;
  }

  async counts(): Promise<StoreCounts> {
    const rows = await this.rows<{ status: RunStatus; n: number }>(
      "SELECT status, COUNT(*) AS n FROM runs GROUP BY status",
    );
    const out = { running: 0, complete: 0, failed: 0, total: 0, metricRows: 0 };
    for (const r of rows) {
      out[r.status] = r.n;
      out.total += r.n;
    }
    const [metricRows] = await this.rows<{ n: number }>("SELECT COUNT(*) AS n FROM metrics");
    out.metricRows = metricRows.n;
    return out;
  }

  /** The row values of `unit` as INSERT parameters $1…$9 (run_key … code_version). */
  private rowParams(unit: RunUnit, experimentId: number, codeVersion: string): unknown[] {
    return [
      unit.key,
      experimentId,
      unit.experiment,
      unit.caseName,
      canonicalJson(unit.point),
      unit.seedIndex,
      unit.seed,
      canonicalJson(unit.config),
      codeVersion,
    ];
  }

  /** The row of `unit`, inserted as `running` when absent, locked until the caller's transaction ends. */
  private async lockRow(
    client: pg.PoolClient,
    unit: RunUnit,
    experimentId: number,
    codeVersion: string,
  ): Promise<{ id: number; status: RunStatus; code_version: string }> {
    const lock = "SELECT id, status, code_version FROM runs WHERE run_key = $1 FOR UPDATE";
    const found = await client.query(lock, [unit.key]);
    if (found.rows.length > 0) return found.rows[0];
    // Absent: insert it. Two workers may race here; the loser's insert does nothing and it locks the winner's.
    await client.query(
      `INSERT INTO runs (run_key, experiment_id, experiment, case_name, point, seed_index, seed, config,
                         code_version, status, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', $10) ON CONFLICT (run_key) DO NOTHING`,
      [...this.rowParams(unit, experimentId, codeVersion), new Date().toISOString()],
    );
    return (await client.query(lock, [unit.key])).rows[0];
  }

  /** One statement: insert the row as running, or take it over unless it is complete with this code version. */
  async startQueuedRun(
    unit: RunUnit,
    experimentId: number,
    codeVersion: string,
    owner: string,
  ): Promise<Claim> {
    const [claimed] = await this.rows<{ id: number }>(
      `INSERT INTO runs (run_key, experiment_id, experiment, case_name, point, seed_index, seed, config,
                         code_version, status, started_at, owner, heartbeat_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', $10, $11, $12)
       ON CONFLICT (run_key) DO UPDATE SET status = 'running', code_version = excluded.code_version,
         started_at = excluded.started_at, ended_at = NULL, error = NULL, owner = excluded.owner,
         heartbeat_at = excluded.heartbeat_at
       WHERE runs.status != 'complete' OR runs.code_version != excluded.code_version
       RETURNING id`,
      [...this.rowParams(unit, experimentId, codeVersion), new Date().toISOString(), owner, Date.now()],
    );
    if (claimed) return { kind: "claimed", id: claimed.id };
    const [complete] = await this.rows<{ id: number }>("SELECT id FROM runs WHERE run_key = $1", [unit.key]);
    return { kind: "complete", id: complete.id };
  }

  async storeResultOnce(
    unit: RunUnit,
    experimentId: number,
    codeVersion: string,
    result: RunResult,
  ): Promise<boolean> {
    return this.transaction(async (client) => {
      const row = await this.lockRow(client, unit, experimentId, codeVersion);
      if (row.status === "complete" && row.code_version === codeVersion) return false;
      const metric: string[] = [];
      const step: number[] = [];
      const value: number[] = [];
      for (const [name, values] of Object.entries(result.series.values)) {
        for (let i = 0; i < values.length; i++) {
          metric.push(name);
          step.push(result.series.steps[i]);
          value.push(values[i]);
        }
      }
      const names = Object.keys(result.artifacts);
      // A stale row (another code version) has old series and artifacts: delete them in one statement, then
      // insert the new ones in another (unnest pairs the arrays up). Two statements, because the parts of one
      // statement all see the same snapshot: an insert there would collide with the rows its delete removes.
      await client.query(
        `WITH old_artifacts AS (DELETE FROM artifacts WHERE run_id = $1) DELETE FROM metrics WHERE run_id = $1`,
        [row.id],
      );
      await client.query(
        `WITH new_artifacts AS (INSERT INTO artifacts (run_id, name, data)
                                SELECT $1, * FROM unnest($5::text[], $6::text[]))
         INSERT INTO metrics (run_id, metric, step, value)
         SELECT $1, * FROM unnest($2::text[], $3::int8[], $4::float8[])`,
        [row.id, metric, step, value, names, names.map((n) => JSON.stringify(result.artifacts[n]))],
      );
      await client.query(
        `UPDATE runs SET status = 'complete', code_version = $1, ended_at = $2, elapsed_ms = $3, final = $4,
           artifacts = $5, error = NULL, owner = NULL WHERE id = $6`,
        [
          codeVersion,
          new Date().toISOString(),
          result.elapsedMs,
          JSON.stringify(result.final),
          JSON.stringify(Object.fromEntries(names.map((n) => [n, `artifacts/${n}`]))),
          row.id,
        ],
      );
      return true;
    });
  }

  async storeFailureOnce(
    unit: RunUnit,
    experimentId: number,
    codeVersion: string,
    error: string,
  ): Promise<boolean> {
    return this.transaction(async (client) => {
      const row = await this.lockRow(client, unit, experimentId, codeVersion);
      if (row.status === "complete" && row.code_version === codeVersion) return false;
      await client.query(
        "UPDATE runs SET status = 'failed', code_version = $1, ended_at = $2, error = $3, owner = NULL WHERE id = $4",
        [codeVersion, new Date().toISOString(), error, row.id],
      );
      return true;
    });
  }

  async putCheckpoint(key: string, text: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO checkpoints (key, text, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
      [key, text, new Date().toISOString()],
    );
  }

  async getCheckpoint(key: string): Promise<string | undefined> {
    const [row] = await this.rows<{ text: string }>("SELECT text FROM checkpoints WHERE key = $1", [key]);
    return row?.text;
  }

  async deleteCheckpoint(key: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM checkpoints WHERE key = $1", [key])).rowCount ?? 0) > 0;
  }
}
