/** Dense linear algebra for the tiny systems of the exact engine (4x4), on row-major Float64Arrays. */

/**
 * Invert the n×n matrix `a` into `out` by Gauss–Jordan elimination with partial pivoting.
 * `work` must hold 2n² numbers. Returns false when the matrix is singular (a pivot below 1e-300).
 */
export function invert(a: Float64Array, n: number, out: Float64Array, work: Float64Array): boolean {
  const w = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      work[i * w + j] = a[i * n + j];
      work[i * w + n + j] = i === j ? 1 : 0;
    }
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(work[r * w + col]) > Math.abs(work[pivot * w + col])) pivot = r;
    const pv = work[pivot * w + col];
    if (!(Math.abs(pv) > 1e-300)) return false;
    if (pivot !== col) {
      for (let j = 0; j < w; j++) {
        const t = work[col * w + j];
        work[col * w + j] = work[pivot * w + j];
        work[pivot * w + j] = t;
      }
    }
    const inv = 1 / pv;
    for (let j = 0; j < w; j++) work[col * w + j] *= inv;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = work[r * w + col];
      if (f === 0) continue;
      for (let j = 0; j < w; j++) work[r * w + j] -= f * work[col * w + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = work[i * w + n + j];
  return true;
}
