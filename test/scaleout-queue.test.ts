/**
 * The BullMQ queue with a PostgreSQL store (issue 17 §2, §3), end to end through the CLI:
 *  - a 24-job sweep on 3 `shapelab worker` processes, one SIGKILLed while it holds a job: the job is taken over
 *    after the stall timeout, every cell is stored exactly once, equal bit for bit to the local run;
 *  - Ctrl-C on a worker: it finishes the job in hand (stores every job it started) and exits 0;
 *  - Redis restarted mid-sweep: workers and submitter reconnect and the sweep completes, again equal;
 *  - a cell that throws: retried the job's number of attempts, then recorded failed with its error, shown by
 *    `runs list --status failed`, and `run --retry-failed` reruns exactly the failed cells.
 * Needs SHAPELAB_TEST_REDIS and SHAPELAB_TEST_POSTGRES (see .ci/services); skips with that message otherwise.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import YAML from "yaml";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import { PostgresStore } from "../src/node/postgresStore.js";
import { enqueue } from "../src/node/queueSubmit.js";
import { startQueueWorker } from "../src/node/queueWorker.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import type { RunStoreBackend } from "../src/node/storeBackend.js";
import { QUEUE_NAME, redisConnection, type SweepJob } from "../src/node/sweepQueue.js";
import { codeVersion } from "../src/node/version.js";
import { freePort, freshDatabase, freshRedisDb, SKIP_REASON, startPrivateRedis } from "./scaleoutServices.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
/** Redis database numbers of this file's tests (the shared test Redis; other files use others). */
const REDIS_DB = { kill: 11, failures: 12, interrupt: 13, sqlite: 14 } as const;
/** Stall timeout of the test workers, in seconds: a killed worker's job moves on this long after it died. */
const STALL_SECONDS = "2";

const dirs: string[] = [];
const cleanups: (() => Promise<unknown> | unknown)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-queue-"));
  dirs.push(dir);
  return dir;
}

/** 24 memory-one runs (12 seeds × 2 discounts) of tens of ms each: long enough to kill a worker inside one. */
const CONFIG = `
name: queue-test
kind: memory-one
game: ipd
gamma: 0.9
agents:
  - {pC: [0.9, 0.8, 0.2, 0.7, 0.3]}
  - {pC: [0.5, 0.6, 0.4, 0.6, 0.4]}
budget: {rounds: 100}
params: {jitter: 1, samples: 12000}
seeds: {count: 12}
sweep: {gamma: [0.8, 0.9]}
`;
const config = validateConfig(YAML.parse(CONFIG));
const JOBS = 24;

