/**
 * The run store behind RunStoreBackend (issue 17 §1, §2): both backends round-trip every row type (experiment,
 * complete run with metrics and artifacts, failed run, running run, checkpoint) bit for bit and equal to each
 * other; a result is stored exactly once however many workers finish the same job at once; another code
 * version's result is stale and replaced; PostgreSQL migrations run once even when many workers open at once.
 * The SQLite half always runs; the PostgreSQL half needs SHAPELAB_TEST_POSTGRES (see .ci/services).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";
import YAML from "yaml";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import type { RunResult } from "../src/experiments/types.js";
import { MIGRATIONS, PostgresStore } from "../src/node/postgresStore.js";
import { SqliteBackend } from "../src/node/sqliteBackend.js";
import { openStoreBackend, parseStoreLocation, type RunStoreBackend } from "../src/node/storeBackend.js";
import { InputError } from "../src/util/errors.js";
import { freshDatabase, POSTGRES_URL } from "./scaleoutServices.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];
after(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const drop of drops) await drop();
});

const config = validateConfig(
  YAML.parse(`
name: backend-test
kind: memory-one
game: ipd
gamma: 0.9
agents:
  - {pC: [0.9, 0.8, 0.2, 0.7, 0.3]}
  - {pC: [0.5, 0.6, 0.4, 0.6, 0.4]}
budget: {rounds: 10}
params: {jitter: 1, samples: 10}
seeds: {count: 3}
`),
);
const [unitA, unitB, unitC] = planRuns(config);

/** A result with doubles that a lossy path would change: non-terminating binary fractions, extremes, subnormals. */
const result: RunResult = {
  final: { "value.1": 0.1 + 0.2, "value.2": -1.5e300, tiny: 5e-324, third: 1 / 3 },
  series: {
    steps: [0, 1, 2, 1_000_000],
    values: {
      "value.1": [0.1 + 0.2, Math.PI, 2 ** -1074 * 3, 1e308],
      "pC.1": [0.7, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 / 3],
    },
  },
  artifacts: {
    matrix: [
      [1.25, -2],
      [0.1, 1e-12],
    ],
    text: { note: "ünïcode ✓", list: [1, 2, 3] },
  },
  elapsedMs: 12.345678901234567,
};

/** Every row type written through the interface, then read back. */
async function roundTrip(store: RunStoreBackend) {
  const experimentId = await store.registerExperiment(config);
  assert.equal(
    await store.registerExperiment(config),
    experimentId,
    "one experiment row per distinct config",
  );
  const experiment = await store.getExperiment(experimentId);
  assert.deepEqual(experiment?.config, JSON.parse(JSON.stringify(config)));
  assert.equal((await store.latestExperiment("backend-test"))?.id, experimentId);

  assert.deepEqual(await store.startQueuedRun(unitA, experimentId, "v1", "host:1:a"), {
    kind: "claimed",
    id: (await store.runsByKeys([unitA.key]))[0].id,
  });
  assert.equal(await store.storeResultOnce(unitA, experimentId, "v1", result), true);
  assert.equal(await store.storeFailureOnce(unitB, experimentId, "v1", "Error: boom\n  at cell"), true);
  assert.equal((await store.startQueuedRun(unitC, experimentId, "v1", "host:2:c")).kind, "claimed");
  await store.putCheckpoint("coin/run-1", '{"step":10,"weights":[0.1,0.2]}');
  await store.putCheckpoint("coin/run-1", '{"step":20,"weights":[0.30000000000000004]}');
  await store.putCheckpoint("other", "x");

  const [a, b, c] = await store.runsByKeys([unitA.key, unitB.key, unitC.key]);
  const metrics = await store.metrics(a.id);
  return {
    a,
    b,
    c,
    metrics,
    artifacts: {
      matrix: await store.readArtifact(a, "matrix"),
      text: await store.readArtifact(a, "text"),
      missing: await store.readArtifact(a, "missing"),
    },
    checkpoint: await store.getCheckpoint("coin/run-1"),
    deleted: [await store.deleteCheckpoint("other"), await store.deleteCheckpoint("other")],
    afterDelete: await store.getCheckpoint("other"),
    counts: await store.counts(),
    listed: (await store.listRuns({ status: "failed" })).map((r) => r.key),
    complete: [...(await store.completeKeys([unitA.key, unitB.key, unitC.key], "v1"))],
  };
}

