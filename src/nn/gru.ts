/**
 * GRU cell over a whole sequence, with backpropagation through time. PyTorch's nn.GRUCell (Cho et al. 2014,
 * torch/nn/modules/rnn.py), gate order (r, z, n) in weight_ih [3H × in], weight_hh [3H × H], bias_ih, bias_hh:
 *
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t−1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
 *
 * Backward, from t = T−1 down to 0, with dh = ∂L/∂h_t (from the heads) + the carry from step t+1:
 *   dn = dh ⊙ (1 − z);   dz = dh ⊙ (h_{t−1} − n);   da_n = dn ⊙ (1 − n²)
 *   dgi_n = da_n;   dgh_n = da_n ⊙ r;   dr = da_n ⊙ gh_n
 *   dgi_r = dgh_r = dr ⊙ r(1 − r);   dgi_z = dgh_z = dz ⊙ z(1 − z)
 *   carry: dh_{t−1} = dh ⊙ z + dgh_t · W_hh
 * and, once for the whole sequence (one long product each instead of T short ones):
 *   dW_ih += dgiᵀ·X,  db_ih += Σ dgi,  dW_hh += dghᵀ·H_prev,  db_hh += Σ dgh,  dX = dgi·W_ih
 * Products go through gemm.ts (`matmul`, and `matmulTransposedA` for the weight gradients, which reads dgi and
 * dgh as they are), with W_ihᵀ and W_hhᵀ rebuilt once per forward.
 *
 * Buffers are time-major ([T, batch, …], row i = t·batch + g) and belong to a `GRUWorkspace` made once per
 * (steps, batch); the per-step views are made with it, so a forward/backward allocates nothing. Where the engine
 * has WebAssembly SIMD the workspace lives in a kernel arena (kernelArena.ts): the products then read and write
 * it in place, and the elementwise gate work runs in wasmGates.ts, which computes the same bits as the
 * JavaScript loops at the end of this file (test/nn-fast-path.test.ts). An odd H keeps the JavaScript loops.
 */
