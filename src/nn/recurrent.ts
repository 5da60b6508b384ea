/**
 * The recurrent network of the coin-game shaping papers (POLA's `RNN` with layers_before_gru = 1, LOQA's
 * `POLAGRU`, Advantage Alignment's actor): Linear(in → dense) → ReLU → GRUCell(dense → hidden) → Linear(hidden →
 * out), over a whole time-major sequence [T, batch, …] with backpropagation through time.
 *
 *   forward   e_t = relu(x_t·W_dᵀ + b_d);  h_t = GRU(e_t, h_{t−1});  y_t = h_t·W_oᵀ + b_o
 *   backward  dh_t = dy_t·W_o (head),  BPTT through the GRU (gru.ts),  de_t ⊙ [e_t > 0] → dense layer
 *
 * The dense layer and the head run once over all T·batch rows (one long product); only the recurrence is per
 * step. An actor's `y` are logits (pair it with CategoricalHead); a critic's single output is its value head.
 * h_0 is zero unless the caller writes ws.gru.hs[0 … batch·hidden) before forward.
 */
import { ReLU } from "./activations.js";
import type { GRUArchitecture } from "./architecture.js";
import { requireLength } from "./checks.js";
import { GRUCell, type GRUWorkspace } from "./gru.js";
import { Linear } from "./linear.js";
import { Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

export class RecurrentWorkspace {
  readonly rows: number;
  readonly embedded: Float32Array;
  readonly gru: GRUWorkspace;
  readonly output: Float32Array;
  readonly dHidden: Float32Array;
  readonly dEmbedded: Float32Array;
  /** dYᵀ scratch of the head and of the dense layer. */
  readonly headT: Float32Array;
  readonly denseT: Float32Array;

  constructor(
    readonly steps: number,
    readonly batch: number,
    net: RecurrentNet,
  ) {
    const { dense, hidden, outputs } = net.architecture;
    this.rows = steps * batch;
    this.embedded = new Float32Array(this.rows * dense);
    this.gru = net.gru.workspace(steps, batch);
    this.output = new Float32Array(this.rows * outputs);
    this.dHidden = new Float32Array(this.rows * hidden);
    this.dEmbedded = new Float32Array(this.rows * dense);
    this.headT = new Float32Array(this.rows * outputs);
    this.denseT = new Float32Array(this.rows * dense);
  }
}

export class RecurrentNet {
  static parameterCount(a: GRUArchitecture): number {
    return (
      Linear.parameterCount(a.inputs, a.dense) +
      GRUCell.parameterCount(a.dense, a.hidden) +
      Linear.parameterCount(a.hidden, a.outputs)
    );
  }

  readonly params: Parameters;
  readonly dense: Linear;
  readonly gru: GRUCell;
  readonly head: Linear;

  constructor(readonly architecture: GRUArchitecture) {
    const a = architecture;
    this.params = new Parameters(RecurrentNet.parameterCount(a));
    this.dense = new Linear(this.params, "dense", a.inputs, a.dense);
    this.gru = new GRUCell(this.params, "gru", a.dense, a.hidden);
    this.head = new Linear(this.params, "head", a.hidden, a.outputs);
    this.params.done();
  }

  /**
   * "torch": PyTorch's defaults for every module. "orthogonal": gain √2 for the dense layer, 1 for the GRU
   * (zero biases), `outputGain` for the head (0.01 for a policy, 1 for a value).
   */
  init(rng: Rng, scheme: "torch" | "orthogonal" = "torch", outputGain = 0.01): void {
    if (scheme === "torch") {
      this.dense.init(rng, { kind: "torch" });
      this.gru.init(rng, { kind: "torch" });
      this.head.init(rng, { kind: "torch" });
      return;
    }
    this.dense.init(rng, { kind: "orthogonal", gain: Math.SQRT2 });
    this.gru.init(rng, { kind: "orthogonal", gain: 1 });
    this.head.init(rng, { kind: "orthogonal", gain: outputGain });
  }

  workspace(steps: number, batch: number): RecurrentWorkspace {
    return new RecurrentWorkspace(steps, batch, this);
  }

  /** x is [T·batch, inputs], time-major; returns ws.output [T·batch, outputs]. */
  forward(x: Float32Array, ws: RecurrentWorkspace): Float32Array {
    requireLength("x", x, ws.rows * this.architecture.inputs);
    this.dense.forward(x, ws.embedded, ws.rows, true); // ReLU fused into the product
    this.gru.forward(ws.embedded, ws.gru);
    this.head.forward(ws.gru.outputs, ws.output, ws.rows);
    return ws.output;
  }

  /** Accumulate ∂L/∂θ from dOut = ∂L/∂output [T·batch, outputs]; ∂L/∂h_0 is left in ws.gru.dhPrev. */
  backward(x: Float32Array, dOut: Float32Array, ws: RecurrentWorkspace): void {
    requireLength("x", x, ws.rows * this.architecture.inputs);
    requireLength("dOut", dOut, ws.output.length);
    this.head.backward(ws.gru.outputs, dOut, ws.dHidden, ws.rows, ws.headT);
    this.gru.backward(ws.embedded, ws.dHidden, ws.dEmbedded, ws.gru);
    ReLU.backward(ws.embedded, ws.dEmbedded, ws.dEmbedded, ws.rows * this.architecture.dense);
    this.dense.backward(x, ws.dEmbedded, null, ws.rows, ws.denseT);
  }
}
