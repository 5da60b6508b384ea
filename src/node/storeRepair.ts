/**
 * `runs check` and `runs repair`: find and salvage what is intact in a damaged run store.
 *
 * check: SQLite's own `PRAGMA integrity_check` (https://sqlite.org/pragma.html#pragma_integrity_check), then a read
 *   of every experiment, every run row and every run's metric rows, one at a time, so the report says which runs
 *   are readable and which are not.
 * repair: the same reads, copying each row that reads into a fresh database (same ids, so artifacts and
 *   experiment links stay valid). A run whose metric rows cannot all be read is kept as incomplete (no metrics, no
 *   final values): the next `shapelab run` redoes it. The damaged file is renamed `runs.sqlite.damaged-<time>`,
 *   never deleted. A file that is not a database at all (the header is gone) yields an empty store.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../util/errors.js";
import { DB_FILE, SCHEMA } from "./store.js";

export interface StoreCheck {
  file: string;
  /** "ok", or SQLite's first problems (at most 10 lines), or the error that stopped the check. */
  integrity: string[];
  /** The database header itself is unreadable ("file is not a database"). */
  unreadable: boolean;
  experiments: { readable: number; damaged: number };
  runs: { readable: number; damaged: number; metricsDamaged: number; complete: number };
  /** Run ids whose row or metrics could not be read. */
  damagedRunIds: number[];
}

interface Salvage {
  check: StoreCheck;
  experiments: Record<string, unknown>[];
  runs: { row: Record<string, unknown>; metrics: Record<string, unknown>[] | null }[];
}

const attempt = <T>(f: () => T): { ok: true; value: T } | { ok: false; error: string } => {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
};

/** Ids of a table's rows: a full scan if it reads, else every id up to max(id) (probed one at a time). */
function rowIds(db: Database.Database, table: string): number[] {
  const all = attempt(() => db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as number[]);
  if (all.ok) return all.value;
  const max = attempt(() => db.prepare(`SELECT MAX(id) FROM ${table}`).pluck().get() as number | null);
  const top = max.ok && typeof max.value === "number" ? max.value : 100_000;
  return Array.from({ length: top }, (_, i) => i + 1);
}

function salvage(dir: string): Salvage {
  const file = join(dir, DB_FILE);
  if (!existsSync(file)) throw new InputError("--store", `no run store at "${dir}"`);
  const check: StoreCheck = {
    file,
    integrity: [],
    unreadable: false,
    experiments: { readable: 0, damaged: 0 },
    runs: { readable: 0, damaged: 0, metricsDamaged: 0, complete: 0 },
    damagedRunIds: [],
  };
  const out: Salvage = { check, experiments: [], runs: [] };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
  } catch (error) {
    check.unreadable = true;
    check.integrity = [(error as Error).message];
    return out;
  }
  try {
    const integrity = attempt(() => db.prepare("PRAGMA integrity_check(10)").pluck().all() as string[]);
    check.integrity = integrity.ok ? integrity.value : [integrity.error];
    const experiment = db.prepare("SELECT * FROM experiments WHERE id = ?");
    for (const id of rowIds(db, "experiments")) {
      const row = attempt(() => experiment.get(id) as Record<string, unknown> | undefined);
      if (!row.ok) check.experiments.damaged++;
      else if (row.value) {
        check.experiments.readable++;
        out.experiments.push(row.value);
      }
    }
    const run = db.prepare("SELECT * FROM runs WHERE id = ?");
    const metrics = db.prepare("SELECT * FROM metrics WHERE run_id = ? ORDER BY metric, step");
    for (const id of rowIds(db, "runs")) {
      const row = attempt(() => run.get(id) as Record<string, unknown> | undefined);
      if (!row.ok) {
        check.runs.damaged++;
        check.damagedRunIds.push(id);
        continue;
      }
      if (!row.value) continue;
      check.runs.readable++;
      const series = attempt(() => metrics.all(id) as Record<string, unknown>[]);
      if (!series.ok) {
        check.runs.metricsDamaged++;
        check.damagedRunIds.push(id);
      } else if (row.value.status === "complete") check.runs.complete++;
      out.runs.push({ row: row.value, metrics: series.ok ? series.value : null });
    }
  } finally {
    db.close();
  }
  return out;
}

/** True when nothing is wrong with the store. */
export function storeIsIntact(check: StoreCheck): boolean {
  return (
    !check.unreadable &&
    check.integrity.length === 1 &&
    check.integrity[0] === "ok" &&
    check.experiments.damaged === 0 &&
    check.runs.damaged === 0 &&
    check.runs.metricsDamaged === 0
  );
}

export function checkStore(dir: string): StoreCheck {
  return salvage(dir).check;
}

/**
 * Copy every intact row of the store in `dir` into a fresh database and swap it in; the damaged file is kept as
 * `runs.sqlite.damaged-<time>`. Returns the check of the damaged store, the kept counts and the damaged file.
 */
export function repairStore(dir: string): {
  check: StoreCheck;
  kept: { experiments: number; complete: number; incomplete: number };
  damagedFile: string;
} {
  const { check, experiments, runs } = salvage(dir);
  const file = join(dir, DB_FILE);
  const fresh = join(dir, `${DB_FILE}.repairing`);
  rmSync(fresh, { force: true });
  const db = new Database(fresh);
  db.exec(SCHEMA);
  const kept = { experiments: 0, complete: 0, incomplete: 0 };
  const insert = (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    db.prepare(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ).run(...columns.map((c) => row[c]));
  };
  db.transaction(() => {
    const experimentIds = new Set<unknown>();
    for (const e of experiments) {
      insert("experiments", e);
      experimentIds.add(e.id);
      kept.experiments++;
    }
    for (const { row, metrics } of runs) {
      if (!experimentIds.has(row.experiment_id)) continue;
      if (metrics === null) {
        // Its metrics are partly lost: kept as incomplete, and the next run of its experiment redoes it.
        insert("runs", { ...row, status: "running", final: null, ended_at: null, owner: null });
        kept.incomplete++;
        continue;
      }
      insert("runs", { ...row, owner: null });
      for (const m of metrics) insert("metrics", m);
      if (row.status === "complete") kept.complete++;
      else kept.incomplete++;
    }
  })();
  db.close();
  const damagedFile = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(file, damagedFile);
  for (const suffix of ["-wal", "-shm"])
    if (existsSync(file + suffix)) renameSync(file + suffix, damagedFile + suffix);
  renameSync(fresh, file);
  return { check, kept, damagedFile };
}
