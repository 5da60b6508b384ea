/**
 * `shapelab runs list | show <id> | compare <id…> | export [--format csv|json] | check | repair`: look into the
 * run store, and check or salvage a damaged one (src/node/storeRepair.ts).
 *
 * Export shape (pandas reads it directly, `pd.read_csv(path)` / `pd.read_json(path)`): one row per run with
 * columns id, experiment, case, seed, status, code_version, started_at, ended_at, elapsed_ms, one `param.<path>`
 * column per swept parameter, and one column per final metric. `--series` exports the time series instead, tidy
 * long format: id, experiment, case, seed, param columns, metric, step, value.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { canonicalJson } from "../../experiments/plan.js";
import { type Row, toCsv } from "../../node/figures.js";
import { DEFAULT_STORE_DIR, type RunStatus, type StoredRun } from "../../node/store.js";
import {
  openStoreBackend,
  parseStoreLocation,
  type RunStoreBackend,
  STORE_OPTION_HELP,
} from "../../node/storeBackend.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { parseCount, parseInteger } from "../options.js";
import { ensureWritableFile } from "../../node/files.js";
import { checkStore, repairStore, storeIsIntact } from "../../node/storeRepair.js";
import { fixed } from "../../util/format.js";
import { printJson } from "../jsonOutput.js";

function cellValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return canonicalJson(v);
}

/** Column names of the run-level fields shared by both export shapes. */
function runColumns(run: StoredRun): Row {
  const row: Row = {
    id: run.id,
    experiment: run.experiment,
    case: run.caseName,
    seed: run.seed,
    status: run.status === "running" ? "incomplete" : run.status,
    code_version: run.codeVersion,
    started_at: run.startedAt,
    ended_at: run.endedAt,
    elapsed_ms: run.elapsedMs === null ? null : Math.round(run.elapsedMs * 1000) / 1000,
  };
  for (const [path, value] of Object.entries(run.point)) row[`param.${path}`] = cellValue(value);
  return row;
}

function openStore(store: string): Promise<RunStoreBackend> {
  return openStoreBackend(store, { readonly: true });
}

/** `check` and `repair` work on SQLite's file; a PostgreSQL server checks and repairs its own storage. */
function sqliteDir(store: string, command: string): string {
  const location = parseStoreLocation(store);
  if (location.kind === "sqlite") return location.dir;
  throw new InputError(
    "--store",
    `runs ${command} works on an SQLite store (a folder); PostgreSQL checks its own storage`,
  );
}

function parseIds(ids: string[]): number[] {
  return ids.map((t) => parseInteger("<id>", t, { min: 1 }));
}

async function getRunOrThrow(store: RunStoreBackend, id: number): Promise<StoredRun> {
  const run = await store.getRun(id);
  if (!run) throw new InputError("<id>", `no run with id ${id} in the store (see shapelab runs list)`);
  return run;
}

/** A sweep point as `path=value` pairs (`agents.0.eta=0.5`), "" when the run has none. */
function pointLabel(point: Record<string, unknown>): string {
  return Object.entries(point)
    .map(([k, v]) => `${k}=${canonicalJson(v)}`)
    .join(" ");
}

