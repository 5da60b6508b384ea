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
import * as z from "../../zod.js";
import type { DifferentiableGame } from "../../exact/differentiable.js";
import {
  crossHessianTimes,
  EXACT_FIELDS,
  type ExactLearner,
  type ExactLearnerEntry,
  other,
} from "./learner.js";

export const LOLA_SCHEMA = z.strictObject({
  lr: EXACT_FIELDS.lr,
  eta: EXACT_FIELDS.eta,
  includeLookAheadTerm: z.boolean().default(false).meta({
    flag: "lola-lookahead-term",
    description: "also add η·(∇_i∇_jV_i)·∇_jV_j (the SOS paper's LOLA); off: the LOLA paper's exact form",
  }),
});
export type LolaConfig = z.output<typeof LOLA_SCHEMA>;

export function createLola(config: LolaConfig, game: DifferentiableGame): ExactLearner {
  const n = game.paramsPerAgent;
  const eta = config.eta;
  const withLookAhead = config.includeLookAheadTerm;
  const otherGrad = new Float64Array(n);
  const term = new Float64Array(n);
  return {
    name: "lola",
    lr: config.lr,
    frozen: false,
    pairRule: withLookAhead ? undefined : { kind: "lola", eta },
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

export const lolaEntry: ExactLearnerEntry<LolaConfig> = {
  name: "lola",
  label: "exact LOLA",
  family: "exact",
  summary: "θ_i += lr·(∇_iV_i + η·(∇_i∇_jV_j)·∇_jV_i)  (LOLA paper, exact)",
  reference: "Foerster et al., LOLA, AAMAS 2018",
  schema: LOLA_SCHEMA,
  create: createLola,
};
