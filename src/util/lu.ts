/**
 * LU factorisation with partial pivoting (PA = LU, Doolittle, row-major) for the dense systems of the N-player
 * exact engine (2^N states), and the two solves it is used for: M·v = b and Mᵀ·x = b.
 * For the 4×4 systems of the two-player engine see linalg.ts.
 */

export interface LuFactors {
  readonly n: number;
  /** L (unit diagonal, below) and U (on and above the diagonal) in one n×n row-major array. */
  readonly lu: Float64Array;
  /** Row `i` of PA is row `pivot[i]` of A. */
  readonly pivot: Int32Array;
}

/** Factor the n×n row-major matrix `a` (copied). Returns undefined when it is singular (a pivot below 1e-300). */
export function luFactor(a: Float64Array, n: number): LuFactors | undefined {
  const lu = Float64Array.from(a.subarray(0, n * n));
  const pivot = Int32Array.from({ length: n }, (_, i) => i);
  for (let col = 0; col < n; col++) {
    let best = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(lu[r * n + col]) > Math.abs(lu[best * n + col])) best = r;
    if (!(Math.abs(lu[best * n + col]) > 1e-300)) return undefined;
    if (best !== col) {
      for (let j = 0; j < n; j++) {
        const t = lu[col * n + j];
        lu[col * n + j] = lu[best * n + j];
        lu[best * n + j] = t;
      }
      const t = pivot[col];
      pivot[col] = pivot[best];
      pivot[best] = t;
    }
    const inv = 1 / lu[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const factor = lu[r * n + col] * inv;
      if (factor === 0) continue;
      lu[r * n + col] = factor;
      for (let j = col + 1; j < n; j++) lu[r * n + j] -= factor * lu[col * n + j];
    }
  }
  return { n, lu, pivot };
}

/** Solve A·x = b (b is not changed). */
export function luSolve({ n, lu, pivot }: LuFactors, b: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[pivot[i]];
    for (let j = 0; j < i; j++) s -= lu[i * n + j] * x[j];
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j];
    x[i] = s / lu[i * n + i];
  }
  return x;
}

/** Solve Aᵀ·x = b (b is not changed): Uᵀ·y = b, Lᵀ·z = y, x = Pᵀz. */
export function luSolveTransposed({ n, lu, pivot }: LuFactors, b: Float64Array): Float64Array {
  const y = Float64Array.from(b.subarray(0, n));
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let j = 0; j < i; j++) s -= lu[j * n + i] * y[j];
    y[i] = s / lu[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let j = i + 1; j < n; j++) s -= lu[j * n + i] * y[j];
    y[i] = s;
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[pivot[i]] = y[i];
  return x;
}
