/**
 * Dense layer, batched over rows: Y = X·Wᵀ + b, with X [rows × in], W [out × in] (PyTorch's layout), Y [rows × out].
 *
 *   forward    Y  = X·Wᵀ + b
 *   backward   dX = dY·W,   dW += dYᵀ·X,   db += Σ_rows dY      (gradients accumulate, as PyTorch's .grad does)
 *
 * Every product goes through gemm.ts (`matmul`; `matmulTransposedA` reads dY as dYᵀ in place); Wᵀ is written into
 * preallocated scratch, so nothing is allocated per call.
 */
import { addColumnSums, matmul, matmulTransposedA, transpose } from "./gemm.js";
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
   * `scratchDY` is not used any more (the transposed-A product reads dY in place); the parameter stays so that
   * callers need not change.
   */
  backward(
    x: Float32Array,
    dY: Float32Array,
    dX: Float32Array | null,
    rows: number,
    _scratchDY?: Float32Array,
  ): void {
    const { inputs, outputs } = this;
    matmulTransposedA(dY, x, this.weight.grad, outputs, inputs, rows, true); // dYᵀ·X, dY [rows × out] as it is
    addColumnSums(dY, this.bias.grad, rows, outputs);
    if (dX) matmul(dY, this.weight.value, dX, rows, inputs, outputs, false);
  }
}
