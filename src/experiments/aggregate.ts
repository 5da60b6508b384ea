/**
 * Summaries over seeds: runs are grouped by their parameter point (case + sweep values), and each final metric
 * becomes mean ± sd over the group's seeds; time series become mean ± sd per step. The report, `shapelab run`'s
 * table, `runs compare` and the headline numbers beside published values all read these.
 */
import { mean, sd, summarize, type Summary } from "../util/stats.js";
import { canonicalJson, gridPoints } from "./plan.js";
import type { ExperimentConfig, Reproduction } from "./types.js";

/** The part of a stored run the summaries need. */
export interface RunRecord {
  caseName: string | null;
  point: Record<string, unknown>;
  seed: number;
  final: Record<string, number>;
}

export interface GroupSummary {
  /** `case` and sweep values, e.g. `LOLA-LOLA` or `LOLA-LOLA beta=0.5`. */
  label: string;
  caseName: string | null;
  point: Record<string, unknown>;
  n: number;
  final: Record<string, Summary>;
}

function shortPath(path: string): string {
  const parts = path.split(".");
  return parts[parts.length - 1];
}

function formatValue(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : canonicalJson(value);
}

export function groupLabel(caseName: string | null, point: Record<string, unknown>): string {
  const parts = Object.entries(point).map(([k, v]) => `${shortPath(k)}=${formatValue(v)}`);
  if (caseName) parts.unshift(caseName);
  return parts.join(" ") || "all";
}

/** Runs grouped by (case, point), in order of first appearance; each group's final metrics summarised. */
export function summarizeGroups(
  _config: ExperimentConfig | null,
  runs: readonly RunRecord[],
): GroupSummary[] {
  const groups = new Map<
    string,
    { caseName: string | null; point: Record<string, unknown>; runs: RunRecord[] }
  >();
  for (const run of runs) {
    const id = canonicalJson([run.caseName, run.point]);
    let g = groups.get(id);
    if (!g) {
      g = { caseName: run.caseName, point: run.point, runs: [] };
      groups.set(id, g);
    }
    g.runs.push(run);
  }
  return [...groups.values()].map((g) => {
    const names = [...new Set(g.runs.flatMap((r) => Object.keys(r.final)))];
    const final: Record<string, Summary> = {};
    for (const name of names) {
      const values = g.runs.map((r) => r.final[name]).filter((v) => v !== undefined);
      final[name] = summarize(values);
    }
    return {
      label: groupLabel(g.caseName, g.point),
      caseName: g.caseName,
      point: g.point,
      n: g.runs.length,
      final,
    };
  });
}

export interface SeriesPoint {
  group: string;
  step: number;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean ± sd per step of one series metric over the runs of each group. `series(run)` returns that run's
 * `{step, value}` rows for the metric.
 */
export function seriesBands(
  groups: { label: string; runs: { step: number; value: number }[][] }[],
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const g of groups) {
    const byStep = new Map<number, number[]>();
    for (const rows of g.runs) {
      for (const { step, value } of rows) {
        let list = byStep.get(step);
        if (!list) byStep.set(step, (list = []));
        list.push(value);
      }
    }
    for (const [step, values] of [...byStep.entries()].sort((a, b) => a[0] - b[0])) {
      const m = mean(values);
      const s = sd(values);
      out.push({ group: g.label, step, mean: m, sd: s, lo: m - s, hi: m + s, n: values.length });
    }
  }
  return out;
}

export interface Headline {
  metric: string;
  case: string | null;
  at: Record<string, unknown> | null;
  ours: number;
  sd: number;
  n: number;
  /** Seed-based 95 % interval of our mean, mean ± 1.96·sd/√n. */
  interval: [number, number];
  published: number;
  tolerance: number | null;
  /** null when no tolerance is stated. */
  pass: boolean | null;
  source: string;
  note: string | null;
}

/**
 * Our number beside each published one the config states (`reproduces`), like with like: a reproduction without
 * `at` in a config with a sweep is compared at every sweep point separately (one headline per point, its `at`
 * filled in), never pooled over points. `interval` is the seed-based 95 % interval of our mean,
 * mean ± 1.96·sd/√n (normal approximation), so a reader sees whether the published value lies inside our spread.
 */
export function headlines(config: ExperimentConfig, runs: readonly RunRecord[]): Headline[] {
  const points = gridPoints(config.sweep);
  return config.reproduces.flatMap((r: Reproduction) => {
    const given = r.at ?? {};
    const matches = (point: Record<string, unknown>) =>
      Object.entries(given).every(([k, v]) => canonicalJson(point[k]) === canonicalJson(v));
    const ats = config.sweep ? points.filter(matches) : [given];
    return ats.map((at) => headline(r, at, runs));
  });
}

function headline(r: Reproduction, at: Record<string, unknown>, runs: readonly RunRecord[]): Headline {
  const values = runs
    .filter((run) => r.case === undefined || run.caseName === r.case)
    .filter((run) => Object.entries(at).every(([k, v]) => canonicalJson(run.point[k]) === canonicalJson(v)))
    .map((run) => run.final[r.metric])
    .filter((v) => v !== undefined);
  const ours = mean(values);
  const spread = sd(values);
  const half = values.length > 0 ? (1.96 * spread) / Math.sqrt(values.length) : Number.NaN;
  const tolerance = r.tolerance ?? null;
  return {
    metric: r.metric,
    case: r.case ?? null,
    at: Object.keys(at).length > 0 ? at : null,
    ours,
    sd: spread,
    n: values.length,
    interval: [ours - half, ours + half],
    published: r.published,
    tolerance,
    pass: tolerance === null || values.length === 0 ? null : Math.abs(ours - r.published) <= tolerance,
    source: r.source,
    note: r.note ?? null,
  };
}
