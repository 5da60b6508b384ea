/**
 * Population dynamics as a stacked area chart: the count (Moran process) or share (replicator dynamics) of each
 * type after every step, the figure Axelrod's `MoranProcess.populations_plot` draws (a stackplot of counts per
 * type against the step). Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them
 * and writes the rows as CSV.
 */
import type { TopLevelSpec } from "vega-lite";

export interface PopulationRow {
  [column: string]: string | number | boolean | null;
  step: number;
  type: string;
  /** The type's order in `types`, so the stack keeps the given order. */
  order: number;
  value: number;
}

/** One row per (step, type) from `populations[step][type]` (counts or shares, in `types` order). */
export function populationRows(
  types: readonly string[],
  populations: readonly (readonly number[])[],
): PopulationRow[] {
  const rows: PopulationRow[] = [];
  populations.forEach((counts, step) => {
    types.forEach((type, order) => {
      rows.push({ step, type, order, value: counts[order] });
    });
  });
  return rows;
}

export function populationSpec(options: { title: string; yTitle: string; subtitle?: string }): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.subtitle ? { text: options.title, subtitle: options.subtitle } : { text: options.title },
    width: 440,
    height: 260,
    data: { values: [] },
    mark: { type: "area", interpolate: "step-after" },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step", scale: { nice: false } },
      y: { field: "value", type: "quantitative", stack: "zero", title: options.yTitle },
      color: { field: "type", type: "nominal", title: null, sort: { field: "order" } },
      order: { field: "order", type: "quantitative" },
      tooltip: [{ field: "step" }, { field: "type" }, { field: "value", format: ".4~f" }],
    },
  } as TopLevelSpec;
}
