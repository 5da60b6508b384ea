/**
 * A differentiable policy over one seat's recorded games, as the DiCE learners need it: the log-probabilities of
 * the actions the seat took, and the score-function gradient Σ_n κ_n ∇_θ log π(a_n | h_n; θ) for per-step
 * coefficients κ, both at ANY parameters θ (not only those that played: a finite difference moves them).
 * Parameters cross this boundary as Float64Array, so the learners' arithmetic (look-ahead steps, finite
 * differences) runs in float64 whatever the network stores. A table policy (the tests' memory-one "network") and
 * the Coin Game actor implement the same two methods.
 *
 * `CoinScorePolicy` evaluates the neural learners' actor (./nets.ts's CoinPolicy: Dense → ReLU → GRU → logits) on
 * a seat record of ./rollout.ts, through ./learner.ts's `policyPass` (one forward over the whole [T, games]
 * block from h₀ = 0, one backward through time with ∂L/∂log π(a_n) = κ_n; log π alone is the forward half). It
 * owns a scratch network, so loading a perturbed θ never touches the network that plays.
 */
import { PolicyScratch, policyPass } from "./learner.js";
import { CoinPolicy } from "./nets.js";
import type { SeatTrajectory } from "./rollout.js";

export interface ScorePolicy<Record> {
  /** Number of parameters. */
  readonly size: number;
  /** log π(a_t | h_t; θ) of the record's actions, `[T, games]`, into `out`. */
  logProbs(
    theta: Float64Array,
    record: Record,
    horizon: number,
    games: number,
    out: Float64Array,
  ): Float64Array;
  /** grad = Σ_n coefficients[n] ∇_θ log π(a_n | h_n; θ) over the record's steps n (`[T, games]`). */
  scoreGradient(
    theta: Float64Array,
    record: Record,
    horizon: number,
    games: number,
    coefficients: Float64Array,
    grad: Float64Array,
  ): Float64Array;
}

export class CoinScorePolicy implements ScorePolicy<SeatTrajectory> {
  private readonly scratchPolicy: CoinPolicy;
  readonly size: number;
  private scratch = new PolicyScratch(0, 0);

  constructor(observation: number, width: number, actions: number) {
    this.scratchPolicy = new CoinPolicy(observation, width, actions);
    this.size = this.scratchPolicy.net.params.size;
  }

  logProbs(
    theta: Float64Array,
    record: SeatTrajectory,
    horizon: number,
    games: number,
    out: Float64Array,
  ): Float64Array {
    // Forward only (no backward pass): policyPass's first half.
    this.load(theta, horizon * games);
    const policy = this.scratchPolicy;
    const { ws, head } = policy.buffers(horizon, games);
    ws.gru.hs.fill(0, 0, games * policy.net.architecture.hidden);
    head.forward(policy.net.forward(record.obs, ws), horizon * games);
    head.logProbOf(record.actions, this.scratch.logProbs, horizon * games);
    for (let n = 0; n < horizon * games; n++) out[n] = this.scratch.logProbs[n];
    return out;
  }

  scoreGradient(
    theta: Float64Array,
    record: SeatTrajectory,
    horizon: number,
    games: number,
    coefficients: Float64Array,
    grad: Float64Array,
  ): Float64Array {
    const params = this.scratchPolicy.net.params;
    params.zeroGrad();
    this.pass(theta, record, horizon, games, coefficients);
    for (let k = 0; k < this.size; k++) grad[k] = params.grads[k];
    return grad;
  }

  /** Load θ and accumulate Σ_n κ_n ∇ log π(a_n) through `policyPass` (no entropy term). */
  private pass(
    theta: Float64Array,
    record: SeatTrajectory,
    horizon: number,
    games: number,
    coefficients: Float64Array,
  ): void {
    this.load(theta, horizon * games);
    policyPass(
      this.scratchPolicy,
      record.obs,
      record.actions,
      horizon,
      games,
      (_logProbs, _entropies, n, dLogProb, dEntropy) => {
        for (let i = 0; i < n; i++) dLogProb[i] = coefficients[i];
        dEntropy.fill(0, 0, n);
      },
      this.scratch,
    );
  }

  private load(theta: Float64Array, rows: number): void {
    if (theta.length !== this.size) {
      throw new RangeError(`theta: holds ${theta.length} values, this network has ${this.size}`);
    }
    if (this.scratch.logProbs.length < rows)
      this.scratch = new PolicyScratch(rows, this.scratchPolicy.actions);
    this.scratchPolicy.net.params.values.set(theta);
  }
}
