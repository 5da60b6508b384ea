/**
 * One simultaneous update of a batch of memory-one pairs, both agents exact naive or exact LOLA, in WebAssembly
 * SIMD: two seeds at a time in the two f64 lanes. It computes exactly what the JavaScript path computes
 * (MemoryOneEvaluator.evaluate, then each learner's direction, then θ += lr·direction in train.ts), bit for bit:
 * the formulas below are derivatives.ts's, in the same order, compiled by src/wasm/formula.ts (one IEEE f64x2
 * instruction per operator, nothing fused), and e^x is src/wasm/exp.ts's port of the project's exp.
 *
 *   naive:  d_i = ∇_i V_i                                    LOLA:  d_i = ∇_i V_i + η_i·(∇_i∇_j V_j)·∇_j V_i
 *   θ_i ← θ_i + lr_i·d_i  for both agents, from the same (θ_1, θ_2)
 *
 * The kernel only takes the common case. A pair is left to the JavaScript path (its flag stays 1, nothing of it
 * is written) when either seed has stopped, or when anything in either lane is not finite: the sum of the
 * logits, the determinant test of invert4, a value, a new logit. The JavaScript path then redoes the pair and
 * reports what went wrong exactly as it always has; test/exact-wasm.test.ts checks that both paths give the same
 * bits, edge cases included. Where WebAssembly SIMD is missing, the kernel is never created.
 *
 * Memory (bytes): [0, 512) the exp table (src/wasm/exp.ts), [512, 616) the constants (CONSTANTS), then the buffers
 * whose offsets `step` takes: θ [batch, 10] f64, values [batch, 2] f64, running [batch] u8, flags [pairs] u8.
 */
import { EXP_ALGORITHM, exp } from "../util/elementary.js";
import { type WasmApi, wasmApi } from "../wasm/api.js";
import { F64, locals, moduleBytes, op } from "../wasm/bytes.js";
import { EXP_SCRATCH, EXP_TABLE_BYTES, EXP_TABLE_OFFSET, type ExpScratch, expInto } from "../wasm/exp.js";
import { Formulas } from "../wasm/formula.js";
import { agent2State } from "./chain.js";
import type { PairKernel, PairRule } from "./differentiable.js";

/** Joint index of agent i's probability in chain row s (agent-1 view): ROW_PARAM[4i + s], as in derivatives.ts. */
const ROW_PARAM = [1, 2, 3, 4, ...[0, 1, 2, 3].map((s) => 5 + agent2State(s))];

/** Where the constants sit: γ, r_1 (4), r_2 (4), η_1, η_2, lr_1, lr_2. */
const CONSTANTS = EXP_TABLE_OFFSET + EXP_TABLE_BYTES;
const CONSTANT_NAMES = [
  "g",
  "r0_0",
  "r0_1",
  "r0_2",
  "r0_3",
  "r1_0",
  "r1_1",
  "r1_2",
  "r1_3",
  "eta0",
  "eta1",
  "lr0",
  "lr1",
];
const HEADER_BYTES = 1024;

const PARAMS = ["theta", "values", "running", "flags", "pairs", "update"] as const;
const I32S = ["p", "tb", "vb"] as const;

