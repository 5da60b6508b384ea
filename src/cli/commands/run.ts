/** `shapelab run <file|name>`: run an experiment (all cases × sweep points × seeds) into the run store. */
import type { Command } from "commander";
import { coreCount } from "../../node/workerPool.js";
import { resolveExperiment } from "../../node/experimentFiles.js";
import { runSweep } from "../../node/sweep.js";
import { completeRunsOfPlan } from "../../node/planStoredRuns.js";
import { resolveConfig } from "../../node/configSources.js";
import { planRuns } from "../../experiments/plan.js";
import { DEFAULT_LEASE_MS, DEFAULT_STORE_DIR } from "../../node/store.js";
import { openStoreBackend, STORE_OPTION_HELP } from "../../node/storeBackend.js";
import { LIMITS } from "../../util/limits.js";
import { headlines, summarizeGroups } from "../../experiments/aggregate.js";
import { applyPreset, applySetOverrides, parseSetOverride } from "../../experiments/overrides.js";
import { storedExperimentName } from "../../experiments/presets.js";
import { leagueLines } from "../leagueTable.js";
import { rankingLines } from "../tournamentRanking.js";
import { fixed } from "../../util/format.js";
import { headlineWhere } from "../../node/reportHtml.js";
import { printJson } from "../jsonOutput.js";
import { parseCount, parseInteger, parseNumber, parseWorkers } from "../options.js";

