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
 * Products go through gemm.ts's `matmul` (C = A·B), with W_ihᵀ and W_hhᵀ rebuilt once per forward.
 *
 * Buffers are time-major ([T, batch, …], row i = t·batch + g) and belong to a `GRUWorkspace` made once per
 * (steps, batch); the per-step views are made with it, so a forward/backward allocates nothing.
 */
import { sigmoid, tanh } from "./activations.js";
import { requireLength } from "./checks.js";
import { addRowSums, matmul, transpose } from "./gemm.js";
import { fillUniform, orthogonal } from "./init.js";
import type { ParameterSlice, Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

export type GRUInit = { kind: "torch" } | { kind: "orthogonal"; gain: number };

export class GRUWorkspace {
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
  /** dgiᵀ or dghᵀ for the weight gradients: [3H × T·batch]. */
  readonly scratchG: Float32Array;
  readonly stepViews: { hPrev: Float32Array; gh: Float32Array; dgh: Float32Array }[];

  constructor(
    readonly steps: number,
    readonly batch: number,
    hidden: number,
  ) {
    const rows = steps * batch;
    this.hs = new Float32Array((steps + 1) * batch * hidden);
    this.outputs = this.hs.subarray(batch * hidden);
    this.hsPrev = this.hs.subarray(0, steps * batch * hidden);
    this.gi = new Float32Array(rows * 3 * hidden);
    this.gh = new Float32Array(rows * 3 * hidden);
    this.rz = new Float32Array(rows * 2 * hidden);
    this.n = new Float32Array(rows * hidden);
    this.dgi = new Float32Array(rows * 3 * hidden);
    this.dgh = new Float32Array(rows * 3 * hidden);
    this.dh = new Float32Array(batch * hidden);
    this.dhPrev = new Float32Array(batch * hidden);
    this.scratchG = new Float32Array(rows * 3 * hidden);
    const G = 3 * hidden * batch;
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
  private readonly weightHhT: Float32Array;

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
    this.weightHhT = new Float32Array(hidden * H3);
  }

  workspace(steps: number, batch: number): GRUWorkspace {
    return new GRUWorkspace(steps, batch, this.hidden);
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
    transpose(this.weightHh.value, this.weightHhT, H3, H);
    matmul(x, this.weightIhT, ws.gi, rows, H3, this.inputs, false, this.biasIh.value);
    for (let t = 0; t < ws.steps; t++) {
      const view = ws.stepViews[t];
      matmul(view.hPrev, this.weightHhT, view.gh, B, H3, H, false, this.biasHh.value);
      resetAndUpdateGates(ws, t, H);
      candidateAndState(ws, t, H);
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
    for (let t = ws.steps - 1; t >= 0; t--) {
      gatesBackward(ws, dOut, t, H);
      const view = ws.stepViews[t];
      matmul(view.dgh, this.weightHh.value, dhPrev, B, H, H3, true);
      dh.set(dhPrev);
    }
    // dhPrev now holds ∂L/∂h_0. Weight gradients over all T·batch rows at once.
    transpose(dgh, ws.scratchG, rows, H3);
    matmul(ws.scratchG, ws.hsPrev, this.weightHh.grad, H3, H, rows, true); // H_prev = h_0 … h_{T−1}
    addRowSums(ws.scratchG, this.biasHh.grad, H3, rows);
    transpose(dgi, ws.scratchG, rows, H3);
    matmul(ws.scratchG, x, this.weightIh.grad, H3, this.inputs, rows, true);
    addRowSums(ws.scratchG, this.biasIh.grad, H3, rows);
    if (dX) matmul(dgi, this.weightIh.value, dX, rows, this.inputs, H3, false);
  }
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
