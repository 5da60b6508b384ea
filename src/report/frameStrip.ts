/**
 * A frame strip: a few frames of one recorded gridworld episode per group, side by side (columns = the step,
 * rows = the group), each frame a grid of coloured tiles. Used for Commons Harvest (src/envs/commons/frames.ts
 * makes the tiles). Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them.
 */
import type { TopLevelSpec } from "vega-lite";

export interface FrameStripRow {
  [column: string]: string | number | boolean | null;
  group: string;
  step: number;
  row: number;
  col: number;
  tile: string;
}

export function frameStripSpec(
  rows: readonly FrameStripRow[],
  options: {
    title: string;
    height: number;
    width: number;
    tiles: readonly string[];
    colours: readonly string[];
  },
): TopLevelSpec {
  const cell = 9;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    data: { values: rows as FrameStripRow[] },
    facet: {
      row: { field: "group", type: "nominal", title: null, sort: null },
      column: { field: "step", type: "ordinal", title: "step" },
    },
    spec: {
      width: options.width * cell,
      height: options.height * cell,
      mark: { type: "rect" },
      encoding: {
        x: { field: "col", type: "ordinal", axis: null, scale: { domain: range(options.width) } },
        y: { field: "row", type: "ordinal", axis: null, scale: { domain: range(options.height) } },
        color: {
          field: "tile",
          type: "nominal",
          title: null,
          scale: { domain: [...options.tiles], range: [...options.colours] },
        },
      },
    },
    config: { view: { stroke: "#e0e0e0" } },
  } as TopLevelSpec;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
