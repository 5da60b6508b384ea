/**
 * Bars of a family of final metrics, mean over seeds with ± sd whiskers: one bar per metric (x), one colour per
 * case/point. Used for the catalyst measure (`catalyst.AA.<opponent>`: how much each opponent gains against the
 * shaper compared with a naive learner) and any other per-item metric. A zero line marks the sign.
 * Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them and writes the CSV.
 */
import type { TopLevelSpec } from "vega-lite";

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
  const x = {
    field: "item",
    type: "nominal",
    sort: options.items ?? null,
    title: options.xTitle ?? null,
    axis: { labelAngle: -30 },
  };
  const xOffset = groups > 1 ? { xOffset: { field: "group", type: "nominal" } } : {};
  const color = groups > 1 ? { field: "group", type: "nominal", title: null } : { value: "#4c78a8" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "mean over seeds, whiskers ±1 sd" },
    width: Math.max(300, 48 * new Set(rows.map((r) => r.item)).size * Math.max(1, groups)),
    height: 240,
    data: { values: [] },
    encoding: { x, ...xOffset },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title: options.yTitle },
          color,
          tooltip: [
            { field: "group" },
            { field: "item" },
            { field: "mean", format: ".3f" },
            { field: "sd", format: ".3f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
      {
        mark: { type: "errorbar", ticks: true, color: "black" },
        encoding: { y: { field: "lo", type: "quantitative", title: options.yTitle }, y2: { field: "hi" } },
      },
      { mark: { type: "rule", color: "#555" }, encoding: { y: { datum: 0 } } },
    ],
  } as TopLevelSpec;
}
