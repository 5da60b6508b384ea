/**
 * Benchmark: the BullMQ queue + PostgreSQL store (issue 17 §4), against the local pool + SQLite.
 *
 * 1. Throughput of tiny jobs: 300 memory-one runs of 10 rounds (microseconds of compute each, so the time is
 *    the queue's and the store's) through `shapelab worker` processes, 1 to 4 of them, each with one thread.
 *    Timed from the first enqueue to the submitter seeing the last result in the store, with the workers already
 *    up (their start-up is not per job).
 * 2. Overhead on a real sweep: `asymmetric-shaping` (600 exact-LOLA runs of 200 updates, ≈ 10 ms each) on the
 *    local pool into SQLite, and through the queue on the same number of worker processes into PostgreSQL, in
 *    alternating rounds (a shared machine's slow spells hit both).
 *
 * Needs Redis and PostgreSQL: SHAPELAB_TEST_REDIS / SHAPELAB_TEST_POSTGRES, as `eval "$(.ci/services start)"`
 * exports them; without them it says so and measures nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { validateConfig } from "../src/experiments/config.js";
import type { ExperimentConfig } from "../src/experiments/types.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";
import { PostgresStore } from "../src/node/postgresStore.js";
import { submitSweep } from "../src/node/queueSubmit.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import type { Benchmark } from "./run.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const REDIS = process.env.SHAPELAB_TEST_REDIS;
const POSTGRES = process.env.SHAPELAB_TEST_POSTGRES;
/** The Redis database the benchmark empties and uses (the tests use others). */
const BENCH_REDIS_DB = 9;
const TINY_JOBS = 300;
const ROUNDS = 2;

/** A fresh database on the PostgreSQL server; returns its URL and a drop function. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shapelab_bench_${Date.now()}_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function emptyQueue(url: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url);
  await client.flushdb();
  client.disconnect();
}

/** Start `n` worker processes and resolve once each says it is connected (its first log line). */
async function startWorkers(n: number, queue: string, store: string): Promise<ChildProcess[]> {
  const workers = Array.from({ length: n }, () =>
    spawn(process.execPath, [CLI, "worker", "--queue", queue, "--store", store], {
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          let log = "";
          w.once("exit", (code) => reject(new Error(`worker exited early (${code}): ${log}`)));
          w.stderr?.on("data", (d) => {
            log += d;
            if (log.includes("thread(s)")) resolve();
          });
        }),
    ),
  );
  return workers;
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map((w) => {
      w.removeAllListeners("exit");
      const exited = new Promise((r) => w.once("exit", r));
      w.kill("SIGINT");
      return exited;
    }),
  );
}

/** Seconds for `config` through the queue on `n` worker processes into a fresh PostgreSQL database. */
async function queued(config: ExperimentConfig, n: number): Promise<number> {
  const queue = `${REDIS!.replace(/\/\d*$/, "")}/${BENCH_REDIS_DB}`;
  await emptyQueue(queue);
  const db = await freshDatabase();
  const store = await PostgresStore.open(db.url);
  const workers = await startWorkers(n, queue, db.url);
  try {
    const t = performance.now();
    const summary = await submitSweep(config, store, queue, { quiet: true, pollMs: 50 });

    const seconds = (performance.now() - t) / 1000;
    if (summary.completed !== summary.total)
      throw new Error(`bench: ${summary.completed}/${summary.total} stored`);
    return seconds;
  } finally {
    await stopWorkers(workers);
    await store.close();
    await db.drop();
  }
}

/** Seconds for `config` on the local pool (`workers` threads) into a fresh SQLite store. */
async function local(config: ExperimentConfig, workers: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-bench-"));
  const store = RunStore.open(dir);
  try {
    const t = performance.now();
    await runExperiment(config, store, { workers, quiet: true });
    return (performance.now() - t) / 1000;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const queueBenchmark: Benchmark = {
  name: "queue",
  description:
    "BullMQ queue + PostgreSQL store: tiny-job throughput (1–4 workers) and overhead on a real sweep",
  async run() {
    if (!REDIS || !POSTGRES) {
      process.stdout.write('  skipped: no Redis/PostgreSQL (run eval "$(.ci/services start)" first)\n');
      return;
    }
    const tiny = validateConfig({
      name: "bench-queue-tiny",
      kind: "memory-one",
      game: "ipd",
      agents: [{ pC: [0.9, 0.8, 0.2, 0.7, 0.3] }, { pC: [0.5, 0.6, 0.4, 0.6, 0.4] }],
      budget: { rounds: 10 },
      seeds: { count: TINY_JOBS },
    });
    for (const n of [1, 2, 3, 4]) {
      const seconds = await queued(tiny, n);
      process.stdout.write(
        `  ${TINY_JOBS} tiny jobs, ${n} worker process(es): ${seconds.toFixed(2)} s, ` +
          `${(TINY_JOBS / seconds).toFixed(0)} jobs/s\n`,
      );
    }
    const sweep = loadNamedExperiment("asymmetric-shaping").config;
    for (let round = 1; round <= ROUNDS; round++) {
      const pool = await local(sweep, 2);
      const viaQueue = await queued(sweep, 2);
      process.stdout.write(
        `  asymmetric-shaping (600 runs), round ${round}: local pool 2 threads + SQLite ${pool.toFixed(2)} s; ` +
          `queue 2 workers + PostgreSQL ${viaQueue.toFixed(2)} s (${(viaQueue / pool).toFixed(2)}×)\n`,
      );
    }
  },
};
