/**
 * The one matrix product of the neural engine, in two layouts of A, and the bias sums beside it.
 *
 *   matmul             C[M×N] (= or +=) A[M×K] · B[K×N]        (all row-major Float32Array)
 *   matmulTransposedA  C[M×N] (= or +=) Aᵀ · B, A stored [K×M]  (the same sums, in the same order, bit for bit)
 *   addColumnSums      out[m] += Σ_k A[k, m]                    (a bias gradient, summed in float64)
 *
 * A dense layer's three products (W is [out × in], PyTorch's layout):
 *   forward   Y  = X·Wᵀ             matmul(X, Wᵀ)       Wᵀ [in × out] rebuilt per call (in·out floats)
 *   input     dX = dY·W             matmul(dY, W)
 *   weights   dW += dYᵀ·X           matmulTransposedA(dY, X): a sum over the batch, read without a transpose;
 *                                   split into chunks of K_CHUNK rows so both operands' chunks stay in cache
 *
 * Two kernels, one contract:
 * - WebAssembly SIMD (wasmKernel.ts; 40–50 GFLOP/s here) when M and N are multiples of 4 and the engine has
 *   WebAssembly SIMD (Node ≥ 16.4, Chromium ≥ 91, Firefox ≥ 89, Safari ≥ 16.4). Operands that live in a kernel
 *   arena (kernelArena.ts: the recurrent network's workspaces) are used in place; the others are copied into its
 *   memory and C back out: a few memcpy's against M·N·K multiply-adds. Accumulates in float32.
 * - Plain JavaScript otherwise (≈ 5 GFLOP/s): a 4 × 4 register tile (16 local doubles, 8 loads per 16
 *   multiply-adds; measured at 4096×64×64: naive dot 1.5, 4 rows 2.2, 4×2 3.3, 4×4 3.6–4.7 GFLOP/s).
 *   V8 computes in float64 and rounds when it stores into C.
 * Both are pure functions of their inputs, so a given shape gives the same bits in Node and in the browser;
 * the two kernels differ from each other by float32 rounding. Neither allocates once the SIMD memory has grown
 * to the largest product (the first update). Where the sum runs (in place, copied in, chunked over K) never
 * changes a bit: each C entry is the float32 sum over k = 0 … K−1 in order, then + C when accumulating.
 */
import {
  ACCUMULATE_MODE,
  COLUMN_SUMS,
  CONTINUE_MODE,
  compiledKernels,
  KernelArena,
  OVERWRITE_MODE,
  type ProductKernel,
  productKernels,
} from "./kernelArena.js";

/** Rows of K per call of the transposed-A kernel: 256 rows of a 192-wide A and a 64-wide B are 256 kB (L2). */
export const K_CHUNK = 256;

/** The copy-in path's memory: grows to the largest product and is reused. */
interface CopyInKernels {
  gemm: ProductKernel;
  gemmTransposedA: ProductKernel;
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heap: Float32Array;
  /** heap[0 … size) by size: C sits at offset 0, so its copy back is one memcpy from a view made once. */
  outputViews: Map<number, Float32Array>;
}

function instantiate(): CopyInKernels | undefined {
  const compiled = compiledKernels();
  if (!compiled) return undefined; // no SIMD in this engine
  const memory = new compiled.api.Memory({ initial: 16 }); // 1 MiB; grows to the largest product
  return {
    ...productKernels(compiled, memory),
    memory,
    heap: new Float32Array(memory.buffer),
    outputViews: new Map(),
  };
}

const wasm = instantiate();
let wasmEnabled = wasm !== undefined;

/** Whether products of shapes with M, N ≡ 0 (mod 4) run on the WebAssembly SIMD kernel. */
export function simdKernelActive(): boolean {
  return wasmEnabled;
}

/** Turn the SIMD kernels off (or back on, where the engine has them): for tests and benchmarks of the JS paths. */
export function useSimdKernel(on: boolean): void {
  wasmEnabled = on && wasm !== undefined;
}

function reserve(w: CopyInKernels, floats: number): Float32Array {
  const bytes = floats * 4;
  const have = w.memory.buffer.byteLength;
  if (bytes > have) {
    w.memory.grow(Math.ceil((bytes - have) / 65536));
    w.heap = new Float32Array(w.memory.buffer); // growing detaches the old views
    w.outputViews.clear();
  }
  return w.heap;
}

function outputView(w: CopyInKernels, size: number): Float32Array {
  let view = w.outputViews.get(size);
  if (!view) {
    view = w.heap.subarray(0, size);
    w.outputViews.set(size, view);
  }
  return view;
}

