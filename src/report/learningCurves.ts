/**
 * Learning curves: a metric per update, mean over seeds as a line with a ±1 sd band, one colour per series.
 * Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them and writes the rows as CSV.
 * The row shape matches src/experiments/figures.ts `learningCurveRows`.
 */
import type { TopLevelSpec } from "vega-lite";
import { mean, sd } from "../util/stats.js";

export interface CurveRow {
  [column: string]: string | number | boolean | null;
  series: string;
  step: number;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}

/** Band rows for one series from values `[steps][seeds]`. */
export function curveRowsFromSeeds(values: readonly (readonly number[])[], series: string): CurveRow[] {
  return values.map((perSeed, step) => {
    const m = mean(perSeed);
    const d = sd(perSeed);
    return { series, step, mean: m, sd: d, lo: m - d, hi: m + d, n: perSeed.length };
  });
}

export function learningCurvesSpec(
  rows: readonly CurveRow[],
  options: { title: string; yTitle?: string; xTitle?: string; subtitle?: string },
): TopLevelSpec {
  const multiple = new Set(rows.map((r) => r.series)).size > 1;
  const color = multiple ? { field: "series", type: "nominal", title: null } : { value: "#4c78a8" };
  const x = { field: "step", type: "quantitative", title: options.xTitle ?? "update" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: options.subtitle ?? "mean over seeds, band ±1 sd" },
    width: 440,
    height: 260,
    data: { values: [] },
    encoding: { x, color },
    layer: [
      {
        mark: { type: "area", opacity: 0.2 },
        encoding: {
          y: { field: "lo", type: "quantitative", title: options.yTitle ?? "value" },
          y2: { field: "hi" },
        },
      },
      {
        mark: { type: "line" },
        encoding: {
          y: { field: "mean", type: "quantitative", scale: { zero: false } },
          tooltip: [
            { field: "series" },
            { field: "step" },
            { field: "mean", format: ".4f" },
            { field: "sd", format: ".4f" },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
