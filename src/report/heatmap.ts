/**
 * Heatmap of a tournament's payoff matrix or a learners' cross-play matrix, in the style of the Advantage
 * Alignment paper's tournament figure (Duque et al. 2024, fig. "tournament"): one cell per (row, column) pair,
 * coloured by the row player's reward, and labelled "row / column" with both players' rewards (± spread when
 * given). Isomorphic: builds rows and a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders the files.
 */
import type { TopLevelSpec } from "vega-lite";
import { fixed } from "../util/format.js";

export type HeatmapRow = Record<string, string | number | boolean | null>;

export interface HeatmapInput {
  /** Row player names (top to bottom) and column player names (left to right). */
  rows: string[];
  cols: string[];
  /** rowReward[i][j]: reward of row player i against column player j (per step). */
  rowReward: number[][];
  /** colReward[i][j]: reward of column player j against row player i. */
  colReward: number[][];
  /** Optional spreads (e.g. sd over seeds) of the two rewards. */
  rowSpread?: number[][];
  colSpread?: number[][];
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? fixed(x, digits) : "–";
}

/** One data row per cell: row, col, rowReward, colReward (and spreads), label "r / c". */
export function heatmapRows(input: HeatmapInput, digits = 2): HeatmapRow[] {
  const out: HeatmapRow[] = [];
  input.rows.forEach((row, i) => {
    input.cols.forEach((col, j) => {
      const r = input.rowReward[i][j];
      const c = input.colReward[i][j];
      const rs = input.rowSpread?.[i][j];
      const cs = input.colSpread?.[i][j];
      const cell: HeatmapRow = {
        row,
        col,
        rowReward: r,
        colReward: c,
        label: `${fmt(r, digits)} / ${fmt(c, digits)}`,
      };
      if (rs !== undefined && cs !== undefined) {
        cell.rowSpread = rs;
        cell.colSpread = cs;
        cell.spreadLabel = `±${fmt(rs, digits)} / ±${fmt(cs, digits)}`;
      }
      out.push(cell);
    });
  });
  return out;
}

/** Tournament payoff matrix as heatmap input: row i vs column j shows (A_ij, A_ji). */
export function payoffMatrixHeatmap(
  names: string[],
  payoffMatrix: number[][],
  stddevs?: number[][],
): HeatmapInput {
  const transpose = (m: number[][]) => m.map((_, i) => m.map((row) => row[i]));
  return {
    rows: names,
    cols: names,
    rowReward: payoffMatrix,
    colReward: transpose(payoffMatrix),
    rowSpread: stddevs,
    colSpread: stddevs ? transpose(stddevs) : undefined,
  };
}

/** The Vega-Lite spec; data is supplied by `writeFigure` (the rows above). */
export function heatmapSpec(
  input: HeatmapInput,
  options: { title: string; rowTitle?: string; colTitle?: string; colorTitle?: string; withSpread?: boolean },
): TopLevelSpec {
  const cell = Math.max(46, Math.min(90, 900 / Math.max(input.cols.length, 1)));
  const x = {
    field: "col",
    type: "nominal",
    sort: input.cols,
    title: options.colTitle ?? "column player",
    axis: { labelAngle: -40, labelLimit: 240 },
  };
  const y = {
    field: "row",
    type: "nominal",
    sort: input.rows,
    title: options.rowTitle ?? "row player",
    axis: { labelLimit: 240 },
  };
  const textLayer = (field: string, dy: number, size: number) => ({
    mark: { type: "text", fontSize: size, dy },
    encoding: {
      x,
      y,
      text: { field, type: "nominal" },
      color: { condition: { test: "datum.rowNorm > 0.55", value: "black" }, value: "white" },
    },
  });
  const layers: object[] = [
    {
      mark: "rect",
      encoding: {
        x,
        y,
        color: {
          field: "rowReward",
          type: "quantitative",
          title: options.colorTitle ?? "row's reward",
          scale: { scheme: "viridis" },
        },
        tooltip: [
          { field: "row", title: "row" },
          { field: "col", title: "column" },
          { field: "rowReward", title: "row reward", format: ".3f" },
          { field: "colReward", title: "column reward", format: ".3f" },
        ],
      },
    },
    textLayer("label", options.withSpread ? -6 : 0, 10),
  ];
  if (options.withSpread) layers.push(textLayer("spreadLabel", 8, 8));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "cell: row player's reward / column player's reward (per step)" },
    width: cell * input.cols.length,
    height: cell * input.rows.length,
    data: { values: [] },
    transform: [
      {
        joinaggregate: [
          { op: "min", field: "rowReward", as: "lo" },
          { op: "max", field: "rowReward", as: "hi" },
        ],
      },
      {
        calculate: "datum.hi > datum.lo ? (datum.rowReward - datum.lo) / (datum.hi - datum.lo) : 0.5",
        as: "rowNorm",
      },
    ],
    layer: layers,
    config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}
