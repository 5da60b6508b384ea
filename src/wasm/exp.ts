/**
 * The project's exp (src/util/elementary.ts, Tang's method) on two f64 lanes in WebAssembly SIMD, the same bits:
 *   k = round(64x/ln2) by the 1.5·2^52 shift;  r = x − k·(ln2/64)_hi − k·(ln2/64)_lo;  j = k mod 64;  m = ⌊k/64⌋
 *   e^x = 2^m · (t_j + t_j·p(r)),  t_j = 2^(j/64) from the same table,  p the same degree-6 Horner polynomial,
 *   2^m built from its exponent bits (exact, as the table TWO_TO_M holds it).
 * That port covers |x| ≤ 700, where exp takes its one general branch; a pair of lanes with any other argument
 * (overflow, underflow, subnormal results, NaN) calls the JavaScript exp itself, so no edge case is re-derived.
 * Used by the neural engine's gates (src/nn/wasmGates.ts) and the exact engine's pair step
 * (src/exact/wasmPairStep.ts); test/nn-fast-path.test.ts checks the bits, edge cases included.
 */
import { EXP_ALGORITHM } from "../util/elementary.js";
import { op } from "./bytes.js";

/** Where the table 2^(j/64) lives in the memory, and how many bytes it takes. */
export const EXP_TABLE_OFFSET = 0;
export const EXP_TABLE_BYTES = 8 * (1 << EXP_ALGORITHM.tableBits);
/** Above this |x| the port hands the pair of lanes to the JavaScript exp (|x| ≤ 700 keeps 2^m normal). */
const PORTED_RANGE = 700;
/** The imported JavaScript exp is function 0. */
const JS_EXP = 0;

const { get, set } = op;
const c64 = op.f64x2Const;

/** v128 scratch every function with an exp uses. */
export const EXP_SCRATCH = ["ex", "ey", "kf", "er", "ep", "et", "ek", "ej", "em"] as const;
export type ExpScratch = Record<(typeof EXP_SCRATCH)[number], number>;

/**
 * y = e^x on two f64 lanes (locals of the calling function), the same bits as elementary.ts's exp. A module using
 * it imports the JavaScript exp as function 0 (for lanes beyond the port's range) and holds the table at
 * EXP_TABLE_OFFSET.
 */
export function expInto(L: ExpScratch, x: number, y: number): number[] {
  const A = EXP_ALGORITHM;
  // p = r + r·r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r·(1/720))))), the same Horner order
  const poly = [
    ...c64(1 / 2),
    ...get(L.er),
    ...c64(1 / 6),
    ...get(L.er),
    ...c64(1 / 24),
    ...get(L.er),
    ...c64(1 / 120),
    ...get(L.er),
    ...c64(1 / 720),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.f64x2Mul,
    ...op.f64x2Add,
  ];
  return [
    ...get(x),
    ...op.f64x2Abs,
    ...c64(PORTED_RANGE),
    ...op.f64x2Le,
    ...op.i64x2AllTrue,
    ...op.if,
    // kf = x·(64/ln2) + 1.5·2^52 − 1.5·2^52
    ...get(x),
    ...c64(A.nOverLn2),
    ...op.f64x2Mul,
    ...c64(A.roundingShift),
    ...op.f64x2Add,
    ...c64(A.roundingShift),
    ...op.f64x2Sub,
    ...set(L.kf),
    // r = x − kf·hi − kf·lo
    ...get(x),
    ...get(L.kf),
    ...c64(A.ln2OverNHi),
    ...op.f64x2Mul,
    ...op.f64x2Sub,
    ...get(L.kf),
    ...c64(A.ln2OverNLo),
    ...op.f64x2Mul,
    ...op.f64x2Sub,
    ...set(L.er),
    // k (lanes 0, 1), j = k & 63, m = (k − j) >> 6
    ...get(L.kf),
    ...op.i32x4TruncSatF64x2SZero,
    ...set(L.ek),
    ...get(L.ek),
    ...op.i32((1 << A.tableBits) - 1),
    ...op.i32x4Splat,
    ...op.vAnd,
    ...set(L.ej),
    ...get(L.ek),
    ...get(L.ej),
    ...op.i32x4Sub,
    ...op.i32(A.tableBits),
    ...op.i32x4ShrS,
    ...set(L.em),
    ...get(L.er),
    ...get(L.er),
    ...get(L.er),
    ...op.f64x2Mul,
    ...poly,
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...set(L.ep),
    // t = table[j] for both lanes
    ...get(L.ej),
    ...op.i32x4ExtractLane(0),
    ...op.i32(3),
    ...op.shl,
    ...op.load64Zero(EXP_TABLE_OFFSET),
    ...set(L.et),
    ...get(L.ej),
    ...op.i32x4ExtractLane(1),
    ...op.i32(3),
    ...op.shl,
    ...get(L.et),
    ...op.load64Lane(EXP_TABLE_OFFSET, 1),
    ...set(L.et),
    // 2^m · (t + t·p)
    ...get(L.em),
    ...op.i64x2ExtendLowI32x4S,
    ...op.i64Const(1023),
    ...op.i64x2Splat,
    ...op.i64x2Add,
    ...op.i32(52),
    ...op.i64x2Shl,
    ...get(L.et),
    ...get(L.et),
    ...get(L.ep),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...op.f64x2Mul,
    ...set(y),
    ...op.else,
    ...get(x),
    ...op.f64x2ExtractLane(0),
    ...op.call(JS_EXP),
    ...op.f64x2Splat,
    ...get(x),
    ...op.f64x2ExtractLane(1),
    ...op.call(JS_EXP),
    ...op.f64x2ReplaceLane(1),
    ...set(y),
    ...op.end,
  ];
}
