/**
 * `shapelab report`: an HTML page for a quick look at one or more experiments (or one run) from the run store —
 * the headline numbers beside the published ones, a table of final metrics per case/point (mean ± sd over seeds),
 * the figures the config asks for (SVG + PNG + CSV + Vega-Lite JSON each, via writeFigure), and a table of the
 * config. Plain static HTML, no scripts: open `index.html` in any browser. The figures are embedded in the page
 * (SVG data URIs), so `index.html` alone can be mailed or shared; the CSV, PNG and spec files sit beside it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { type Headline, headlines, summarizeGroups } from "../experiments/aggregate.js";
import {
  type BuiltFigure,
  buildFigures,
  type FigureData,
  type SpecBuilders,
} from "../experiments/figures.js";
import { canonicalJson, planRuns } from "../experiments/plan.js";
import type { ExperimentConfig } from "../experiments/types.js";
import { writeFigure } from "./figures.js";
import { completeRunsOfPlan } from "./planStoredRuns.js";
import type { StoredRun } from "./store.js";
import type { RunStoreBackend } from "./storeBackend.js";
import { fixed } from "../util/format.js";

export interface ReportSection {
  config: ExperimentConfig;
  /** Complete runs of the experiment (the runs of its current plan). */
  runs: StoredRun[];
  /** Markdown doc of a named experiment, shown as text. */
  doc?: string;
  /** Planned runs, to say how many are missing. */
  planned: number;
  /** Heading instead of the config's title (e.g. for a single run). */
  heading?: string;
}

export interface WrittenReport {
  index: string;
  figures: string[];
  headlines: { experiment: string; rows: Headline[] }[];
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : fixed(x, 3);
}

/** The runs of a config's current plan that are complete in the store. */
export async function sectionFromStore(
  store: RunStoreBackend,
  config: ExperimentConfig,
  doc?: string,
): Promise<ReportSection> {
  const units = planRuns(config);
  const runs = await completeRunsOfPlan(store, units);
  return { config, runs, doc, planned: new Set(units.map((u) => u.key)).size };
}

/**
 * Data access for figure building: the runs' metrics and artifacts, read from the store up front (figure
 * building is synchronous; the store, which may be a network database, is not).
 */
export async function storeFigureData(store: RunStoreBackend, runs: StoredRun[]): Promise<FigureData> {
  const series = new Map<number, Map<string, { step: number; value: number }[]>>();
  const artifacts = new Map<number, Map<string, unknown>>();
  for (const run of runs) {
    const byMetric = new Map<string, { step: number; value: number }[]>();
    for (const row of await store.metrics(run.id)) {
      let list = byMetric.get(row.metric);
      if (!list) byMetric.set(row.metric, (list = []));
      list.push({ step: row.step, value: row.value });
    }
    series.set(run.id, byMetric);
    const byName = new Map<string, unknown>();
    for (const name of Object.keys(run.artifacts)) byName.set(name, await store.readArtifact(run, name));
    artifacts.set(run.id, byName);
  }
  return {
    runs: runs.map((r) => ({ id: r.id, caseName: r.caseName, point: r.point, seed: r.seed, final: r.final })),
    series: (id, metric) => series.get(id)?.get(metric) ?? [],
    seriesNames: (id) => [...(series.get(id)?.keys() ?? [])],
    artifact: (id, name) => artifacts.get(id)?.get(name),
  };
}

/** Longest config value shown whole in the config table. */
const MAX_CONFIG_TEXT = 400;

/** Flatten a config into (path, value) rows for the config table. */
function flatten(value: unknown, prefix: string, out: [string, string][]): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === "object")) {
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else {
    // A long string (an inline agent file's weights) is shown by its length, not pasted into the page.
    const text = typeof value === "string" ? value : canonicalJson(value);
    out.push([
      prefix,
      text.length > MAX_CONFIG_TEXT ? `${text.slice(0, 60)}… (${text.length} characters)` : text,
    ]);
  }
}

/** "LOLA-LOLA, eta=0.5": the case and the sweep point a headline compares. */
export function headlineWhere(h: Headline): string {
  const point = Object.entries(h.at ?? {}).map(([k, v]) => `${k.split(".").pop()}=${JSON.stringify(v)}`);
  return [h.case ?? (point.length ? "" : "all"), ...point].filter(Boolean).join(", ");
}

function headlineTable(rows: Headline[]): string {
  if (rows.length === 0) return "";
  const body = rows
    .map(
      (h) =>
        `<tr><td>${escapeHtml(headlineWhere(h))}</td><td>${escapeHtml(h.metric)}</td><td class="num">${fmt(h.ours)} ± ${fmt(h.sd)} (n=${h.n}; 95 % interval ${fmt(h.interval[0])} … ${fmt(h.interval[1])})</td>` +
        `<td class="num">${fmt(h.published)}${h.tolerance !== null ? ` ± ${fmt(h.tolerance)}` : ""}</td>` +
        `<td class="${h.pass === null ? "na" : h.pass ? "pass" : "fail"}">${h.pass === null ? "n/a" : h.pass ? "yes" : "no"}</td>` +
        `<td>${escapeHtml(h.source)}${h.note ? `<br><small>${escapeHtml(h.note)}</small>` : ""}</td></tr>`,
    )
    .join("\n");
  return `<h3>Published numbers</h3><table><tr><th>case / point</th><th>metric</th><th>ours (mean ± sd over seeds)</th><th>published</th><th>within tolerance</th><th>source</th></tr>\n${body}</table>`;
}