function checkRoundTrip(got: Awaited<ReturnType<typeof roundTrip>>) {
  // Complete row: final values and elapsed time bit for bit (deepStrictEqual compares numbers with Object.is).
  assert.equal(got.a.status, "complete");
  assert.deepStrictEqual(got.a.final, result.final);
  assert.ok(Object.is(got.a.elapsedMs, result.elapsedMs));
  assert.equal(got.a.codeVersion, "v1");
  assert.equal(got.a.owner, null);
  assert.deepEqual(got.a.point, unitA.point);
  assert.deepEqual(got.a.config, JSON.parse(JSON.stringify(unitA.config)));
  assert.equal(got.a.seed, unitA.seed);
  // Metrics: every (metric, step, value), infinities included, ordered by metric then step.
  const expected = Object.entries(result.series.values)
    .flatMap(([metric, values]) =>
      values.map((value, i) => ({ metric, step: result.series.steps[i], value })),
    )
    .sort((x, y) => (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : x.step - y.step));
  assert.deepStrictEqual(got.metrics, expected);
  assert.deepStrictEqual(got.artifacts, { ...result.artifacts, missing: undefined });
  // Failed row keeps its error; running row its owner.
  assert.equal(got.b.status, "failed");
  assert.equal(got.b.error, "Error: boom\n  at cell");
  assert.equal(got.c.status, "running");
  assert.equal(got.c.owner, "host:2:c");
  assert.equal(got.checkpoint, '{"step":20,"weights":[0.30000000000000004]}');
  assert.deepEqual(got.deleted, [true, false]);
  assert.equal(got.afterDelete, undefined);
  assert.deepEqual(got.counts, { running: 1, complete: 1, failed: 1, total: 3, metricRows: 8 });
  assert.deepEqual(got.listed, [unitB.key]);
  assert.deepEqual(got.complete, [unitA.key]);
}

/** The parts of a run that must agree across backends (ids and wall-clock times differ by nature). */
function comparable(got: Awaited<ReturnType<typeof roundTrip>>) {
  const strip = ({
    id,
    experimentId,
    startedAt,
    endedAt,
    heartbeatAt,
    artifacts,
    ...rest
  }: (typeof got)["a"]) => rest;
  return { ...got, a: strip(got.a), b: strip(got.b), c: strip(got.c) };
}

async function exactlyOnce(store: RunStoreBackend) {
  const experimentId = await store.registerExperiment(config);
  // Five workers finish the same job at once: one stores it, the others find it complete.
  const stored = await Promise.all(
    Array.from({ length: 5 }, () => store.storeResultOnce(unitB, experimentId, "v1", result)),
  );
  assert.equal(stored.filter(Boolean).length, 1, `exactly one write stored, got ${stored}`);
  const [row] = await store.runsByKeys([unitB.key]);
  assert.equal(row.status, "complete");
  assert.equal((await store.metrics(row.id)).length, 8, "one set of metric rows, not five");
  // A failure reported after completion (a late duplicate that threw) changes nothing.
  assert.equal(await store.storeFailureOnce(unitB, experimentId, "v1", "late"), false);
  assert.equal((await store.startQueuedRun(unitB, experimentId, "v1", "h:9:z")).kind, "complete");
  // Another code version: the row is stale, the new result replaces it in place.
  const other = { ...result, final: { ...result.final, "value.1": 42 } };
  assert.equal(await store.storeResultOnce(unitB, experimentId, "v2", other), true);
  const [replaced] = await store.runsByKeys([unitB.key]);
  assert.equal(replaced.id, row.id);
  assert.equal(replaced.codeVersion, "v2");
  assert.equal(replaced.final["value.1"], 42);
  assert.equal((await store.completeKeys([unitB.key], "v1")).size, 0);
  assert.equal((await store.metrics(row.id)).length, 8);
}

describe("--store values", () => {
  it("parse as a folder, sqlite:<folder> or postgres://…, and anything else is an InputError naming --store", () => {
    assert.deepEqual(parseStoreLocation("shapelab-runs"), { kind: "sqlite", dir: "shapelab-runs" });
    assert.deepEqual(parseStoreLocation("sqlite:/tmp/x"), { kind: "sqlite", dir: "/tmp/x" });
    assert.deepEqual(parseStoreLocation("postgres://u@h:5432/db"), {
      kind: "postgres",
      url: "postgres://u@h:5432/db",
    });
    assert.throws(
      () => parseStoreLocation("mysql://h/db"),
      (e) => e instanceof InputError && e.field === "--store",
    );
  });
  it("an unreachable PostgreSQL server is an InputError naming --store, without the password", async () => {
    await assert.rejects(
      openStoreBackend("postgres://u:secret@127.0.0.1:1/db"),
      (e) => e instanceof InputError && e.field === "--store" && !e.message.includes("secret"),
    );
  });
});

