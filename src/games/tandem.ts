/**
 * The tandem game of the SOS paper (Letcher, Foerster, Balduzzi, Rocktäschel, Whiteson 2019, "Stable Opponent
 * Shaping in Differentiable Games", arXiv:1811.08469): two players with one scalar each, x and y, and losses
 *
 *   L_1(x, y) = (x + y)² − 2x,   L_2(x, y) = (x + y)² − 2y.
 *
 * Every point with x + y = 1 is a fixed point of the simultaneous gradient, with L_1 + L_2 = 0 there. LOLA
 * "arrogantly" overshoots to x + y > 1 (positive losses); SOS keeps the fixed points.
 *
 * Closed forms, with s = x + y:  ∇L_1 = (2s − 2, 2s),  ∇L_2 = (2s, 2s − 2),  ∇²L_1 = ∇²L_2 = [[2, 2], [2, 2]].
 * The evaluator exposes VALUES V_k = −L_k (what learners maximise) and matches the exact learners'
 * `DifferentiableEvaluator` interface (src/exact/differentiable.ts) structurally, so this file needs no import
 * from a higher layer.
 */

export class TandemEvaluator {
  readonly paramsPerAgent = 1;
  private s = 0;
  private x = 0;
  private y = 0;

  evaluate(theta: ArrayLike<number>, offset: number): boolean {
    this.x = theta[offset];
    this.y = theta[offset + 1];
    this.s = this.x + this.y;
    return Number.isFinite(this.s);
  }

  /** V_k = −L_k */
  value(k: 0 | 1): number {
    return -(this.s * this.s - 2 * (k === 0 ? this.x : this.y));
  }

  /** Loss L_k at the evaluated point. */
  loss(k: 0 | 1): number {
    return -this.value(k);
  }

  gradient(k: 0 | 1, out: Float64Array): void {
    out[0] = -(2 * this.s - (k === 0 ? 2 : 0));
    out[1] = -(2 * this.s - (k === 1 ? 2 : 0));
  }

  gradientBlock(k: 0 | 1, agent: 0 | 1, out: Float64Array): void {
    out[0] = -(2 * this.s - (k === agent ? 2 : 0));
  }

  /** ∇²V_k = −[[2, 2], [2, 2]] for both k. */
  hessianVectorProduct(_k: 0 | 1, direction: ArrayLike<number>, out: Float64Array): void {
    const h = -2 * (direction[0] + direction[1]);
    out[0] = h;
    out[1] = h;
  }

  /** ∇_x∇_y V_k = −2 for both k. */
  crossHessianVectorProduct(_k: 0 | 1, _agent: 0 | 1, u: ArrayLike<number>, out: Float64Array): void {
    out[0] = -2 * u[0];
  }

  /** χ_i = (∇_i∇_j V_j)·∇_j V_i: ∇_j V_i = −2s for both agents, times ∇_x∇_y V = −2. */
  lolaTerm(_agent: 0 | 1, out: Float64Array): void {
    out[0] = -2 * (-2 * this.s);
  }
}

/** The tandem game as a differentiable two-player game (values V_k = −L_k). */
export const tandemGame = {
  name: "tandem",
  paramsPerAgent: 1,
  createEvaluator: () => new TandemEvaluator(),
} as const;

/** L_1 and L_2 at (x, y). */
export function tandemLosses(x: number, y: number): [number, number] {
  const s = x + y;
  return [s * s - 2 * x, s * s - 2 * y];
}
