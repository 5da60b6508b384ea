/** Summary statistics over plain arrays of numbers. */

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  if (Number.isFinite(s) || Number.isNaN(s)) return s / xs.length;
  // The sum overflowed although the mean may not (values near ±1.8e308): a running mean instead.
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += (xs[i] - m) / (i + 1);
  return m;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
export function sd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) * (xs[i] - m);
  const out = Math.sqrt(s / (n - 1));
  if (Number.isFinite(out) || !Number.isFinite(m)) return out;
  // The squares overflowed (values near 1e300): the same sum on deviations scaled by the largest one.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(xs[i] - m));
  s = 0;
  for (let i = 0; i < n; i++) s += ((xs[i] - m) / scale) * ((xs[i] - m) / scale);
  return scale * Math.sqrt(s / (n - 1));
}

export function median(xs: ArrayLike<number>): number {
  const sorted = Array.from(xs).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export interface Summary {
  mean: number;
  sd: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(xs: ArrayLike<number>): Summary {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) {
    min = Math.min(min, xs[i]);
    max = Math.max(max, xs[i]);
  }
  return { mean: mean(xs), sd: sd(xs), min, max, n: xs.length };
}
