/**
 * The spec builders experiment reports use, adapted from the shared ones: learning curves
 * (src/report/learningCurves.ts, mean line with ± sd band) and P(C)-per-state bars (src/report/pcBars.ts, the
 * AA paper's tit-for-tat figure style). Rows come from src/experiments/figures.ts, whose row shapes both accept.
 */
import type { TopLevelSpec } from "vega-lite";
import { type CurveRow, learningCurvesSpec } from "./learningCurves.js";
import { type PcBarRow, pcBarsSpec } from "./pcBars.js";

type Rows = Record<string, string | number | boolean | null>[];

/** The builders `buildFigures` (src/experiments/figures.ts) takes. */
export const EXPERIMENT_SPEC_BUILDERS = {
  learningCurve(rows: Rows, options: { title: string; metric: string }): TopLevelSpec {
    return learningCurvesSpec(rows as CurveRow[], { title: options.title, yTitle: options.metric });
  },
  pcBars(rows: Rows, options: { title: string; agent: number }): TopLevelSpec {
    return pcBarsSpec(rows as PcBarRow[], { title: options.title });
  },
};
