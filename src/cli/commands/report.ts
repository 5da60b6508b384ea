/**
 * `shapelab report <run-id|experiment|file> [--out dir]`: an HTML page (index.html) with the figures the config
 * asks for, the headline numbers beside the published ones, final metrics per case/point and the config.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Command } from "commander";
import { EXPERIMENT_SPEC_BUILDERS } from "../../report/experimentSpecs.js";
import { loadConfigFile, loadNamedExperiment, namedExperimentNames } from "../../node/experimentFiles.js";
import { headlineWhere, type ReportSection, sectionFromStore, writeReport } from "../../node/reportHtml.js";
import { DEFAULT_STORE_DIR } from "../../node/store.js";
import { openStoreBackend, type RunStoreBackend, STORE_OPTION_HELP } from "../../node/storeBackend.js";
import { resolveConfig } from "../../node/configSources.js";
import { applyPreset } from "../../experiments/overrides.js";
import { presetExperimentName, presetNames, unknownPreset } from "../../experiments/presets.js";
import { InputError } from "../../util/errors.js";
import { ensureWritableDir } from "../../node/files.js";
import { fixed } from "../../util/format.js";
import { printJson } from "../jsonOutput.js";

/** Reports go under this folder, one subfolder per target (or set of targets), so one never overwrites another. */
export const DEFAULT_REPORT_DIR = "shapelab-report";

/**
 * The default folder of a report: `shapelab-report/<target>` (a run id → `run-<id>`, a config file → its name
 * without the extension, several targets joined by `+`).
 */
export function defaultReportDir(targets: readonly string[]): string {
  const slug = targets
    .map((t) => (/^\d+$/.test(t) ? `run-${t}` : basename(t).replace(/\.(ya?ml|json)$/i, "")))
    .map((t) => t.replace(/[^A-Za-z0-9._-]+/g, "-"))
    .join("+");
  return join(DEFAULT_REPORT_DIR, slug);
}

/**
 * Resolve the report target: a run id, a stored experiment name (`coin-train`, or `coin-train@paper` for a
 * preset), a named experiment, or a config file; `preset` picks a preset of a named experiment or a file.
 */
async function sectionFor(store: RunStoreBackend, target: string, preset?: string): Promise<ReportSection> {
  if (/^\d+$/.test(target)) {
    if (preset !== undefined)
      throw new InputError("--preset", `a run id (${target}) has no presets; leave --preset out`);
    const run = await store.getRun(Number(target));
    if (!run) throw new InputError("<run|experiment>", `no run with id ${target} (see shapelab runs list)`);
    const experiment = await store.getExperiment(run.experimentId);
    if (!experiment) throw new InputError("<run|experiment>", `run ${target} has no experiment record`);
    const where = [run.caseName, ...Object.entries(run.point).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
    return {
      config: experiment.config,
      runs: run.status === "complete" ? [run] : [],
      planned: 1,
      heading: `Run ${run.id}: ${run.experiment}${where.filter(Boolean).length ? ` (${where.filter(Boolean).join(", ")})` : ""}, seed ${run.seed}`,
    };
  }
  if (existsSync(target) && !namedExperimentNames().includes(target)) {
    // A stored config is already resolved; a file may name agent files or another experiment's agents.
    return sectionFromStore(store, await resolveConfig(applyPreset(loadConfigFile(target), preset), store));
  }
  // `coin-train@paper` names the stored preset directly; its doc is coin-train's.
  const [base, storedPreset] = target.includes("@") ? target.split("@", 2) : [target, undefined];
  if (preset !== undefined && storedPreset !== undefined && preset !== storedPreset)
    throw new InputError("--preset", `"${target}" already names preset ${storedPreset}; leave --preset out`);
  const named = namedExperimentNames().includes(base) ? loadNamedExperiment(base) : undefined;
  const chosen = preset ?? storedPreset;
  if (named && chosen !== undefined && !presetNames(named.config).includes(chosen))
    throw unknownPreset(named.config, chosen, preset !== undefined ? "--preset" : "<run|experiment>");
  const name = presetExperimentName(base, chosen);
  const stored = await store.latestExperiment(name);
  const doc = named?.doc ? readFileSync(named.doc, "utf8") : undefined;
  if (stored) return sectionFromStore(store, stored.config, doc);
  if (named) {
    throw new InputError(
      "<run|experiment>",
      `no runs of "${name}" in ${store.location} yet; run it first: shapelab run ${base}` +
        (chosen === undefined ? "" : ` --preset ${chosen}`),
    );
  }
  throw new InputError(
    "<run|experiment>",
    `"${target}" is not a run id, a stored experiment, a named experiment or a file`,
  );
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .summary("an HTML report with figures for runs, experiments or configs")
    .description(
      "write an HTML report (index.html + figures as SVG/PNG/CSV/Vega-Lite JSON) for a run id, an experiment " +
        "(its latest config in the store) or a config file; several targets give one page",
    )
    .argument("<targets...>", "run ids, experiment names or config files")
    .option("--store <dir|url>", STORE_OPTION_HELP, DEFAULT_STORE_DIR)
    .option(
      "--preset <name>",
      "report this preset of each named experiment or config file (see `shapelab experiments`)",
    )
    .option("--out <dir>", `output folder (default ${DEFAULT_REPORT_DIR}/<target>, one per target)`)
    .option("--json", "print the written paths and headline numbers as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab report exact-ipd                     # → shapelab-report/exact-ipd/index.html (figures embedded)\n" +
        "  shapelab report exact-ipd aa-tft --out out/report   # several targets on one page\n" +
        "  shapelab report asymmetry --preset paper      # the runs of `shapelab run asymmetry --preset paper`\n" +
        "  shapelab report 12                            # one run by id",
    )
    .action(
      async (targets: string[], flags: { store: string; out?: string; preset?: string; json?: boolean }) => {
        const slugs = flags.preset === undefined ? targets : targets.map((t) => `${t}@${flags.preset}`);
        const options = { ...flags, out: flags.out ?? defaultReportDir(slugs) };
        ensureWritableDir(options.out, "--out");
        const store = await openStoreBackend(options.store, { readonly: true });
        try {
          const sections: ReportSection[] = [];
          for (const target of targets) sections.push(await sectionFor(store, target, options.preset));
          const written = await writeReport(store, sections, options.out, EXPERIMENT_SPEC_BUILDERS);
          if (options.json) {
            printJson(
              "report",
              { targets, preset: options.preset ?? null, store: store.location, out: options.out },
              { ...written },
            );
            return;
          }
          process.stdout.write(`report: ${written.index} (${written.figures.length} figures)\n`);
          for (const h of written.headlines) {
            for (const r of h.rows.filter((row) => row.n > 0)) {
              const verdict = r.pass === null ? "" : r.pass ? "  ok" : "  OFF";
              process.stdout.write(
                `  ${h.experiment} ${headlineWhere(r)} ${r.metric}: ours ${fixed(r.ours, 4)} ± ${fixed(r.sd, 4)} (n=${r.n}), published ${r.published}${verdict}\n`,
              );
            }
          }
        } finally {
          await store.close();
        }
      },
    );
}