/** heap[offset …] = src[0 … n): one memcpy when src is exactly n long (the workspaces make sure it is). */
function copyIn(heap: Float32Array, src: Float32Array, n: number, offset: number): void {
  if (src.length === n) heap.set(src, offset);
  else for (let i = 0; i < n; i++) heap[offset + i] = src[i];
}

/** c[0 … n) = heap[offset …] (+ c when accumulating): a product's result leaving the kernel's memory. */
function copyOut(heap: Float32Array, offset: number, c: Float32Array, n: number, accumulate: boolean): void {
  if (accumulate) for (let i = 0; i < n; i++) c[i] = c[i] + heap[offset + i];
  else for (let i = 0; i < n; i++) c[i] = heap[offset + i];
}

/**
 * C = AᵀB (A [K×M] at byte pa, B [K×N] at pb, C at pc) in chunks of K_CHUNK rows, each continuing the sum of
 * the one before (CONTINUE_MODE), so the additions run in the order one call over all of K would make.
 */
function transposedChunks(
  kernel: ProductKernel,
  pa: number,
  pb: number,
  pc: number,
  M: number,
  N: number,
  K: number,
): void {
  for (let k0 = 0; k0 < K; k0 += K_CHUNK) {
    const kc = Math.min(K_CHUNK, K - k0);
    kernel(pa + 4 * k0 * M, pb + 4 * k0 * N, pc, M, N, kc, k0 === 0 ? OVERWRITE_MODE : CONTINUE_MODE, -1, 0);
  }
}

/** The product on the operands' own arena (no copies of what lives there); false if it cannot run there. */
function arenaProduct(
  transposedA: boolean,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
  bias: Float32Array | null,
  relu: boolean,
): boolean {
  const arena = KernelArena.of(c) ?? KernelArena.of(a) ?? KernelArena.of(b);
  if (!arena) return false;
  arena.resetScratch();
  const pa = arena.place(a, M * K, true);
  const pb = arena.place(b, K * N, true);
  const pBias = bias ? arena.place(bias, N, true) : -1;
  if (pa < 0 || pb < 0 || (bias && pBias < 0)) return false;
  const size = M * N;
  const chunked = transposedA && K > K_CHUNK;
  // C in place, unless it lives outside the arena or a chunked sum must be added to it at the end.
  const inPlace = arena.owns(c) && !(chunked && accumulate);
  const pc = inPlace ? c.byteOffset : chunked ? arena.scratch(size) : arena.place(c, size, accumulate);
  if (pc < 0) return false;
  if (chunked) transposedChunks(arena.gemmTransposedA, pa, pb, pc, M, N, K);
  else {
    const kernel = transposedA ? arena.gemmTransposedA : arena.gemm;
    kernel(pa, pb, pc, M, N, K, accumulate ? ACCUMULATE_MODE : OVERWRITE_MODE, pBias, relu ? 1 : 0);
  }
  if (!inPlace) copyOut(arena.heap, pc / 4, c, size, chunked && accumulate);
  return true;
}

/** The product in the shared copy-in memory (layout: C, A, B, bias). */
function copyInProduct(
  w: CopyInKernels,
  transposedA: boolean,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
  bias: Float32Array | null,
  relu: boolean,
): void {
  const size = M * N;
  const offA = size;
  const offB = offA + M * K;
  const offBias = offB + K * N;
  const heap = reserve(w, offBias + N);
  copyIn(heap, a, M * K, offA);
  copyIn(heap, b, K * N, offB);
  if (transposedA && K > K_CHUNK) {
    transposedChunks(w.gemmTransposedA, 4 * offA, 4 * offB, 0, M, N, K);
    if (accumulate) copyOut(heap, 0, c, size, true);
    else copyResult(w, c, size);
    return;
  }
  if (accumulate) copyIn(heap, c, size, 0);
  if (bias) copyIn(heap, bias, N, offBias);
  const kernel = transposedA ? w.gemmTransposedA : w.gemm;
  kernel(
    4 * offA,
    4 * offB,
    0,
    M,
    N,
    K,
    accumulate ? ACCUMULATE_MODE : OVERWRITE_MODE,
    bias ? 4 * offBias : -1,
    relu ? 1 : 0,
  );
  copyResult(w, c, size);
}

/** c = heap[0 … size): one memcpy from a view made once when c is exactly that long. */
function copyResult(w: CopyInKernels, c: Float32Array, size: number): void {
  if (c.length === size) c.set(outputView(w, size));
  else copyOut(w.heap, 0, c, size, false);
}

