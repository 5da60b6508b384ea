/**
 * Bars of a family of final metrics, mean over seeds with ± sd whiskers: one bar per metric (x), one colour per
 * case/point. Used for the catalyst measure (`catalyst.AA.<opponent>`: how much each opponent gains against the
 * shaper compared with a naive learner) and any other per-item metric. A zero line marks the sign.
 * Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them and writes the CSV.
 */
import type { TopLevelSpec } from "vega-lite";
import { whiskerBarsSpec } from "./whiskerBars.js";

export interface MetricBarRow {
  [column: string]: string | number | boolean | null;
  group: string;
  /** The metric name after the figure's prefix (e.g. the opponent's name). */
  item: string;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}

export function metricBarsSpec(
  rows: readonly MetricBarRow[],
  options: { title: string; yTitle: string; xTitle?: string; items?: string[] },
): TopLevelSpec {
  const groups = new Set(rows.map((r) => r.group)).size;
  return whiskerBarsSpec(rows, {
    title: options.title,
    xField: "item",
    xTitle: options.xTitle ?? null,
    xSort: options.items ?? null,
    xLabelAngle: -30,
    yTitle: options.yTitle,
    zeroLine: true,
    width: Math.max(300, 48 * new Set(rows.map((r) => r.item)).size * Math.max(1, groups)),
  });
}
