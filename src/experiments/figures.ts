/**
 * From an experiment's stored runs to figures: for each figure a config asks for, the data rows (aggregated over
 * seeds) and the Vega-Lite spec from `src/report`. Isomorphic: data access is passed in, files are written by
 * `src/node/reportHtml.ts`.
 *
 *   learning-curve  series metric (a family like `reward`, or one name like `reward.1`), mean ± sd per step,
 *                   one line per (case/point, metric)
 *   pc-bars         final `pC.<agent>.<state>`, mean ± sd over seeds, bars per state, one colour per case/point
 *   heatmap         a run artifact shaped like HeatmapInput (rows, cols, rowReward, colReward), averaged over
 *                   seeds with sd as the spread; one figure per case/point
 *   league-matrix   a coin-league artifact (rows, cols, row/col values and spreads per cell), averaged over seeds;
 *                   drawn as the AA paper's league: row's value bottom-left, the opponent's top-right
 *   bars            every final metric `<prefix>.<item>` (e.g. catalyst.AA.<opponent>), mean ± sd per item
 *   frame-strip     a few frames of one recorded episode per entry of a run artifact (commons-harvest's
 *                   `episodes`), from the first seed: the board as coloured tiles (src/envs/commons/frames.ts)
 *   sweep-curve     a final metric against one swept parameter, mean ± sd, one line per remaining case/point
 *   sweep-heatmap   a final metric on the grid of two swept parameters, mean ± sd, one panel per remaining group
 */
import type { TopLevelSpec } from "vega-lite";
import {
  type EpisodeLayout,
  type FrameLike,
  frameTiles,
  stripFrames,
  TILE_COLOURS,
  TILE_KINDS,
} from "../envs/commons/frames.js";
import { STATE_LABELS } from "../games/game.js";
import { type FrameStripRow, frameStripSpec } from "../report/frameStrip.js";
import { type HeatmapInput, heatmapRows, heatmapSpec } from "../report/heatmap.js";
import { type LeagueMatrixInput, leagueMatrixRows, leagueMatrixSpec } from "../report/leagueMatrix.js";
import { type MetricBarRow, metricBarsSpec } from "../report/metricBars.js";
import { type SweepCurveRow, sweepCurveSpec } from "../report/sweepCurve.js";
import { type SweepHeatmapRow, sweepHeatmapSpec } from "../report/sweepHeatmap.js";
import { log } from "../util/math.js";
import { mean, sd } from "../util/stats.js";
import { groupLabel, type RunRecord, seriesBands } from "./aggregate.js";
import { canonicalJson } from "./plan.js";
import type { ExperimentConfig, FigureSpec } from "./types.js";

export type FigureRow = Record<string, string | number | boolean | null>;

export interface FigureData {
  runs: (RunRecord & { id: number })[];
  /** The stored series of one run and metric, ordered by step. */
  series(runId: number, metric: string): { step: number; value: number }[];
  /** Names of the series metrics a run has. */
  seriesNames(runId: number): string[];
  /** A stored artifact of a run, or undefined. */
  artifact(runId: number, name: string): unknown;
}

export interface BuiltFigure {
  /** File base name (no extension). */
  name: string;
  title: string;
  spec: TopLevelSpec;
  rows: FigureRow[];
}

type Run = FigureData["runs"][number];

function groupsOf(
  runs: readonly Run[],
): { label: string; caseName: string | null; point: Record<string, unknown>; runs: Run[] }[] {
  const map = new Map<
    string,
    { label: string; caseName: string | null; point: Record<string, unknown>; runs: Run[] }
  >();
  for (const run of runs) {
    const id = canonicalJson([run.caseName, run.point]);
    let g = map.get(id);
    if (!g)
      map.set(
        id,
        (g = {
          label: groupLabel(run.caseName, run.point),
          caseName: run.caseName,
          point: run.point,
          runs: [],
        }),
      );
    g.runs.push(run);
  }
  return [...map.values()];
}

function matches(metric: string, wanted: string): boolean {
  return metric === wanted || metric.startsWith(`${wanted}.`);
}

