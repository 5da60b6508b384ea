/**
 * The Coin Game league drawn as the Advantage Alignment paper draws it (Duque et al., ICLR 2025, the league
 * figure): one square per (row player, column player), split along its diagonal; the bottom-left triangle holds
 * the row player's value and the top-right triangle the column player's (its opponent's), each coloured on one
 * shared scale and labelled with its number (± the spread over training seeds when given). Isomorphic: rows and
 * a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them.
 */
import type { TopLevelSpec } from "vega-lite";
import { fixed } from "../util/format.js";

export type LeagueMatrixRow = Record<string, string | number | boolean | null>;

export interface LeagueMatrixInput {
  rows: string[];
  cols: string[];
  /** row[i][j]: row player i's value against column player j; col[i][j]: column player j's in those games. */
  row: (number | null)[][];
  col: (number | null)[][];
  rowSpread?: (number | null)[][];
  colSpread?: (number | null)[][];
}

/** Triangles in Vega's symbol box (−1…1, y down): the lower-left and the upper-right half of the square. */
const LOWER_LEFT = "M -1 -1 L -1 1 L 1 1 Z";
const UPPER_RIGHT = "M -1 -1 L 1 -1 L 1 1 Z";

function label(v: number | null, spread: number | null | undefined, digits: number): string {
  if (v === null || !Number.isFinite(v)) return "";
  const s =
    spread === null || spread === undefined || !Number.isFinite(spread) ? "" : `±${fixed(spread, digits)}`;
  return `${fixed(v, digits)}${s ? `\n${s}` : ""}`;
}

/** One data row per cell: row, col, rowValue, colValue (null when absent), their labels and spreads. */
export function leagueMatrixRows(input: LeagueMatrixInput, digits = 2): LeagueMatrixRow[] {
  const out: LeagueMatrixRow[] = [];
  input.rows.forEach((row, i) => {
    input.cols.forEach((col, j) => {
      const r = input.row[i][j];
      const c = input.col[i][j];
      out.push({
        row,
        col,
        rowValue: r,
        colValue: c,
        rowSpread: input.rowSpread?.[i][j] ?? null,
        colSpread: input.colSpread?.[i][j] ?? null,
        rowLabel: label(r, input.rowSpread?.[i][j], digits),
        colLabel: label(c, input.colSpread?.[i][j], digits),
      });
    });
  });
  return out;
}

/** The spec; the data (the rows above) is supplied by `writeFigure`. */
export function leagueMatrixSpec(
  input: LeagueMatrixInput,
  options: { title: string; valueTitle: string; subtitle?: string; domain?: [number, number] },
): TopLevelSpec {
  const cell = Math.max(56, Math.min(96, 900 / Math.max(input.cols.length, 1)));
  const x = {
    field: "col",
    type: "nominal",
    sort: input.cols,
    title: "opponent (column)",
    scale: { type: "band", paddingInner: 0.04 },
    bandPosition: 0.5,
    axis: { labelAngle: -35, labelLimit: 240, orient: "top" },
  };
  const y = {
    field: "row",
    type: "nominal",
    sort: input.rows,
    title: "player (row)",
    scale: { type: "band", paddingInner: 0.04 },
    bandPosition: 0.5,
    axis: { labelLimit: 240 },
  };
  const color = (field: string) => ({
    field,
    type: "quantitative",
    title: options.valueTitle,
    scale: { scheme: "redyellowgreen", ...(options.domain ? { domain: options.domain } : {}) },
  });
  const triangle = (field: string, shape: string, who: string) => ({
    transform: [{ filter: `isValid(datum.${field})` }],
    mark: { type: "point", shape, filled: true, size: cell * cell, opacity: 1, strokeWidth: 0 },
    encoding: {
      x,
      y,
      color: color(field),
      tooltip: [
        { field: "row", title: "row" },
        { field: "col", title: "column" },
        { field, title: who, format: ".3f" },
      ],
    },
  });
  const text = (field: string, dx: number, dy: number) => ({
    mark: { type: "text", fontSize: 10, dx, dy, lineBreak: "\n", color: "black" },
    encoding: { x, y, text: { field, type: "nominal" } },
  });
  const offset = cell / 4.5;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: options.title,
      subtitle:
        options.subtitle ??
        "each square: the row player's value bottom-left, its opponent's (the column's) top-right",
    },
    width: cell * input.cols.length,
    height: cell * input.rows.length,
    data: { values: [] },
    layer: [
      triangle("rowValue", LOWER_LEFT, "row player"),
      triangle("colValue", UPPER_RIGHT, "column player"),
      text("rowLabel", -offset, offset - 4),
      text("colLabel", offset, -offset - 4),
    ],
    config: { view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12, grid: false } },
  } as TopLevelSpec;
}
