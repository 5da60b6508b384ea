/**
 * Tabular memory-one policies: 5 logits per agent in its OWN view `[start, CC, CD, DC, DD]`, with
 * `P(C | s) = sigmoid(θ_s)` (DESIGN.md), batched as `[n, 5]` Float64Arrays.
 *
 * Closed-form score functions. With a ∈ {0 = C, 1 = D} taken in state s, log π(a|s) depends on θ_s only:
 *
 *   ∂ log π(a|s) / ∂θ_s      = 1[a = C] − σ(θ_s)          (the score; 0 in every other coordinate)
 *   ∂² log π(a|s) / ∂θ_s²    = −σ(θ_s)·(1 − σ(θ_s))       (the same for both actions; the Hessian is diagonal)
 *
 * Entropy of state s, H_s = −p log p − (1 − p) log(1 − p) with p = σ(θ_s), has ∂H_s/∂θ_s = −θ_s·p·(1 − p).
 */
import { log, sigmoid } from "../util/math.js";

export const MEMORY_ONE_STATES = 5;

/** Cooperation probabilities of a batch of logits, written into `out` (same length). */
export function cooperationProbabilities(theta: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = sigmoid(theta[i]);
  return out;
}

/** ∂ log π(a|s) / ∂θ_s given p = P(C|s) and the action (0 = C, 1 = D). */
export function scoreOfAction(pC: number, action: number): number {
  return (action === 0 ? 1 : 0) - pC;
}

/** ∂² log π(a|s) / ∂θ_s² given p = P(C|s) (independent of the action). */
export function logProbCurvature(pC: number): number {
  return -pC * (1 - pC);
}

/** log π(a|s) given p = P(C|s); finite for p in (0, 1). */
export function logProbOfAction(pC: number, action: number): number {
  return log(action === 0 ? pC : 1 - pC);
}

/** ∂H_s/∂θ_s for the Bernoulli entropy of state s, given its logit. */
export function entropyGradient(theta: number): number {
  const p = sigmoid(theta);
  return -theta * p * (1 - p);
}
