/**
 * The meta-shaper: a shaper that plans over a naive learner's whole learning trajectory (the seed post's
 * "treacherous turn", §8.2; the unrolled-opponent idea of Lu, Willi, de Witt, Foerster 2022, "Model-Free Opponent
 * Shaping", and of Foerster et al. 2018's LOLA with many look-ahead steps, made exact here).
 *
 * The shaper picks its own memory-one logits θ_k for each of the opponent's learning steps k = 0..K; the opponent
 * is a naive learner on its own value, so its path is a deterministic function of the shaper's plan:
 *
 *   φ_{k+1} = φ_k + α·∇_φ V₂(θ_k, φ_k),                    φ_0 given
 *   L(θ_0..θ_K) = Σ_{k=0}^{K} γ_meta^k · V₁(θ_k, φ_k)       (V = the exact discounted value, game scale)
 *
 * and the shaper maximises L by gradient ascent on every θ_k at once, differentiating THROUGH the opponent's
 * updates (reverse mode, the adjoint of the recursion above). With λ_k = dL/dφ_k:
 *
 *   λ_K = γ_meta^K ∇_φ V₁(θ_K, φ_K)
 *   λ_k = γ_meta^k ∇_φ V₁(θ_k, φ_k) + (I + α ∇²_φφ V₂(θ_k, φ_k))·λ_{k+1}
 *   dL/dθ_k = γ_meta^k ∇_θ V₁(θ_k, φ_k) + α ∇²_θφ V₂(θ_k, φ_k)·λ_{k+1}            (second term only for k < K)
 *
 * Both Hessian blocks come from ONE joint Hessian-vector product of V₂ per step, with direction (0, λ_{k+1}):
 * its θ block is ∇²_θφ V₂·λ_{k+1} and its φ block ∇²_φφ V₂·λ_{k+1} (the exact engine's `hessianVectorProduct`,
 * src/exact/derivatives.ts). The gradient is tested against central finite differences of L.
 *
 * The optimiser is Adam (`GradientAscent`, shared with the sampled learners): it is invariant to the scale of each
 * coordinate's gradient, so the late steps' tiny weights γ_meta^k do not freeze them (only γ_meta = 0 does).
 */
import type { DifferentiableEvaluator } from "../../exact/differentiable.js";
import { memoryOneGame } from "../../exact/derivatives.js";
import type { MatrixGame } from "../../games/game.js";
import { InputError } from "../../util/errors.js";
import { GradientAscent } from "../sampled/learner.js";

const N = 5;

export interface MetaShaperProblem {
  game: MatrixGame;
  /** The per-game discount γ of V. */
  gamma: number;
  /** The naive opponent's step size α. */
  alpha: number;
  /** The shaper's discount over the opponent's learning steps, γ_meta ∈ [0, 1]. */
  gammaMeta: number;
  /** The opponent's initial logits φ_0 (5). */
  phi0: ArrayLike<number>;
  /** Number of opponent updates K (the plan has K + 1 policies θ_0..θ_K). */
  steps: number;
}

export interface UnrolledPath {
  /** L = Σ_k γ_meta^k V₁(θ_k, φ_k). */
  objective: number;
  /** The opponent's logits φ_0..φ_K: [(K + 1), 5]. */
  phis: Float64Array;
  /** V₁, V₂ (game scale) at each step: [(K + 1), 2]. */
  values: Float64Array;
}

function checkProblem(p: MetaShaperProblem): void {
  if (!(Number.isInteger(p.steps) && p.steps >= 0 && p.steps <= 100_000)) {
    throw new InputError("steps", `must be an integer in [0, 100000], got ${p.steps}`);
  }
  if (!(Number.isFinite(p.gammaMeta) && p.gammaMeta >= 0 && p.gammaMeta <= 1)) {
    throw new InputError("gammaMeta", `must be in [0, 1], got ${p.gammaMeta}`);
  }
  if (!Number.isFinite(p.alpha)) throw new InputError("alpha", `must be a finite number, got ${p.alpha}`);
  if (p.phi0.length !== N) throw new InputError("phi0", `must hold 5 logits, got ${p.phi0.length}`);
}

/** Evaluate `(θ, φ)` into `point`, or throw (the plan left the region where the values are finite). */
function evaluateAt(point: DifferentiableEvaluator, joint: Float64Array, k: number): void {
  if (!point.evaluate(joint, 0)) {
    throw new RangeError(`meta-shaper: the value is not finite at opponent step ${k}`);
  }
}

/**
 * Forward pass: the opponent's path under the plan `thetas` ([(K + 1), 5]) and the objective. With `gradient`
 * ([(K + 1), 5]) it also runs the adjoint pass and writes dL/dθ_k there.
 */
