/**
 * The neural engine's elementwise work in WebAssembly SIMD, computing exactly what the JavaScript loops compute
 * (gru.ts, activations.ts, gemm.ts's column sums), bit for bit, two float64 lanes at a time:
 *
 *   gruResetUpdate    r, z = σ(gi + gh)                          over the first 2H columns of a step's rows
 *   gruCandidate      n = tanh(gi_n + r ⊙ gh_n);  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *   gruGatesBackward  dn = dh ⊙ (1 − z);  dz = dh ⊙ (h_{t−1} − n);  da = dn ⊙ (1 − n²);  dgi = (dr·r(1 − r),
 *                     dz·z(1 − z), da);  dgh = (…, …, da ⊙ r);  dh_{t−1} = dh ⊙ z  (gru.ts has the derivation)
 *   reluBackward      dX = dY ⊙ [y > 0]
 *   addColumnSums     out[m] += Σ_k A[k, m]                       (summed in float64, k in order)
 *   expArray          y = e^x over float64s                        (the exp port alone, for its test)
 *
 * Same bits as JavaScript: the loops read float32, compute in float64 with the same operations in the same order
 * (IEEE +, −, ×, ÷ are exact everywhere; nothing is fused) and round to float32 once when they store, as a
 * Float32Array store does. σ(x) = 1/(1 + e^−x) and tanh(x) = 1 − 2/(1 + e^2x) (activations.ts) use the port of
 * the project's exp in src/wasm/exp.ts. test/nn-fast-path.test.ts checks the bits against the JavaScript loops.
 *
 * Memory: the 64 table entries sit at byte EXP_TABLE_OFFSET of the module's memory (kernelArena.ts puts them
 * there); every other argument is a byte offset. H (the hidden size) must be even; the row counts positive.
 */
import { F64, type FunctionDef, locals, moduleBytes, op } from "../wasm/bytes.js";
import { EXP_SCRATCH, expInto } from "../wasm/exp.js";

export { EXP_TABLE_BYTES, EXP_TABLE_OFFSET } from "../wasm/exp.js";

const { get, set } = op;
const c64 = op.f64x2Const;

/** Two floats at address base + offset (byte offsets in locals) as an f64x2. */
const load2 = (base: number, offset: number, memOffset = 0) => [
  ...get(base),
  ...get(offset),
  ...op.add,
  ...op.load64Zero(memOffset),
  ...op.f64x2PromoteLowF32x4,
];
/** Round the f64x2 computed by `value` to two floats at base + offset. */
const store2 = (base: number, offset: number, value: number[]) => [
  ...get(base),
  ...get(offset),
  ...op.add,
  ...value,
  ...op.f32x4DemoteF64x2Zero,
  ...op.store64Lane(0, 0),
];
/** do { body } while (++counter < limit), counting by `step`. */
const doWhile = (counter: number, step: number, limit: number, body: number[]) => [
  ...op.i32(0),
  ...set(counter),
  ...op.block,
  ...op.loop,
  ...body,
  ...get(counter),
  ...op.i32(step),
  ...op.add,
  ...op.tee(counter),
  ...get(limit),
  ...op.ltS,
  ...op.brIf(0),
  ...op.end,
  ...op.end,
];
const addTo = (local: number, value: number[]) => [...get(local), ...value, ...op.add, ...set(local)];
const bytesOf = (local: number, floats: number) => [...get(local), ...op.i32(4 * floats), ...op.mul];