/** Learning-curve rows: one band per (group, metric). */
export function learningCurveRows(data: FigureData, metric: string): FigureRow[] {
  const groups = groupsOf(data.runs);
  const out: FigureRow[] = [];
  for (const g of groups) {
    const names = [...new Set(g.runs.flatMap((r) => data.seriesNames(r.id)))]
      .filter((m) => matches(m, metric))
      .sort();
    for (const name of names) {
      const label =
        names.length > 1 || groups.length === 1
          ? `${g.label === "all" ? "" : `${g.label} `}${name}`.trim()
          : g.label;
      for (const p of seriesBands([{ label, runs: g.runs.map((r) => data.series(r.id, name)) }])) {
        out.push({ series: label, step: p.step, mean: p.mean, sd: p.sd, lo: p.lo, hi: p.hi, n: p.n });
      }
    }
  }
  return out;
}

/** P(C)-per-state rows for one agent: group, state, mean, sd, lo, hi, n. */
export function pcBarRows(data: FigureData, agent: number, source: "pC" | "epC" = "pC"): FigureRow[] {
  const out: FigureRow[] = [];
  for (const g of groupsOf(data.runs)) {
    for (const state of STATE_LABELS) {
      // An empirical frequency is absent for a state a run never visited: those seeds are left out of the bar.
      const values = g.runs.map((r) => r.final[`${source}.${agent}.${state}`]).filter((v) => v !== undefined);
      if (values.length === 0) continue;
      const m = mean(values);
      const s = sd(values);
      out.push({
        group: g.label,
        state: state === "start" ? "START" : state,
        mean: m,
        sd: s,
        lo: Math.max(0, m - s),
        hi: Math.min(1, m + s),
        n: values.length,
      });
    }
  }
  return out;
}

/** A matrix of numbers; null marks a cell that could not be computed (e.g. an arena pair that cannot play). */
type NullableMatrix = (number | null)[][];
interface StoredHeatmap {
  rows: string[];
  cols: string[];
  rowReward: NullableMatrix;
  colReward: NullableMatrix;
}

function isMatrix(x: unknown): x is NullableMatrix {
  return (
    Array.isArray(x) &&
    x.every((row) => Array.isArray(row) && row.every((v) => typeof v === "number" || v === null))
  );
}

function isStoredHeatmap(x: unknown): x is StoredHeatmap {
  const h = x as StoredHeatmap;
  return (
    !!h && Array.isArray(h.rows) && Array.isArray(h.cols) && isMatrix(h.rowReward) && isMatrix(h.colReward)
  );
}

/** Element-wise mean and sd over the non-null cells of same-shape matrices (NaN where every one is null). */
function matrixStats(ms: NullableMatrix[]): { mean: number[][]; sd: number[][] } {
  const cell = (i: number, j: number) => ms.map((x) => x[i][j]).filter((v): v is number => v !== null);
  const m = ms[0].map((row, i) => row.map((_, j) => mean(cell(i, j))));
  const s = ms[0].map((row, i) => row.map((_, j) => sd(cell(i, j))));
  return { mean: m, sd: s };
}

/** Heatmap inputs per group: the artifact averaged over the group's seeds, sd as the spread. */
export function heatmapInputs(
  data: FigureData,
  artifact: string,
): { label: string; input: HeatmapInput; n: number }[] {
  const out: { label: string; input: HeatmapInput; n: number }[] = [];
  for (const g of groupsOf(data.runs)) {
    const inputs = g.runs.map((r) => data.artifact(r.id, artifact)).filter(isStoredHeatmap);
    if (inputs.length === 0) continue;
    const rows = inputs[0].rows;
    const cols = inputs[0].cols;
    const same = inputs.filter((h) => canonicalJson([h.rows, h.cols]) === canonicalJson([rows, cols]));
    const r = matrixStats(same.map((h) => h.rowReward));
    const c = matrixStats(same.map((h) => h.colReward));
    const input: HeatmapInput = { rows, cols, rowReward: r.mean, colReward: c.mean };
    if (same.length > 1) {
      input.rowSpread = r.sd;
      input.colSpread = c.sd;
    }
    out.push({ label: g.label, input, n: same.length });
  }
  return out;
}