describe("SQLite backend", () => {
  it("round-trips every row type", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-backend-"));
    dirs.push(dir);
    const store = SqliteBackend.open(dir);
    checkRoundTrip(await roundTrip(store));
    await store.close();
  });
  it("stores a result exactly once and replaces another code version's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-backend-"));
    dirs.push(dir);
    const store = SqliteBackend.open(dir);
    await exactlyOnce(store);
    await store.close();
  });
});

describe("PostgreSQL backend", {
  skip: POSTGRES_URL ? false : "SHAPELAB_TEST_POSTGRES not set (.ci/services)",
}, () => {
  it("round-trips every row type, equal to the SQLite backend's", async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const store = await PostgresStore.open(db.url);
    const got = await roundTrip(store);
    checkRoundTrip(got);
    await store.close();
    const dir = mkdtempSync(join(tmpdir(), "shapelab-backend-"));
    dirs.push(dir);
    const sqlite = SqliteBackend.open(dir);
    assert.deepStrictEqual(comparable(got), comparable(await roundTrip(sqlite)));
    await sqlite.close();
  });

  it("stores a result exactly once and replaces another code version's", async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const store = await PostgresStore.open(db.url);
    await exactlyOnce(store);
    await store.close();
  });

  it("runs each migration once, even with many workers opening the store at once", async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(db.url)));
    for (const s of stores) await s.close();
    await (await PostgresStore.open(db.url)).close();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT version FROM schema_migrations ORDER BY version");
    await client.end();
    assert.deepEqual(
      rows.map((r) => r.version),
      MIGRATIONS.map((_, i) => i + 1),
    );
  });
  it("run, runs list/show/export and report work on a PostgreSQL store as on SQLite, same numbers", async () => {
    const db = await freshDatabase();
    drops.push(db.drop);
    const dir = mkdtempSync(join(tmpdir(), "shapelab-backend-"));
    dirs.push(dir);
    const file = join(dir, "backend-test.yaml");
    writeFileSync(file, YAML.stringify(config));
    const sqliteStore = `sqlite:${join(dir, "store")}`;
    for (const store of [sqliteStore, db.url]) {
      const run = cli("run", file, "--store", store, "--workers", "1", "--quiet");
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /3 runs, 0 already stored, 3 run now, 0 failed/);
      const again = cli("run", file, "--store", store, "--quiet");
      assert.match(
        again.out,
        /3 runs, 3 already stored, 0 run now/,
        "complete runs are skipped on either backend",
      );
    }
    const exported = (store: string) => {
      const r = cli("runs", "export", "--store", store, "--format", "json");
      assert.equal(r.code, 0, r.err);
      // Ids, times and compute durations differ by nature; every number of the results must not.
      return JSON.parse(r.out).map(
        ({ id, started_at, ended_at, elapsed_ms, ...rest }: Record<string, unknown>) => rest,
      );
    };
    assert.deepStrictEqual(exported(db.url), exported(sqliteStore));
    // The password of a --store URL never appears in the output (the test server trusts any password).
    const list = cli("runs", "list", "--store", db.url.replace("shapelab@", "shapelab:pw-secret@"));
    assert.equal(list.code, 0, list.err);
    assert.doesNotMatch(list.out + list.err, /pw-secret/);
    assert.match(list.out, /3 runs in postgres:\/\/.*: 3 complete, 0 incomplete, 0 failed/);
    const show = cli("runs", "show", "1", "--store", db.url, "--json");
    assert.equal(show.code, 0, show.err);
    assert.ok(Object.keys(JSON.parse(show.out).series).length > 0, "show --json carries the series");
    const out = join(dir, "report");
    const report = cli("report", "backend-test", "--store", db.url, "--out", out);
    assert.equal(report.code, 0, report.err);
    assert.ok(existsSync(join(out, "index.html")));
    const check = cli("runs", "check", "--store", db.url);
    assert.equal(check.code, 2);
    assert.match(check.err, /--store.*SQLite/);
  });
});
