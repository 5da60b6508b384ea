/**
 * Output heads: a categorical policy head over logits and a squared-error value loss.
 *
 * Categorical, per row n with logits z ∈ R^A (log-softmax computed with the max subtracted, so it never overflows):
 *   log π_j = z_j − m − log Σ_k e^(z_k − m),   m = max_k z_k
 *   H = −Σ_j π_j log π_j
 *   ∂ log π_a / ∂z_j = [j = a] − π_j
 *   ∂H / ∂z_j        = −π_j (log π_j + H)
 * `backward` takes per-row coefficients g_n = ∂L/∂log π(a_n) and e_n = ∂L/∂H_n and writes
 *   ∂L/∂z_nj = g_n ([j = a_n] − π_nj) − e_n π_nj (log π_nj + H_n).
 * A policy-gradient loss L = −(1/N) Σ A_n log π(a_n) − c·(1/N) Σ H_n has g_n = −A_n/N and e_n = −c/N.
 *
 * Value loss (the value head itself is a Linear layer with one output, see nets.ts):
 *   L = (coef/N) Σ_n (v_n − y_n)²,   ∂L/∂v_n = 2·coef·(v_n − y_n)/N
 */
import { exp, log } from "../util/math.js";
import { requireActions, requireLength } from "./checks.js";

export class CategoricalHead {
  /** log π [rows × actions] of the last forward. */
  readonly logProbs: Float32Array;
  /** π [rows × actions] of the last forward. */
  readonly probs: Float32Array;
  /** H per row of the last forward. */
  readonly entropies: Float32Array;
  /** Per-row loss coefficients g_n and e_n used by `policyGradient`. */
  private readonly dLogProb: Float32Array;
  private readonly dEntropy: Float32Array;

  constructor(
    readonly actions: number,
    readonly maxRows: number,
  ) {
    this.logProbs = new Float32Array(maxRows * actions);
    this.probs = new Float32Array(maxRows * actions);
    this.entropies = new Float32Array(maxRows);
    this.dLogProb = new Float32Array(maxRows);
    this.dEntropy = new Float32Array(maxRows);
  }

  /**
   * The policy-gradient loss L = −(1/N) Σ A_n log π(a_n) − c·(1/N) Σ H_n over `rows` rows of `logits`: runs
   * forward, writes ∂L/∂logits into dLogits and returns L.
   */
  policyGradient(
    logits: Float32Array,
    actions: ArrayLike<number>,
    advantages: ArrayLike<number>,
    entropyCoef: number,
    dLogits: Float32Array,
    rows: number,
  ): number {
    requireActions("actions", actions, rows, this.actions);
    requireLength("advantages", advantages, rows);
    requireLength("dLogits", dLogits, rows * this.actions);
    this.forward(logits, rows);
    const A = this.actions;
    let loss = 0;
    for (let n = 0; n < rows; n++) {
      loss -= advantages[n] * this.logProbs[n * A + actions[n]] + entropyCoef * this.entropies[n];
      this.dLogProb[n] = -advantages[n] / rows;
      this.dEntropy[n] = -entropyCoef / rows;
    }
    this.backward(actions, this.dLogProb, this.dEntropy, dLogits, rows);
    return loss / rows;
  }

  /** log-softmax, softmax and entropy of each row of `logits`. */
  forward(logits: Float32Array, rows: number): void {
    if (rows > this.maxRows) throw new RangeError(`rows: ${rows} is more than this head's ${this.maxRows}`);
    requireLength("logits", logits, rows * this.actions);
    const A = this.actions;
    for (let n = 0; n < rows; n++)
      this.entropies[n] = logSoftmaxRow(logits, this.logProbs, this.probs, n * A, A);
  }

  /** out[n] = log π(actions[n]) from the last forward. */
  logProbOf(actions: ArrayLike<number>, out: Float32Array, rows: number): void {
    requireActions("actions", actions, rows, this.actions);
    const A = this.actions;
    for (let n = 0; n < rows; n++) out[n] = this.logProbs[n * A + actions[n]];
  }

  /** dLogits = g_n ∂log π(a_n)/∂z + e_n ∂H_n/∂z, row by row (see the header). `dEntropy` may be null (e = 0). */
  backward(
    actions: ArrayLike<number>,
    dLogProb: Float32Array,
    dEntropy: Float32Array | null,
    dLogits: Float32Array,
    rows: number,
  ): void {
    const A = this.actions;
    const { logProbs, probs } = this;
    for (let n = 0; n < rows; n++) {
      const o = n * A;
      const g = dLogProb[n];
      const e = dEntropy ? dEntropy[n] : 0;
      const h = this.entropies[n];
      const a = actions[n];
      for (let j = 0; j < A; j++) {
        const p = probs[o + j];
        dLogits[o + j] = g * ((j === a ? 1 : 0) - p) - e * p * (logProbs[o + j] + h);
      }
    }
  }
}

/**
 * Squared-error value loss L = (coef/N) Σ_n (v_n − y_n)² over `rows` values; writes ∂L/∂v into dValues and
 * returns L. (coef = 0.5 gives the ½-MSE of many references; PyTorch's F.mse_loss is coef = 1.)
 */
export function squaredErrorLoss(
  values: Float32Array,
  targets: ArrayLike<number>,
  dValues: Float32Array,
  rows: number,
  coef = 1,
): number {
  let loss = 0;
  const k = coef / rows;
  for (let n = 0; n < rows; n++) {
    const d = values[n] - targets[n];
    loss += d * d;
    dValues[n] = 2 * k * d;
  }
  return k * loss;
}

/**
 * One row: logProbs = z − logΣe^z and probs = e^(z − max)/Σ, with one exp per entry; returns the entropy. A small
 * function of its own so V8 inlines exp and log into it.
 */
function logSoftmaxRow(
  logits: Float32Array,
  logProbs: Float32Array,
  probs: Float32Array,
  o: number,
  A: number,
): number {
  let max = logits[o];
  for (let j = 1; j < A; j++) if (logits[o + j] > max) max = logits[o + j];
  let sum = 0;
  for (let j = 0; j < A; j++) {
    const e = exp(logits[o + j] - max);
    probs[o + j] = e;
    sum += e;
  }
  const logSum = log(sum);
  let h = 0;
  for (let j = 0; j < A; j++) {
    const l = logits[o + j] - max - logSum;
    const p = probs[o + j] / sum;
    logProbs[o + j] = l;
    probs[o + j] = p;
    h -= p * l;
  }
  return h;
}