export function unrolledObjective(
  problem: MetaShaperProblem,
  thetas: Float64Array,
  gradient?: Float64Array,
): UnrolledPath {
  checkProblem(problem);
  const K = problem.steps;
  if (thetas.length !== (K + 1) * N) {
    throw new InputError("thetas", `must hold (steps + 1) × 5 = ${(K + 1) * N} logits, got ${thetas.length}`);
  }
  const { alpha, gammaMeta } = problem;
  const point = memoryOneGame(problem.game, problem.gamma).createEvaluator();
  const joint = new Float64Array(2 * N);
  const g = new Float64Array(N);
  const phis = new Float64Array((K + 1) * N);
  const values = new Float64Array(2 * (K + 1));
  for (let a = 0; a < N; a++) phis[a] = problem.phi0[a];

  let objective = 0;
  let weight = 1; // γ_meta^k as a running product (no Math.pow in numeric code)
  for (let k = 0; k <= K; k++) {
    joint.set(thetas.subarray(k * N, (k + 1) * N), 0);
    joint.set(phis.subarray(k * N, (k + 1) * N), N);
    evaluateAt(point, joint, k);
    values[2 * k] = point.value(0);
    values[2 * k + 1] = point.value(1);
    objective += weight * values[2 * k];
    weight *= gammaMeta;
    if (k === K) break;
    point.gradientBlock(1, 1, g); // ∇_φ V₂
    for (let a = 0; a < N; a++) phis[(k + 1) * N + a] = phis[k * N + a] + alpha * g[a];
  }

  if (gradient) {
    if (gradient.length !== thetas.length) throw new InputError("gradient", "must have the plan's length");
    const weights = new Float64Array(K + 1);
    weights[0] = 1;
    for (let k = 1; k <= K; k++) weights[k] = weights[k - 1] * gammaMeta;
    const lambda = new Float64Array(N); // λ_{k+1}, zero beyond the horizon
    const dir = new Float64Array(2 * N);
    const hvp = new Float64Array(2 * N);
    const gTheta = new Float64Array(N);
    const gPhi = new Float64Array(N);
    for (let k = K; k >= 0; k--) {
      joint.set(thetas.subarray(k * N, (k + 1) * N), 0);
      joint.set(phis.subarray(k * N, (k + 1) * N), N);
      evaluateAt(point, joint, k);
      point.gradientBlock(0, 0, gTheta); // ∇_θ V₁
      point.gradientBlock(0, 1, gPhi); // ∇_φ V₁
      const w = weights[k];
      if (k < K) {
        // One joint HVP of V₂ with direction (0, λ_{k+1}): θ block ∇²_θφV₂·λ, φ block ∇²_φφV₂·λ.
        dir.fill(0, 0, N);
        dir.set(lambda, N);
        point.hessianVectorProduct(1, dir, hvp);
        for (let a = 0; a < N; a++) {
          gradient[k * N + a] = w * gTheta[a] + alpha * hvp[a];
          lambda[a] = w * gPhi[a] + lambda[a] + alpha * hvp[N + a];
        }
      } else {
        for (let a = 0; a < N; a++) {
          gradient[k * N + a] = w * gTheta[a];
          lambda[a] = w * gPhi[a];
        }
      }
    }
  }
  return { objective, phis, values };
}

export interface MetaShaperOptions {
  /** Adam iterations on the plan. */
  iterations: number;
  /** Adam step size. */
  lr: number;
  /** Called after each iteration with the objective before the step (for progress or convergence plots). */
  onIteration?: (iteration: number, objective: number) => void;
}

export interface MetaShaperResult {
  /** The optimised plan θ_0..θ_K: [(K + 1), 5]. */
  thetas: Float64Array;
  path: UnrolledPath;
  /** Objective at each iteration (before its step) and at the end: [iterations + 1]. */
  objectiveCurve: Float64Array;
}

/** Maximise L over the plan by Adam from `init` ([(K + 1), 5], copied). */
export function optimiseMetaShaper(
  problem: MetaShaperProblem,
  init: Float64Array,
  options: MetaShaperOptions,
): MetaShaperResult {
  const { iterations, lr } = options;
  if (!(Number.isInteger(iterations) && iterations >= 0)) {
    throw new InputError("iterations", `must be an integer ≥ 0, got ${iterations}`);
  }
  if (!(Number.isFinite(lr) && lr > 0)) throw new InputError("lr", `must be a positive number, got ${lr}`);
  const thetas = Float64Array.from(init);
  const grad = new Float64Array(thetas.length);
  const delta = new Float64Array(thetas.length);
  const optimiser = new GradientAscent("adam", lr, thetas.length);
  const objectiveCurve = new Float64Array(iterations + 1);
  for (let it = 0; it < iterations; it++) {
    const { objective } = unrolledObjective(problem, thetas, grad);
    objectiveCurve[it] = objective;
    options.onIteration?.(it, objective);
    optimiser.direction(grad, delta);
    for (let a = 0; a < thetas.length; a++) thetas[a] += delta[a];
  }
  const path = unrolledObjective(problem, thetas);
  objectiveCurve[iterations] = path.objective;
  return { thetas, path, objectiveCurve };
}