/** The matrices a coin-league artifact holds for one value: `row<V>`, `col<V>` and their `…Sd` spreads. */
function leagueMatrices(
  x: unknown,
  value: "reward" | "ownCoin",
):
  | (StoredHeatmap & {
      rowSd: NullableMatrix;
      colSd: NullableMatrix;
      row: NullableMatrix;
      col: NullableMatrix;
    })
  | undefined {
  const a = x as Record<string, unknown> | undefined;
  if (!a || !Array.isArray(a.rows) || !Array.isArray(a.cols)) return undefined;
  const suffix = value === "reward" ? "Reward" : "OwnCoin";
  const [row, col, rowSd, colSd] = [`row${suffix}`, `col${suffix}`, `row${suffix}Sd`, `col${suffix}Sd`].map(
    (k) => a[k],
  );
  if (!isMatrix(row) || !isMatrix(col) || !isMatrix(rowSd) || !isMatrix(colSd)) return undefined;
  return {
    rows: a.rows as string[],
    cols: a.cols as string[],
    rowReward: row,
    colReward: col,
    row,
    col,
    rowSd,
    colSd,
  };
}

/**
 * League-matrix inputs per group: each cell's value averaged over the group's runs (evaluation seeds), and as
 * the spread the mean over runs of each run's sd over the cell's pairs (the spread over training seeds).
 */
export function leagueMatrixInputs(
  data: FigureData,
  artifact: string,
  value: "reward" | "ownCoin",
): { label: string; input: LeagueMatrixInput; n: number }[] {
  const out: { label: string; input: LeagueMatrixInput; n: number }[] = [];
  const meanOrNull = (m: { mean: number[][] }, i: number, j: number) =>
    Number.isFinite(m.mean[i][j]) ? m.mean[i][j] : null;
  for (const g of groupsOf(data.runs)) {
    const all = g.runs
      .map((r) => leagueMatrices(data.artifact(r.id, artifact), value))
      .filter((m) => m !== undefined);
    if (all.length === 0) continue;
    const { rows, cols } = all[0];
    const same = all.filter((h) => canonicalJson([h.rows, h.cols]) === canonicalJson([rows, cols]));
    const stats = [
      same.map((h) => h.row),
      same.map((h) => h.col),
      same.map((h) => h.rowSd),
      same.map((h) => h.colSd),
    ].map(matrixStats);
    const grid = (k: number) => rows.map((_, i) => cols.map((_, j) => meanOrNull(stats[k], i, j)));
    out.push({
      label: g.label,
      n: same.length,
      input: { rows, cols, row: grid(0), col: grid(1), rowSpread: grid(2), colSpread: grid(3) },
    });
  }
  return out;
}

/**
 * Bar rows for the final metric named `prefix` itself when runs have one (`bias`, whose `bias.sd` is its spread,
 * not another bar), else for every final metric `<prefix>.<item>`: group, item, mean, sd, lo, hi, n.
 */
export function metricBarRows(data: FigureData, prefix: string): MetricBarRow[] {
  const out: MetricBarRow[] = [];
  const exact = data.runs.some((r) => r.final[prefix] !== undefined);
  for (const g of groupsOf(data.runs)) {
    const names = exact
      ? [prefix]
      : [...new Set(g.runs.flatMap((r) => Object.keys(r.final)))].filter((m) => m.startsWith(`${prefix}.`));
    for (const name of names) {
      const values = g.runs.map((r) => r.final[name]).filter((v) => v !== undefined);
      if (values.length === 0) continue;
      const m = mean(values);
      const s = sd(values);
      out.push({
        group: g.label,
        item: exact ? (prefix.split(".").pop() as string) : name.slice(prefix.length + 1),
        mean: m,
        sd: s,
        lo: m - s,
        hi: m + s,
        n: values.length,
      });
    }
  }
  return out;
}

/** Sweep-curve rows: the final metric against parameter `x`, one series per remaining case/point. */
export function sweepCurveRows(data: FigureData, x: string, metric: string): SweepCurveRow[] {
  const out: SweepCurveRow[] = [];
  for (const g of groupsOf(data.runs)) {
    if (!(x in g.point)) continue;
    const rest = { ...g.point };
    delete rest[x];
    const values = g.runs.map((r) => r.final[metric]).filter((v) => v !== undefined);
    if (values.length === 0) continue;
    const m = mean(values);
    const s = sd(values);
    const xv = g.point[x];
    out.push({
      x: typeof xv === "number" || typeof xv === "string" ? xv : canonicalJson(xv),
      series: groupLabel(g.caseName, rest),
      mean: m,
      sd: s,
      lo: m - s,
      hi: m + s,
      n: values.length,
    });
  }
  return out;
}

/**
 * The least-squares exponent b of y ≈ a·x^b: the slope of log y against log x over the points with x, y > 0
 * (NaN with fewer than two distinct x).
 */
