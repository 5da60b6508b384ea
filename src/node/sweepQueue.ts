/**
 * What the submitter (`shapelab run --queue`, queueSubmit.ts) and the workers (`shapelab worker`,
 * queueWorker.ts) agree on: the BullMQ queue on Redis that carries one job per run unit (a sweep cell × seed).
 *
 * A job's id is derived from the unit's run key and the code version, so enqueueing a unit that is already
 * waiting or running adds nothing (two submitters, or a resubmit after a crash, never double the work), and a
 * job's data carries everything a worker needs: the unit (its full run config and seed), the experiment row it
 * belongs to (id and config hash, checked against the worker's store) and the submitter's code version (a
 * worker running other code refuses the job rather than storing numbers of another version under its name).
 *
 * BullMQ delivers a job at least once: a worker that dies mid-job loses its lock, and after the stall timeout
 * another worker takes the job. The store makes the effect exactly once (storeResultOnce).
 */
import type { ConnectionOptions } from "bullmq";
import { hashText } from "../experiments/plan.js";
import type { RunUnit } from "../experiments/types.js";
import { InputError } from "../util/errors.js";

/** The queue every shapelab submitter and worker on one Redis database uses (several sweeps may share it). */
export const QUEUE_NAME = "shapelab-runs";
/** Name of every job (BullMQ jobs have a name; one kind here). */
export const JOB_NAME = "run-unit";
/** Default stall timeout: a job whose worker sent no lock renewal for this long is handed to another worker. */
export const DEFAULT_STALL_MS = 30_000;
/** Default attempts per job: a cell that throws is retried this many times in all before it stays failed. */
export const DEFAULT_ATTEMPTS = 3;
/** Pause between a failed attempt and the next. */
export const RETRY_DELAY_MS = 1000;
/** How long the first connection may take before a wrong `--queue` URL is reported. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface SweepJob {
  unit: RunUnit;
  experimentId: number;
  configHash: string;
  codeVersion: string;
}

/** What a worker returns for a job (kept in Redis briefly, read by the submitter's progress). */
export interface SweepJobResult {
  /** False when the store already had the run complete (a job run twice): nothing was written. */
  stored: boolean;
  worker: string;
}

/** A job id: the run key and a hash of the code version (BullMQ ids may not contain ':'). */
export function jobId(unit: RunUnit, codeVersion: string): string {
  return `${unit.key}-${hashText(codeVersion).slice(0, 12)}`;
}

/**
 * ioredis options for `redis://[user:password@]host:port[/db]`. `maxRetriesPerRequest: null` makes every command
 * wait through a Redis restart (ioredis reconnects with backoff) instead of failing: BullMQ workers require it,
 * and the submitter wants the same.
 */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError("--queue", `"${url}" is not a URL; give redis://host:port[/db]`);
  }
  if (parsed.protocol !== "redis:") {
    throw new InputError("--queue", `"${url}": allowed is a Redis URL, redis://host:port[/db]`);
  }
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) {
    throw new InputError(
      "--queue",
      `"${url}": the database after the port must be an integer ≥ 0, got "${dbText}"`,
    );
  }
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/**
 * Check that a Redis answers at `url` before any queue object exists: one connection that does not retry, so a
 * wrong `--queue` is an InputError after at most CONNECT_TIMEOUT_MS. (BullMQ's own connections retry forever,
 * which is what a running worker wants through a Redis restart, but not what a typo wants.)
 */
export async function probeRedis(url: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const options = redisConnection(url) as Record<string, unknown>;
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new InputError(
      "--queue",
      `no Redis answered at ${url}: ${(error as Error).message} (is it running?)`,
    );
  } finally {
    client.disconnect();
  }
}
