/**
 * A differentiable policy over a recorded batch, as the DiCE learners need it: the log-probabilities of the
 * actions one seat took, and the score-function gradient Σ_n κ_n ∇_θ log π(a_n | h_n; θ) for per-step
 * coefficients κ, both at any parameters θ (not only those that played). Parameters cross this boundary as
 * Float64Array so that the learners' arithmetic (look-ahead steps, finite differences) runs in float64 whatever
 * the network stores; a table policy (the tests' memory-one "network") and the Coin Game GRU implement the same
 * two methods.
 *
 * `RecurrentCoinPolicy` is the AA/POLA/LOQA actor (src/nn/recurrent.ts: Dense → ReLU → GRU → logits) on Coin Game
 * trajectories (src/envs/coin/rollout.ts): the whole [T, batch] sequence of one seat's observations in one forward
 * pass from h₀ = 0, log-softmax in CategoricalHead, and one backward pass through time with ∂L/∂log π(a_n) = κ_n.
 */
import type { CoinTrajectories } from "../../envs/coin/rollout.js";
import type { GRUArchitecture } from "../../nn/architecture.js";
import { CategoricalHead } from "../../nn/heads.js";
import { RecurrentNet, type RecurrentWorkspace } from "../../nn/recurrent.js";

export interface ScorePolicy<Batch> {
  /** Number of parameters. */
  readonly size: number;
  /** log π(a_t | h_t; θ) of seat `seat`'s recorded actions, `[T, batch]`, into `out`. */
  logProbs(theta: Float64Array, batch: Batch, seat: 0 | 1, out: Float64Array): Float64Array;
  /** grad = Σ_n coefficients[n] ∇_θ log π(a_n | h_n; θ) over seat `seat`'s steps n (`[T, batch]`). */
  scoreGradient(
    theta: Float64Array,
    batch: Batch,
    seat: 0 | 1,
    coefficients: Float64Array,
    grad: Float64Array,
  ): Float64Array;
}

/** One seat's observations and actions, gathered once per batch into the contiguous rows the network reads. */
interface SeatRows {
  readonly x: Float32Array;
  readonly actions: Uint8Array;
}

export class RecurrentCoinPolicy implements ScorePolicy<CoinTrajectories> {
  readonly net: RecurrentNet;
  readonly size: number;
  private ws: RecurrentWorkspace | null = null;
  private head: CategoricalHead | null = null;
  private dLogProb = new Float32Array(0);
  private dLogits = new Float32Array(0);
  private readonly rows = new WeakMap<CoinTrajectories, [SeatRows | null, SeatRows | null]>();

  constructor(readonly architecture: GRUArchitecture) {
    this.net = new RecurrentNet(architecture);
    this.size = this.net.params.size;
  }

  logProbs(theta: Float64Array, batch: CoinTrajectories, seat: 0 | 1, out: Float64Array): Float64Array {
    const { actions } = this.forward(theta, batch, seat);
    const head = this.head as CategoricalHead;
    const A = head.actions;
    for (let n = 0; n < actions.length; n++) out[n] = head.logProbs[n * A + actions[n]];
    return out;
  }

  scoreGradient(
    theta: Float64Array,
    batch: CoinTrajectories,
    seat: 0 | 1,
    coefficients: Float64Array,
    grad: Float64Array,
  ): Float64Array {
    const { x, actions } = this.forward(theta, batch, seat);
    const ws = this.ws as RecurrentWorkspace;
    const rows = actions.length;
    for (let n = 0; n < rows; n++) this.dLogProb[n] = coefficients[n];
    // L = Σ κ_n log π(a_n): ∂L/∂z = κ_n ([j = a_n] − π_j); the head's backward writes exactly that.
    (this.head as CategoricalHead).backward(actions, this.dLogProb, null, this.dLogits, rows);
    this.net.params.zeroGrad();
    this.net.backward(x, this.dLogits, ws);
    const g = this.net.params.grads;
    for (let k = 0; k < this.size; k++) grad[k] = g[k];
    return grad;
  }

  /** Load θ, run the whole sequence of seat `seat` from h₀ = 0 and the log-softmax head; returns the seat's rows. */
  private forward(theta: Float64Array, batch: CoinTrajectories, seat: 0 | 1): SeatRows {
    if (theta.length !== this.size) {
      throw new RangeError(`theta: holds ${theta.length} values, this network has ${this.size}`);
    }
    const seatRows = this.seatRows(batch, seat);
    const { horizon: T, batch: B } = batch;
    if (!this.ws || this.ws.steps !== T || this.ws.batch !== B) {
      this.ws = this.net.workspace(T, B);
      this.head = new CategoricalHead(this.architecture.outputs, T * B);
      this.dLogProb = new Float32Array(T * B);
      this.dLogits = new Float32Array(T * B * this.architecture.outputs);
    }
    this.net.params.values.set(theta);
    this.ws.gru.hs.fill(0, 0, B * this.architecture.hidden); // h₀ = 0 for every game
    const logits = this.net.forward(seatRows.x, this.ws);
    (this.head as CategoricalHead).forward(logits, T * B);
    return seatRows;
  }

  private seatRows(batch: CoinTrajectories, seat: 0 | 1): SeatRows {
    let cached = this.rows.get(batch);
    if (!cached) {
      cached = [null, null];
      this.rows.set(batch, cached);
    }
    const hit = cached[seat];
    if (hit) return hit;
    const { horizon: T, batch: B, obsSize: F, obs } = batch;
    if (F !== this.architecture.inputs) {
      throw new RangeError(`observations have ${F} floats, the network reads ${this.architecture.inputs}`);
    }
    const x = new Float32Array(T * B * F);
    const actions = new Uint8Array(T * B);
    for (let n = 0; n < T * B; n++) {
      // obs is [T, batch, 2, F] and actions [T, batch, 2]: row n = t·batch + g.
      x.set(obs.subarray((2 * n + seat) * F, (2 * n + seat + 1) * F), n * F);
      actions[n] = batch.actions[2 * n + seat];
    }
    const rows = { x, actions };
    cached[seat] = rows;
    return rows;
  }
}
