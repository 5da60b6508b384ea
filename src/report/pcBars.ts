/**
 * The tit-for-tat figure (the AA paper's Fig. 1b): P(cooperate) per previous joint state (START, CC, CD, DC, DD,
 * own action first) as bars, mean over seeds, with ±1 sd whiskers; one colour per group (agent, case).
 * Isomorphic: rows + a Vega-Lite spec; `writeFigure` (src/node/figures.ts) renders them and writes the rows as CSV.
 * The row shape matches src/experiments/figures.ts `pcBarRows`, so stored runs and the CLI share this builder.
 */
import type { TopLevelSpec } from "vega-lite";
import { STATE_LABELS } from "../games/game.js";
import { mean, sd } from "../util/stats.js";
import { whiskerBarsSpec } from "./whiskerBars.js";

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
  return whiskerBarsSpec(rows, {
    title: options.title,
    subtitle: options.subtitle,
    xField: "state",
    xTitle: "previous joint state (own action first)",
    xSort: ["START", "start", "CC", "CD", "DC", "DD"],
    xLabelAngle: 0,
    yTitle: "P(cooperate)",
    yDomain: [0, 1],
    width: 380,
  });
}
