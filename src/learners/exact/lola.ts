/**
 * LOLA, exact form (Foerster, Chen, Al-Shedivat, Whiteson, Abbeel, Mordatch 2018, "Learning with
 * Opponent-Learning Awareness", arXiv:1709.04326, AAMAS 2018; the released `train_exact.py`):
 *
 *   θ_i ← θ_i + lr · ( ∇_i V_i + η · ∇_i[ stopgrad(∇_j V_i) · ∇_j V_j ] )
 *       = θ_i + lr · ( ∇_i V_i + η · (∇_i ∇_j V_j) · ∇_j V_i )
 *
 * i.e. agent i accounts for how its parameters change the opponent's naive step η·∇_j V_j, and how that step
 * changes its own value. The cross term is the evaluator's `lolaTerm`: one directional (forward-mode) derivative
 * of ∇_i V_j along ∇_j V_i, with no Hessian formed.
 *
 * `includeLookAheadTerm` adds η·(∇_i ∇_j V_i)·∇_j V_j, the second term of the full first-order Taylor expansion of
 * V_i(θ_i, θ_j + η∇_j V_j). That is the "LOLA" of the SOS paper (Letcher et al. 2019: ξ0 − αχ), whose tandem-game
 * number (+0.44) is for this variant.
 */
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { crossHessianTimes, type ExactLearner, type ExactLearnerSpec, other } from "./learner.js";

export function createLola(spec: ExactLearnerSpec, game: DifferentiableGame): ExactLearner {
  const n = game.paramsPerAgent;
  const eta = spec.eta ?? 1;
  const withLookAhead = spec.includeLookAheadTerm ?? false;
  const otherGrad = new Float64Array(n);
  const term = new Float64Array(n);
  return {
    name: "lola",
    lr: spec.lr ?? 1,
    frozen: false,
    direction(point, _theta, _offset, agent, out) {
      point.gradientBlock(agent, agent, out); // ∇_i V_i
      point.lolaTerm(agent, term); // (∇_i ∇_j V_j)·∇_j V_i, with ∇_j V_i held fixed (stopgrad)
      for (let a = 0; a < n; a++) out[a] += eta * term[a];
      if (withLookAhead) {
        const j = other(agent);
        point.gradientBlock(j, j, otherGrad); // ∇_j V_j
        crossHessianTimes(point, agent, agent, otherGrad, term); // (∇_i ∇_j V_i)·∇_j V_j
        for (let a = 0; a < n; a++) out[a] += eta * term[a];
      }
    },
  };
}
