/**
 * Naive learner (NL): independent gradient ascent on one's own value, treating the opponent as fixed.
 *
 *   θ_i ← θ_i + lr · ∇_i V_i(θ_i, θ_j)
 *
 * Foerster et al. 2018, "Learning with Opponent-Learning Awareness" (arXiv:1709.04326), the NL-Ex baseline.
 */
import type { DifferentiableGame } from "../../exact/differentiable.js";
import type { ExactLearner, ExactLearnerSpec } from "./learner.js";

export function createNaive(spec: ExactLearnerSpec, _game: DifferentiableGame): ExactLearner {
  return {
    name: "naive",
    lr: spec.lr ?? 1,
    frozen: false,
    direction(point, _theta, _offset, agent, out) {
      point.gradientBlock(agent, agent, out);
    },
  };
}
