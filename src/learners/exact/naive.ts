/**
 * Naive learner (NL): independent gradient ascent on one's own value, treating the opponent as fixed.
 *
 *   θ_i ← θ_i + lr · ∇_i V_i(θ_i, θ_j)
 *
 * Foerster et al. 2018, "Learning with Opponent-Learning Awareness" (arXiv:1709.04326), the NL-Ex baseline.
 */
import * as z from "../../zod.js";
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { EXACT_FIELDS, type ExactLearner, type ExactLearnerEntry } from "./learner.js";

export const NAIVE_SCHEMA = z.strictObject({ lr: EXACT_FIELDS.lr });
export type NaiveConfig = z.output<typeof NAIVE_SCHEMA>;

export function createNaive(config: NaiveConfig, _game: DifferentiableGame): ExactLearner {
  return {
    name: "naive",
    lr: config.lr,
    frozen: false,
    pairRule: { kind: "naive" },
    direction(point, _theta, _offset, agent, out) {
      point.gradientBlock(agent, agent, out);
    },
  };
}

export const naiveEntry: ExactLearnerEntry<NaiveConfig> = {
  name: "naive",
  label: "exact naive",
  family: "exact",
  summary: "θ_i += lr·∇_iV_i",
  reference: "Foerster et al., LOLA, AAMAS 2018 (NL-Ex)",
  schema: NAIVE_SCHEMA,
  create: createNaive,
};
