/**
 * Seeded weight initialisers, as PyTorch defines them (torch/nn/init.py, 1.13), each drawing from an explicit
 * `Rng` (never Math.random). A weight is [fanOut × fanIn] (PyTorch's Linear layout).
 *
 *   uniform(−b, b):      w = −b + 2b·u,   u ~ U[0, 1)
 *   xavierUniform:       b = gain · √(6 / (fanIn + fanOut))                        (Glorot & Bengio 2010)
 *   kaimingUniform:      b = √3 · gain / √fanIn,  gain = √(2 / (1 + a²)) for leaky_relu(a), √2 for relu,
 *                        1 for linear                                               (He et al. 2015)
 *   torchLinearDefault:  nn.Linear.reset_parameters(): kaiming_uniform(a = √5) ⇒ b = 1/√fanIn for the weight,
 *                        bias ~ U(−1/√fanIn, 1/√fanIn); nn.GRUCell: every tensor ~ U(−1/√hidden, 1/√hidden)
 *   orthogonal(gain):    G ~ N(0, 1)^{rows×cols} (rows ≥ cols; else Gᵀ), G = QR with diag(R) > 0, W = gain·Q
 *                        (Saxe et al. 2014; CleanRL's layer_init uses gain √2 for hidden layers, 0.01 for a
 *                        policy head and 1 for a value head)
 *
 * orthogonal: PyTorch takes a Householder QR and flips the signs of Q's columns to make diag(R) positive; the
 * QR factorisation with a positive diagonal is unique, so modified Gram–Schmidt (run twice for a Q orthogonal
 * to rounding, in float64) gives the same Q.
 */
import type { Rng } from "../util/rng.js";

export function fillUniform(w: Float32Array, bound: number, rng: Rng): void {
  for (let i = 0; i < w.length; i++) w[i] = -bound + 2 * bound * rng.uniform();
}

export function xavierUniform(w: Float32Array, fanOut: number, fanIn: number, rng: Rng, gain = 1): void {
  fillUniform(w, gain * Math.sqrt(6 / (fanIn + fanOut)), rng);
}

export type Nonlinearity = "linear" | "relu" | "leaky_relu" | "tanh";

/** torch.nn.init.calculate_gain for the nonlinearities the engine uses. */
export function gainOf(nonlinearity: Nonlinearity, a = 0.01): number {
  switch (nonlinearity) {
    case "linear":
      return 1;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu":
      return Math.sqrt(2 / (1 + a * a));
    case "tanh":
      return 5 / 3;
  }
}

/** kaiming_uniform_(w, a, mode="fan_in", nonlinearity). */
export function kaimingUniform(
  w: Float32Array,
  fanIn: number,
  rng: Rng,
  nonlinearity: Nonlinearity = "leaky_relu",
  a = 0,
): void {
  fillUniform(w, (Math.sqrt(3) * gainOf(nonlinearity, a)) / Math.sqrt(fanIn), rng);
}

/** orthogonal_(w, gain) for a [rows × cols] weight. */
export function orthogonal(w: Float32Array, rows: number, cols: number, rng: Rng, gain = 1): void {
  if (w.length !== rows * cols) throw new Error(`orthogonal: ${w.length} values for ${rows}×${cols}`);
  // Draw in PyTorch's order: row-major rows × cols.
  const g = new Float64Array(rows * cols);
  for (let i = 0; i < g.length; i++) g[i] = rng.normal();
  orthogonalFrom(g, rows, cols, gain, w);
}

/**
 * The orthogonal matrix PyTorch's orthogonal_ makes from the normal draws g [rows × cols] (overwritten): the
 * vectors orthonormalised are the columns of g when rows ≥ cols, its rows otherwise.
 */
export function orthogonalFrom(
  g: Float64Array,
  rows: number,
  cols: number,
  gain: number,
  out: Float32Array,
): void {
  const tall = rows >= cols;
  const len = tall ? rows : cols; // length of each vector
  const count = tall ? cols : rows; // number of vectors (≤ len)
  const at = (v: number, i: number) => (tall ? i * cols + v : v * cols + i);
  for (let v = 0; v < count; v++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let u = 0; u < v; u++) {
        let dot = 0;
        for (let i = 0; i < len; i++) dot += g[at(u, i)] * g[at(v, i)];
        for (let i = 0; i < len; i++) g[at(v, i)] -= dot * g[at(u, i)];
      }
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += g[at(v, i)] * g[at(v, i)]; // not ** (Math.pow differs between engines)
    norm = Math.sqrt(norm);
    if (!(norm > 0)) throw new Error("orthogonal: degenerate draw"); // probability zero
    for (let i = 0; i < len; i++) g[at(v, i)] /= norm;
  }
  for (let i = 0; i < out.length; i++) out[i] = gain * g[i];
}
