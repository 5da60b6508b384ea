/**
 * The engine's matrix-multiply kernels in WebAssembly SIMD (128-bit, f32x4), emitted byte by byte (src/wasm/bytes.ts).
 * Why: scalar JavaScript peaks near 5 GFLOP/s on this machine (V8 does not vectorise typed-array loops), which
 * left a 36→64→64→4 update at ≈0.45× PyTorch; these kernels run the same products at 40–50 GFLOP/s.
 *
 *   gemm(a, b, c, M, N, K, acc, bias, relu):
 *     C[M×N] = relu?( (acc = 1 ? C : 0) + A[M×K] · B[K×N] + (bias ≥ 0 ? 1·biasᵀ : 0) )
 *   acc = 2 continues a sum split over K: the accumulators start at C instead of 0 (so the float32 additions
 *   run in the same order as one call over the whole K would do them).
 *   gemmTransposedA(a, b, c, M, N, K, acc, bias, relu): the same with A stored transposed, as [K×M]
 *     (a weight gradient dW += dYᵀ·X reads dY [rows × out] as it is, with no transpose pass)
 *   (byte offsets into the memory, bias = −1 for none; f32, row-major; M and N multiples of 4 — gemm.ts routes
 *   other shapes to JS). The bias row and the ReLU are applied as the tile is stored, saving a pass over C each.
 *
 * Register tile: 4 rows of C × 8 columns (two f32x4 vectors per row: 8 accumulators). Per k it loads two
 * vectors of B's row k, broadcasts A[m+i, k] for the 4 rows (v128.load32_splat: a broadcast load, which costs no
 * shuffle-unit slot beside the multiplies and adds; f32.load + f32x4.splat did, ≈ 20 % slower) and does 8 vector
 * multiply-adds; a 4-column tail tile handles N ≡ 4 (mod 8). Accumulation is in float32 (f32x4.mul then
 * f32x4.add, never fused: WebAssembly's arithmetic is IEEE-exact, so the bits are the same in every engine), in
 * the order k = 0, 1, …, K−1, and the same in both layouts of A: gemmTransposedA(Aᵀ) equals gemm(A) bit for bit.
 */
import { type FunctionDef, locals, moduleBytes, op } from "../wasm/bytes.js";

/** `acc`: 0 C = A·B; 1 C = C + A·B (the sum, then one add); 2 the sum continues from C (a sum split over K). */
export const OVERWRITE = 0;
export const ACCUMULATE = 1;
export const CONTINUE = 2;

const PARAMS = ["a", "b", "c", "M", "N", "K", "acc", "bias", "relu"] as const;
const I32_LOCALS = [
  "m",
  "n",
  "k",
  "strideA",
  "rowBytesB",
  "aRow",
  "pa0",
  "pa1",
  "pa2",
  "pa3",
  "pb",
  "pc",
  "pBias",
] as const;
const V128_LOCALS = ["s00", "s01", "s10", "s11", "s20", "s21", "s30", "s31", "w0", "w1", "x"] as const;

