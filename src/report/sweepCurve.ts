/**
 * Parameter-sweep curve: a final metric (mean ± sd over seeds) against one swept parameter (e.g. agent 1's
 * reward against β), one line per series (case, or the other swept parameters). Points with error bars, joined
 * by a line; a categorical parameter gets a categorical axis. Isomorphic: rows + a Vega-Lite spec; `writeFigure`
 * (src/node/figures.ts) renders the files and writes the rows as CSV.
 */
import type { TopLevelSpec } from "vega-lite";

export interface SweepCurveRow {
  [column: string]: string | number | boolean | null;
  /** Value of the swept parameter. */
  x: number | string;
  /** Which line the point belongs to (case and other swept parameters; "all" when there is one line). */
  series: string;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  /** Number of seeds behind the point. */
  n: number;
}

export interface SweepCurveOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Log scale for the parameter axis (positive numeric values only). */
  logX?: boolean;
  /** Log scale for the metric axis (positive values only). */
  logY?: boolean;
}

export function sweepCurveSpec(rows: readonly SweepCurveRow[], options: SweepCurveOptions): TopLevelSpec {
  const numeric = rows.every((r) => typeof r.x === "number");
  const x = numeric
    ? {
        field: "x",
        type: "quantitative",
        title: options.xTitle,
        scale: options.logX ? { type: "log" } : { zero: false },
      }
    : { field: "x", type: "ordinal", title: options.xTitle, sort: null };
  const multiple = new Set(rows.map((r) => r.series)).size > 1;
  const color = multiple
    ? { field: "series", type: "nominal", title: null, legend: { labelLimit: 320 } }
    : { value: "#1f77b4" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "mean ± sd over seeds" },
    width: 420,
    height: 260,
    data: { values: [] },
    encoding: { x, color },
    layer: [
      {
        mark: { type: "line", point: { filled: true, size: 40 } },
        encoding: {
          y: {
            field: "mean",
            type: "quantitative",
            title: options.yTitle,
            scale: options.logY ? { type: "log" } : { zero: false },
          },
          tooltip: [
            { field: "series", title: "series" },
            { field: "x", title: options.xTitle },
            { field: "mean", title: "mean", format: ".4f" },
            { field: "sd", title: "sd", format: ".4f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
      {
        mark: { type: "errorbar", ticks: true },
        encoding: {
          y: {
            field: "lo",
            type: "quantitative",
            title: options.yTitle,
            ...(options.logY ? { scale: { type: "log" } } : {}),
          },
          y2: { field: "hi" },
        },
      },
    ],
    config: { axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}
