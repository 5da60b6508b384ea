/**
 * The one matrix product of the neural engine, and the transposes that let every product use it.
 *
 *   C[M×N] (= or +=) A[M×K] · B[K×N]        (all row-major Float32Array)
 *
 * A dense layer's three products (W is [out × in], PyTorch's layout):
 *   forward   Y  = X·Wᵀ             matmul(X, Wᵀ)       Wᵀ [in × out] rebuilt per call (in·out floats)
 *   input     dX = dY·W             matmul(dY, W)
 *   weights   dW += dYᵀ·X           matmul(dYᵀ, X)      dYᵀ [out × rows]: a sum over the batch
 *
 * Two kernels, one contract:
 * - WebAssembly SIMD (wasmKernel.ts; 30–40 GFLOP/s here) when M and N are multiples of 4 and the engine has
 *   WebAssembly SIMD (Node ≥ 16.4, Chromium ≥ 91, Firefox ≥ 89, Safari ≥ 16.4). Operands are copied into its
 *   memory and C back out: a few memcpy's against M·N·K multiply-adds. Accumulates in float32.
 * - Plain JavaScript otherwise (≈ 5 GFLOP/s): a 4 × 4 register tile (16 local doubles, 8 loads per 16
 *   multiply-adds; measured at 4096×64×64: naive dot 1.5, 4 rows 2.2, 4×2 3.3, 4×4 3.6–4.7 GFLOP/s).
 *   V8 computes in float64 and rounds when it stores into C.
 * Both are pure functions of their inputs, so a given shape gives the same bits in Node and in the browser;
 * the two kernels differ from each other by float32 rounding. Neither allocates once the SIMD memory has grown
 * to the largest product (the first update).
 */
import { gemmModuleBytes } from "./wasmKernel.js";

type Kernel = (
  a: number,
  b: number,
  c: number,
  M: number,
  N: number,
  K: number,
  acc: number,
  bias: number,
  relu: number,
) => void;

/** The little of the WebAssembly JS API used here (the Node typings declare none, the DOM library all of it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

interface WasmGemm {
  kernel: Kernel;
  memory: WasmMemory;
  heap: Float32Array;
  /** heap[0 … size) by size: C sits at offset 0, so its copy back is one memcpy from a view made once. */
  outputViews: Map<number, Float32Array>;
}

function instantiate(): WasmGemm | undefined {
  try {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!api) return undefined;
    const bytes = gemmModuleBytes();
    if (!api.validate(bytes)) return undefined; // no SIMD in this engine
    const memory = new api.Memory({ initial: 16 }); // 1 MiB; grows to the largest product
    const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
    const heap = new Float32Array(memory.buffer);
    return { kernel: instance.exports.gemm as Kernel, memory, heap, outputViews: new Map() };
  } catch {
    return undefined;
  }
}

const wasm = instantiate();
let wasmEnabled = wasm !== undefined;

/** Whether products of shapes with M, N ≡ 0 (mod 4) run on the WebAssembly SIMD kernel. */
export function simdKernelActive(): boolean {
  return wasmEnabled;
}

/** Turn the SIMD kernel off (or back on, where the engine has it): for tests and benchmarks of the JS kernel. */
export function useSimdKernel(on: boolean): void {
  wasmEnabled = on && wasm !== undefined;
}

function reserve(w: WasmGemm, floats: number): Float32Array {
  const bytes = floats * 4;
  const have = w.memory.buffer.byteLength;
  if (bytes > have) {
    w.memory.grow(Math.ceil((bytes - have) / 65536));
    w.heap = new Float32Array(w.memory.buffer); // growing detaches the old views
    w.outputViews.clear();
  }
  return w.heap;
}

function outputView(w: WasmGemm, size: number): Float32Array {
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
    const size = M * N; // layout in the SIMD memory: C, then A, then B
    const offA = size;
    const offB = offA + M * K;
    const offBias = offB + K * N;
    const heap = reserve(wasm, offBias + N);
    copyIn(heap, a, M * K, offA);
    copyIn(heap, b, K * N, offB);
    if (accumulate) copyIn(heap, c, size, 0);
    if (bias) copyIn(heap, bias, N, offBias);
    wasm.kernel(4 * offA, 4 * offB, 0, M, N, K, accumulate ? 1 : 0, bias ? 4 * offBias : -1, relu ? 1 : 0);
    if (c.length === size) c.set(outputView(wasm, size));
    else for (let i = 0; i < size; i++) c[i] = heap[i];
    return;
  }
  matmulJs(a, b, c, M, N, K, accumulate);
  if (bias) addRowVector(c, bias, M, N);
  if (relu) for (let i = 0; i < M * N; i++) c[i] = Math.max(c[i], 0);
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
      for (let k = 0, bk = n; k < K; k++, bk += N) {
        const w0 = b[bk];
        const w1 = b[bk + 1];
        const w2 = b[bk + 2];
        const w3 = b[bk + 3];
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
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < K; k++) {
        const w = b[k * N + n];
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
      let s = accumulate ? c[co + n] : 0;
      for (let k = 0; k < K; k++) s += a[ao + k] * b[k * N + n];
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
