/**
 * The one bar-chart builder behind the P(C)-per-state figure (pcBars.ts) and the metric-family bars
 * (metricBars.ts): bars of `mean` per category on x, ±1 sd whiskers from `lo` to `hi`, one colour (and x offset)
 * per `group` when there are several groups. Rows carry `group`, the x field, `mean`, `sd`, `lo`, `hi`, `n`.
 */
import type { TopLevelSpec } from "vega-lite";

export interface WhiskerBarOptions {
  title: string;
  subtitle?: string;
  /** The row field on the x axis (e.g. "state", "item"). */
  xField: string;
  xTitle: string | null;
  /** Category order on x; null keeps the rows' order. */
  xSort: readonly string[] | null;
  xLabelAngle: number;
  yTitle: string;
  /** Fixed y domain, e.g. [0, 1] for probabilities. */
  yDomain?: [number, number];
  /** Draw a rule at y = 0 (for signed measures). */
  zeroLine?: boolean;
  width: number;
}

export function whiskerBarsSpec(
  rows: readonly { group: string; [column: string]: unknown }[],
  options: WhiskerBarOptions,
): TopLevelSpec {
  const groups = new Set(rows.map((r) => r.group)).size;
  const x = {
    field: options.xField,
    type: "nominal",
    sort: options.xSort,
    title: options.xTitle,
    axis: { labelAngle: options.xLabelAngle },
  };
  const xOffset = groups > 1 ? { xOffset: { field: "group", type: "nominal" } } : {};
  const color = groups > 1 ? { field: "group", type: "nominal", title: null } : { value: "#4c78a8" };
  const scale = options.yDomain ? { scale: { domain: options.yDomain } } : {};
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: options.title, subtitle: options.subtitle ?? "mean over seeds, whiskers ±1 sd" },
    width: options.width,
    height: 240,
    data: { values: [] },
    encoding: { x, ...xOffset },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: "mean", type: "quantitative", title: options.yTitle, ...scale },
          color,
          tooltip: [
            { field: "group" },
            { field: options.xField },
            { field: "mean", format: ".3f" },
            { field: "sd", format: ".3f" },
            { field: "n", title: "seeds" },
          ],
        },
      },
      // Whiskers as a rule plus two short ticks: unlike the errorbar mark, these respect the group's xOffset.
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
      ...(options.zeroLine ? [{ mark: { type: "rule", color: "#555" }, encoding: { y: { datum: 0 } } }] : []),
    ],
  } as TopLevelSpec;
}
