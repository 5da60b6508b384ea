/**
 * Multilayer perceptron: Linear → act → … → Linear, batched over rows, with its backward pass (each layer's own,
 * chained in reverse). Parameters are one flat array in PyTorch's order (params.ts). Buffers for one batch size
 * live in an `MLPWorkspace`, made once and reused, so forward/backward allocate nothing.
 *
 *   forward   a_0 = x,  a_l = act(a_{l−1}·W_lᵀ + b_l)  (l < L),  out = a_{L−1}·W_Lᵀ + b_L
 *   backward  d_L = dOut,  d_{l−1} = act'(a_{l−1}) ⊙ (d_l·W_l)   and each layer's dW, db (linear.ts)
 */
import { ACTIVATIONS, type Activation, ReLU } from "./activations.js";
import type { MLPArchitecture } from "./architecture.js";
import { requireLength } from "./checks.js";
import { Linear, type LinearInit } from "./linear.js";
import { Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

export class MLPWorkspace {
  /** a_1 … a_L, where a_L is the output [rows × sizes[L]]. */
  readonly activations: Float32Array[];
  /** ∂L/∂a_l for the hidden layers l = 1 … L−1 (index l − 1), sized exactly (so every copy into the SIMD
   *  kernel's memory is one memcpy). The weight gradients read dY in place (gemm.ts's matmulTransposedA), so
   *  no dYᵀ scratch is kept. */
  readonly deltas: Float32Array[];

  constructor(
    readonly rows: number,
    sizes: readonly number[],
  ) {
    this.activations = sizes.slice(1).map((s) => new Float32Array(rows * s));
    this.deltas = sizes.slice(1, -1).map((s) => new Float32Array(rows * s));
  }

  get output(): Float32Array {
    return this.activations[this.activations.length - 1];
  }
}

export class MLP {
  static parameterCount(sizes: readonly number[]): number {
    let n = 0;
    for (let l = 1; l < sizes.length; l++) n += Linear.parameterCount(sizes[l - 1], sizes[l]);
    return n;
  }

  readonly params: Parameters;
  readonly layers: Linear[] = [];
  private readonly activation: Activation;

  constructor(readonly architecture: MLPArchitecture) {
    const { sizes } = architecture;
    this.params = new Parameters(MLP.parameterCount(sizes));
    // Names as nn.Sequential(Linear, act, Linear, …) gives them: "0.weight", "2.weight", …
    for (let l = 1; l < sizes.length; l++)
      this.layers.push(new Linear(this.params, `${2 * (l - 1)}`, sizes[l - 1], sizes[l]));
    this.params.done();
    this.activation = ACTIVATIONS[architecture.activation];
  }

  /**
   * "torch": PyTorch's nn.Linear default. "orthogonal": CleanRL's layer_init, gain √2 on hidden layers and
   * `outputGain` on the last (0.01 for a policy head, 1 for a value head), zero biases.
   */
  init(rng: Rng, scheme: "torch" | "orthogonal" = "torch", outputGain = 0.01): void {
    this.layers.forEach((layer, l) => {
      const last = l === this.layers.length - 1;
      const init: LinearInit =
        scheme === "torch" ? { kind: "torch" } : { kind: "orthogonal", gain: last ? outputGain : Math.SQRT2 };
      layer.init(rng, init);
    });
  }

  workspace(rows: number): MLPWorkspace {
    return new MLPWorkspace(rows, this.architecture.sizes);
  }

  /** Forward over the workspace's rows; returns ws.output. */
  forward(x: Float32Array, ws: MLPWorkspace): Float32Array {
    requireLength("x", x, ws.rows * this.architecture.sizes[0]);
    let input = x;
    for (let l = 0; l < this.layers.length; l++) {
      const layer = this.layers[l];
      const out = ws.activations[l];
      const hidden = l < this.layers.length - 1;
      const fuseRelu = hidden && this.activation === ReLU; // applied as the product is stored
      layer.forward(input, out, ws.rows, fuseRelu);
      if (hidden && !fuseRelu) this.activation.forward(out, out, ws.rows * layer.outputs);
      input = out;
    }
    return ws.output;
  }

  /** Accumulate ∂L/∂θ into params.grads from dOut = ∂L/∂output (after a forward on the same x and ws). */
  backward(x: Float32Array, dOut: Float32Array, ws: MLPWorkspace): void {
    requireLength("x", x, ws.rows * this.architecture.sizes[0]);
    requireLength("dOut", dOut, ws.output.length);
    let delta = dOut;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const input = l === 0 ? x : ws.activations[l - 1];
      const dInput = l === 0 ? null : ws.deltas[l - 1];
      layer.backward(input, delta, dInput, ws.rows);
      if (dInput) {
        this.activation.backward(input, dInput, dInput, ws.rows * layer.inputs);
        delta = dInput;
      }
    }
  }
}
