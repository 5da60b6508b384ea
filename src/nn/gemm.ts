/**
 * The one matrix-multiply kernel of the neural engine, and the transposes that let every product use it.
 *
 *   C[M×N] (= or +=) A[M×K] · B[N×K]ᵀ,   i.e. C[m,n] = Σ_k A[m,k]·B[n,k]   (all row-major Float32Array)
 *
 * Both operands are read along contiguous rows (a dot-product form), so one kernel serves all three products of
 * a dense layer once the right operands are transposed:
 *   forward   Y  = X·Wᵀ             matmulABt(X, W)        W is [out, in] as PyTorch stores it
 *   input     dX = dY·W             matmulABt(dY, Wᵀ)      Wᵀ is [in, out], rebuilt each backward (in·out floats)
 *   weights   dW += dYᵀ·X           matmulABt(dYᵀ, Xᵀ)     dot products over the batch
 *
 * Register blocking (measured on this machine, 4096×64×64: naive dot 1.5, 4 rows 2.2, 4×2 3.3, 4×4 3.6 GFLOP/s):
 * a 4×4 tile of C is held in 16 local doubles while k runs, so each step loads 4 values of A and 4 of B for 16
 * multiply-adds. V8 computes in float64 and rounds to float32 only when it stores into C, so the accumulation
 * is in double precision; the result is a pure function of the inputs in every engine (Node, Chromium).
 * Allocates nothing.
 */

/** C = A·Bᵀ (accumulate = false) or C += A·Bᵀ (accumulate = true). A is M×K, B is N×K, C is M×N. */
export function matmulABt(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const a0 = m * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    const c0 = m * N;
    const c1 = c0 + N;
    const c2 = c1 + N;
    const c3 = c2 + N;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
      const b0 = n * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let k = 0; k < K; k++) {
        const w0 = b[b0 + k];
        const w1 = b[b1 + k];
        const w2 = b[b2 + k];
        const w3 = b[b3 + k];
        let x = a[a0 + k];
        s00 += x * w0;
        s01 += x * w1;
        s02 += x * w2;
        s03 += x * w3;
        x = a[a1 + k];
        s10 += x * w0;
        s11 += x * w1;
        s12 += x * w2;
        s13 += x * w3;
        x = a[a2 + k];
        s20 += x * w0;
        s21 += x * w1;
        s22 += x * w2;
        s23 += x * w3;
        x = a[a3 + k];
        s30 += x * w0;
        s31 += x * w1;
        s32 += x * w2;
        s33 += x * w3;
      }
      if (accumulate) {
        s00 += c[c0 + n];
        s01 += c[c0 + n + 1];
        s02 += c[c0 + n + 2];
        s03 += c[c0 + n + 3];
        s10 += c[c1 + n];
        s11 += c[c1 + n + 1];
        s12 += c[c1 + n + 2];
        s13 += c[c1 + n + 3];
        s20 += c[c2 + n];
        s21 += c[c2 + n + 1];
        s22 += c[c2 + n + 2];
        s23 += c[c2 + n + 3];
        s30 += c[c3 + n];
        s31 += c[c3 + n + 1];
        s32 += c[c3 + n + 2];
        s33 += c[c3 + n + 3];
      }
      c[c0 + n] = s00;
      c[c0 + n + 1] = s01;
      c[c0 + n + 2] = s02;
      c[c0 + n + 3] = s03;
      c[c1 + n] = s10;
      c[c1 + n + 1] = s11;
      c[c1 + n + 2] = s12;
      c[c1 + n + 3] = s13;
      c[c2 + n] = s20;
      c[c2 + n + 1] = s21;
      c[c2 + n + 2] = s22;
      c[c2 + n + 3] = s23;
      c[c3 + n] = s30;
      c[c3 + n + 1] = s31;
      c[c3 + n + 2] = s32;
      c[c3 + n + 3] = s33;
    }
    // Leftover columns of C (N not a multiple of 4): 4 rows × 1 column.
    for (; n < N; n++) {
      const bo = n * K;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[bo + k];
        s0 += a[a0 + k] * w;
        s1 += a[a1 + k] * w;
        s2 += a[a2 + k] * w;
        s3 += a[a3 + k] * w;
      }
      if (accumulate) {
        s0 += c[c0 + n];
        s1 += c[c1 + n];
        s2 += c[c2 + n];
        s3 += c[c3 + n];
      }
      c[c0 + n] = s0;
      c[c1 + n] = s1;
      c[c2 + n] = s2;
      c[c3 + n] = s3;
    }
  }
  // Leftover rows of C (M not a multiple of 4): one row at a time.
  for (; m < M; m++) {
    const ao = m * K;
    const co = m * N;
    for (let n = 0; n < N; n++) {
      const bo = n * K;
      let s = accumulate ? c[co + n] : 0;
      for (let k = 0; k < K; k++) s += a[ao + k] * b[bo + k];
      c[co + n] = s;
    }
  }
}

/** out[c·rows + r] = x[r·cols + c]: the [rows × cols] matrix x transposed to [cols × rows]. */
export function transpose(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  // 4 rows at a time so each pass over `out` writes 4 neighbouring floats.
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * cols;
    for (let c = 0; c < cols; c++) {
      const o = c * rows + r;
      out[o] = x[x0 + c];
      out[o + 1] = x[x0 + cols + c];
      out[o + 2] = x[x0 + 2 * cols + c];
      out[o + 3] = x[x0 + 3 * cols + c];
    }
  }
  for (; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
}

/** y[r, c] += bias[c] for every row r of the [rows × cols] matrix y. */
export function addRowVector(y: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) y[o + c] += bias[c];
  }
}

/** out[r] += Σ_c x[r, c]: row sums of the [rows × cols] matrix x (a bias gradient from dYᵀ), summed in float64. */
export function addRowSums(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[o + c];
    out[r] += s;
  }
}
