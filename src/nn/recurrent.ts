/**
 * The recurrent network of the coin-game shaping papers (POLA's `RNN` with layers_before_gru = 1, LOQA's
 * `POLAGRU`, Advantage Alignment's actor): Linear(in → dense) → ReLU → GRUCell(dense → hidden) → Linear(hidden →
 * out), over a whole time-major sequence [T, batch, …] with backpropagation through time.
 *
 *   forward   e_t = relu(x_t·W_dᵀ + b_d);  h_t = GRU(e_t, h_{t−1});  y_t = h_t·W_oᵀ + b_o
 *   backward  dh_t = dy_t·W_o (head),  BPTT through the GRU (gru.ts),  de_t ⊙ [e_t > 0] → dense layer
 *
 * The dense layer and the head run once over all T·batch rows (one long product); only the recurrence is per
 * step. The workspace's buffers share one kernel arena (kernelArena.ts), so no product copies them. An actor's `y` are logits (pair it with CategoricalHead); a critic's single output is its value head.
 * h_0 is zero unless the caller writes ws.gru.hs[0 … batch·hidden) before forward.
 */
import { ReLU } from "./activations.js";
import type { GRUArchitecture } from "./architecture.js";
import { requireLength } from "./checks.js";
import { GRUCell, GRUWorkspace } from "./gru.js";
import { allocate, arenaFloats, KernelArena, workspaceArena } from "./kernelArena.js";
import { Linear } from "./linear.js";
import { Parameters } from "./params.js";
import type { Rng } from "../util/rng.js";

export class RecurrentWorkspace {
  readonly rows: number;
  /** The kernel arena every buffer below lives in (undefined without WebAssembly SIMD): see kernelArena.ts. */
  readonly arena: KernelArena | undefined;
  /** The caller's x and dOut, copied in beside the rest so the products and gates read them in place. */
  readonly input: Float32Array;
  readonly dOutput: Float32Array;
  readonly embedded: Float32Array;
  readonly gru: GRUWorkspace;
  readonly output: Float32Array;
  readonly dHidden: Float32Array;
  readonly dEmbedded: Float32Array;

  constructor(
    readonly steps: number,
    readonly batch: number,
    net: RecurrentNet,
  ) {
    const { inputs, dense, hidden, outputs } = net.architecture;
    const rows = steps * batch;
    this.rows = rows;
    const own = [rows * inputs, rows * outputs, rows * dense, rows * outputs, rows * hidden, rows * dense];
    this.arena = workspaceArena(
      arenaFloats(...own) + GRUWorkspace.arenaFloats(steps, batch, hidden),
      GRUWorkspace.arenaScratch(Math.max(inputs, dense, outputs), hidden),
    );
    const take = (n: number) => allocate(this.arena, n);
    this.input = take(rows * inputs);
    this.dOutput = take(rows * outputs);
    this.embedded = take(rows * dense);
    this.output = take(rows * outputs);
    this.dHidden = take(rows * hidden);
    this.dEmbedded = take(rows * dense);
    this.gru = net.gru.workspace(steps, batch, this.arena);
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
    const input = this.inArena(x, ws.input, ws.rows * this.architecture.inputs, "x");
    this.dense.forward(input, ws.embedded, ws.rows, true); // ReLU fused into the product
    this.gru.forward(ws.embedded, ws.gru);
    this.head.forward(ws.gru.outputs, ws.output, ws.rows);
    return ws.output;
  }

  /** Accumulate ∂L/∂θ from dOut = ∂L/∂output [T·batch, outputs]; ∂L/∂h_0 is left in ws.gru.dhPrev. */
  backward(x: Float32Array, dOut: Float32Array, ws: RecurrentWorkspace): void {
    const input = this.inArena(x, ws.input, ws.rows * this.architecture.inputs, "x");
    const dOutput = this.inArena(dOut, ws.dOutput, ws.output.length, "dOut");
    this.head.backward(ws.gru.outputs, dOutput, ws.dHidden, ws.rows);
    this.gru.backward(ws.embedded, ws.dHidden, ws.dEmbedded, ws.gru);
    ReLU.backward(ws.embedded, ws.dEmbedded, ws.dEmbedded, ws.rows * this.architecture.dense);
    this.dense.backward(input, ws.dEmbedded, null, ws.rows);
  }

  /** `a`'s first n values where the kernels read them in place: copied into `copy` when a workspace has an arena. */
  private inArena(a: Float32Array, copy: Float32Array, n: number, name: string): Float32Array {
    requireLength(name, a, n);
    if (!KernelArena.of(copy) || a === copy) return a;
    if (a.length === n) copy.set(a);
    else for (let i = 0; i < n; i++) copy[i] = a[i];
    return copy;
  }
}
