/**
 * The seed post's correction ("cross-Hessian" learner):
 *
 *   θ_i ← θ_i + lr · ( ∇_i V_i + β · (∇_i ∇_j V_i) · ∇_j V_j )
 *
 * Agent i anticipates the opponent's naive step ∇_j V_j and follows how its own value's gradient changes along it.
 * This is the look-ahead term of the Taylor expansion of V_i(θ_i, θ_j + β∇_j V_j) (Zhang & Lesser 2010's
 * "LookAhead" as written by the SOS paper, Letcher et al. 2019: ξ0 = (I − αH_o)ξ), not the LOLA paper's term,
 * which differentiates the opponent's value instead (see `lola.ts` and `shapelab explain`).
 */
import * as z from "../../zod.js";
import type { DifferentiableGame } from "../../exact/differentiable.js";
import {
  crossHessianTimes,
  EXACT_FIELDS,
  type ExactLearner,
  type ExactLearnerEntry,
  other,
} from "./learner.js";

export const CROSS_HESSIAN_SCHEMA = z.strictObject({
  lr: EXACT_FIELDS.lr,
  beta: z.number().min(0).default(1).describe("weight β of the seed post's cross term (∇_i∇_jV_i)·∇_jV_j"),
});
export type CrossHessianConfig = z.output<typeof CROSS_HESSIAN_SCHEMA>;

export function createCrossHessian(config: CrossHessianConfig, game: DifferentiableGame): ExactLearner {
  const n = game.paramsPerAgent;
  const beta = config.beta;
  const otherStep = new Float64Array(n);
  const term = new Float64Array(n);
  return {
    name: "cross-hessian",
    lr: config.lr,
    frozen: false,
    direction(point, _theta, _offset, agent, out) {
      const j = other(agent);
      point.gradientBlock(agent, agent, out); // ∇_i V_i
      point.gradientBlock(j, j, otherStep); // ∇_j V_j
      crossHessianTimes(point, agent, agent, otherStep, term); // (∇_i ∇_j V_i)·∇_j V_j
      for (let a = 0; a < n; a++) out[a] += beta * term[a];
    },
  };
}

export const crossHessianEntry: ExactLearnerEntry<CrossHessianConfig> = {
  name: "cross-hessian",
  label: "exact cross-Hessian",
  family: "exact",
  summary: "θ_i += lr·(∇_iV_i + β·(∇_i∇_jV_i)·∇_jV_j)  (seed post)",
  schema: CROSS_HESSIAN_SCHEMA,
  create: createCrossHessian,
};
