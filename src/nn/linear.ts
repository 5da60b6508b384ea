/**
 * Dense layer, batched over rows: Y = X·Wᵀ + b, with X [rows × in], W [out × in] (PyTorch's layout), Y [rows × out].
 *
 *   forward    Y  = X·Wᵀ + b
 *   backward   dX = dY·W,   dW += dYᵀ·X,   db += Σ_rows dY      (gradients accumulate, as PyTorch's .grad does)
 *
 * Every product goes through the one `matmul` (gemm.ts); the transposes it needs are written into preallocated
 * or caller-owned scratch, so nothing is allocated per call.
 */
import { addRowSums, matmul, transpose } from "./gemm.js";
import { fillUniform, kaimingUniform, type Nonlinearity, orthogonal, xavierUniform } from "./init.js";
import type { ParameterSlice, Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

/** How a dense layer's weights start. Every scheme but "torch" sets the bias to zero (as CleanRL's layer_init). */
export type LinearInit =
  | { kind: "torch" }
  | { kind: "orthogonal"; gain: number }
  | { kind: "xavier-uniform"; gain: number }
  | { kind: "kaiming-uniform"; nonlinearity: Nonlinearity };

export class Linear {
  static parameterCount(inputs: number, outputs: number): number {
    return outputs * inputs + outputs;
  }

  readonly weight: ParameterSlice;
  readonly bias: ParameterSlice;
  /** Wᵀ [in × out], refreshed at each forward (the weights move between calls). */
  private readonly weightT: Float32Array;

  constructor(
    params: Parameters,
    name: string,
    readonly inputs: number,
    readonly outputs: number,
  ) {
    this.weight = params.take(`${name}.weight`, [outputs, inputs]);
    this.bias = params.take(`${name}.bias`, [outputs]);
    this.weightT = new Float32Array(inputs * outputs);
  }

  init(rng: Rng, init: LinearInit): void {
    const w = this.weight.value;
    const b = this.bias.value;
    switch (init.kind) {
      case "torch": {
        const bound = 1 / Math.sqrt(this.inputs);
        fillUniform(w, bound, rng); // kaiming_uniform(a = √5): √3 · √(2/6) / √fanIn = 1/√fanIn
        fillUniform(b, bound, rng);
        return;
      }
      case "orthogonal":
        orthogonal(w, this.outputs, this.inputs, rng, init.gain);
        break;
      case "xavier-uniform":
        xavierUniform(w, this.outputs, this.inputs, rng, init.gain);
        break;
      case "kaiming-uniform":
        kaimingUniform(w, this.inputs, rng, init.nonlinearity);
        break;
    }
    b.fill(0);
  }

  /** Y = X·Wᵀ + b for the first `rows` rows; with `relu`, Y = max(X·Wᵀ + b, 0) (fused into the product). */
  forward(x: Float32Array, y: Float32Array, rows: number, relu = false): void {
    transpose(this.weight.value, this.weightT, this.outputs, this.inputs);
    matmul(x, this.weightT, y, rows, this.outputs, this.inputs, false, this.bias.value, relu);
  }

  /**
   * dW += dYᵀ·X, db += Σ dY, and dX = dY·W unless dX is null (a first layer needs no input gradient).
   * `scratchDY` holds ≥ rows·outputs floats.
   */
  backward(
    x: Float32Array,
    dY: Float32Array,
    dX: Float32Array | null,
    rows: number,
    scratchDY: Float32Array,
  ): void {
    const { inputs, outputs } = this;
    transpose(dY, scratchDY, rows, outputs); // dYᵀ [out × rows]
    matmul(scratchDY, x, this.weight.grad, outputs, inputs, rows, true);
    addRowSums(scratchDY, this.bias.grad, outputs, rows);
    if (dX) matmul(dY, this.weight.value, dX, rows, inputs, outputs, false);
  }
}
