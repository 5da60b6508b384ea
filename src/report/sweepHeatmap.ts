/**
 * Two-parameter sweep heatmap: a final metric (mean over seeds, sd in the label) on a grid of two swept parameters
 * (e.g. agent 1's η against the opponent-model fidelity n), one panel per remaining case/point. What the safety
 * experiments (issue 14: `asymmetry`) plot. Isomorphic: rows + a Vega-Lite spec; `writeFigure` renders them.
 */
import type { TopLevelSpec } from "vega-lite";

export interface SweepHeatmapRow {
  [column: string]: string | number | boolean | null;
  x: number | string;
  y: number | string;
  /** The panel (case and other swept parameters; "all" when there is one). */
  series: string;
  mean: number;
  sd: number;
  n: number;
  /** "mean ± sd", rounded for people (the mean and sd columns are lossless). */
  label: string;
}

export function sweepHeatmapSpec(
  rows: readonly SweepHeatmapRow[],
  options: { title: string; xTitle: string; yTitle: string; metric: string },
): TopLevelSpec {
  const sortOf = (key: "x" | "y") =>
    // Numbers in numeric order, then names (e.g. fidelity 1, 4, 16, then "exact").
    [...new Set(rows.map((r) => r[key]))].sort((a, b) =>
      typeof a === "number" && typeof b === "number"
        ? a - b
        : typeof a === "number"
          ? -1
          : typeof b === "number"
            ? 1
            : String(a).localeCompare(String(b)),
    );
  const x = { field: "x", type: "ordinal", title: options.xTitle, sort: sortOf("x") };
  const y = { field: "y", type: "ordinal", title: options.yTitle, sort: sortOf("y").reverse() };
  const panels = new Set(rows.map((r) => r.series)).size;
  // A signed metric (an index, a gap) gets a diverging scale centred on 0; a one-signed one (rewards) viridis.
  const means = rows.map((r) => r.mean).filter(Number.isFinite);
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const extent = Math.max(Math.abs(lo), Math.abs(hi));
  const scale = lo < 0 && hi > 0 ? { scheme: "redblue", domain: [-extent, extent] } : { scheme: "viridis" };
  const body = {
    width: 60 * new Set(rows.map((r) => r.x)).size,
    height: 40 * new Set(rows.map((r) => r.y)).size,
    layer: [
      {
        mark: "rect",
        encoding: {
          x,
          y,
          color: {
            field: "mean",
            type: "quantitative",
            title: options.metric,
            scale,
          },
          tooltip: [
            { field: "series", title: "panel" },
            { field: "x", title: options.xTitle },
            { field: "y", title: options.yTitle },
            { field: "mean", title: "mean", format: ".4f" },
            { field: "sd", title: "sd", format: ".4f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
      { mark: { type: "text", fontSize: 9 }, encoding: { x, y, text: { field: "label", type: "nominal" } } },
    ],
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "cell: mean ± sd over seeds" },
    data: { values: [] },
    ...(panels > 1
      ? { facet: { field: "series", type: "nominal", title: null }, columns: 2, spec: body }
      : body),
    config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}
