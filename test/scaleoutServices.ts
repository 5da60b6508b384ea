/**
 * The Redis and PostgreSQL servers the scale-out tests use, from `.ci/services start` (which CI runs and a
 * developer can run): SHAPELAB_TEST_REDIS and SHAPELAB_TEST_POSTGRES. Without them the tests skip with
 * SKIP_REASON; with them, each test file gets its own fresh database and its own Redis database number, so the
 * files can run in parallel on the same servers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import pg from "pg";

export const REDIS_URL = process.env.SHAPELAB_TEST_REDIS;
export const POSTGRES_URL = process.env.SHAPELAB_TEST_POSTGRES;

export const SKIP_REASON =
  REDIS_URL && POSTGRES_URL
    ? false
    : 'SHAPELAB_TEST_REDIS / SHAPELAB_TEST_POSTGRES not set: run eval "$(.ci/services start)" first (CI does)';

/** Create an empty database on the test server; returns its URL and a function that drops it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shapelab_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The test Redis with database `db` (each test file its own), emptied first. */
export async function freshRedisDb(db: number): Promise<string> {
  const url = `${REDIS_URL!.replace(/\/\d*$/, "")}/${db}`;
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  await client.flushdb();
  client.disconnect();
  return url;
}

/** A free TCP port on localhost. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * A private redis-server (for the restart test: the shared one must not go down under other tests), with an
 * append-only file so a restart keeps the queue, as docs/scale-out.md asks of a production Redis.
 */
export async function startPrivateRedis(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", ""],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    child.stdout?.on("data", (d) => {
      out += d;
      if (/Ready to accept connections/.test(out)) resolve();
    });
  });
  return child;
}
