/**
 * A few lines of WebAssembly assembler: LEB128 numbers, sections, and the instructions the project's kernels use
 * (src/nn/wasmKernel.ts: the matrix products; src/nn/wasmGates.ts: the elementwise work; src/envs/coin/wasmStep.ts:
 * the Coin Game's step; src/exact/wasmPairStep.ts: the exact LOLA update), so the modules are written as bytes in
 * TypeScript (no toolchain, no binary file, nothing downloaded).
 *
 * Binary format: WebAssembly Core Specification 2.0 (module layout §5.5, LEB128 §5.2.2, instructions §5.4) and
 * the fixed-width SIMD opcodes (prefix 0xfd, §5.4.8). Only IEEE-exact arithmetic is used (no relaxed SIMD, no
 * fused multiply-add), so every engine computes the same bits.
 */

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};

export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};

export const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
export const name = (s: string): number[] => vector([...s].map((ch) => [ch.charCodeAt(0)]));

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const I64 = 0x7e;
const VOID = 0x40;

/** The little-endian bytes of a double (for v128.const / f64.const). */
function f64Bytes(x: number): number[] {
  return [...new Uint8Array(Float64Array.of(x).buffer)];
}

const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];

/**
 * v128.const of x in both f64 lanes, made once per bit pattern: a kernel's formulas hold hundreds of numbers, and
 * building each anew was a good part of generating a module in a fresh process. Keyed by the bits, not the number
 * (a Map would take −0 for 0). The cached array is frozen: callers copy its bytes out, and a write would throw.
 */
const F64X2_CONSTS = new Map<string, readonly number[]>();
function f64x2ConstOf(x: number): number[] {
  const bytes = f64Bytes(x);
  const key = bytes.join(",");
  let code = F64X2_CONSTS.get(key);
  if (code === undefined) {
    code = Object.freeze(simd(0x0c, ...bytes, ...bytes));
    F64X2_CONSTS.set(key, code);
  }
  return code as number[];
}
/** memarg: alignment exponent, then the constant byte offset. */
const mem = (align: number, offset: number) => [align, ...uleb(offset)];