/** The code of `step(theta, values, running, flags, pairs, update)` for one pair of rules. */
function stepFunction(rules: readonly [PairRule, PairRule]) {
  const first = PARAMS.length + I32S.length;
  const f = new Formulas(first);
  const I = Object.fromEntries([...PARAMS, ...I32S].map((n, i) => [n, i])) as Record<
    (typeof PARAMS)[number] | (typeof I32S)[number],
    number
  >;
  const L = (name: string) => f.local(name);
  const S = Object.fromEntries(EXP_SCRATCH.map((n) => [n, L(n)])) as ExpScratch;
  const { get, set } = op;
  const code: number[] = [];
  // One native push per part: this runs once per process, in the interpreter, where a loop per byte cost most of
  // the time (a part is at most a few thousand bytes, far below the engines' argument limits).
  const emit = (...parts: number[][]) => {
    for (let k = 0; k < parts.length; k++) code.push(...parts[k]);
  };
  /** ok &= (x − x == 0) lane-wise: x is finite. */
  const requireFinite = (formula: string) =>
    emit(
      get(L("ok")),
      f.value(`${formula} - ${formula}`),
      op.f64x2Const(0),
      op.f64x2Eq,
      op.vAnd,
      set(L("ok")),
    );

  // The constants, splatted once.
  CONSTANT_NAMES.forEach((n, k) => emit(op.i32(0), op.f64Load(CONSTANTS + 8 * k), op.f64x2Splat, set(L(n))));

  const constants = code.splice(0);
  // The evaluation (MemoryOneEvaluator.evaluate) of seeds 2p and 2p + 1.
  {
    // θ lanes: seed 2p in lane 0, seed 2p + 1 in lane 1.
    for (let a = 0; a < 10; a++) {
      emit(get(I.tb), op.load64Zero(8 * a), set(L("lane")));
      emit(get(I.tb), get(L("lane")), op.load64Lane(80 + 8 * a, 1), set(L(`t${a}`)));
    }
    emit(op.vZero, op.f64x2Const(0), op.f64x2Eq, set(L("ok"))); // all ones
    requireFinite(`(${[...Array(10).keys()].map((a) => `t${a}`).join(" + ")})`);
    // q = σ(θ), d = σ'(θ) = q·(e·q), e = e^−θ (evaluate's loop)
    const expCode = expInto(S, L("ex"), L("ey")); // ey = e^ex, the same code for every a
    for (let a = 0; a < 10; a++) {
      emit(f.let("ex", `-t${a}`));
      emit(expCode);
      emit(f.let(`q${a}`, "1 / (1 + ey)"), f.let(`d${a}`, `q${a} * (ey * q${a})`));
    }
    // p0 and M = I − γP; agent 1's row probabilities x_s = q[1 + s], agent 2's y_s = q[ROW_PARAM[4 + s]].
    const x = [1, 2, 3, 4].map((a) => `q${a}`);
    const y = [0, 1, 2, 3].map((s) => `q${ROW_PARAM[4 + s]}`);
    emit(
      f.lets([
        ["p00", "q0 * q5"],
        ["p01", "q0 * (1 - q5)"],
        ["p02", "(1 - q0) * q5"],
        ["p03", "(1 - q0) * (1 - q5)"],
      ]),
    );
    for (let s = 0; s < 4; s++) {
      const row = [
        `g * ${x[s]} * ${y[s]}`,
        `g * ${x[s]} * (1 - ${y[s]})`,
        `g * (1 - ${x[s]}) * ${y[s]}`,
        `g * (1 - ${x[s]}) * (1 - ${y[s]})`,
      ];
      for (let c = 0; c < 4; c++) emit(f.let(`a${s}${c}`, c === s ? `1 - ${row[c]}` : `-${row[c]}`));
    }
    emit(invert4Code(f));
    requireFinite("det");
    emit(get(L("ok")), f.value("det"), op.f64x2Abs, op.f64x2Const(1e-300), op.f64x2Gt, op.vAnd, set(L("ok")));
    emit(
      f.lets([
        ["o0", "p00 * m00 + p01 * m10 + p02 * m20 + p03 * m30"],
        ["o1", "p00 * m01 + p01 * m11 + p02 * m21 + p03 * m31"],
        ["o2", "p00 * m02 + p01 * m12 + p02 * m22 + p03 * m32"],
        ["o3", "p00 * m03 + p01 * m13 + p02 * m23 + p03 * m33"],
      ]),
    );
    // Row differences of M⁻¹: agent 1's (CC − DC, CD − DD), then agent 2's (CC − CD, DC − DD).
    const rowDiff = [
      [0, 2],
      [1, 3],
      [0, 1],
      [2, 3],
    ];
    rowDiff.forEach(([r, t], h) => {
      for (let c = 0; c < 4; c++) emit(f.let(`rd${4 * h + c}`, `m${r}${c} - m${t}${c}`));
    });
    for (let s = 0; s < 4; s++) emit(f.let(`gx${s}`, `g * o${s}`));
    for (let k = 0; k < 2; k++) {
      for (let s = 0; s < 4; s++)
        emit(f.let(`v${s}`, [0, 1, 2, 3].map((c) => `m${s}${c} * r${k}_${c}`).join(" + ")));
      emit(
        f.lets([
          [`V${k}`, "p00 * v0 + p01 * v1 + p02 * v2 + p03 * v3"],
          [`cv${k}`, "v0 - v1 - v2 + v3"],
          ["across1C", "v0 - v2"],
          ["across1D", "v1 - v3"],
          ["across2C", "v0 - v1"],
          ["across2D", "v2 - v3"],
        ]),
      );
      // ∂(p0 or row)/∂q · v_k, then the gradient in logits (γ x_s for a state parameter).
      const across1 = (p: string) => `${p} * across1C + (1 - ${p}) * across1D`;
      const across2 = (p: string) => `${p} * across2C + (1 - ${p}) * across2D`;
      emit(f.let(`rv${k}_0`, across1("q5")));
      for (let s = 0; s < 4; s++) emit(f.let(`rv${k}_${1 + s}`, across1(y[s])));
      emit(f.let(`rv${k}_5`, across2("q0")));
      for (let s = 0; s < 4; s++) emit(f.let(`rv${k}_${ROW_PARAM[4 + s]}`, across2(x[s])));
      emit(f.let(`gr${k}_0`, `rv${k}_0 * d0`), f.let(`gr${k}_5`, `rv${k}_5 * d5`));
      for (let s = 0; s < 4; s++) {
        for (const a of [ROW_PARAM[s], ROW_PARAM[4 + s]])
          emit(f.let(`gr${k}_${a}`, `gx${s} * rv${k}_${a} * d${a}`));
      }
      requireFinite(`V${k}`);
    }
  }
  const evaluation = code.splice(0);

  // The update: each agent's direction from the same point, then θ += lr·d.
  for (const i of [0, 1] as const) {
    const rule = rules[i];
    if (rule.kind === "lola") emit(lolaTermCode(f, i));
    for (let a = 0; a < 5; a++) {
      const own = `gr${i}_${5 * i + a}`;
      emit(f.let(`dir${5 * i + a}`, rule.kind === "lola" ? `${own} + eta${i} * term${a}` : own));
    }
  }
  for (let a = 0; a < 10; a++) {
    emit(f.let(`n${a}`, `t${a} + lr${a < 5 ? 0 : 1} * dir${a}`));
    requireFinite(`n${a}`);
  }
  const update = code.splice(0);
  const storeValues = [
    [get(I.vb), get(L("V0")), op.store64Lane(0, 0)],
    [get(I.vb), get(L("V1")), op.store64Lane(8, 0)],
    [get(I.vb), get(L("V0")), op.store64Lane(16, 1)],
    [get(I.vb), get(L("V1")), op.store64Lane(24, 1)],
  ].flat(2);
  const storeTheta: number[] = [];
  for (let a = 0; a < 10; a++) {
    storeTheta.push(...get(I.tb), ...get(L(`n${a}`)), ...op.store64Lane(8 * a, 0));
    storeTheta.push(...get(I.tb), ...get(L(`n${a}`)), ...op.store64Lane(80 + 8 * a, 1));
  }
  const done = [...get(I.flags), ...get(I.p), ...op.add, ...op.i32(0), ...op.i32Store8(0)];

  // for (p = 0; p < pairs; p++): flag 1; if both seeds run { evaluate; [update]; if every lane is finite, store }
  // Joined with concat: the evaluation and the update are thousands of bytes each, too many to spread.
  const body = ([] as number[]).concat(
    op.i32(0),
    set(I.p),
    op.block,
    op.loop,
    get(I.p),
    get(I.pairs),
    op.geS,
    op.brIf(1),
    get(I.flags),
    get(I.p),
    op.add,
    op.i32(1),
    op.i32Store8(0),
    get(I.running),
    get(I.p),
    op.i32(1),
    op.shl,
    op.add,
    op.i32Load16U(0),
    op.i32(0x0101),
    op.eq,
    op.if,
    get(I.theta),
    get(I.p),
    op.i32(160),
    op.mul,
    op.add,
    set(I.tb),
    get(I.values),
    get(I.p),
    op.i32(32),
    op.mul,
    op.add,
    set(I.vb),
    evaluation,
    get(I.update),
    op.if,
    update,
    op.end,
    get(L("ok")),
    op.i64x2AllTrue,
    op.if,
    storeValues,
    get(I.update),
    op.if,
    storeTheta,
    op.end,
    done,
    op.end,
    op.end,
    get(I.p),
    op.i32(1),
    op.add,
    set(I.p),
    op.br(0),
    op.end,
    op.end,
  );
  const { declaration } = locals(PARAMS, I32S, [], f.names);
  return {
    name: "step",
    params: PARAMS.map(() => 0x7f),
    results: [],
    body: declaration.concat(constants, body),
  };
}