/** rz[row, 0 … 2H) = σ(gi[row, 0 … 2H) + gh[row, 0 … 2H)) for `rows` rows (gi, gh rows are 3H long). */
function gruResetUpdate(): FunctionDef {
  const P = ["gi", "gh", "rz", "rows", "H"] as const;
  const { index: L, declaration } = locals(P, ["row", "j", "width", "o3", "o2"], [], [...EXP_SCRATCH, "s"]);
  const body = [
    ...get(L.H),
    ...op.i32(2),
    ...op.mul,
    ...set(L.width),
    ...op.i32(0),
    ...set(L.o3),
    ...op.i32(0),
    ...set(L.o2),
    ...doWhile(L.row, 1, L.rows, [
      ...doWhile(L.j, 2, L.width, [
        ...load2(L.gi, L.o3),
        ...load2(L.gh, L.o3),
        ...op.f64x2Add,
        ...op.f64x2Neg,
        ...set(L.ex),
        ...expInto(L, L.ex, L.ey),
        ...store2(L.rz, L.o2, [...c64(1), ...c64(1), ...get(L.ey), ...op.f64x2Add, ...op.f64x2Div]),
        ...addTo(L.o3, op.i32(8)),
        ...addTo(L.o2, op.i32(8)),
      ]),
      ...addTo(L.o3, bytesOf(L.H, 1)), // skip the n third of gi and gh
    ]),
  ];
  return { name: "gruResetUpdate", params: P.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** n = tanh(gi_n + r ⊙ gh_n) and h_out = (1 − z) ⊙ n + z ⊙ h_prev, for `rows` rows. */
function gruCandidate(): FunctionDef {
  const P = ["gi", "gh", "rz", "hPrev", "n", "hOut", "rows", "H"] as const;
  const { index: L, declaration } = locals(
    P,
    ["row", "j", "o", "o2", "o3", "giN", "ghN", "z"],
    [],
    [...EXP_SCRATCH, "nj", "zj"],
  );
  const body = [
    ...get(L.gi),
    ...bytesOf(L.H, 2),
    ...op.add,
    ...set(L.giN),
    ...get(L.gh),
    ...bytesOf(L.H, 2),
    ...op.add,
    ...set(L.ghN),
    ...get(L.rz),
    ...bytesOf(L.H, 1),
    ...op.add,
    ...set(L.z),
    ...op.i32(0),
    ...set(L.o),
    ...op.i32(0),
    ...set(L.o2),
    ...op.i32(0),
    ...set(L.o3),
    ...doWhile(L.row, 1, L.rows, [
      ...doWhile(L.j, 2, L.H, [
        // 2·(gi_n + r·gh_n)
        ...load2(L.giN, L.o3),
        ...load2(L.rz, L.o2),
        ...load2(L.ghN, L.o3),
        ...op.f64x2Mul,
        ...op.f64x2Add,
        ...c64(2),
        ...op.f64x2Mul,
        ...set(L.ex),
        ...expInto(L, L.ex, L.ey),
        ...c64(1),
        ...c64(2),
        ...c64(1),
        ...get(L.ey),
        ...op.f64x2Add,
        ...op.f64x2Div,
        ...op.f64x2Sub,
        ...set(L.nj),
        ...store2(L.n, L.o, get(L.nj)),
        ...load2(L.z, L.o2),
        ...set(L.zj),
        ...store2(L.hOut, L.o, [
          ...c64(1),
          ...get(L.zj),
          ...op.f64x2Sub,
          ...get(L.nj),
          ...op.f64x2Mul,
          ...get(L.zj),
          ...load2(L.hPrev, L.o),
          ...op.f64x2Mul,
          ...op.f64x2Add,
        ]),
        ...addTo(L.o, op.i32(8)),
        ...addTo(L.o2, op.i32(8)),
        ...addTo(L.o3, op.i32(8)),
      ]),
      ...addTo(L.o2, bytesOf(L.H, 1)),
      ...addTo(L.o3, bytesOf(L.H, 2)),
    ]),
  ];
  return { name: "gruCandidate", params: P.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** One step's dgi, dgh and the direct part of dh_{t−1}, from dh = dOut + carry (gru.ts's gatesBackward). */
function gruGatesBackward(): FunctionDef {
  const P = ["dOut", "carry", "hPrev", "rz", "n", "gh", "dgi", "dgh", "dhPrev", "rows", "H"] as const;
  const { index: L, declaration } = locals(
    P,
    ["row", "j", "o", "o2", "o3", "z", "ghN", "dgiZ", "dgiN", "dghZ", "dghN"],
    [],
    ["d", "r", "zj", "nj", "da", "dzPre", "drPre", "one"],
  );
  const offset = (into: number, base: number, floatsPerH: number) => [
    ...get(base),
    ...bytesOf(L.H, floatsPerH),
    ...op.add,
    ...set(into),
  ];
  const body = [
    ...offset(L.z, L.rz, 1),
    ...offset(L.ghN, L.gh, 2),
    ...offset(L.dgiZ, L.dgi, 1),
    ...offset(L.dgiN, L.dgi, 2),
    ...offset(L.dghZ, L.dgh, 1),
    ...offset(L.dghN, L.dgh, 2),
    ...c64(1),
    ...set(L.one),
    ...op.i32(0),
    ...set(L.o),
    ...op.i32(0),
    ...set(L.o2),
    ...op.i32(0),
    ...set(L.o3),
    ...doWhile(L.row, 1, L.rows, [
      ...doWhile(L.j, 2, L.H, [
        ...load2(L.dOut, L.o),
        ...load2(L.carry, L.o),
        ...op.f64x2Add,
        ...set(L.d),
        ...load2(L.rz, L.o2),
        ...set(L.r),
        ...load2(L.z, L.o2),
        ...set(L.zj),
        ...load2(L.n, L.o),
        ...set(L.nj),
        // da = d·(1 − z)·(1 − n·n)
        ...get(L.d),
        ...get(L.one),
        ...get(L.zj),
        ...op.f64x2Sub,
        ...op.f64x2Mul,
        ...get(L.one),
        ...get(L.nj),
        ...get(L.nj),
        ...op.f64x2Mul,
        ...op.f64x2Sub,
        ...op.f64x2Mul,
        ...set(L.da),
        // drPre = da·gh_n·r·(1 − r)
        ...get(L.da),
        ...load2(L.ghN, L.o3),
        ...op.f64x2Mul,
        ...get(L.r),
        ...op.f64x2Mul,
        ...get(L.one),
        ...get(L.r),
        ...op.f64x2Sub,
        ...op.f64x2Mul,
        ...set(L.drPre),
        // dzPre = d·(h_prev − n)·z·(1 − z)
        ...get(L.d),
        ...load2(L.hPrev, L.o),
        ...get(L.nj),
        ...op.f64x2Sub,
        ...op.f64x2Mul,
        ...get(L.zj),
        ...op.f64x2Mul,
        ...get(L.one),
        ...get(L.zj),
        ...op.f64x2Sub,
        ...op.f64x2Mul,
        ...set(L.dzPre),
        ...store2(L.dgi, L.o3, get(L.drPre)),
        ...store2(L.dgiZ, L.o3, get(L.dzPre)),
        ...store2(L.dgiN, L.o3, get(L.da)),
        ...store2(L.dgh, L.o3, get(L.drPre)),
        ...store2(L.dghZ, L.o3, get(L.dzPre)),
        ...store2(L.dghN, L.o3, [...get(L.da), ...get(L.r), ...op.f64x2Mul]),
        ...store2(L.dhPrev, L.o, [...get(L.d), ...get(L.zj), ...op.f64x2Mul]),
        ...addTo(L.o, op.i32(8)),
        ...addTo(L.o2, op.i32(8)),
        ...addTo(L.o3, op.i32(8)),
      ]),
      ...addTo(L.o2, bytesOf(L.H, 1)),
      ...addTo(L.o3, bytesOf(L.H, 2)),
    ]),
  ];
  return {
    name: "gruGatesBackward",
    params: P.map(() => 0x7f),
    results: [],
    body: [...declaration, ...body],
  };
}

/** dX[i] = y[i] > 0 ? dY[i] : 0 for i < count (a multiple of 4), four floats at a time. */
function reluBackward(): FunctionDef {
  const P = ["y", "dY", "dX", "count"] as const;
  const { index: L, declaration } = locals(P, ["i", "o"], [], []);
  const body = [
    ...op.i32(0),
    ...set(L.o),
    ...doWhile(L.i, 4, L.count, [
      ...get(L.dX),
      ...get(L.o),
      ...op.add,
      ...get(L.dY),
      ...get(L.o),
      ...op.add,
      ...op.vLoad(0),
      ...get(L.y),
      ...get(L.o),
      ...op.add,
      ...op.vLoad(0),
      ...op.vZero,
      ...op.f32x4Gt,
      ...op.vAnd,
      ...op.vStore(0),
      ...addTo(L.o, op.i32(16)),
    ]),
  ];
  return { name: "reluBackward", params: P.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** out[m] += Σ_k a[k·M + m] (float64 sums in k order, in `sums`: M doubles of scratch); M even. */
function addColumnSums(): FunctionDef {
  const P = ["a", "out", "K", "M", "sums"] as const;
  const { index: L, declaration } = locals(P, ["k", "m", "pa", "ps"], [], []);
  const body = [
    ...doWhile(L.m, 2, L.M, [
      ...get(L.sums),
      ...get(L.m),
      ...op.i32(3),
      ...op.shl,
      ...op.add,
      ...op.vZero,
      ...op.vStore(0),
    ]),
    ...get(L.a),
    ...set(L.pa),
    ...doWhile(L.k, 1, L.K, [
      ...get(L.sums),
      ...set(L.ps),
      ...doWhile(L.m, 2, L.M, [
        ...get(L.ps),
        ...get(L.ps),
        ...op.vLoad(0),
        ...get(L.pa),
        ...op.load64Zero(0),
        ...op.f64x2PromoteLowF32x4,
        ...op.f64x2Add,
        ...op.vStore(0),
        ...addTo(L.ps, op.i32(16)),
        ...addTo(L.pa, op.i32(8)),
      ]),
    ]),
    ...get(L.out),
    ...set(L.pa),
    ...get(L.sums),
    ...set(L.ps),
    ...doWhile(L.m, 2, L.M, [
      ...get(L.pa),
      ...get(L.pa),
      ...op.load64Zero(0),
      ...op.f64x2PromoteLowF32x4,
      ...get(L.ps),
      ...op.vLoad(0),
      ...op.f64x2Add,
      ...op.f32x4DemoteF64x2Zero,
      ...op.store64Lane(0, 0),
      ...addTo(L.ps, op.i32(16)),
      ...addTo(L.pa, op.i32(8)),
    ]),
  ];
  return { name: "addColumnSums", params: P.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** y[i] = e^x[i] for count doubles (count even): the port on its own, so a test can compare all 64 bits. */
function expArray(): FunctionDef {
  const P = ["x", "y", "count"] as const;
  const { index: L, declaration } = locals(P, ["i", "o"], [], [...EXP_SCRATCH]);
  const body = [
    ...op.i32(0),
    ...set(L.o),
    ...doWhile(L.i, 2, L.count, [
      ...get(L.x),
      ...get(L.o),
      ...op.add,
      ...op.vLoad(0),
      ...set(L.ex),
      ...expInto(L, L.ex, L.ey),
      ...get(L.y),
      ...get(L.o),
      ...op.add,
      ...get(L.ey),
      ...op.vStore(0),
      ...addTo(L.o, op.i32(16)),
    ]),
  ];
  return { name: "expArray", params: P.map(() => 0x7f), results: [], body: [...declaration, ...body] };
}

/** The module: imports env.memory and env.exp (the JavaScript exp, for arguments beyond the port's range). */
export function gatesModuleBytes(): Uint8Array {
  return moduleBytes(
    [gruResetUpdate(), gruCandidate(), gruGatesBackward(), reluBackward(), addColumnSums(), expArray()],
    [{ module: "env", name: "exp", params: [F64], results: [F64] }],
  );
}