/**
 * C = A·B (accumulate = false) or C += A·B (accumulate = true). A is M×K, B is K×N, C is M×N. With `bias`
 * (N floats) each row of C gets bias added, and with `relu` C = max(C, 0) at the end: fused into the SIMD
 * kernel's store, a separate pass in JS.
 */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
  bias: Float32Array | null = null,
  relu = false,
): void {
  if (wasmEnabled && wasm && M % 4 === 0 && N % 4 === 0 && M > 0 && N > 0 && K > 0) {
    if (arenaProduct(false, a, b, c, M, N, K, accumulate, bias, relu)) return;
    copyInProduct(wasm, false, a, b, c, M, N, K, accumulate, bias, relu);
    return;
  }
  matmulJs(a, b, c, M, N, K, accumulate);
  if (bias) addRowVector(c, bias, M, N);
  if (relu) for (let i = 0; i < M * N; i++) c[i] = Math.max(c[i], 0);
}

/**
 * C = Aᵀ·B or C += Aᵀ·B with A stored as [K×M] (e.g. dY [rows × out] for dW += dYᵀ·X): the same bits as
 * transposing A and calling matmul, without the transpose.
 */
export function matmulTransposedA(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  if (wasmEnabled && wasm && M % 4 === 0 && N % 4 === 0 && M > 0 && N > 0 && K > 0) {
    if (arenaProduct(true, a, b, c, M, N, K, accumulate, null, false)) return;
    copyInProduct(wasm, true, a, b, c, M, N, K, accumulate, null, false);
    return;
  }
  matmulJsStrided(a, 1, M, b, c, M, N, K, accumulate);
}

/**
 * out[m] += Σ_k x[k, m] for the [K × M] matrix x, each sum in float64 over k in order (a bias gradient from
 * dY): the same bits as `addRowSums` of x transposed. In WebAssembly when x lives in a kernel arena.
 */
export function addColumnSums(x: Float32Array, out: Float32Array, K: number, M: number): void {
  const arena = wasmEnabled ? KernelArena.of(x) : undefined;
  if (arena && M % 2 === 0 && M <= COLUMN_SUMS && K > 0 && M > 0) {
    arena.resetScratch();
    const po = arena.place(out, M, true);
    if (po >= 0) {
      arena.gates.addColumnSums(x.byteOffset, po, K, M, arena.sums);
      if (!arena.owns(out)) copyOut(arena.heap, po / 4, out, M, false);
      return;
    }
  }
  for (let m = 0; m < M; m++) {
    let s = 0;
    for (let k = 0, i = m; k < K; k++, i += M) s += x[i];
    out[m] += s;
  }
}

/** The JavaScript kernel (see the header): C (+)= A·B with a 4 × 4 register tile. */
export function matmulJs(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  matmulJsStrided(a, K, 1, b, c, M, N, K, accumulate);
}

/** The JavaScript kernel with A[m, k] read at a[m·rowStride + k·colStride] (A or, stored [K×M], Aᵀ). */
function matmulJsStrided(
  a: Float32Array,
  rowStride: number,
  colStride: number,
  b: Float32Array,
  c: Float32Array,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  const sK = colStride;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const a0 = m * rowStride;
    const a1 = a0 + rowStride;
    const a2 = a1 + rowStride;
    const a3 = a2 + rowStride;
    const c0 = m * N;
    const c1 = c0 + N;
    const c2 = c1 + N;
    const c3 = c2 + N;
    let n = 0;
    for (; n + 4 <= N; n += 4) {
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
      for (let k = 0, ak = 0, bk = n; k < K; k++, ak += sK, bk += N) {
        const w0 = b[bk];
        const w1 = b[bk + 1];
        const w2 = b[bk + 2];
        const w3 = b[bk + 3];
        let x = a[a0 + ak];
        s00 += x * w0;
        s01 += x * w1;
        s02 += x * w2;
        s03 += x * w3;
        x = a[a1 + ak];
        s10 += x * w0;
        s11 += x * w1;
        s12 += x * w2;
        s13 += x * w3;
        x = a[a2 + ak];
        s20 += x * w0;
        s21 += x * w1;
        s22 += x * w2;
        s23 += x * w3;
        x = a[a3 + ak];
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
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[k * N + n];
        const ak = k * sK;
        s0 += a[a0 + ak] * w;
        s1 += a[a1 + ak] * w;
        s2 += a[a2 + ak] * w;
        s3 += a[a3 + ak] * w;
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
    const ao = m * rowStride;
    const co = m * N;
    for (let n = 0; n < N; n++) {
      let s = accumulate ? c[co + n] : 0;
      for (let k = 0; k < K; k++) s += a[ao + k * sK] * b[k * N + n];
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