/** One product function; `transposedA` reads A[m, k] at a + 4·(k·M + m) instead of a + 4·(m·K + k). */
function gemmFunction(exportName: string, transposedA: boolean): FunctionDef {
  const { index: L, declaration } = locals(PARAMS, I32_LOCALS, [], V128_LOCALS);
  const { get, set } = op;
  const rows = [
    ["pa0", "s00", "s01"],
    ["pa1", "s10", "s11"],
    ["pa2", "s20", "s21"],
    ["pa3", "s30", "s31"],
  ] as const;

  /** One 4 × width tile of C at rows m…m+3, columns n…n+width−1 (width 8 or 4). */
  const tile = (width: 8 | 4): number[] => {
    const code: number[] = [];
    // pc = address of C[m, n]. The accumulators start at 0, or (acc = 2, a continued sum) at C.
    code.push(
      ...get(L.c),
      ...get(L.m),
      ...get(L.N),
      ...op.mul,
      ...get(L.n),
      ...op.add,
      ...op.i32(2),
      ...op.shl,
    );
    code.push(...op.add, ...set(L.pc));
    code.push(...get(L.acc), ...op.i32(CONTINUE), ...op.eq, ...op.if);
    rows.forEach(([, s0, s1], i) => {
      code.push(...get(L.pc), ...op.vLoad(0), ...set(L[s0]));
      if (width === 8) code.push(...get(L.pc), ...op.vLoad(16), ...set(L[s1]));
      if (i < 3) code.push(...get(L.pc), ...get(L.rowBytesB), ...op.add, ...set(L.pc));
    });
    code.push(...op.else);
    for (const [, s0, s1] of rows)
      code.push(...op.vZero, ...set(L[s0]), ...(width === 8 ? [...op.vZero, ...set(L[s1])] : []));
    code.push(...op.end);
    // pa_i = address of A[m+i, 0] (transposed: one pointer, the 4 rows are its next 4 floats); pb = &B[0, n]
    code.push(...get(L.aRow), ...set(L.pa0));
    if (!transposedA) {
      code.push(...get(L.pa0), ...get(L.strideA), ...op.add, ...set(L.pa1));
      code.push(...get(L.pa1), ...get(L.strideA), ...op.add, ...set(L.pa2));
      code.push(...get(L.pa2), ...get(L.strideA), ...op.add, ...set(L.pa3));
    }
    code.push(...get(L.b), ...get(L.n), ...op.i32(2), ...op.shl, ...op.add, ...set(L.pb));
    code.push(...op.i32(0), ...set(L.k));
    code.push(...op.block, ...op.loop);
    code.push(...get(L.pb), ...op.vLoad(0), ...set(L.w0));
    if (width === 8) code.push(...get(L.pb), ...op.vLoad(16), ...set(L.w1));
    rows.forEach(([pa, s0, s1], i) => {
      // x = A[m+i, k] in every lane
      if (transposedA) code.push(...get(L.pa0), ...op.loadSplat32(4 * i), ...set(L.x));
      else code.push(...get(L[pa]), ...op.loadSplat32(0), ...set(L.x));
      code.push(...get(L[s0]), ...get(L.x), ...get(L.w0), ...op.f32x4Mul, ...op.f32x4Add, ...set(L[s0]));
      if (width === 8)
        code.push(...get(L[s1]), ...get(L.x), ...get(L.w1), ...op.f32x4Mul, ...op.f32x4Add, ...set(L[s1]));
      if (!transposedA) code.push(...get(L[pa]), ...op.i32(4), ...op.add, ...set(L[pa]));
    });
    if (transposedA) code.push(...get(L.pa0), ...get(L.strideA), ...op.add, ...set(L.pa0)); // next row of Aᵀ
    code.push(...get(L.pb), ...get(L.rowBytesB), ...op.add, ...set(L.pb));
    code.push(...get(L.k), ...op.i32(1), ...op.add, ...op.tee(L.k), ...get(L.K), ...op.ltS, ...op.brIf(0));
    code.push(...op.end, ...op.end);
    // Store the tile (adding what C held when acc = 1): from C[m, n] down one row at a time.
    code.push(
      ...get(L.c),
      ...get(L.m),
      ...get(L.N),
      ...op.mul,
      ...get(L.n),
      ...op.add,
      ...op.i32(2),
      ...op.shl,
    );
    code.push(...op.add, ...set(L.pc));
    code.push(...get(L.bias), ...get(L.n), ...op.i32(2), ...op.shl, ...op.add, ...set(L.pBias)); // &bias[n]
    for (const [, s0, s1] of rows) {
      const lanes = width === 8 ? [s0, s1] : [s0];
      lanes.forEach((s, j) => {
        code.push(...get(L.bias), ...op.i32(0), ...op.geS, ...op.if); // s += bias[n …]
        code.push(
          ...get(L[s]),
          ...get(L.pBias),
          ...op.vLoad(16 * j),
          ...op.f32x4Add,
          ...set(L[s]),
          ...op.end,
        );
        code.push(...get(L.acc), ...op.i32(ACCUMULATE), ...op.eq, ...op.if);
        code.push(...get(L[s]), ...get(L.pc), ...op.vLoad(16 * j), ...op.f32x4Add);
        code.push(...set(L[s]), ...op.end);
        code.push(
          ...get(L.relu),
          ...op.if,
          ...get(L[s]),
          ...op.vZero,
          ...op.f32x4Max,
          ...set(L[s]),
          ...op.end,
        );
        code.push(...get(L.pc), ...get(L[s]), ...op.vStore(16 * j));
      });
      code.push(...get(L.pc), ...get(L.rowBytesB), ...op.add, ...set(L.pc));
    }
    return code;
  };

  /** for (; n + width ≤ N; n += width) tile(width) */
  const columns = (width: 8 | 4): number[] => [
    ...op.block,
    ...op.loop,
    ...get(L.n),
    ...op.i32(width),
    ...op.add,
    ...get(L.N),
    ...op.gtS,
    ...op.brIf(1),
    ...tile(width),
    ...get(L.n),
    ...op.i32(width),
    ...op.add,
    ...set(L.n),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];

  const body = [
    // strideA: bytes from A[m, k] to A[m+1, k] (normal: a row of K floats) or to A[m, k+1] (transposed: M floats)
    ...get(transposedA ? L.M : L.K),
    ...op.i32(2),
    ...op.shl,
    ...set(L.strideA),
    ...get(L.N),
    ...op.i32(2),
    ...op.shl,
    ...set(L.rowBytesB), // a row of B (and of C) is N floats
    ...op.i32(0),
    ...set(L.m),
    ...op.block,
    ...op.loop,
    ...get(L.m),
    ...get(L.M),
    ...op.geS,
    ...op.brIf(1), // for (m = 0; m < M; m += 4)
    ...get(L.a),
    ...get(L.m),
    ...(transposedA ? [...op.i32(2), ...op.shl] : [...get(L.strideA), ...op.mul]),
    ...op.add,
    ...set(L.aRow),
    ...op.i32(0),
    ...set(L.n),
    ...columns(8),
    ...columns(4),
    ...get(L.m),
    ...op.i32(4),
    ...op.add,
    ...set(L.m),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return { name: exportName, params: PARAMS.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** The module's bytes: imports env.memory, exports gemm and gemmTransposedA(a, b, c, M, N, K, acc, bias, relu). */
export function gemmModuleBytes(): Uint8Array {
  return moduleBytes([gemmFunction("gemm", false), gemmFunction("gemmTransposedA", true)]);
}
