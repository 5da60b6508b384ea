/**
 * Adam gradient ascent on a Float64Array (Kingma & Ba 2015; β1 0.9, β2 0.999, ε 1e-8, PyTorch's bias correction):
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  θ ← θ + lr·(m/(1 − β1^t)) / (√(v/(1 − β2^t)) + ε),
 * with β^t kept as running products (`**` is not bit-identical across engines). Shared by the small linear
 * policy-gradient learners of the bandit and trust tasks and by the bandit's gradient shaper. (The tabular
 * learners' `GradientAscent` in src/learners/sampled/learner.ts writes the step into a delta instead, with its
 * own rounding order.)
 */
export class AdamAscent {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(
    private readonly lr: number,
    readonly size: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** params += the Adam step for gradient `grad` (ascent). */
  step(params: Float64Array, grad: Float64Array): void {
    this.beta1Power *= 0.9;
    this.beta2Power *= 0.999;
    for (let i = 0; i < this.size; i++) {
      this.m[i] = 0.9 * this.m[i] + 0.1 * grad[i];
      this.v[i] = 0.999 * this.v[i] + 0.001 * grad[i] * grad[i];
      params[i] +=
        (this.lr * this.m[i]) / (1 - this.beta1Power) / (Math.sqrt(this.v[i] / (1 - this.beta2Power)) + 1e-8);
    }
  }
}