import { sigmoid, tanh } from "./activations.js";
import { requireLength } from "./checks.js";
import { addColumnSums, matmul, matmulTransposedA, transpose } from "./gemm.js";
import { fillUniform, orthogonal } from "./init.js";
import { arenaFloats, allocate, KernelArena, wasmElementwiseActive, workspaceArena } from "./kernelArena.js";
import type { ParameterSlice, Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

export type GRUInit = { kind: "torch" } | { kind: "orthogonal"; gain: number };

export interface GRUWorkspaceOptions {
  /** The cell's input size (sizes the arena's scratch for W_ih); the hidden size if not given. */
  inputs?: number;
  /** An arena to allocate from (a network's workspace shares one); by default the workspace makes its own;
   *  null: plain Float32Arrays (the JavaScript loops and copy-in products, the reference the tests compare with). */
  arena?: KernelArena | null;
}

export class GRUWorkspace {
  /** Floats a workspace takes from an arena. */
  static arenaFloats(steps: number, batch: number, hidden: number): number {
    const rows = steps * batch;
    const H3 = 3 * hidden;
    return (
      arenaFloats((steps + 1) * batch * hidden, rows * H3, rows * H3, rows * 2 * hidden, rows * hidden) +
      arenaFloats(rows * H3, rows * H3, batch * hidden, batch * hidden, hidden * H3, hidden * H3)
    );
  }

  /** Scratch floats its products need for operands outside the arena (W_ih, W_hh's gradients, the biases). */
  static arenaScratch(inputs: number, hidden: number): number {
    return 2 * 3 * hidden * Math.max(inputs, hidden) + 4 * 3 * hidden + 16;
  }

  /** The arena the buffers live in (undefined: plain Float32Arrays, the JavaScript paths). */
  readonly arena: KernelArena | undefined;
  /** h_0 … h_T: [T+1, batch, H]; hs[0] is the initial state (the caller writes it), h_t for t ≥ 1 the outputs. */
  readonly hs: Float32Array;
  /** The outputs h_1 … h_T as one [T·batch, H] block, and the states before each step h_0 … h_{T−1} (views). */
  readonly outputs: Float32Array;
  readonly hsPrev: Float32Array;
  /** Input projections X·W_ihᵀ + b_ih: [T·batch, 3H]. */
  readonly gi: Float32Array;
  /** Hidden projections h_{t−1}·W_hhᵀ + b_hh per step: [T·batch, 3H]. */
  readonly gh: Float32Array;
  /** r and z side by side per step ([T·batch, 2H]: r in columns 0…H−1, z in H…2H−1, as in gi and gh), and n
   *  ([T·batch, H]). */
  readonly rz: Float32Array;
  readonly n: Float32Array;
  /** Gradients w.r.t. the pre-activations gi and gh: [T·batch, 3H]. */
  readonly dgi: Float32Array;
  readonly dgh: Float32Array;
  /** dh carried between steps, and the gradient of h_0 after backward: [batch, H]. */
  readonly dh: Float32Array;
  readonly dhPrev: Float32Array;
  /** W_hhᵀ [H × 3H] for the forward steps and W_hh [3H × H] for the backward ones, copied beside the buffers. */
  readonly weightHhT: Float32Array;
  readonly weightHh: Float32Array;
  readonly stepViews: { hPrev: Float32Array; gh: Float32Array; dgh: Float32Array }[];

  constructor(
    readonly steps: number,
    readonly batch: number,
    hidden: number,
    options: GRUWorkspaceOptions = {},
  ) {
    const rows = steps * batch;
    const H3 = 3 * hidden;
    const arena =
      options.arena === null
        ? undefined
        : (options.arena ??
          workspaceArena(
            GRUWorkspace.arenaFloats(steps, batch, hidden),
            GRUWorkspace.arenaScratch(options.inputs ?? hidden, hidden),
          ));
    this.arena = arena;
    const take = (n: number) => allocate(arena, n);
    this.hs = take((steps + 1) * batch * hidden);
    this.outputs = this.hs.subarray(batch * hidden);
    this.hsPrev = this.hs.subarray(0, steps * batch * hidden);
    this.gi = take(rows * H3);
    this.gh = take(rows * H3);
    this.rz = take(rows * 2 * hidden);
    this.n = take(rows * hidden);
    this.dgi = take(rows * H3);
    this.dgh = take(rows * H3);
    this.dh = take(batch * hidden);
    this.dhPrev = take(batch * hidden);
    this.weightHhT = take(hidden * H3);
    this.weightHh = take(hidden * H3);
    const G = H3 * batch;
    this.stepViews = [];
    for (let t = 0; t < steps; t++) {
      this.stepViews.push({
        hPrev: this.hs.subarray(t * batch * hidden, (t + 1) * batch * hidden),
        gh: this.gh.subarray(t * G, (t + 1) * G),
        dgh: this.dgh.subarray(t * G, (t + 1) * G),
      });
    }
  }
}

export class GRUCell {
  static parameterCount(inputs: number, hidden: number): number {
    return 3 * hidden * (inputs + hidden + 2);
  }

  readonly weightIh: ParameterSlice;
  readonly weightHh: ParameterSlice;
  readonly biasIh: ParameterSlice;
  readonly biasHh: ParameterSlice;
  private readonly weightIhT: Float32Array;

  constructor(
    params: Parameters,
    name: string,
    readonly inputs: number,
    readonly hidden: number,
  ) {
    const H3 = 3 * hidden;
    this.weightIh = params.take(`${name}.weight_ih`, [H3, inputs]);
    this.weightHh = params.take(`${name}.weight_hh`, [H3, hidden]);
    this.biasIh = params.take(`${name}.bias_ih`, [H3]);
    this.biasHh = params.take(`${name}.bias_hh`, [H3]);
    this.weightIhT = new Float32Array(inputs * H3);
  }

  workspace(steps: number, batch: number, arena?: KernelArena | null): GRUWorkspace {
    return new GRUWorkspace(steps, batch, this.hidden, { inputs: this.inputs, arena });
  }

  /** PyTorch's default (all four tensors U(−1/√H, 1/√H)) or orthogonal weights with zero biases. */
  init(rng: Rng, init: GRUInit): void {
    if (init.kind === "torch") {
      const bound = 1 / Math.sqrt(this.hidden);
      for (const s of [this.weightIh, this.weightHh, this.biasIh, this.biasHh])
        fillUniform(s.value, bound, rng);
      return;
    }
    orthogonal(this.weightIh.value, 3 * this.hidden, this.inputs, rng, init.gain);
    orthogonal(this.weightHh.value, 3 * this.hidden, this.hidden, rng, init.gain);
    this.biasIh.value.fill(0);
    this.biasHh.value.fill(0);
  }

  /** Run the cell over x [T·batch, in] from ws.hs[0 … batch·H) (the caller's h_0); outputs in ws.outputs. */
  forward(x: Float32Array, ws: GRUWorkspace): void {
    const H = this.hidden;
    const H3 = 3 * H;
    const B = ws.batch;
    const rows = ws.steps * B;
    requireLength("x", x, rows * this.inputs);
    transpose(this.weightIh.value, this.weightIhT, H3, this.inputs);
    transpose(this.weightHh.value, ws.weightHhT, H3, H);
    matmul(x, this.weightIhT, ws.gi, rows, H3, this.inputs, false, this.biasIh.value);
    const gates = wasmGates(ws);
    // Byte offsets of step t's rows in the arena: base + t·(bytes per step) of [T, batch, width] buffers.
    const step = 4 * B * H;
    const { gi, gh, rz, n, hs } = ws;
    for (let t = 0; t < ws.steps; t++) {
      const view = ws.stepViews[t];
      matmul(view.hPrev, ws.weightHhT, view.gh, B, H3, H, false, this.biasHh.value);
      if (gates) {
        const giT = gi.byteOffset + 3 * t * step;
        const ghT = gh.byteOffset + 3 * t * step;
        const rzT = rz.byteOffset + 2 * t * step;
        const hT = hs.byteOffset + t * step;
        gates.gruResetUpdate(giT, ghT, rzT, B, H);
        gates.gruCandidate(giT, ghT, rzT, hT, n.byteOffset + t * step, hT + step, B, H);
      } else {
        resetAndUpdateGates(ws, t, H);
        candidateAndState(ws, t, H);
      }
    }
  }

  /**
   * BPTT. dOut [T·batch, H] is ∂L/∂h_t for t = 1 … T (from the heads); x is the forward's input. Accumulates the
   * weight gradients, writes ∂L/∂x into dX (unless null) and ∂L/∂h_0 into ws.dhPrev.
   */
  backward(x: Float32Array, dOut: Float32Array, dX: Float32Array | null, ws: GRUWorkspace): void {
    const H = this.hidden;
    const H3 = 3 * H;
    const B = ws.batch;
    const rows = ws.steps * B;
    requireLength("x", x, rows * this.inputs);
    requireLength("dOut", dOut, rows * H);
    const { dgi, dgh, dh, dhPrev } = ws;
    dh.fill(0);
    ws.weightHh.set(this.weightHh.value);
    // The gate kernels read dOut in place, so it must live in the workspace's arena too (RecurrentNet's does).
    const gates = KernelArena.of(dOut) === ws.arena ? wasmGates(ws) : undefined;
    const step = 4 * B * H;
    const { hs, rz, n, gh } = ws;
    for (let t = ws.steps - 1; t >= 0; t--) {
      if (gates) {
        const g3 = 3 * t * step;
        gates.gruGatesBackward(
          dOut.byteOffset + t * step,
          dh.byteOffset,
          hs.byteOffset + t * step,
          rz.byteOffset + 2 * t * step,
          n.byteOffset + t * step,
          gh.byteOffset + g3,
          dgi.byteOffset + g3,
          dgh.byteOffset + g3,
          dhPrev.byteOffset,
          B,
          H,
        );
      } else gatesBackward(ws, dOut, t, H);
      const view = ws.stepViews[t];
      matmul(view.dgh, ws.weightHh, dhPrev, B, H, H3, true);
      dh.set(dhPrev);
    }
    // dhPrev now holds ∂L/∂h_0. Weight gradients over all T·batch rows at once (H_prev = h_0 … h_{T−1}).
    matmulTransposedA(dgh, ws.hsPrev, this.weightHh.grad, H3, H, rows, true);
    addColumnSums(dgh, this.biasHh.grad, rows, H3);
    matmulTransposedA(dgi, x, this.weightIh.grad, H3, this.inputs, rows, true);
    addColumnSums(dgi, this.biasIh.grad, rows, H3);
    if (dX) matmul(dgi, this.weightIh.value, dX, rows, this.inputs, H3, false);
  }
}

/** The WebAssembly gate kernels for this workspace, if it lives in an arena and H is even. */
function wasmGates(ws: GRUWorkspace) {
  const H = ws.dh.length / ws.batch;
  return ws.arena && H % 2 === 0 && wasmElementwiseActive() ? ws.arena.gates : undefined;
}

// The elementwise parts of one step live in small functions of their own, each with one call site of sigmoid or
// tanh, so V8 inlines them and the exp inside (a call that is not inlined boxes every double it returns).

/** r = σ(gi_r + gh_r), z = σ(gi_z + gh_z) of step t: the first 2H columns of gi and gh, in one loop. */
function resetAndUpdateGates(ws: GRUWorkspace, t: number, H: number): void {
  const { gi, gh, rz } = ws;
  const B = ws.batch;
  const H2 = 2 * H;
  const H3 = 3 * H;
  for (let g = 0; g < B; g++) {
    const row = t * B + g;
    const gOff = row * H3;
    const o = row * H2;
    for (let j = 0; j < H2; j++) rz[o + j] = sigmoid(gi[gOff + j] + gh[gOff + j]);
  }
}

/** n = tanh(gi_n + r ⊙ gh_n) and h_t = (1 − z) ⊙ n + z ⊙ h_{t−1} of step t. */
function candidateAndState(ws: GRUWorkspace, t: number, H: number): void {
  const { gi, gh, hs, rz, n } = ws;
  const B = ws.batch;
  const H3 = 3 * H;
  for (let g = 0; g < B; g++) {
    const row = t * B + g;
    const gOff = row * H3 + 2 * H;
    const rOff = row * 2 * H;
    const hOff = row * H; // this step's n and, in hs, h_{t−1}
    const outOff = hOff + B * H; // h_t in hs
    for (let j = 0; j < H; j++) {
      const nj = tanh(gi[gOff + j] + rz[rOff + j] * gh[gOff + j]);
      const zj = rz[rOff + H + j];
      n[hOff + j] = nj;
      hs[outOff + j] = (1 - zj) * nj + zj * hs[hOff + j];
    }
  }
}

/** dgi, dgh of step t and the direct part of dh_{t−1} (into ws.dhPrev), from dh = dOut_t + ws.dh. */
function gatesBackward(ws: GRUWorkspace, dOut: Float32Array, t: number, H: number): void {
  const { hs, rz, n, gh, dgi, dgh, dh, dhPrev } = ws;
  const B = ws.batch;
  const H3 = 3 * H;
  for (let g = 0; g < B; g++) {
    const row = t * B + g;
    const gOff = row * H3;
    const hOff = row * H;
    const cOff = g * H;
    const rOff = row * 2 * H;
    for (let j = 0; j < H; j++) {
      const d = dOut[hOff + j] + dh[cOff + j];
      const rj = rz[rOff + j];
      const zj = rz[rOff + H + j];
      const nj = n[hOff + j];
      const dn = d * (1 - zj);
      const dz = d * (hs[hOff + j] - nj);
      const da = dn * (1 - nj * nj);
      const drPre = da * gh[gOff + 2 * H + j] * rj * (1 - rj);
      const dzPre = dz * zj * (1 - zj);
      dgi[gOff + j] = drPre;
      dgi[gOff + H + j] = dzPre;
      dgi[gOff + 2 * H + j] = da;
      dgh[gOff + j] = drPre;
      dgh[gOff + H + j] = dzPre;
      dgh[gOff + 2 * H + j] = da * rj;
      dhPrev[cOff + j] = d * zj; // the direct path; the W_hh path is added by the caller
    }
  }
}
