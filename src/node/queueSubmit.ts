/**
 * `shapelab run <experiment> --queue redis://…`: put one job per run unit (cell × seed) that the store does not
 * have complete with this code version on the BullMQ queue (sweepQueue.ts), then wait for the workers.
 *
 * The store, not the queue, says when the sweep is done: every few hundred ms the submitter asks which of the
 * plan's unsettled keys are complete with this code version; a unit is also settled when its row is failed and
 * its job finally failed (attempts used up), checked after a failure event and every few seconds. Queue events
 * only feed the progress line and that check. So a submitter that missed events (Redis
 * restarted) still ends at the right moment, and, every few seconds, a unit that is neither settled nor on the
 * queue any more (Redis restarted without its data) is enqueued again; the store's exactly-once write makes that
 * safe even if the job had in fact run.
 *
 * Interrupting the submitter (Ctrl-C) leaves the jobs queued: the workers go on, and the same command later
 * waits again (enqueueing nothing twice: a job id is the run key and code version).
 */
import { type Job, Queue, QueueEvents } from "bullmq";
import type { ExperimentConfig, RunUnit } from "../experiments/types.js";
import { createProgress } from "./progress.js";
import { type RunSummary, sleep, planSweep } from "./runner.js";
import type { RunStoreBackend } from "./storeBackend.js";
import {
  probeRedis,
  DEFAULT_ATTEMPTS,
  JOB_NAME,
  jobId,
  QUEUE_NAME,
  RETRY_DELAY_MS,
  redisConnection,
  type SweepJob,
} from "./sweepQueue.js";

export interface SubmitOptions {
  quiet?: boolean;
  signal?: AbortSignal;
  /** Attempts per job before a throwing unit stays failed (default 3). */
  attempts?: number;
  /** Enqueue only these keys of the plan (`--retry-failed`). */
  onlyKeys?: ReadonlySet<string>;
  /** How often the store is read while waiting, in ms. */
  pollMs?: number;
}

/** Polls between two checks that every unsettled unit is still on the queue. */
const POLLS_PER_RECONCILE = 20;

export async function submitSweep(
  given: ExperimentConfig,
  store: RunStoreBackend,
  queueUrl: string,
  options: SubmitOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  const connection = redisConnection(queueUrl);
  await probeRedis(queueUrl);
  const { config, units, experimentId, version, todo, summary } = await planSweep(
    given,
    store,
    options.onlyKeys,
  );
  const experiment = await store.getExperiment(experimentId);
  if (todo.length === 0) {
    summary.elapsedMs = performance.now() - started;
    return summary;
  }

  const queue = new Queue<SweepJob>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  queue.on("error", () => {});
  events.on("error", () => {});
  const progress = createProgress(config.name, units.length, { quiet: options.quiet });
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const byJob = new Map(todo.map((u) => [jobId(u, version), u]));
    let latest = `${todo.length} jobs queued`;
    events.on("active", ({ jobId: id }) => {
      const unit = byJob.get(id);
      if (unit) latest = `running ${unitLabel(unit)}`;
    });
    let sawFailure = false;
    events.on("failed", ({ jobId: id, failedReason }) => {
      const unit = byJob.get(id);
      if (!unit) return;
      latest = `${unitLabel(unit)} failed: ${failedReason}`;
      sawFailure = true;
    });
    const jobOf = (unit: RunUnit): SweepJob => ({
      unit,
      experimentId,
      configHash: experiment!.configHash,
      codeVersion: version,
    });
    await enqueue(queue, todo.map(jobOf), options.attempts ?? DEFAULT_ATTEMPTS);
    progress.update(summary.skipped, latest);

    let unsettled = todo;
    for (let poll = 1; unsettled.length > 0 && !options.signal?.aborted; poll++) {
      await sleep(options.pollMs ?? 250, options.signal);
      const done = await store.completeKeys(
        unsettled.map((u) => u.key),
        version,
      );
      summary.completed += done.size;
      unsettled = unsettled.filter((u) => !done.has(u.key));
      // Rows are read only when a job failed, and now and then: a finally failed job settles its unit.
      const reconcile = poll % POLLS_PER_RECONCILE === 0;
      if ((sawFailure || reconcile) && unsettled.length > 0) {
        sawFailure = false;
        const failed = new Map(
          (await store.runsByKeys(unsettled.map((u) => u.key)))
            .filter((r) => r.status === "failed")
            .map((r) => [r.key, r]),
        );
        const still: RunUnit[] = [];
        for (const unit of unsettled) {
          const row = failed.get(unit.key);
          if (row && (await queue.getJobState(jobId(unit, version))) === "failed")
            summary.failed.push({ key: unit.key, seed: unit.seed, error: row.error ?? "failed" });
          else still.push(unit);
        }
        unsettled = still;
      }
      progress.update(summary.skipped + summary.completed + summary.failed.length, latest);
      if (reconcile && unsettled.length > 0) {
        const lost: RunUnit[] = [];
        for (const unit of unsettled)
          if ((await queue.getJobState(jobId(unit, version))) === "unknown") lost.push(unit);
        if (lost.length > 0) {
          latest = `${lost.length} job(s) missing from the queue (Redis lost data?): enqueued again`;
          await enqueue(queue, lost.map(jobOf), options.attempts ?? DEFAULT_ATTEMPTS);
        }
      }
    }
    summary.heldByOthers = unsettled.length;
  } finally {
    progress.stop();
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
  }
  summary.interrupted = options.signal?.aborted ?? false;
  summary.elapsedMs = performance.now() - started;
  return summary;
}

/**
 * Add the jobs that are not on the queue already. A job left finished by an earlier sweep (failed, or completed
 * when the store has since lost or staled the row) is removed first, since BullMQ ignores an add whose id exists.
 */
export async function enqueue(queue: Queue<SweepJob>, jobs: SweepJob[], attempts: number): Promise<void> {
  const fresh: SweepJob[] = [];
  for (const data of jobs) {
    const id = jobId(data.unit, data.codeVersion);
    const existing: Job<SweepJob> | undefined = await queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== "failed" && state !== "completed") continue;
      await existing.remove();
    }
    fresh.push(data);
  }
  await queue.addBulk(
    fresh.map((data) => ({
      name: JOB_NAME,
      data,
      opts: {
        jobId: jobId(data.unit, data.codeVersion),
        attempts,
        backoff: { type: "fixed", delay: RETRY_DELAY_MS },
        removeOnComplete: true,
        removeOnFail: false,
      },
    })),
  );
}

function unitLabel(unit: RunUnit): string {
  const point = Object.entries(unit.point).map(([k, v]) => `${k.split(".").pop()}=${JSON.stringify(v)}`);
  return [unit.caseName, ...point, `seed ${unit.seed}`].filter(Boolean).join(" ");
}
