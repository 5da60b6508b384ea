/**
 * `shapelab worker --queue redis://… --store postgres://… [--concurrency N]`: take run units from the queue
 * until stopped (src/node/queueWorker.ts). Ctrl-C or SIGTERM finishes the jobs in hand and exits 0; a second
 * signal exits at once (the jobs in hand go back to the queue after the stall timeout).
 */
import type { Command } from "commander";
import { startQueueWorker, type WorkerEvent } from "../../node/queueWorker.js";
import { DEFAULT_STORE_DIR } from "../../node/store.js";
import { openStoreBackend, STORE_OPTION_HELP } from "../../node/storeBackend.js";
import { DEFAULT_STALL_MS } from "../../node/sweepQueue.js";
import { fixed } from "../../util/format.js";
import { InputError } from "../../util/errors.js";
import { parseInteger, parseNumber } from "../options.js";
import { MAX_WORKERS } from "../../node/workerPool.js";

function describe(event: WorkerEvent): string {
  const unit = event.unit;
  const where = `${unit.experiment}${unit.caseName ? `/${unit.caseName}` : ""} seed ${unit.seed} (${unit.key})`;
  switch (event.kind) {
    case "active":
      return `running ${where}`;
    case "stored":
      return `stored  ${where} in ${fixed(event.elapsedMs / 1000, 2)} s`;
    case "duplicate":
      return `skipped ${where}: already complete in the store`;
    case "failed":
      return `FAILED  ${where} (attempt ${event.attempt}/${event.attempts}): ${event.error}`;
  }
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .summary("compute the runs `run --queue` enqueued, until stopped")
    .description(
      "take run units that `shapelab run <experiment> --queue <url>` enqueued, compute them on worker threads " +
        "and store each result exactly once; Ctrl-C finishes the runs in hand, then exits (docs/scale-out.md)",
    )
    .requiredOption("--queue <redis-url>", "the Redis queue, redis://host:port[/db]")
    .option("--store <dir|url>", STORE_OPTION_HELP, DEFAULT_STORE_DIR)
    .option("--concurrency <n>", "runs in flight at once, each on its own thread", "1")
    .option(
      "--stall-timeout <seconds>",
      "a run whose worker stops renewing its lock for this long is handed to another worker; use one value " +
        "for every worker of a queue",
      String(DEFAULT_STALL_MS / 1000),
    )
    .option("--quiet", "no line per run")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab worker --queue redis://10.0.0.5:6379 --store postgres://shapelab@10.0.0.5/shapelab --concurrency 4\n" +
        "  shapelab worker --queue redis://127.0.0.1:6379 --store ./shapelab-runs   # workers on one machine, SQLite",
    )
    .action(
      async (options: {
        queue: string;
        store: string;
        concurrency: string;
        stallTimeout: string;
        quiet?: boolean;
      }) => {
        const concurrency = parseInteger("--concurrency", options.concurrency, { min: 1, max: MAX_WORKERS });
        const stallMs =
          1000 * parseNumber("--stall-timeout", options.stallTimeout, { min: 0.5, max: 86_400 });
        if (!/^redis:\/\//i.test(options.queue))
          throw new InputError(
            "--queue",
            `"${options.queue}": allowed is a Redis URL, redis://host:port[/db]`,
          );
        const store = await openStoreBackend(options.store);
        const log = (line: string) => {
          if (!options.quiet) process.stderr.write(`${new Date().toISOString()} ${line}\n`);
        };
        let worker: Awaited<ReturnType<typeof startQueueWorker>>;
        try {
          worker = await startQueueWorker(options.queue, store, {
            concurrency,
            stallMs,
            onEvent: (event) => log(describe(event)),
          });
        } catch (error) {
          await store.close();
          throw error;
        }
        log(`worker ${worker.id}: ${concurrency} thread(s), queue ${options.queue}, store ${store.location}`);
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) process.exit(signal === "SIGTERM" ? 143 : 130);
          stopping = true;
          log(`${signal}: finishing the runs in hand, then exiting (again to exit at once)`);
          void worker.stop();
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        try {
          await worker.stopped;
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          await store.close();
        }
        log("worker stopped");
      },
    );
}