/** invert4's cofactor formulas on a00 … a33 into m00 … m33 (and det). */
function invert4Code(f: Formulas): number[] {
  const b: [string, string][] = [
    ["b00", "a00 * a11 - a01 * a10"],
    ["b01", "a00 * a12 - a02 * a10"],
    ["b02", "a00 * a13 - a03 * a10"],
    ["b03", "a01 * a12 - a02 * a11"],
    ["b04", "a01 * a13 - a03 * a11"],
    ["b05", "a02 * a13 - a03 * a12"],
    ["b06", "a20 * a31 - a21 * a30"],
    ["b07", "a20 * a32 - a22 * a30"],
    ["b08", "a20 * a33 - a23 * a30"],
    ["b09", "a21 * a32 - a22 * a31"],
    ["b10", "a21 * a33 - a23 * a31"],
    ["b11", "a22 * a33 - a23 * a32"],
    ["det", "b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06"],
    ["s", "1 / det"],
  ];
  const m: [string, string][] = [
    ["m00", "(a11 * b11 - a12 * b10 + a13 * b09) * s"],
    ["m01", "(a02 * b10 - a01 * b11 - a03 * b09) * s"],
    ["m02", "(a31 * b05 - a32 * b04 + a33 * b03) * s"],
    ["m03", "(a22 * b04 - a21 * b05 - a23 * b03) * s"],
    ["m10", "(a12 * b08 - a10 * b11 - a13 * b07) * s"],
    ["m11", "(a00 * b11 - a02 * b08 + a03 * b07) * s"],
    ["m12", "(a32 * b02 - a30 * b05 - a33 * b01) * s"],
    ["m13", "(a20 * b05 - a22 * b02 + a23 * b01) * s"],
    ["m20", "(a10 * b10 - a11 * b08 + a13 * b06) * s"],
    ["m21", "(a01 * b08 - a00 * b10 - a03 * b06) * s"],
    ["m22", "(a30 * b04 - a31 * b02 + a33 * b00) * s"],
    ["m23", "(a21 * b02 - a20 * b04 - a23 * b00) * s"],
    ["m30", "(a11 * b07 - a10 * b09 - a12 * b06) * s"],
    ["m31", "(a00 * b09 - a01 * b07 + a02 * b06) * s"],
    ["m32", "(a31 * b01 - a30 * b03 - a32 * b00) * s"],
    ["m33", "(a20 * b03 - a21 * b01 + a22 * b00) * s"],
  ];
  return f.lets([...b, ...m]);
}

