/**
 * The explorer's two kinds of chart, shared by its pages: curves over updates (mean line and a ±sd band per
 * series) and bars of P(cooperate) per own-view state (mean and a ±sd whisker per agent). Non-finite values are
 * skipped (src: ./svg.ts), so a chart never shows a NaN.
 */
import { STATE_LABELS } from "../src/games/game.js";
import { bandPath, el, frame, linePath } from "./svg.js";

export const AGENT_COLORS = ["#1f6fb4", "#e07b12"] as const;
export const SERIES_COLORS = ["#1f6fb4", "#e07b12", "#2a9d4b", "#b5302a"] as const;

export interface CurveSeries {
  mean: readonly number[];
  /** A ±sd band; omitted: the line alone. */
  sd?: readonly number[];
  color: string;
  label: string;
}

export interface Stat {
  mean: number;
  sd: number;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : "–");

/** Curves against the update index 0..n−1; the y range fits the bands unless `yDomain` is given. */
export function drawCurves(
  container: Element,
  series: readonly CurveSeries[],
  labels: { xLabel: string; yLabel: string; yDomain?: [number, number]; width?: number },
): void {
  const n = Math.max(1, ...series.map((s) => s.mean.length));
  const xs = Array.from({ length: n }, (_, t) => t);
  const bands = series.map((s) => {
    const sd = s.sd ?? s.mean.map(() => 0);
    return { lower: s.mean.map((v, t) => v - sd[t]), upper: s.mean.map((v, t) => v + sd[t]) };
  });
  let yDomain = labels.yDomain;
  if (!yDomain) {
    const finite = bands.flatMap((b) => [...b.lower, ...b.upper]).filter(Number.isFinite);
    let lo = finite.length ? Math.min(...finite) : -1;
    let hi = finite.length ? Math.max(...finite) : 1;
    if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
    yDomain = [lo, hi];
  }
  const f = frame(container, {
    width: labels.width ?? 560,
    height: 300,
    xDomain: [0, Math.max(1, n - 1)],
    yDomain,
    xLabel: labels.xLabel,
    yLabel: labels.yLabel,
  });
  series.forEach((s, k) => {
    if (s.sd)
      el(
        "path",
        { d: bandPath(f, xs, bands[k].lower, bands[k].upper), fill: s.color, opacity: 0.18 },
        f.plot,
      );
    const line = el(
      "path",
      {
        d: linePath(
          f,
          xs.map((t) => [t, s.mean[t]]),
        ),
        class: "line",
        stroke: s.color,
      },
      f.plot,
    );
    el("title", {}, line).textContent = s.label;
  });
}

/** Mean and sd over seeds of each agent's P(C) per own-view state, `[agent][state]`, as bars with whiskers. */
export function drawStateBars(
  container: Element,
  stats: readonly (readonly Stat[])[],
  yLabel = "P(cooperate)",
): void {
  const f = frame(container, {
    width: 420,
    height: 300,
    xDomain: [0, 5],
    yDomain: [0, 1],
    xLabel: "own-view state (own action first)",
    yLabel,
    xTicks: STATE_LABELS.map((label, k): [number, string] => [k + 0.5, label]),
  });
  stats.forEach((perState, agent) => {
    perState.forEach(({ mean: m, sd: spread }, k) => {
      if (!Number.isFinite(m)) return;
      const left = k + 0.1 + 0.4 * agent;
      const bar = el(
        "rect",
        {
          x: f.x(left),
          y: f.y(m),
          width: f.x(left + 0.38) - f.x(left),
          height: f.y(0) - f.y(m),
          fill: AGENT_COLORS[agent],
        },
        f.plot,
      );
      el("title", {}, bar).textContent = `agent ${agent + 1}, ${STATE_LABELS[k]}: ${fmt(m)} ± ${fmt(spread)}`;
      if (!Number.isFinite(spread)) return;
      const cx = f.x(left + 0.19);
      const [y0, y1] = [f.y(Math.max(0, m - spread)), f.y(Math.min(1, m + spread))];
      el("path", { d: `M${cx},${y0}V${y1}M${cx - 4},${y0}h8M${cx - 4},${y1}h8`, class: "whisker" }, f.plot);
    });
  });
}
