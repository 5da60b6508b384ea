/**
 * A few SVG building blocks for the explorer's plots: a plot frame with linear scales, axes and ticks, and
 * helpers for lines, bands, bars and arrows. Non-finite points are skipped (a line breaks there), so a plot
 * never shows a NaN.
 */
const SVG_NS = "http://www.w3.org/2000/svg";

export function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  parent?.appendChild(node);
  return node;
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export interface Frame {
  svg: SVGSVGElement;
  /** The clipped group to draw data into. */
  plot: SVGGElement;
  x(value: number): number;
  y(value: number): number;
  /** Data coordinates of a pixel position inside the SVG. */
  invert(px: number, py: number): [number, number];
}

export interface FrameOptions {
  width: number;
  height: number;
  xDomain: [number, number];
  yDomain: [number, number];
  xLabel: string;
  yLabel: string;
  /** Category ticks [value, label] in place of the numeric x ticks. */
  xTicks?: [number, string][];
  margin?: { top: number; right: number; bottom: number; left: number };
}

let clipCounter = 0;

/** An empty plot with axes, ticks, grid lines and labels, filling `container` (its old content is removed). */
export function frame(container: Element, options: FrameOptions): Frame {
  const { width, height, xDomain, yDomain } = options;
  const m = options.margin ?? { top: 12, right: 14, bottom: 40, left: 52 };
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img" });
  container.replaceChildren(svg);
  const x = (v: number) =>
    m.left + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * (width - m.left - m.right);
  const y = (v: number) =>
    height - m.bottom - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (height - m.top - m.bottom);
  const invert = (px: number, py: number): [number, number] => [
    xDomain[0] + ((px - m.left) / (width - m.left - m.right)) * (xDomain[1] - xDomain[0]),
    yDomain[0] + ((height - m.bottom - py) / (height - m.top - m.bottom)) * (yDomain[1] - yDomain[0]),
  ];
  const axes = el("g", { class: "axes" }, svg);
  const label = (v: number) => String(Number(v.toPrecision(4)));
  const xTicks =
    options.xTicks ??
    niceTicks(xDomain[0], xDomain[1], Math.max(2, Math.round(width / 90))).map((t): [number, string] => [
      t,
      label(t),
    ]);
  for (const [t, text] of xTicks) {
    if (!options.xTicks)
      el("line", { x1: x(t), x2: x(t), y1: m.top, y2: height - m.bottom, class: "grid" }, axes);
    el("text", { x: x(t), y: height - m.bottom + 14, "text-anchor": "middle" }, axes).textContent = text;
  }
  for (const t of niceTicks(yDomain[0], yDomain[1], Math.max(2, Math.round(height / 60)))) {
    el("line", { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), class: "grid" }, axes);
    el("text", { x: m.left - 6, y: y(t) + 4, "text-anchor": "end" }, axes).textContent = label(t);
  }
  el(
    "rect",
    { x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom, class: "box" },
    axes,
  );
  el(
    "text",
    { x: (m.left + width - m.right) / 2, y: height - 6, "text-anchor": "middle", class: "label" },
    axes,
  ).textContent = options.xLabel;
  el(
    "text",
    {
      x: 14,
      y: (m.top + height - m.bottom) / 2,
      "text-anchor": "middle",
      transform: `rotate(-90 14 ${(m.top + height - m.bottom) / 2})`,
      class: "label",
    },
    axes,
  ).textContent = options.yLabel;
  const clipId = `clip${clipCounter++}`;
  const clip = el("clipPath", { id: clipId }, el("defs", {}, svg));
  el(
    "rect",
    { x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom },
    clip,
  );
  const plot = el("g", { "clip-path": `url(#${clipId})` }, svg);
  return { svg, plot, x, y, invert };
}

/** SVG path data through the finite points; a non-finite point breaks the line. */
export function linePath(f: Frame, points: readonly (readonly [number, number])[]): string {
  let d = "";
  let pen = false;
  for (const [vx, vy] of points) {
    if (!Number.isFinite(vx) || !Number.isFinite(vy)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${f.x(vx).toFixed(2)},${f.y(vy).toFixed(2)}`;
    pen = true;
  }
  return d;
}

/** A filled band between `lower` and `upper` over the same xs (drawn only where all are finite). */
export function bandPath(
  f: Frame,
  xs: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): string {
  const ok = xs.map((_, i) => [xs[i], lower[i], upper[i]].every(Number.isFinite));
  const top = xs.flatMap((vx, i) => (ok[i] ? [`${f.x(vx).toFixed(2)},${f.y(upper[i]).toFixed(2)}`] : []));
  const bottom = xs.flatMap((vx, i) => (ok[i] ? [`${f.x(vx).toFixed(2)},${f.y(lower[i]).toFixed(2)}`] : []));
  return top.length > 1 ? `M${top.join("L")}L${bottom.reverse().join("L")}Z` : "";
}

/** An arrow from (x, y) by (dx, dy) in pixels, with a small head. */
export function arrowPath(x: number, y: number, dx: number, dy: number, head = 3): string {
  const length = Math.hypot(dx, dy);
  if (!(length > 0.5)) return `M${x.toFixed(1)},${y.toFixed(1)}h0.01`;
  const ux = dx / length;
  const uy = dy / length;
  const tx = x + dx;
  const ty = y + dy;
  const h = Math.min(head, length / 2);
  const p = (a: number, b: number) => `${a.toFixed(1)},${b.toFixed(1)}`;
  return (
    `M${p(x, y)}L${p(tx, ty)}` +
    `M${p(tx - h * ux + h * 0.6 * uy, ty - h * uy - h * 0.6 * ux)}L${p(tx, ty)}` +
    `L${p(tx - h * ux - h * 0.6 * uy, ty - h * uy + h * 0.6 * ux)}`
  );
}