/**
 * LOLA's term for agent i into term0 … term4: crossBlock(k = j, agent = i, u = ∇_j V_i) of derivatives.ts, with
 * every index known here (ROW_PARAM), so it is straight-line code.
 */
function lolaTermCode(f: Formulas, i: 0 | 1): number[] {
  const j = 1 - i;
  const k = j;
  const oi = 5 * i;
  const oj = 5 - oi;
  const di = 8 * i;
  const dj = 8 - di;
  const is = [0, 1, 2, 3].map((s) => ROW_PARAM[4 * i + s]);
  const js = [0, 1, 2, 3].map((s) => ROW_PARAM[4 * j + s]);
  const u = (a: number) => `gr${i}_${a}`; // ∇_j V_i: gradient of V_i at j's joint parameter a
  const lets: [string, string][] = [["Ds", `d${oj} * ${u(oj)}`]];
  for (let s = 0; s < 4; s++) lets.push([`D${s}`, `d${js[s]} * ${u(js[s])}`]);
  for (let s = 0; s < 4; s++) lets.push([`tt${s}`, `D${s} * rv${k}_${js[s]}`]);
  lets.push(["ua", `g * (${[0, 1, 2, 3].map((s) => `rd${di + s} * tt${s}`).join(" + ")})`]);
  lets.push(["ub", `g * (${[0, 1, 2, 3].map((s) => `rd${di + 4 + s} * tt${s}`).join(" + ")})`]);
  for (let s = 0; s < 4; s++) lets.push([`e${s}`, `g * o${s} * D${s}`]);
  lets.push(["alpha", `Ds * q${oi}${[0, 1, 2, 3].map((s) => ` + e${s} * q${is[s]}`).join("")}`]);
  lets.push(["beta", `Ds * (1 - q${oi})${[0, 1, 2, 3].map((s) => ` + e${s} * (1 - q${is[s]})`).join("")}`]);
  for (let s = 0; s < 4; s++) lets.push([`W${s}`, `alpha * rd${dj + s} + beta * rd${dj + 4 + s}`]);
  lets.push(["term0", `d${oi} * (cv${k} * Ds + q${oj} * ua + (1 - q${oj}) * ub)`]);
  for (let s = 0; s < 4; s++) {
    const pj = `q${js[s]}`;
    lets.push([
      `term${is[s] - oi}`,
      `g * d${is[s]} * (o${s} * (cv${k} * D${s} + ${pj} * ua + (1 - ${pj}) * ub) + W${s} * rv${k}_${is[s]})`,
    ]);
  }
  return f.lets(lets);
}

