/**
 * The engine's matrix-multiply kernel in WebAssembly SIMD (128-bit, f32x4), emitted byte by byte here: no
 * toolchain, no binary file, nothing downloaded. Why: scalar JavaScript peaks near 5 GFLOP/s on this machine
 * (V8 does not vectorise typed-array loops), which left a 36→64→64→4 update at ≈0.45× PyTorch; this kernel
 * runs the same products at 30–40 GFLOP/s.
 *
 *   gemm(a, b, c, M, N, K, acc, bias, relu):
 *     C[M×N] = relu?( (acc ? C : 0) + A[M×K] · B[K×N] + (bias ≥ 0 ? 1·biasᵀ : 0) )
 *   (byte offsets into the memory, bias = −1 for none; f32, row-major; M and N multiples of 4 — gemm.ts routes
 *   other shapes to JS). The bias row and the ReLU are applied as the tile is stored, saving a pass over C each.
 *
 * Register tile: 4 rows of C × 8 columns (two f32x4 vectors per row: 8 accumulators). Per k it loads two
 * vectors of B's row k, splats A[m+i, k] for the 4 rows and does 8 vector multiply-adds; a 4-column tail tile
 * handles N ≡ 4 (mod 8). Accumulation is in float32 (f32x4.mul then f32x4.add, never fused: WebAssembly's
 * arithmetic is IEEE-exact, so the bits are the same in every engine), in the order k = 0, 1, …, K−1.
 *
 * Binary format: WebAssembly Core Specification 2.0 (module layout, LEB128) and the SIMD proposal's opcodes
 * (prefix 0xfd: v128.load 0, v128.store 11, v128.const 12, f32x4.splat 19, f32x4.add 228, f32x4.mul 230,
 * f32x4.max 233 — NaN-propagating, max(−0, +0) = +0, as Math.max).
 */

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
const name = (s: string): number[] => vector([...s].map((ch) => [ch.charCodeAt(0)]));

// Instructions used (Core spec §5.4).
const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;
const op = {
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  shl: [0x74],
  ltS: [0x48],
  gtS: [0x4a],
  geS: [0x4e],
  f32Load: [0x2a, 2, 0], // align 2^2, offset 0
  vLoad: (offset: number) => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  vStore: (offset: number) => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  vZero: [0xfd, ...uleb(0x0c), ...new Array(16).fill(0)],
  splat: [0xfd, ...uleb(0x13)],
  fAdd: [0xfd, ...uleb(0xe4)],
  fMul: [0xfd, ...uleb(0xe6)],
  fMax: [0xfd, ...uleb(0xe9)],
};

