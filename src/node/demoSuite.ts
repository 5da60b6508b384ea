/**
 * The flagship demo's experiment suite (`npm start` → `shapelab demo`): a short list of named experiments run
 * into the run store (so a second `npm start` reuses finished runs), one HTML report with their figures, and the
 * headline numbers beside the published ones.
 *
 *   worked-example  the seed post's worked example, from code
 *   exact-ipd       exact NL–NL, LOLA–LOLA, LOLA–NL on the IPD (LOLA paper)
 *   aa-tft          Advantage Alignment's tit-for-tat figure (AA paper, Fig. 1b), and β = 0
 *   catalyst        the seed post's zoo with learners: cross-play and the catalyst measure
 *   coin-league-fixed  the Coin Game league's fixed agents against the AA league's reference points (≈ 1 s)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Headline, headlines } from "../experiments/aggregate.js";
import { EXPERIMENT_SPEC_BUILDERS } from "../report/experimentSpecs.js";
import { loadNamedExperiment } from "./experimentFiles.js";
import { escapeHtml, type ReportSection, sectionFromStore, writeReport } from "./reportHtml.js";
import { runExperiment } from "./runner.js";
import { SqliteBackend } from "./sqliteBackend.js";
import { fixed } from "../util/format.js";

export const DEMO_EXPERIMENTS = [
  "worked-example",
  "exact-ipd",
  "aa-tft",
  "catalyst",
  "coin-league-fixed",
] as const;

export interface DemoSuiteResult {
  index: string;
  figures: number;
  headlines: { experiment: string; rows: Headline[] }[];
  /** Catalyst of each shaper per opponent (mean over seeds), from the catalyst experiment. */
  catalyst: { shaper: string; opponent: string; mean: number }[];
  /** Runs computed now / taken from the store. */
  computed: number;
  reused: number;
  elapsedMs: number;
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? fixed(x, digits) : "—";
}

/** Plain-text table of the headline numbers (and the catalyst measure, which has no published number). */
export function headlineTable(result: DemoSuiteResult): string {
  // Column widths grow with the longest name (coin-league metrics name two players: reward.Always-Defect.Random).
  const all = result.headlines.flatMap((h) => h.rows.map((r) => ({ experiment: h.experiment, r })));
  const we = Math.max(15, ...all.map((x) => x.experiment.length + 2));
  const wm = Math.max(16, ...all.map((x) => x.r.metric.length + 2));
  const lines = [
    `${"experiment".padEnd(we)}${"case".padEnd(13)}${"metric".padEnd(wm)}${"ours (mean ± sd)".padStart(20)}${"published".padStart(12)}  within tolerance`,
  ];
  for (const h of result.headlines) {
    for (const r of h.rows) {
      const ours = `${fmt(r.ours)} ± ${fmt(r.sd)}`;
      const verdict = r.pass === null ? "n/a (criteria differ)" : r.pass ? "yes" : "no";
      lines.push(
        `${h.experiment.padEnd(we)}${(r.case ?? "").padEnd(13)}${r.metric.padEnd(wm)}${ours.padStart(20)}${String(r.published).padStart(12)}  ${verdict}`,
      );
    }
  }
  const byShaper = new Map<string, { opponent: string; mean: number }[]>();
  for (const c of result.catalyst) byShaper.set(c.shaper, [...(byShaper.get(c.shaper) ?? []), c]);
  for (const [shaper, rows] of byShaper) {
    const positive = rows.filter((r) => r.mean > 0.01).length;
    lines.push(
      `catalyst of ${shaper} (no published number): r(o vs ${shaper}) − r(o vs naive PG) > 0 for ${positive} of ${rows.length} opponents`,
      `  ${rows.map((r) => `${r.opponent} ${r.mean >= 0 ? "+" : ""}${fmt(r.mean, 2)}`).join(", ")}`,
    );
  }
  return lines.join("\n");
}

export async function runDemoSuite(options: {
  store: string;
  out: string;
  workers?: number;
  quiet?: boolean;
  log?: (line: string) => void;
}): Promise<DemoSuiteResult> {
  const started = performance.now();
  const backend = SqliteBackend.open(options.store);
  const store = backend.store;
  try {
    const sections: ReportSection[] = [];
    let computed = 0;
    let reused = 0;
    for (const name of DEMO_EXPERIMENTS) {
      const named = loadNamedExperiment(name);
      const summary = await runExperiment(named.config, store, {
        workers: options.workers,
        quiet: options.quiet,
      });
      if (summary.failed.length > 0)
        throw new Error(`${name}: ${summary.failed.length} runs failed: ${summary.failed[0].error}`);
      computed += summary.completed;
      reused += summary.skipped;
      options.log?.(
        `${name}: ${summary.total} runs (${summary.skipped} from the store) in ${fixed(summary.elapsedMs / 1000, 1)} s`,
      );
      sections.push(
        await sectionFromStore(
          backend,
          named.config,
          named.doc ? readFileSync(named.doc, "utf8") : undefined,
        ),
      );
    }
    const catalystSection = sections.find((s) => s.config.name === "catalyst");
    const catalyst: DemoSuiteResult["catalyst"] = [];
    if (catalystSection) {
      const sums = new Map<string, number[]>();
      for (const run of catalystSection.runs) {
        for (const [metric, value] of Object.entries(run.final)) {
          if (metric.startsWith("catalyst.")) sums.set(metric, [...(sums.get(metric) ?? []), value]);
        }
      }
      for (const [metric, values] of sums) {
        const [, shaper, ...rest] = metric.split(".");
        catalyst.push({
          shaper,
          opponent: rest.join("."),
          mean: values.reduce((a, b) => a + b, 0) / values.length,
        });
      }
    }
    const partial: DemoSuiteResult = {
      index: join(options.out, "index.html"),
      figures: 0,
      headlines: [],
      catalyst,
      computed,
      reused,
      elapsedMs: 0,
    };
    // The page opens with every headline number beside its published value, as the terminal shows them.
    const rows = sections.flatMap((sec) =>
      headlines(sec.config, sec.runs).map((h) => ({ experiment: sec.config.name, h })),
    );
    const table = rows
      .map(
        ({ experiment, h }) =>
          `<tr><td><a href="#${escapeHtml(experiment)}">${escapeHtml(experiment)}</a></td><td>${escapeHtml(h.case ?? "")}</td>` +
          `<td>${escapeHtml(h.metric)}</td><td class="num">${fmt(h.ours)} ± ${fmt(h.sd)}</td><td class="num">${h.published}</td>` +
          `<td class="${h.pass === null ? "na" : h.pass ? "pass" : "fail"}">${h.pass === null ? "n/a" : h.pass ? "yes" : "no"}</td></tr>`,
      )
      .join("\n");
    const written = await writeReport(backend, sections, options.out, EXPERIMENT_SPEC_BUILDERS, {
      title: "shapelab demo: opponent shaping, reproduced",
      intro:
        "<p>The flagship suite of named experiments (<code>npm start</code>). Each section states the published " +
        "numbers it reproduces and where they come from; rerun any of them with " +
        "<code>shapelab run &lt;name&gt;</code> and <code>shapelab report &lt;name&gt;</code>.</p>" +
        "<table><tr><th>experiment</th><th>case</th><th>metric</th><th>ours (mean ± sd over seeds)</th>" +
        `<th>published</th><th>within tolerance</th></tr>\n${table}</table>`,
    });
    partial.figures = written.figures.length;
    partial.headlines = written.headlines;
    partial.elapsedMs = performance.now() - started;
    return partial;
  } finally {
    store.close();
  }
}