interface Child {
  child: ChildProcess;
  out: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
function startCli(args: string[]): Child {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, out: () => out, exit };
}
function startWorker(queue: string, store: string): Child {
  return startCli(["worker", "--queue", queue, "--store", store, "--stall-timeout", STALL_SECONDS]);
}
async function until(what: string, test: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The local run's numbers by run key: final values and every metric row. */
type Numbers = Map<
  string,
  { final: Record<string, number>; metrics: { metric: string; step: number; value: number }[] }
>;
let local: Numbers;
async function numbersOf(store: RunStoreBackend): Promise<Numbers> {
  const out: Numbers = new Map();
  for (const run of await store.runsByKeys(planRuns(config).map((u) => u.key)))
    out.set(run.key, { final: run.final, metrics: await store.metrics(run.id) });
  return out;
}

/** Every cell of the plan stored once, complete, with exactly the local run's numbers. */
async function assertEqualsLocal(store: PostgresStore): Promise<void> {
  const counts = await store.counts();
  assert.deepEqual(
    { total: counts.total, complete: counts.complete, failed: counts.failed, running: counts.running },
    { total: JOBS, complete: JOBS, failed: 0, running: 0 },
  );
  const got = await numbersOf(store);
  assert.equal(got.size, JOBS);
  for (const [key, want] of local)
    assert.deepStrictEqual(got.get(key), want, `run ${key} differs from the local run`);
}

describe("BullMQ queue + PostgreSQL store", { skip: SKIP_REASON }, () => {
  before(async () => {
    const dir = tempDir();
    const store = RunStore.open(dir);
    await runExperiment(config, store, { workers: 0, quiet: true });
    const { SqliteBackend } = await import("../src/node/sqliteBackend.js");
    local = await numbersOf(new SqliteBackend(store));
    store.close();
    assert.equal(local.size, JOBS);
  });

  it("a 24-job sweep on 3 workers, one SIGKILLed mid-job: every cell exactly once, equal to the local run", async () => {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    const queue = await freshRedisDb(REDIS_DB.kill);
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, CONFIG);
    const workers = [0, 1, 2].map(() => startWorker(queue, db.url));
    const submitter = startCli(["run", file, "--queue", queue, "--store", db.url, "--json"]);
    // Kill worker 0 while it holds a job: right after it says it started one.
    const victim = workers[0];
    await until("worker 0 to start a job", () => /running .*\((\w+)\)/.test(victim.out()));
    victim.child.kill("SIGKILL");
    const killedKey = /running .*\((\w+)\)/.exec(victim.out())![1];
    const { code } = await submitter.exit;
    assert.equal(code, 0, submitter.out());
    const summary = JSON.parse(submitter.out().slice(submitter.out().indexOf("{")));
    assert.equal(summary.total, JOBS);
    assert.equal(summary.completed, JOBS);
    assert.deepEqual(summary.failed, []);
    // The killed worker died holding that job (it never stored it); a survivor took it over after the stall
    // timeout and stored it.
    const storedKilled = new RegExp(`stored .*\\(${killedKey}\\)`);
    assert.doesNotMatch(victim.out(), storedKilled, "the kill landed inside the job");
    const survivors = workers
      .slice(1)
      .map((w) => w.out())
      .join("");
    assert.match(survivors, storedKilled, "a survivor stored the killed worker's job");
    const store = await PostgresStore.open(db.url);
    await assertEqualsLocal(store);
    await store.close();
    // Ctrl-C: the survivors finish (nothing in hand) and exit 0.
    for (const w of workers.slice(1)) w.child.kill("SIGINT");
    for (const w of workers.slice(1)) assert.equal((await w.exit).code, 0, w.out());
  });

  it("Ctrl-C on a worker finishes the job in hand, then exits 0; another worker does the rest", async () => {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    const queue = await freshRedisDb(REDIS_DB.interrupt);
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, CONFIG);
    const first = startWorker(queue, db.url);
    const submitter = startCli(["run", file, "--queue", queue, "--store", db.url, "--quiet"]);
    await until("the worker to start a job", () => /running .*\((\w+)\)/.test(first.out()));
    first.child.kill("SIGINT");
    assert.equal((await first.exit).code, 0, first.out());
    // Every job it started, it also stored: nothing in hand was dropped.
    const started = [...first.out().matchAll(/running .*\((\w+)\)/g)].map((m) => m[1]);
    const stored = new Set([...first.out().matchAll(/stored .*\((\w+)\)/g)].map((m) => m[1]));
    assert.ok(started.length > 0 && started.every((key) => stored.has(key)), first.out());
    assert.ok(stored.size < JOBS, "it stopped taking jobs");
    const second = startWorker(queue, db.url);
    assert.equal((await submitter.exit).code, 0, submitter.out());
    const store = await PostgresStore.open(db.url);
    await assertEqualsLocal(store);
    await store.close();
    second.child.kill("SIGTERM");
    assert.equal((await second.exit).code, 0, second.out());
  });

  it("workers on one machine can share an SQLite store through the queue, same numbers", async () => {
    const queue = await freshRedisDb(REDIS_DB.sqlite);
    const dir = tempDir();
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, CONFIG);
    const workers = [0, 1].map(() => startWorker(queue, `sqlite:${dir}`));
    const submitter = startCli(["run", file, "--queue", queue, "--store", dir, "--quiet"]);
    assert.equal((await submitter.exit).code, 0, submitter.out());
    for (const w of workers) w.child.kill("SIGINT");
    for (const w of workers) assert.equal((await w.exit).code, 0, w.out());
    const { SqliteBackend } = await import("../src/node/sqliteBackend.js");
    const store = SqliteBackend.open(dir, { readonly: true });
    const counts = await store.counts();
    assert.equal(counts.complete, JOBS);
    assert.equal(counts.total, JOBS);
    const got = await numbersOf(store);
    for (const [key, want] of local) assert.deepStrictEqual(got.get(key), want, `run ${key} differs`);
    await store.close();
  });

  it("Redis restarted mid-sweep: workers and submitter reconnect and the sweep completes, equal", async () => {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    const port = await freePort();
    const redisDir = tempDir();
    let redis = await startPrivateRedis(redisDir, port);
    cleanups.push(() => redis.kill("SIGKILL"));
    const queue = `redis://127.0.0.1:${port}/0`;
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, CONFIG);
    const workers = [0, 1].map(() => startWorker(queue, db.url));
    const submitter = startCli(["run", file, "--queue", queue, "--store", db.url, "--json"]);
    const store = await PostgresStore.open(db.url);
    await until("a few runs stored", async () => (await store.counts()).complete >= 3);
    assert.ok((await store.counts()).complete < JOBS, "the restart must come mid-sweep");
    redis.kill("SIGTERM");
    await new Promise((r) => redis.once("exit", r));
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startPrivateRedis(redisDir, port);
    const { code } = await submitter.exit;
    assert.equal(code, 0, submitter.out());
    await assertEqualsLocal(store);
    await store.close();
    for (const w of workers) w.child.kill("SIGINT");
    for (const w of workers) assert.equal((await w.exit).code, 0, w.out());
  });

  it("a throwing cell is retried the job's attempts, recorded failed with its error, and rerun by --retry-failed", async () => {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    const queueUrl = await freshRedisDb(REDIS_DB.failures);
    const store = await PostgresStore.open(db.url);
    const version = codeVersion();
    const experimentId = await store.registerExperiment(config);
    const configHash = (await store.getExperiment(experimentId))!.configHash;
    const attempts: number[] = [];
    const worker = await startQueueWorker(queueUrl, store, {
      stallMs: 2000,
      onEvent: (e) => {
        if (e.kind === "failed") attempts.push(e.attempt);
      },
    });
    // A unit whose run throws: its kind does not exist (a real run's error, thrown on the worker thread).
    const [good] = planRuns(config);
    const broken = { ...good, key: "broken-cell", config: { ...good.config, kind: "no-such-kind" } };
    const queue = new Queue<SweepJob>(QUEUE_NAME, { connection: redisConnection(queueUrl) });
    await enqueue(queue, [{ unit: broken, experimentId, configHash, codeVersion: version }], 2);
    await until("the job to fail for good", async () => (await queue.getJobs(["failed"])).length > 0);
    const [failedJob] = await queue.getJobs(["failed"]);
    assert.equal(failedJob.attemptsMade, 2, "retried a bounded number of times: the job's 2 attempts");
    assert.deepEqual(attempts, [1, 2]);
    const [row] = await store.runsByKeys(["broken-cell"]);
    assert.equal(row.status, "failed");
    assert.match(row.error ?? "", /unknown experiment kind "no-such-kind"/);
    await worker.stop();
    await queue.close();

    // `runs list` shows it as failed with its error.
    const list = startCli(["runs", "list", "--store", db.url, "--status", "failed"]);
    assert.equal((await list.exit).code, 0, list.out());
    assert.match(list.out(), /failed\s+unknown experiment kind/);
    assert.match(list.out(), /1 failed/);

    // --retry-failed reruns exactly the plan's failed cells: mark two real cells failed, then retry through the queue.
    const units = planRuns(config);
    for (const u of units.slice(0, 2))
      await store.storeFailureOnce(u, experimentId, version, "simulated failure");
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, CONFIG);
    const cliWorker = startWorker(queueUrl, db.url);
    const retry = startCli(["run", file, "--queue", queueUrl, "--store", db.url, "--retry-failed", "--json"]);
    assert.equal((await retry.exit).code, 0, retry.out());
    const summary = JSON.parse(retry.out().slice(retry.out().indexOf("{")));
    assert.equal(summary.completed, 2);
    assert.equal(summary.skipped, JOBS - 2);
    const rows = await store.runsByKeys(units.map((u) => u.key));
    assert.deepEqual(
      rows.map((r) => [r.key, r.status]),
      units.slice(0, 2).map((u) => [u.key, "complete"]),
      "only the two failed cells ran; the others were not started",
    );
    for (const r of rows) assert.deepStrictEqual(r.final, local.get(r.key)!.final);
    cliWorker.child.kill("SIGINT");
    assert.equal((await cliWorker.exit).code, 0, cliWorker.out());
    await store.close();
  });
});

