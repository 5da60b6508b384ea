/**
 * The spec builders experiment reports use for learning curves (mean ± sd band per series over steps) and for
 * P(C)-per-state bars (mean with ± sd whiskers, one colour per case). Rows come from src/experiments/figures.ts:
 *   learning curve  {series, step, mean, sd, lo, hi, n}
 *   P(C) bars       {group, state, mean, sd, lo, hi, n}
 */
import type { TopLevelSpec } from "vega-lite";
import { STATE_LABELS } from "../games/game.js";

type Rows = Record<string, string | number | boolean | null>[];

export function learningCurveBandSpec(rows: Rows, options: { title: string; metric: string }): TopLevelSpec {
  const several = new Set(rows.map((r) => r.series)).size > 1;
  const color = several ? { field: "series", type: "nominal", title: null } : { value: "#1f77b4" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "line: mean over seeds; band: ± 1 sd" },
    width: 480,
    height: 260,
    data: { values: [] },
    encoding: { x: { field: "step", type: "quantitative", title: "update" }, color },
    layer: [
      {
        mark: { type: "area", opacity: 0.2 },
        encoding: { y: { field: "lo", type: "quantitative", title: options.metric }, y2: { field: "hi" } },
      },
      {
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          y: { field: "mean", type: "quantitative", title: options.metric, scale: { zero: false } },
          tooltip: [
            { field: "series" },
            { field: "step" },
            { field: "mean", format: ".4f" },
            { field: "sd", format: ".4f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
    ],
    config: { axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}

export function pcBarsSpec(rows: Rows, options: { title: string; agent: number }): TopLevelSpec {
  const several = new Set(rows.map((r) => r.group)).size > 1;
  const x = {
    field: "state",
    type: "nominal",
    sort: [...STATE_LABELS],
    title: "previous joint state (own action first)",
    axis: { labelAngle: 0 },
  };
  const offset = several ? { xOffset: { field: "group", type: "nominal" } } : {};
  const color = several ? { field: "group", type: "nominal", title: null } : { value: "#4c78a8" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: "bar: mean over seeds; whisker: ± 1 sd (clipped to [0, 1])" },
    width: several ? 520 : 360,
    height: 240,
    data: { values: [] },
    encoding: { x, ...offset },
    layer: [
      {
        mark: "bar",
        encoding: {
          y: {
            field: "mean",
            type: "quantitative",
            title: `agent ${options.agent}: P(cooperate)`,
            scale: { domain: [0, 1] },
          },
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
        mark: { type: "errorbar", ticks: true, color: "black" },
        encoding: {
          y: { field: "lo", type: "quantitative", title: `agent ${options.agent}: P(cooperate)` },
          y2: { field: "hi" },
        },
      },
    ],
    config: { axis: { labelFontSize: 11, titleFontSize: 12 } },
  } as TopLevelSpec;
}

/** The builders `buildFigures` (src/experiments/figures.ts) takes. */
export const EXPERIMENT_SPEC_BUILDERS = { learningCurve: learningCurveBandSpec, pcBars: pcBarsSpec };