export function registerRun(program: Command): void {
  program
    .command("run")
    .summary("run a named experiment or a YAML/JSON config into the run store")
    .description(
      "run an experiment config (YAML/JSON file) or a named experiment (`shapelab experiments`) into the run " +
        "store; runs already complete there are skipped, so rerunning an interrupted command resumes it",
    )
    .argument("<file|name>", "a config file, or the name of a shipped experiment")
    .option("--store <dir|url>", STORE_OPTION_HELP, DEFAULT_STORE_DIR)
    .option(
      "--queue <redis-url>",
      "enqueue the runs on this Redis queue for `shapelab worker` processes and wait",
    )
    .option("--attempts <n>", "with --queue: attempts per run before a run that throws stays failed", "3")
    .option("--retry-failed", "run only the runs the store has as failed (a plain rerun redoes them too)")
    .option("--workers <n>", `worker threads (0 = this thread; default: one per core, here ${coreCount()})`)
    .option(
      "--preset <name>",
      "run one of the config's presets (e.g. paper: the published scale; `shapelab experiments` lists them); " +
        "the store keeps it apart as <experiment>@<name>",
    )
    .option("--seeds <n>", "override the config's number of seeds (run seeds base … base+n−1)")
    .option(
      "--set <path=value>",
      "override any config field (repeatable): a dotted path, a YAML value, e.g. agents.0.lr=0.5, seeds.count=10",
      (text: string, previous: string[] | undefined) => [...(previous ?? []), text],
    )
    .option(
      "--lease <seconds>",
      "several processes may share a store: a run another process holds is skipped and waited for, and taken " +
        "over when that process's heartbeat is older than this",
      String(DEFAULT_LEASE_MS / 1000),
    )
    .option("--no-wait", "do not wait for runs other processes hold: skip them and report how many")
    .option("--json", "print the summary as JSON on stdout")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab run exact-ipd                        # a named experiment (see shapelab experiments)\n" +
        "  shapelab run exact-ipd --seeds 5              # a quick look: the first 5 seeds\n" +
        "  shapelab run asymmetry --preset paper         # the paper-scale preset (stored as asymmetry@paper)\n" +
        "  shapelab run exact-ipd --set agents.0.eta=0.5 --set seeds.count=10   # override any config field\n" +
        "  shapelab run my-sweep.yaml --workers 2 --store ./shapelab-runs --json\n" +
        "  shapelab run asymmetric-shaping --queue redis://host:6379 --store postgres://user@host/db   # see docs/scale-out.md\n" +
        "  shapelab run classic-tournament               # prints the ranking; then: shapelab report classic-tournament",
    )
    .action(
      async (
        fileOrName: string,
        options: {
          store: string;
          workers?: string;
          seeds?: string;
          preset?: string;
          set?: string[];
          lease: string;
          wait: boolean;
          queue?: string;
          attempts: string;
          retryFailed?: boolean;
          json?: boolean;
          quiet?: boolean;
        },
      ) => {
        const workers = parseWorkers(options.workers);
        const leaseMs = 1000 * parseNumber("--lease", options.lease, { min: 0.1, max: LIMITS.leaseSeconds });
        const resolved = applySetOverrides(
          applyPreset(resolveExperiment(fileOrName).config, options.preset),
          (options.set ?? []).map((text) => parseSetOverride(text)),
        );
        // Seeds are the innermost axis and not part of a run's key, so fewer seeds reuse the first runs of more.
        const config =
          options.seeds === undefined
            ? resolved
            : {
                ...resolved,
                seeds: {
                  ...resolved.seeds,
                  count: parseCount("--seeds", options.seeds, "seeds"),
                },
              };
        const attempts = parseInteger("--attempts", options.attempts, { min: 1, max: 100 });
        const store = await openStoreBackend(options.store);
        const abort = new AbortController();
        // Exit 128 + the signal's number, as a shell reports it: 130 for SIGINT, 143 for SIGTERM.
        let signalCode = 130;
        const onSignal = (signal: NodeJS.Signals) => {
          signalCode = signal === "SIGTERM" ? 143 : 130;
          if (abort.signal.aborted) process.exit(signalCode);
          process.stderr.write(
            "\nshapelab: interrupted; finished runs are saved, rerun the same command to resume\n",
          );
          abort.abort();
        };
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        try {
          const summary = await runSweep(config, store, {
            workers,
            quiet: options.quiet,
            signal: abort.signal,
            leaseMs,
            wait: options.wait,
            queue: options.queue,
            attempts,
            retryFailed: options.retryFailed,
          });
          // Labelled by this plan: a run stored earlier under another sweep point or case is this cell's run too.
          const runs = await completeRunsOfPlan(store, planRuns(await resolveConfig(config, store)));
          const groups = summarizeGroups(config, runs);
          const heads = headlines(config, runs);
          if (options.json) {
            printJson("run", config as unknown as Record<string, unknown>, {
              ...summary,
              store: store.location,
              groups,
              headlines: heads,
            });
          } else {
            process.stdout.write(
              `${storedExperimentName(config)}: ${summary.total} runs, ${summary.skipped} already stored, ${summary.completed} run now, ` +
                `${summary.failed.length} failed (${fixed(summary.elapsedMs / 1000, 1)} s); store ${store.location}\n`,
            );
            if (summary.byOthers > 0 || summary.heldByOthers > 0)
              process.stdout.write(
                `  another process on this store: ${summary.byOthers} run(s) completed by it, ` +
                  `${summary.heldByOthers} still held by it (skipped)\n`,
              );
            for (const f of summary.failed.slice(0, 5))
              process.stdout.write(`  failed seed ${f.seed}: ${f.error}\n`);
            // A tournament's result is its ranking, not the first six per-player metrics.
            const ranking =
              config.kind === "tournament"
                ? rankingLines(groups)
                : config.kind === "coin-league"
                  ? leagueLines(groups)
                  : [];
            if (ranking.length > 0) {
              process.stdout.write(`${ranking.join("\n")}\n`);
              process.stdout.write(
                `payoff matrices, heatmaps and all metrics: shapelab report ${fileOrName}` +
                  `${options.preset === undefined ? "" : ` --preset ${options.preset}`}` +
                  `${options.store === DEFAULT_STORE_DIR ? "" : ` --store ${options.store}`}\n`,
              );
            }
            for (const g of ranking.length > 0 ? [] : groups) {
              const cells = Object.entries(g.final)
                .slice(0, 6)
                .map(([m, s]) => `${m} ${fixed(s.mean, 3)}±${fixed(s.sd, 3)}`)
                .join("  ");
              process.stdout.write(`  ${g.label.padEnd(24)} n=${String(g.n).padEnd(4)} ${cells}\n`);
            }
          }
          if (!options.json && heads.length > 0) {
            process.stdout.write("published numbers (ours = mean ± sd over seeds):\n");
            for (const h of heads) {
              const verdict = h.pass === null ? "" : h.pass ? "  within tolerance" : "  OUTSIDE tolerance";
              process.stdout.write(
                `  ${headlineWhere(h).padEnd(12)} ${h.metric.padEnd(14)} ours ${fixed(h.ours, 4)} ± ${fixed(h.sd, 4)}` +
                  ` (n=${h.n})  published ${h.published}${h.tolerance !== null ? ` ± ${h.tolerance}` : ""}${verdict}\n`,
              );
            }
          }
          if (summary.interrupted) process.exitCode = signalCode;
          else if (summary.failed.length > 0) process.exitCode = 1;
        } finally {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          await store.close();
        }
      },
    );
}