function fmt(v: number | undefined): string {
  if (v === undefined) return "—";
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : fixed(v, 4);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

export function registerRuns(program: Command): void {
  const runs = program
    .command("runs")
    .summary("list, show, compare and export stored runs")
    .description("list, show, compare and export runs in the run store")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab runs list --experiment exact-ipd\n" +
        "  shapelab runs show 12\n" +
        "  shapelab runs compare 12 57 103               # one column per run: case, sweep point, seed\n" +
        '  shapelab runs export > runs.csv               # CSV by default; pandas: pd.read_csv("runs.csv")',
    );
  const storeOption = ["--store <dir|url>", STORE_OPTION_HELP, DEFAULT_STORE_DIR] as const;

  runs
    .command("list")
    .description("runs, newest first: id, experiment, case, sweep point, seed, status, a final metric")
    .option(...storeOption)
    .option(
      "--experiment <name>",
      "only runs of this experiment (a preset's runs: <name>@<preset>, e.g. coin-train@paper)",
    )
    .option("--status <status>", "only runs with this status: complete, incomplete, failed")
    .option("--limit <n>", "at most n runs", "50")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" + "  shapelab runs list --experiment exact-ipd --status complete --limit 10",
    )
    .action(
      async (options: {
        store: string;
        experiment?: string;
        status?: string;
        limit: string;
        json?: boolean;
      }) => {
        const limit = parseCount("--limit", options.limit, "listRows");
        let status: RunStatus | undefined;
        if (options.status !== undefined) {
          const s = requireOneOf("--status", options.status, ["complete", "incomplete", "failed"] as const);
          status = s === "incomplete" ? "running" : s;
        }
        const store = await openStore(options.store);
        try {
          const list = await store.listRuns({ experiment: options.experiment, status, limit });
          if (options.json) {
            printJson(
              "runs list",
              {
                store: store.location,
                experiment: options.experiment ?? null,
                status: options.status ?? null,
                limit,
              },
              { runs: list },
            );
            return;
          }
          const rows = list.map((r) => {
            const first = Object.entries(r.final)[0];
            return [
              String(r.id),
              r.experiment,
              r.caseName ?? "",
              pointLabel(r.point),
              String(r.seed),
              r.status === "running" ? "incomplete" : r.status,
              first ? `${first[0]}=${fmt(first[1])}` : (r.error ?? ""),
            ];
          });
          process.stdout.write(table(["id", "experiment", "case", "point", "seed", "status", "final"], rows));
          const c = await store.counts();
          process.stdout.write(
            `${c.total} runs in ${store.location}: ${c.complete} complete, ${c.running} incomplete, ${c.failed} failed\n`,
          );
        } finally {
          await store.close();
        }
      },
    );

  runs
    .command("show")
    .description(
      "one run: config, seed, code version, status, times, final metrics, series lengths, artifacts",
    )
    .argument("<id>", "run id (see `runs list`)")
    .option(...storeOption)
    .option("--json", "print JSON (with the full time series)")
    .addHelpText("after", "\nExamples:\n" + "  shapelab runs show 12 --json   # with the full time series")
    .action(async (idText: string, options: { store: string; json?: boolean }) => {
      const [id] = parseIds([idText]);
      const store = await openStore(options.store);
      try {
        const run = await getRunOrThrow(store, id);
        const metrics = await store.metrics(id);
        if (options.json) {
          const series: Record<string, { step: number[]; value: number[] }> = {};
          for (const m of metrics) {
            series[m.metric] ??= { step: [], value: [] };
            series[m.metric].step.push(m.step);
            series[m.metric].value.push(m.value);
          }
          printJson("runs show", run.config as unknown as Record<string, unknown>, { ...run, series });
          return;
        }
        const out: string[] = [
          `run ${run.id}  ${run.experiment}${run.caseName ? ` / ${run.caseName}` : ""}  seed ${run.seed}  (${run.status === "running" ? "incomplete" : run.status})`,
          `key ${run.key}   code ${run.codeVersion}`,
          `started ${run.startedAt}   ended ${run.endedAt ?? "—"}${run.elapsedMs !== null ? `   compute ${fixed(run.elapsedMs, 1)} ms` : ""}`,
        ];
        if (Object.keys(run.point).length) out.push(`point ${canonicalJson(run.point)}`);
        out.push(`config ${canonicalJson(run.config)}`);
        if (run.error) out.push(`error ${run.error}`);
        out.push("final:");
        for (const [k, v] of Object.entries(run.final)) out.push(`  ${k.padEnd(16)} ${fmt(v)}`);
        const counts = new Map<string, number>();
        for (const m of metrics) counts.set(m.metric, (counts.get(m.metric) ?? 0) + 1);
        if (counts.size) out.push(`series: ${[...counts].map(([k, n]) => `${k} (${n} points)`).join(", ")}`);
        for (const [k, p] of Object.entries(run.artifacts)) out.push(`artifact ${k}: ${store.location}/${p}`);
        process.stdout.write(`${out.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });

  runs
    .command("compare")
    .description("a table of final metrics, one column per run")
    .argument("<ids...>", "run ids")
    .option(...storeOption)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" + "  shapelab runs compare 1 4 7     # columns: #id case [sweep point] seed",
    )
    .action(async (idTexts: string[], options: { store: string; json?: boolean }) => {
      const ids = parseIds(idTexts);
      const store = await openStore(options.store);
      try {
        const list: StoredRun[] = [];
        for (const id of ids) list.push(await getRunOrThrow(store, id));
        const names = [...new Set(list.flatMap((r) => Object.keys(r.final)))];
        if (options.json) {
          const out = Object.fromEntries(names.map((n) => [n, list.map((r) => r.final[n] ?? null)]));
          printJson("runs compare", { store: store.location, ids }, { runs: list, metrics: out });
          return;
        }
        // A column names its run, case, sweep point (when the run has one) and seed, so sweep cells can be told apart.
        const header = [
          "metric",
          ...list.map(
            (r) =>
              `#${r.id} ${[r.caseName ?? r.experiment, pointLabel(r.point), `s${r.seed}`].filter((t) => t !== "").join(" ")}`,
          ),
        ];
        process.stdout.write(
          table(
            header,
            names.map((n) => [n, ...list.map((r) => fmt(r.final[n]))]),
          ),
        );
      } finally {
        await store.close();
      }
    });

  runs
    .command("export")
    .description(
      "export runs for pandas: --format csv (the default; one row per run: params + final metrics) or json " +
        "(records; the default when --out ends in .json); --series exports time series in tidy long format " +
        "(id, params, metric, step, value) instead",
    )
    .option(...storeOption)
    .option("--format <format>", "csv or json (default: json when --out ends in .json, else csv)")
    .option(
      "--experiment <name>",
      "only runs of this experiment (a preset's runs: <name>@<preset>, e.g. coin-train@paper)",
    )
    .option("--series", "export the metric time series (long format) instead of one row per run")
    .option("--all", "include incomplete and failed runs (default: complete runs only)")
    .option("--out <file>", "write to a file instead of stdout")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab runs export > runs.csv                        # one row per run (CSV is the default)\n" +
        "  shapelab runs export --format json --experiment aa-tft\n" +
        "  shapelab runs export --series --out series.csv        # tidy long format: metric, step, value",
    )
    .action(
      async (options: {
        store: string;
        format?: string;
        experiment?: string;
        series?: boolean;
        all?: boolean;
        out?: string;
      }) => {
        // The default follows the file name when there is one, so `--out runs.json` is JSON without a second flag.
        const defaultFormat = options.out?.toLowerCase().endsWith(".json") ? "json" : "csv";
        const format = requireOneOf("--format", options.format ?? defaultFormat, ["csv", "json"] as const);
        if (options.out !== undefined) ensureWritableFile(options.out, "--out");
        const store = await openStore(options.store);
        let rows: Row[] = [];
        try {
          const list = (
            await store.listRuns({
              experiment: options.experiment,
              status: options.all ? undefined : "complete",
            })
          ).reverse();
          if (options.series) {
            for (const run of list) {
              const base = runColumns(run);
              for (const m of await store.metrics(run.id))
                rows.push({ ...base, metric: m.metric, step: m.step, value: m.value });
            }
          } else {
            rows = list.map((run) => ({ ...runColumns(run), ...run.final }));
          }
        } finally {
          await store.close();
        }
        // Every row gets every column (null when absent), so both formats are rectangular.
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        const full = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])) as Row);
        const text = format === "csv" ? toCsv(full) : `${JSON.stringify(full)}\n`;
        if (options.out) writeFileSync(options.out, text);
        else process.stdout.write(text);
      },
    );

  runs
    .command("check")
    .description(
      "check the store for damage: SQLite's integrity check, then a read of every run and its metrics " +
        "(exit 0: intact; exit 1: damage found, see `runs repair`)",
    )
    .option(...storeOption)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab runs check --store shapelab-runs     # exit 0: intact; exit 1: damage found\n" +
        "  shapelab runs check --json",
    )
    .action((options: { store: string; json?: boolean }) => {
      const check = checkStore(sqliteDir(options.store, "check"));
      const intact = storeIsIntact(check);
      if (options.json) printJson("runs check", { store: options.store }, { ...check, intact });
      else {
        process.stdout.write(
          `${check.file}: ${intact ? "intact" : "DAMAGED"}\n` +
            `  integrity check: ${check.integrity
              .slice(0, 3)
              .join("; ")
              .replace(/\s*\n\s*/g, "; ")}\n` +
            `  experiments: ${check.experiments.readable} readable, ${check.experiments.damaged} damaged\n` +
            `  runs: ${check.runs.readable} readable (${check.runs.complete} complete with all metrics), ` +
            `${check.runs.damaged} unreadable, ${check.runs.metricsDamaged} with damaged metrics\n`,
        );
        if (!intact)
          process.stdout.write(
            `  repair: shapelab runs repair --store ${options.store}  (keeps every intact row; the damaged file is kept)\n`,
          );
      }
      if (!intact) process.exitCode = 1;
    });

  runs
    .command("repair")
    .description(
      "copy every intact row of a damaged store into a fresh runs.sqlite (the damaged file is kept beside it as " +
        "runs.sqlite.damaged-<time>); runs whose metrics were damaged stay incomplete, so the next `shapelab run` " +
        "redoes them",
    )
    .option(...storeOption)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab runs repair --store shapelab-runs    # keeps every intact row; then rerun to redo the rest",
    )
    .action((options: { store: string; json?: boolean }) => {
      const result = repairStore(sqliteDir(options.store, "repair"));
      if (options.json) {
        printJson("runs repair", { store: options.store }, result as unknown as Record<string, unknown>);
        return;
      }
      process.stdout.write(
        `repaired ${result.check.file}: kept ${result.kept.experiments} experiment(s), ${result.kept.complete} ` +
          `complete run(s), ${result.kept.incomplete} incomplete (redone by the next run); damaged file kept as ` +
          `${result.damagedFile}\n`,
      );
    });
}
