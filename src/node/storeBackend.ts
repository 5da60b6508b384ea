/**
 * The run store behind one interface, whichever database holds it: `RunStoreBackend` is what the commands that
 * can work on several machines need (run, runs, report, worker), and two backends implement it:
 *
 *   --store <dir> | sqlite:<dir>      the embedded default (store.ts, via sqliteBackend.ts); no server
 *   --store postgres://user@host/db   PostgreSQL (postgresStore.ts), shared by workers on many machines
 *
 * The interface is async because a network database is; the SQLite backend is a thin facade over the
 * synchronous RunStore, which the local runner and the existing tests keep using directly. Both backends hold
 * the same tables (experiments, runs, metrics, checkpoints; PostgreSQL adds artifacts, which SQLite keeps as
 * files) and the same rules: a run is stale when another code version computed it, and a queue job's result is
 * stored exactly once (`storeResultOnce`: the check and the write are one transaction keyed by run key and code
 * version).
 */
import type { ExperimentConfig, RunResult, RunUnit } from "../experiments/types.js";
import { InputError } from "../util/errors.js";
import type { Claim, MetricRow, RunStatus, StoredExperiment, StoredRun } from "./store.js";

export interface RunFilter {
  experiment?: string;
  status?: RunStatus;
  limit?: number;
}

export type StoreCounts = Record<RunStatus, number> & { total: number; metricRows: number };

export interface RunStoreBackend {
  /** Which backend, and where (a folder, or the URL without its password): for messages. */
  readonly kind: "sqlite" | "postgres";
  readonly location: string;
  /** PostgreSQL: the URL as given, password included, for worker threads that connect themselves (never printed). */
  readonly connectionUrl?: string;
  close(): Promise<void>;

  registerExperiment(config: ExperimentConfig): Promise<number>;
  getExperiment(id: number): Promise<StoredExperiment | undefined>;
  latestExperiment(name: string): Promise<StoredExperiment | undefined>;

  /** Keys among `keys` complete with `codeVersion` (others are missing, failed, incomplete or stale). */
  completeKeys(keys: readonly string[], codeVersion: string): Promise<Set<string>>;
  getRun(id: number): Promise<StoredRun | undefined>;
  /** Runs, newest first. */
  listRuns(filter?: RunFilter): Promise<StoredRun[]>;
  /** Runs with these keys that exist (any status), in the order of `keys`. */
  runsByKeys(keys: readonly string[]): Promise<StoredRun[]>;
  metrics(runId: number): Promise<MetricRow[]>;
  /** A run's artifact (the JSON value its result carried), undefined when absent. */
  readArtifact(run: StoredRun, name: string): Promise<unknown>;
  counts(): Promise<StoreCounts>;

  /** A queue job starts `unit`: mark it running by `owner`, or say it is already complete with this version. */
  startQueuedRun(unit: RunUnit, experimentId: number, codeVersion: string, owner: string): Promise<Claim>;
  /** Store the result once (see the header); false when the run was already complete with this version. */
  storeResultOnce(
    unit: RunUnit,
    experimentId: number,
    codeVersion: string,
    result: RunResult,
  ): Promise<boolean>;
  /** Record that the run threw; false (nothing written) when it is complete with this version. */
  storeFailureOnce(unit: RunUnit, experimentId: number, codeVersion: string, error: string): Promise<boolean>;

  /** Resumable state of long runs, e.g. a neural training's weights: replace, read, delete by key. */
  putCheckpoint(key: string, text: string): Promise<void>;
  getCheckpoint(key: string): Promise<string | undefined>;
  deleteCheckpoint(key: string): Promise<boolean>;
}

/** The help text of every command's `--store` option. */
export const STORE_OPTION_HELP =
  "run store: a folder or sqlite:<folder> (SQLite, the default), or postgres://user@host:port/db (PostgreSQL)";

export type StoreLocation = { kind: "sqlite"; dir: string } | { kind: "postgres"; url: string };

/** Parse a `--store` value: `postgres://…` / `postgresql://…`, `sqlite:<dir>`, or a folder (SQLite). */
export function parseStoreLocation(text: string): StoreLocation {
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new InputError(
        "--store",
        `"${text}" is not a valid PostgreSQL URL (postgres://user@host:port/db)`,
      );
    }
    return { kind: "postgres", url: text };
  }
  const dir = text.startsWith("sqlite:") ? text.slice("sqlite:".length) : text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dir)) {
    throw new InputError("--store", `"${text}": allowed are a folder, sqlite:<folder> or postgres://…`);
  }
  return { kind: "sqlite", dir };
}

/** A URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Open the store a `--store` value names (`readonly`: SQLite only; a PostgreSQL store is created if needed). */
export async function openStoreBackend(
  text: string,
  options: { readonly?: boolean } = {},
): Promise<RunStoreBackend> {
  const location = parseStoreLocation(text);
  if (location.kind === "postgres") {
    const { PostgresStore } = await import("./postgresStore.js");
    return PostgresStore.open(location.url);
  }
  const { SqliteBackend } = await import("./sqliteBackend.js");
  return SqliteBackend.open(location.dir, options);
}