/** The module's bytes: imports env.memory, exports gemm(a, b, c, M, N, K, acc, bias, relu) over i32 arguments. */
export function gemmModuleBytes(): Uint8Array {
  // Locals: the parameters, then i32 scratch, then v128 accumulators and operands.
  const P = { a: 0, b: 1, c: 2, M: 3, N: 4, K: 5, acc: 6, bias: 7, relu: 8 };
  const PARAMS = 9;
  const i32Names = [
    "m",
    "n",
    "k",
    "rowBytesA",
    "rowBytesB",
    "aRow",
    "pa0",
    "pa1",
    "pa2",
    "pa3",
    "pb",
    "pc",
    "pBias",
  ];
  const L: Record<string, number> = {};
  i32Names.forEach((n, i) => {
    L[n] = PARAMS + i;
  });
  const v128Names = ["s00", "s01", "s10", "s11", "s20", "s21", "s30", "s31", "w0", "w1", "x"];
  const V: Record<string, number> = {};
  v128Names.forEach((n, i) => {
    V[n] = PARAMS + i32Names.length + i;
  });
  const { get, set } = op;

  /** One 4 × width tile of C at rows m…m+3, columns n…n+width−1 (width 8 or 4). */
  const tile = (width: 8 | 4): number[] => {
    const rows = [
      ["pa0", "s00", "s01"],
      ["pa1", "s10", "s11"],
      ["pa2", "s20", "s21"],
      ["pa3", "s30", "s31"],
    ];
    const code: number[] = [];
    for (const [, s0, s1] of rows)
      code.push(...op.vZero, ...set(V[s0]), ...(width === 8 ? [...op.vZero, ...set(V[s1])] : []));
    // pa_i = address of A[m+i, 0]; pb = address of B[0, n]
    code.push(...get(L.aRow), ...set(L.pa0));
    code.push(...get(L.pa0), ...get(L.rowBytesA), ...op.add, ...set(L.pa1));
    code.push(...get(L.pa1), ...get(L.rowBytesA), ...op.add, ...set(L.pa2));
    code.push(...get(L.pa2), ...get(L.rowBytesA), ...op.add, ...set(L.pa3));
    code.push(...get(P.b), ...get(L.n), ...op.i32(2), ...op.shl, ...op.add, ...set(L.pb));
    code.push(...op.i32(0), ...set(L.k));
    code.push(...op.block, ...op.loop);
    code.push(...get(L.pb), ...op.vLoad(0), ...set(V.w0));
    if (width === 8) code.push(...get(L.pb), ...op.vLoad(16), ...set(V.w1));
    for (const [pa, s0, s1] of rows) {
      code.push(...get(L[pa]), ...op.f32Load, ...op.splat, ...set(V.x)); // x = A[m+i, k] in every lane
      code.push(...get(V[s0]), ...get(V.x), ...get(V.w0), ...op.fMul, ...op.fAdd, ...set(V[s0]));
      if (width === 8)
        code.push(...get(V[s1]), ...get(V.x), ...get(V.w1), ...op.fMul, ...op.fAdd, ...set(V[s1]));
      code.push(...get(L[pa]), ...op.i32(4), ...op.add, ...set(L[pa]));
    }
    code.push(...get(L.pb), ...get(L.rowBytesB), ...op.add, ...set(L.pb));
    code.push(...get(L.k), ...op.i32(1), ...op.add, ...op.tee(L.k), ...get(P.K), ...op.ltS, ...op.brIf(0));
    code.push(...op.end, ...op.end);
    // Store the tile (adding what C held when acc ≠ 0): pc = address of C[m, n], then down one row at a time.
    code.push(
      ...get(P.c),
      ...get(L.m),
      ...get(P.N),
      ...op.mul,
      ...get(L.n),
      ...op.add,
      ...op.i32(2),
      ...op.shl,
    );
    code.push(...op.add, ...set(L.pc));
    code.push(...get(P.bias), ...get(L.n), ...op.i32(2), ...op.shl, ...op.add, ...set(L.pBias)); // &bias[n]
    for (const [, s0, s1] of rows) {
      const lanes = width === 8 ? [s0, s1] : [s0];
      lanes.forEach((s, j) => {
        code.push(...get(P.bias), ...op.i32(0), ...op.geS, ...op.if); // s += bias[n …]
        code.push(...get(V[s]), ...get(L.pBias), ...op.vLoad(16 * j), ...op.fAdd, ...set(V[s]), ...op.end);
        code.push(...get(P.acc), ...op.if, ...get(V[s]), ...get(L.pc), ...op.vLoad(16 * j), ...op.fAdd);
        code.push(...set(V[s]), ...op.end);
        code.push(...get(P.relu), ...op.if, ...get(V[s]), ...op.vZero, ...op.fMax, ...set(V[s]), ...op.end);
        code.push(...get(L.pc), ...get(V[s]), ...op.vStore(16 * j));
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
    ...get(P.N),
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
    ...get(P.K),
    ...op.i32(2),
    ...op.shl,
    ...set(L.rowBytesA), // a row of A is K floats
    ...get(P.N),
    ...op.i32(2),
    ...op.shl,
    ...set(L.rowBytesB), // a row of B (and of C) is N floats
    ...op.i32(0),
    ...set(L.m),
    ...op.block,
    ...op.loop,
    ...get(L.m),
    ...get(P.M),
    ...op.geS,
    ...op.brIf(1), // for (m = 0; m < M; m += 4)
    ...get(P.a),
    ...get(L.m),
    ...get(L.rowBytesA),
    ...op.mul,
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
    ...op.end,
  ];
  const locals = vector([
    [...uleb(i32Names.length), I32],
    [...uleb(v128Names.length), V128],
  ]);
  const fn = [...locals, ...body];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, vector([[0x60, ...vector(new Array(PARAMS).fill([I32])), 0]])), // type 0: (i32 × 9) → ()
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, 1]])), // import memory, min 1 page
    ...section(3, vector([[0]])), // function 0 has type 0
    ...section(7, vector([[...name("gemm"), 0x00, 0]])), // export function 0 as "gemm"
    ...section(10, vector([[...uleb(fn.length), ...fn]])),
  ];
  return new Uint8Array(bytes);
}