describe("--retry-failed on the local SQLite path", () => {
  it("reruns only the failed cells, and a plain rerun then does the rest", async () => {
    const dir = tempDir();
    const twoSeeds = CONFIG.replace("seeds: {count: 12}", "seeds: {count: 2}");
    const small = validateConfig(YAML.parse(twoSeeds));
    const store = RunStore.open(dir);
    const experimentId = store.registerExperiment(small);
    const units = planRuns(small);
    store.storeFailureOnce(units[3], experimentId, codeVersion(), "simulated failure");
    store.close();
    const file = join(tempDir(), "queue-test.yaml");
    writeFileSync(file, twoSeeds);
    const retry = startCli(["run", file, "--store", dir, "--retry-failed", "--workers", "0", "--json"]);
    assert.equal((await retry.exit).code, 0, retry.out());
    const summary = JSON.parse(retry.out().slice(retry.out().indexOf("{")));
    assert.equal(summary.completed, 1);
    const check = RunStore.open(dir, { readonly: true });
    assert.deepEqual(
      check.listRuns().map((r) => [r.key, r.status]),
      [[units[3].key, "complete"]],
    );
    check.close();
    const rest = startCli(["run", file, "--store", dir, "--workers", "0", "--json"]);
    assert.equal((await rest.exit).code, 0, rest.out());
    assert.equal(JSON.parse(rest.out().slice(rest.out().indexOf("{"))).completed, 3);
  });
});