const compiled = new Map<string, object | null>();

/** The module for a pair of rules, compiled once per process; null without WebAssembly SIMD. */
function compiledModule(api: WasmApi | undefined, rules: readonly [PairRule, PairRule]): object | null {
  const key = rules.map((r) => r.kind).join("/");
  let m = compiled.get(key);
  if (m === undefined) {
    m = null;
    try {
      const bytes = moduleBytes(
        [stepFunction(rules)],
        [{ module: "env", name: "exp", params: [F64], results: [F64] }],
      );
      if (api?.validate(bytes)) m = new api.Module(bytes);
    } catch {
      m = null;
    }
    compiled.set(key, m);
  }
  return m;
}

let enabled = true;

/** Turn the kernel off (the JavaScript path runs instead, with the same bits): for tests and benchmarks. */
export function useWasmPairStep(on: boolean): void {
  enabled = on;
}

/**
 * A batch of `size` seeds in a memory of its own: `theta`, `values` and `running` are views the JavaScript path
 * reads and writes too; `step(update)` runs the kernel over every pair of seeds and leaves `pairDone[p]` = 1 for
 * each pair it completed (seeds 2p and 2p + 1: values written and, when `update`, θ updated).
 */
export class PairStepKernel implements PairKernel {
  /**
   * The kernel for `size` seeds of the memory-one game with these payoffs, γ, rules and learning rates; undefined
   * when it is turned off, when the engine has no WebAssembly SIMD, or when there is no pair of seeds.
   */
  static create(
    r1: ArrayLike<number>,
    r2: ArrayLike<number>,
    gamma: number,
    rules: readonly [PairRule, PairRule],
    lrs: readonly [number, number],
    size: number,
  ): PairStepKernel | undefined {
    if (!enabled || size < 2) return undefined;
    const api = wasmApi();
    const module = compiledModule(api, rules);
    if (!api || !module) return undefined;
    return new PairStepKernel(api, module, [r1, r2], gamma, rules, lrs, size);
  }

  readonly theta: Float64Array;
  readonly values: Float64Array;
  readonly running: Uint8Array;
  readonly pairs: number;
  private readonly flags: Uint8Array;
  private readonly run: (...args: number[]) => void;
  private readonly offsets: [number, number, number, number];

  private constructor(
    api: WasmApi,
    module: object,
    r: [ArrayLike<number>, ArrayLike<number>],
    gamma: number,
    rules: readonly [PairRule, PairRule],
    lrs: readonly [number, number],
    size: number,
  ) {
    this.pairs = size >> 1;
    const thetaAt = HEADER_BYTES;
    const valuesAt = thetaAt + 80 * size;
    const runningAt = valuesAt + 16 * size;
    const flagsAt = runningAt + size;
    const bytes = flagsAt + this.pairs;
    const memory = new api.Memory({ initial: Math.ceil(bytes / 65536) });
    const buffer = memory.buffer;
    new Float64Array(buffer, EXP_TABLE_OFFSET, 1 << EXP_ALGORITHM.tableBits).set(EXP_ALGORITHM.table);
    const eta = rules.map((rule) => (rule.kind === "lola" ? rule.eta : 0));
    new Float64Array(buffer, CONSTANTS, CONSTANT_NAMES.length).set([
      gamma,
      ...Array.from(r[0]),
      ...Array.from(r[1]),
      ...eta,
      ...lrs,
    ]);
    this.theta = new Float64Array(buffer, thetaAt, 10 * size);
    this.values = new Float64Array(buffer, valuesAt, 2 * size);
    this.running = new Uint8Array(buffer, runningAt, size);
    this.flags = new Uint8Array(buffer, flagsAt, this.pairs);
    this.offsets = [thetaAt, valuesAt, runningAt, flagsAt];
    this.run = new api.Instance(module, { env: { memory, exp } }).exports.step as (...args: number[]) => void;
  }

  /** Run the kernel over every pair; afterwards `pairDone(p)` says which pairs it completed. */
  step(update: boolean): void {
    this.run(...this.offsets, this.pairs, update ? 1 : 0);
  }

  /** Whether the last `step` completed seeds 2p and 2p + 1. */
  pairDone(p: number): boolean {
    return this.flags[p] === 0;
  }
}