function groupTable(section: ReportSection): string {
  const groups = summarizeGroups(section.config, section.runs);
  if (groups.length === 0) return "<p>No complete runs yet.</p>";
  const metrics = [...new Set(groups.flatMap((g) => Object.keys(g.final)))];
  const shown = metrics.length > 14 ? metrics.filter((m) => !m.startsWith("pC.2.")).slice(0, 14) : metrics;
  const head = `<tr><th>case / point</th><th>seeds</th>${shown.map((m) => `<th>${escapeHtml(m)}</th>`).join("")}</tr>`;
  const body = groups
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.label)}</td><td class="num">${g.n}</td>${shown
          .map((m) =>
            g.final[m] ? `<td class="num">${fmt(g.final[m].mean)} ± ${fmt(g.final[m].sd)}</td>` : "<td></td>",
          )
          .join("")}</tr>`,
    )
    .join("\n");
  const note =
    shown.length < metrics.length
      ? `<p><small>${metrics.length - shown.length} more metrics in the CSV export (shapelab runs export).</small></p>`
      : "";
  return `<h3>Final metrics (mean ± sd over seeds)</h3><div class="scroll"><table>${head}\n${body}</table></div>${note}`;
}

function configTable(config: ExperimentConfig): string {
  const rows: [string, string][] = [];
  const { figures: _f, reproduces: _r, description: _d, title: _t, ...rest } = config;
  flatten(rest, "", rows);
  return `<details><summary>Config</summary><table>${rows
    .map(([k, v]) => `<tr><td><code>${escapeHtml(k)}</code></td><td><code>${escapeHtml(v)}</code></td></tr>`)
    .join("\n")}</table></details>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.pass{color:#1a7f37;font-weight:600}
.fail{color:#b42318;font-weight:600}.na{color:#777}figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}
.scroll{overflow-x:auto}pre.doc{white-space:pre-wrap;background:#fafafa;border-left:3px solid #ddd;padding:.5em 1em}small{color:#555}`;

/**
 * Write `<outDir>/index.html` and the figures (`<outDir>/<experiment>/<figure>.{svg,png,csv,vl.json}`).
 * `intro` is extra HTML placed under the title (the demo puts its summary table there).
 */
export async function writeReport(
  store: RunStoreBackend,
  sections: ReportSection[],
  outDir: string,
  builders: SpecBuilders,
  options: { title?: string; intro?: string } = {},
): Promise<WrittenReport> {
  mkdirSync(outDir, { recursive: true });
  const written: WrittenReport = { index: join(outDir, "index.html"), figures: [], headlines: [] };
  const parts: string[] = [];
  for (const section of sections) {
    const c = section.config;
    const built: BuiltFigure[] = buildFigures(c, await storeFigureData(store, section.runs), builders);
    const figureHtml: string[] = [];
    for (const f of built) {
      const files = await writeFigure(f.spec as TopLevelSpec, f.rows, join(outDir, c.name, f.name));
      written.figures.push(files.svg);
      const rel = (p: string) => relative(outDir, p).split("\\").join("/");
      // The SVG is embedded as a data URI, so index.html alone can be shared; the files beside it are the data.
      const embedded = `data:image/svg+xml;base64,${readFileSync(files.svg).toString("base64")}`;
      figureHtml.push(
        `<figure><img src="${embedded}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.title)} — ` +
          `<a href="${escapeHtml(rel(files.svg))}">SVG</a>, ` +
          `<a href="${escapeHtml(rel(files.csv))}">data (CSV)</a>, <a href="${escapeHtml(rel(files.png))}">PNG</a>, ` +
          `<a href="${escapeHtml(rel(files.spec))}">Vega-Lite spec</a></figcaption></figure>`,
      );
    }
    const heads = headlines(c, section.runs);
    written.headlines.push({ experiment: c.name, rows: heads });
    const versions = [...new Set(section.runs.map((r) => r.codeVersion))];
    parts.push(
      `<section id="${escapeHtml(c.name)}"><h2>${escapeHtml(section.heading ?? c.title ?? c.name)}</h2>` +
        `<p><code>${escapeHtml(c.name)}</code> · kind <code>${escapeHtml(c.kind)}</code> · ${section.runs.length} of ${section.planned} runs complete` +
        `${versions.length ? ` · code ${escapeHtml(versions.join(", "))}` : ""}</p>` +
        (c.description ? `<p>${escapeHtml(c.description)}</p>` : "") +
        (section.doc
          ? `<details><summary>About this experiment</summary><pre class="doc">${escapeHtml(section.doc)}</pre></details>`
          : "") +
        headlineTable(heads) +
        groupTable(section) +
        figureHtml.join("\n") +
        configTable(c) +
        "</section>",
    );
  }
  const title =
    options.title ??
    (sections.length === 1
      ? (sections[0].heading ?? sections[0].config.title ?? sections[0].config.name)
      : "shapelab report");
  const toc =
    sections.length > 1
      ? `<ul>${sections.map((s) => `<li><a href="#${escapeHtml(s.config.name)}">${escapeHtml(s.config.title ?? s.config.name)}</a></li>`).join("")}</ul>`
      : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p><small>Generated ${new Date().toISOString()} from the run store <code>${escapeHtml(store.location)}</code>.</small></p>
${options.intro ?? ""}${toc}
${parts.join("\n")}
</body></html>
`;
  writeFileSync(written.index, html);
  return written;
}