export const op = {
  block: [0x02, VOID],
  loop: [0x03, VOID],
  if: [0x04, VOID],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  call: (fn: number) => [0x10, ...uleb(fn)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  eqz: [0x45],
  eq: [0x46],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  ltS: [0x48],
  ltU: [0x49],
  gtS: [0x4a],
  geS: [0x4e],
  return: [0x0f],
  or: [0x72],
  xor: [0x73],
  gtU: [0x4b],
  i32Load: (offset = 0) => [0x28, ...mem(2, offset)],
  i32Load8U: (offset = 0) => [0x2d, ...mem(0, offset)],
  i32Store: (offset = 0) => [0x36, ...mem(2, offset)],
  i32Store8: (offset = 0) => [0x3a, ...mem(0, offset)],
  f64ConvertI32S: [0xb7],
  f64Load: (offset = 0) => [0x2b, ...mem(3, offset)],
  f64Store: (offset = 0) => [0x39, ...mem(3, offset)],
  // SIMD
  vLoad: (offset: number) => simd(0x00, ...mem(4, offset)),
  /** v128.load32_splat: one float read into all four lanes (a broadcast load, no shuffle). */
  loadSplat32: (offset: number) => simd(0x09, ...mem(2, offset)),
  vStore: (offset: number) => simd(0x0b, ...mem(4, offset)),
  vZero: simd(0x0c, ...new Array(16).fill(0)),
  f64x2Const: (x: number) => f64x2ConstOf(x),
  f32x4Splat: simd(0x13),
  f64x2Splat: simd(0x14),
  i32x4ExtractLane: (lane: number) => simd(0x1b, lane),
  f64x2ExtractLane: (lane: number) => simd(0x21, lane),
  f64x2ReplaceLane: (lane: number) => simd(0x22, lane),
  f32x4Gt: simd(0x44),
  f64x2Eq: simd(0x47),
  f64x2Gt: simd(0x4a),
  f64x2Le: simd(0x4b),
  vAnd: simd(0x4e),
  /** v128.load64_lane (memarg, lane): 8 bytes into one 64-bit lane, the other lane kept. */
  load64Lane: (offset: number, lane: number) => simd(0x57, ...mem(3, offset), lane),
  /** v128.store64_lane: one 64-bit lane (here: two floats) to memory. */
  store64Lane: (offset: number, lane: number) => simd(0x5b, ...mem(3, offset), lane),
  /** v128.load64_zero: 8 bytes into the low lane, zero above. */
  load64Zero: (offset: number) => simd(0x5d, ...mem(3, offset)),
  f32x4DemoteF64x2Zero: simd(0x5e),
  f64x2PromoteLowF32x4: simd(0x5f),
  i32x4Shl: simd(0xab),
  i32x4ShrS: simd(0xac),
  i32x4Add: simd(0xae),
  i32x4Sub: simd(0xb1),
  i32x4Splat: simd(0x11),
  i64x2AllTrue: simd(0xc3),
  i64x2ExtendLowI32x4S: simd(0xc7),
  i64x2Shl: simd(0xcb),
  i64x2Add: simd(0xce),
  i64x2Splat: simd(0x12),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Max: simd(0xe9),
  f64x2Abs: simd(0xec),
  f64x2Neg: simd(0xed),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
  f64x2Div: simd(0xf3),
  i32x4TruncSatF64x2SZero: simd(0xfc),
  i64Const: (v: number) => [0x42, ...sleb(v)],
  // More i32 and the i64 integer instructions (the Coin Game's step and its xoroshiro128+: src/envs/coin/wasmStep.ts)
  and: [0x71],
  shrU: [0x76],
  clz: [0x67],
  ne: [0x47],
  leU: [0x4d],
  geU: [0x4f],
  select: [0x1b],
  i32Load16U: (offset = 0) => [0x2f, ...mem(1, offset)],
  i32Store16: (offset = 0) => [0x3b, ...mem(1, offset)],
  i64Load: (offset = 0) => [0x29, ...mem(3, offset)],
  i64Store: (offset = 0) => [0x37, ...mem(3, offset)],
  i64Add: [0x7c],
  i64Xor: [0x85],
  i64Shl: [0x86],
  i64Rotl: [0x89],
  i32WrapI64: [0xa7],
  popcnt: [0x69],
  i64Or: [0x84],
  i64ShrU: [0x88],
  i64ExtendI32U: [0xad],
  /** v128.const of 16 bytes. */
  v128Const: (bytes: readonly number[]) => simd(0x0c, ...bytes),
  i16x8Splat: simd(0x10),
  i16x8Shl: simd(0x8b),
  i16x8ShrU: simd(0x8d),
  i16x8Mul: simd(0x95),
  // Byte-lane SIMD (the Coin Game's 8-games-at-a-time first pass)
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of (a ‖ b), 0…31. */
  shuffle: (lanes: readonly number[]) => simd(0x0d, ...lanes),
  /** i8x16.swizzle: byte i = table[index[i]], 0 where index[i] ≥ 16. */
  swizzle: simd(0x0e),
  i8x16Splat: simd(0x0f),
  i8x16Eq: simd(0x23),
  vOr: simd(0x50),
  vXor: simd(0x51),
  anyTrue: simd(0x53),
  i8x16Bitmask: simd(0x64),
  i8x16NarrowI16x8U: simd(0x66),
  i8x16Shl: simd(0x6b),
  i8x16Add: simd(0x6e),
  i8x16Sub: simd(0x71),
  i16x8NarrowI32x4U: simd(0x86),
  i16x8ExtendLowI8x16S: simd(0x87),
  i16x8ExtendHighI8x16S: simd(0x88),
  i16x8ExtendLowI8x16U: simd(0x89),
  i16x8ExtendHighI8x16U: simd(0x8a),
  i32x4ExtendLowI16x8S: simd(0xa7),
  i32x4ExtendHighI16x8S: simd(0xa8),
  i32x4ExtendLowI16x8U: simd(0xa9),
  i32x4ExtendHighI16x8U: simd(0xaa),
  f64x2ConvertLowI32x4S: simd(0xfe),
};

/** Named locals: the parameters first (in order), then i32, f64, v128 and i64 scratch. */
export function locals<
  P extends string,
  I extends string,
  F extends string,
  V extends string,
  L extends string = never,
>(
  params: readonly P[],
  i32s: readonly I[],
  f64s: readonly F[],
  v128s: readonly V[],
  i64s: readonly L[] = [],
): { index: Record<P | I | F | V | L, number>; declaration: number[] } {
  const index = {} as Record<P | I | F | V | L, number>;
  let next = 0;
  for (const n of [...params, ...i32s, ...f64s, ...v128s, ...i64s]) index[n as P | I | F | V | L] = next++;
  const groups: number[][] = [];
  if (i32s.length) groups.push([...uleb(i32s.length), I32]);
  if (f64s.length) groups.push([...uleb(f64s.length), F64]);
  if (v128s.length) groups.push([...uleb(v128s.length), V128]);
  if (i64s.length) groups.push([...uleb(i64s.length), I64]);
  return { index, declaration: vector(groups) };
}

export interface FunctionDef {
  name: string;
  /** Parameter types (i32 unless given). */
  params: number[];
  results: number[];
  /** Local declarations followed by the body (without the final `end`). */
  body: number[];
}

export interface ImportedFunction {
  module: string;
  name: string;
  params: number[];
  results: number[];
}

/**
 * A module that imports env.memory (and the given functions, numbered first) and exports `functions` by name.
 */
export function moduleBytes(functions: FunctionDef[], imports: ImportedFunction[] = []): Uint8Array {
  const types = [...imports, ...functions].map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  const importEntries = [
    [...name("env"), ...name("memory"), 0x02, 0x00, 1], // memory, min 1 page
    ...imports.map((f, i) => [...name(f.module), ...name(f.name), 0x00, ...uleb(i)]),
  ];
  const firstOwn = imports.length;
  const head = [
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, vector(types)),
    ...section(2, vector(importEntries)),
    ...section(3, vector(functions.map((_, i) => uleb(firstOwn + i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(firstOwn + i)]))),
  ];
  // The code section, copied once into the result: bodies run to thousands of bytes, and spreading them into
  // intermediate arrays was most of the cost of building a module in a fresh process.
  const bodies: (readonly number[])[] = [uleb(functions.length)];
  for (const f of functions) bodies.push(uleb(f.body.length + op.end.length), f.body, op.end);
  const codeLength = bodies.reduce((n, part) => n + part.length, 0);
  const parts = [head, [10, ...uleb(codeLength)], ...bodies];
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) bytes[at + i] = part[i];
    at += part.length;
  }
  return bytes;
}