export function powerLawExponent(xs: readonly number[], ys: readonly number[]): number {
  const points = xs.map((x, i) => [x, ys[i]]).filter(([x, y]) => x > 0 && y > 0);
  const lx = points.map(([x]) => log(x));
  const ly = points.map(([, y]) => log(y));
  const mx = mean(lx);
  const my = mean(ly);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) * (lx[i] - mx);
  }
  return points.length >= 2 && sxx > 0 ? sxy / sxx : Number.NaN;
}

/**
 * Sweep-curve rows for log–log axes: each line's label gains its fitted exponent ("pairwise (∝ x^1.98)"), a
 * point that is not positive is dropped, and an error bar's lower end is kept positive.
 */
export function withPowerLawFits(rows: readonly SweepCurveRow[]): SweepCurveRow[] {
  const bySeries = new Map<string, SweepCurveRow[]>();
  for (const r of rows) {
    if (typeof r.x !== "number" || !(r.x > 0) || !(r.mean > 0)) continue;
    bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), r]);
  }
  const out: SweepCurveRow[] = [];
  for (const [series, points] of bySeries) {
    const b = powerLawExponent(
      points.map((p) => p.x as number),
      points.map((p) => p.mean),
    );
    const label = `${series} (∝ x^${Number.isFinite(b) ? b.toFixed(2) : "?"})`;
    for (const p of points) out.push({ ...p, series: label, exponent: b, lo: Math.max(p.lo, p.mean / 1000) });
  }
  return out;
}

/** Sweep-heatmap rows: the final metric on the (x, y) grid, one panel per remaining case/point. */
export function sweepHeatmapRows(data: FigureData, x: string, y: string, metric: string): SweepHeatmapRow[] {
  const out: SweepHeatmapRow[] = [];
  const key = (v: unknown) => (typeof v === "number" || typeof v === "string" ? v : canonicalJson(v));
  for (const g of groupsOf(data.runs)) {
    // An axis is a swept parameter or "case" (the case names, e.g. opponent-model fidelity levels).
    const at = (axis: string) => (axis === "case" ? g.caseName : g.point[axis]);
    if (at(x) === undefined || at(x) === null || at(y) === undefined || at(y) === null) continue;
    const rest = { ...g.point };
    delete rest[x];
    delete rest[y];
    const panel = x === "case" || y === "case" ? null : g.caseName;
    const values = g.runs.map((r) => r.final[metric]).filter((v) => v !== undefined);
    if (values.length === 0) continue;
    const m = mean(values);
    const s = sd(values);
    out.push({
      x: key(at(x)),
      y: key(at(y)),
      series: groupLabel(panel, rest),
      mean: m,
      sd: s,
      n: values.length,
      label: `${m.toFixed(2)} ± ${s.toFixed(2)}`,
    });
  }
  return out;
}

function figureName(f: FigureSpec, index: number): string {
  return f.name ?? `${f.type}-${index + 1}`;
}

/**
 * Frame-strip rows from the first run (lowest seed) that has the artifact: `{map, appleCells, focal, runs:
 * {label: frames[]}}` (kind commons-harvest's `episodes`), `frames` evenly spaced frames per shown label.
 */
function frameStripRows(data: FigureData, artifact: string, frames: number, show?: string[]) {
  const run = [...data.runs].sort((a, b) => a.seed - b.seed).find((r) => data.artifact(r.id, artifact));
  if (run === undefined) return undefined;
  const episode = data.artifact(run.id, artifact) as EpisodeLayout & { runs: Record<string, FrameLike[]> };
  const rows: FrameStripRow[] = [];
  for (const label of show ?? Object.keys(episode.runs)) {
    const recorded = episode.runs[label] ?? [];
    for (const t of stripFrames(recorded.length, frames)) {
      for (const tile of frameTiles(episode, recorded[t])) {
        rows.push({ group: label, step: t, row: tile.row, col: tile.col, tile: tile.tile });
      }
    }
  }
  if (rows.length === 0) return undefined;
  const shape = {
    height: episode.map.length,
    width: episode.map[0].length,
    tiles: TILE_KINDS,
    colours: TILE_KINDS.map((k) => TILE_COLOURS[k]),
  };
  return { rows, shape };
}

