/**
 * The tit-for-tat figure (the AA paper's Fig. 1b): P(cooperate) per previous joint state (START, CC, CD, DC, DD,
 * own action first) as bars, mean over seeds, with ±1 sd whiskers; one colour per group (agent, case).
 * Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them and writes the rows as CSV.
 * The row shape matches src/experiments/figures.ts `pcBarRows`, so stored runs and the CLI share this builder.
 */
import type { TopLevelSpec } from "vega-lite";
import { STATE_LABELS } from "../games/game.js";
import { mean, sd } from "../util/stats.js";

export interface PcBarRow {
  [column: string]: string | number | boolean | null;
  group: string;
  /** Own-view previous joint state: start, CC, CD, DC, DD. */
  state: string;
  mean: number;
  sd: number;
  /** mean − sd and mean + sd, clipped to [0, 1]. */
  lo: number;
  hi: number;
  /** Seeds behind the bar (seeds where the state was never visited are left out). */
  n: number;
}

/** Rows for one group from per-seed P(C) vectors `[seeds][5]` (null = state not visited in that seed). */
export function pcBarRowsFromSeeds(
  perSeed: readonly (readonly (number | null)[])[],
  group: string,
): PcBarRow[] {
  const rows: PcBarRow[] = [];
  STATE_LABELS.forEach((state, s) => {
    const values = perSeed.map((p) => p[s]).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length === 0) return;
    const m = mean(values);
    const d = sd(values);
    rows.push({
      group,
      state: state === "start" ? "START" : state,
      mean: m,
      sd: d,
      lo: Math.max(0, m - d),
      hi: Math.min(1, m + d),
      n: values.length,
    });
  });
  return rows;
}

export function pcBarsSpec(
  rows: readonly PcBarRow[],
  options: { title: string; subtitle?: string },
): TopLevelSpec {
  const groups = new Set(rows.map((r) => r.group)).size;
  const stateOrder = ["START", "start", "CC", "CD", "DC", "DD"];
  const x = {
    field: "state",
    type: "nominal",
    sort: stateOrder,
    title: "previous joint state (own action first)",
    axis: { labelAngle: 0 },
  };
  const xOffset = groups > 1 ? { xOffset: { field: "group", type: "nominal" } } : {};
  const color = groups > 1 ? { field: "group", type: "nominal", title: null } : { value: "#4c78a8" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: options.subtitle ?? "mean over seeds, whiskers ±1 sd" },
    width: 380,
    height: 240,
    data: { values: [] },
    encoding: { x, ...xOffset },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title: "P(cooperate)", scale: { domain: [0, 1] } },
          color,
          tooltip: [
            { field: "group" },
            { field: "state" },
            { field: "mean", format: ".3f" },
            { field: "sd", format: ".3f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
      {
        mark: { type: "rule", color: "black" },
        encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        mark: { type: "tick", color: "black", thickness: 1, size: 8 },
        encoding: { y: { field: "lo", type: "quantitative" } },
      },
      {
        mark: { type: "tick", color: "black", thickness: 1, size: 8 },
        encoding: { y: { field: "hi", type: "quantitative" } },
      },
    ],
  } as TopLevelSpec;
}