/** Builders for the learning-curve and P(C)-bar specs (from src/report), injected so they can be swapped. */
export interface SpecBuilders {
  learningCurve(rows: FigureRow[], options: { title: string; metric: string }): TopLevelSpec;
  pcBars(rows: FigureRow[], options: { title: string; agent: number }): TopLevelSpec;
}

/** Every figure the config asks for, with rows; figures without data (e.g. no runs yet) are left out. */
export function buildFigures(
  config: ExperimentConfig,
  data: FigureData,
  builders: SpecBuilders,
): BuiltFigure[] {
  const out: BuiltFigure[] = [];
  config.figures.forEach((f, index) => {
    const name = figureName(f, index);
    if (f.type === "learning-curve") {
      const rows = learningCurveRows(data, f.metric);
      const title = f.title ?? `${f.metric} during training (mean ± sd over seeds)`;
      if (rows.length)
        out.push({ name, title, rows, spec: builders.learningCurve(rows, { title, metric: f.metric }) });
    } else if (f.type === "pc-bars") {
      const rows = pcBarRows(data, f.agent, f.source);
      const title = f.title ?? `Agent ${f.agent}'s P(cooperate) per state (mean ± sd over seeds)`;
      if (rows.length)
        out.push({ name, title, rows, spec: builders.pcBars(rows, { title, agent: f.agent }) });
    } else if (f.type === "heatmap") {
      const inputs = heatmapInputs(data, f.artifact);
      for (const h of inputs) {
        const suffix = inputs.length > 1 ? `-${h.label.replace(/[^\w.-]+/g, "_")}` : "";
        const title = `${f.title ?? f.artifact}${inputs.length > 1 ? ` (${h.label})` : ""}${h.n > 1 ? `, mean over ${h.n} seeds` : ""}`;
        out.push({
          name: `${name}${suffix}`,
          title,
          rows: heatmapRows(h.input),
          spec: heatmapSpec(h.input, { title, withSpread: h.input.rowSpread !== undefined }),
        });
      }
    } else if (f.type === "league-matrix") {
      const inputs = leagueMatrixInputs(data, f.artifact, f.value);
      const what = f.value === "reward" ? "reward per step" : "own-coin fraction";
      for (const h of inputs) {
        const suffix = inputs.length > 1 ? `-${h.label.replace(/[^\w.-]+/g, "_")}` : "";
        const title = `${f.title ?? `Coin Game league: ${what}`}${inputs.length > 1 ? ` (${h.label})` : ""}${h.n > 1 ? `, mean over ${h.n} evaluation seeds` : ""}`;
        out.push({
          name: `${name}${suffix}`,
          title,
          rows: leagueMatrixRows(h.input),
          spec: leagueMatrixSpec(h.input, {
            title,
            valueTitle: what,
            domain: f.value === "ownCoin" ? [0, 1] : undefined,
          }),
        });
      }
    } else if (f.type === "bars") {
      const rows = metricBarRows(data, f.metric);
      const title = f.title ?? `${f.metric} (mean ± sd over seeds)`;
      if (rows.length)
        out.push({ name, title, rows, spec: metricBarsSpec(rows, { title, yTitle: f.metric }) });
    } else if (f.type === "frame-strip") {
      const strip = frameStripRows(data, f.artifact, f.frames, f.show);
      if (strip) {
        const title = f.title ?? `${f.artifact}: frames of one episode (first seed)`;
        out.push({
          name,
          title,
          rows: strip.rows,
          spec: frameStripSpec(strip.rows, { title, ...strip.shape }),
        });
      }
    } else if (f.type === "sweep-heatmap") {
      const rows = sweepHeatmapRows(data, f.x, f.y, f.metric);
      const title = f.title ?? `${f.metric} on ${f.x} × ${f.y}`;
      if (rows.length)
        out.push({
          name,
          title,
          rows,
          spec: sweepHeatmapSpec(rows, { title, xTitle: f.x, yTitle: f.y, metric: f.metric }),
        });
    } else {
      const curve = sweepCurveRows(data, f.x, f.metric);
      const rows = f.logLog ? withPowerLawFits(curve) : curve;
      const title = f.title ?? `${f.metric} against ${f.x}`;
      const scales = f.logLog ? { logX: true, logY: true } : {};
      if (rows.length)
        out.push({
          name,
          title,
          rows,
          spec: sweepCurveSpec(rows, { title, xTitle: f.x, yTitle: f.metric, ...scales }),
        });
    }
  });
  return out;
}
