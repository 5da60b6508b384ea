/**
 * Stable Opponent Shaping (Letcher, Foerster, Balduzzi, Rocktäschel, Whiteson 2019, "Stable Opponent Shaping in
 * Differentiable Games", arXiv:1811.08469, ICLR 2019, Algorithm 1). Defined on LOSSES L_k = −V_k and on the
 * joint vector of both agents, per seed:
 *
 *   ξ   = (∇_1 L_1, ∇_2 L_2)                      simultaneous gradient
 *   H_o = off-diagonal blocks of ∇ξ               (∇_1∇_2 L_1 on top, ∇_2∇_1 L_2 below)
 *   ξ0  = (I − α H_o) ξ                           look-ahead
 *   χ   = diag(H_oᵀ ∇L):  χ_i = (∇_i∇_j L_j)·∇_j L_i   the LOLA shaping term
 *   p1  = 1 if ⟨−αχ, ξ0⟩ ≥ 0, else min(1, −a‖ξ0‖² / ⟨−αχ, ξ0⟩)
 *   p2  = ‖ξ‖² if ‖ξ‖ < b, else 1;   p = min(p1, p2)
 *   ξ_p = ξ0 − p α χ,   θ ← θ − lr · ξ_p
 *
 * α is the look-ahead rate (`eta`), lr the step (the paper uses one α for both); a = 0.5, b = 0.1 by default.
 * The direction for agent i is −ξ_p restricted to agent i; p is computed from both agents' quantities, whatever
 * learner the opponent actually uses.
 */
import * as z from "../../zod.js";
import type { DifferentiableEvaluator, DifferentiableGame } from "../../exact/differentiable.js";
import {
  crossHessianTimes,
  EXACT_FIELDS,
  type ExactLearner,
  type ExactLearnerEntry,
  other,
} from "./learner.js";

export const SOS_SCHEMA = z.strictObject({
  lr: EXACT_FIELDS.lr,
  eta: EXACT_FIELDS.eta,
  sosA: z.number().gt(0).lt(1).default(0.5).describe("SOS a ∈ (0, 1) (the SOS paper's 0.5)"),
  sosB: z.number().gt(0).lt(1).default(0.1).describe("SOS b ∈ (0, 1) (the SOS paper's 0.1)"),
});
export type SosConfig = z.output<typeof SOS_SCHEMA>;

export function createSos(config: SosConfig, game: DifferentiableGame): ExactLearner {
  const n = game.paramsPerAgent;
  const alpha = config.eta;
  const a = config.sosA;
  const b = config.sosB;
  const u = new Float64Array(n);
  const term = new Float64Array(n);
  // Joint (2n) loss-space vectors.
  const xi = new Float64Array(2 * n);
  const xi0 = new Float64Array(2 * n);
  const chi = new Float64Array(2 * n);

  /** Fill ξ, ξ0 and χ for both agents at the evaluated point. */
  function jointTerms(point: DifferentiableEvaluator): void {
    for (const i of [0, 1] as const) {
      point.gradientBlock(i, i, term);
      for (let c = 0; c < n; c++) xi[i * n + c] = -term[c];
    }
    for (const i of [0, 1] as const) {
      const j = other(i);
      // (H_o ξ)_i = (∇_i∇_j L_i)·ξ_j = (∇_i∇_j V_i)·∇_j V_j
      for (let c = 0; c < n; c++) u[c] = -xi[j * n + c];
      crossHessianTimes(point, i, i, u, term);
      for (let c = 0; c < n; c++) xi0[i * n + c] = xi[i * n + c] - alpha * term[c];
      // χ_i = (∇_i∇_j L_j)·∇_j L_i = (∇_i∇_j V_j)·∇_j V_i
      point.lolaTerm(i, term);
      for (let c = 0; c < n; c++) chi[i * n + c] = term[c];
    }
  }

  return {
    name: "sos",
    lr: config.lr,
    frozen: false,
    direction(point, _theta, _offset, agent, out) {
      jointTerms(point);
      let dot = 0;
      let xi0Norm2 = 0;
      let xiNorm2 = 0;
      for (let c = 0; c < 2 * n; c++) {
        dot += -alpha * chi[c] * xi0[c];
        xi0Norm2 += xi0[c] * xi0[c];
        xiNorm2 += xi[c] * xi[c];
      }
      const p1 = dot >= 0 ? 1 : Math.min(1, (-a * xi0Norm2) / dot);
      const p2 = Math.sqrt(xiNorm2) < b ? xiNorm2 : 1;
      const p = Math.min(p1, p2);
      for (let c = 0; c < n; c++) out[c] = -(xi0[agent * n + c] - p * alpha * chi[agent * n + c]);
    },
  };
}

export const sosEntry: ExactLearnerEntry<SosConfig> = {
  name: "sos",
  label: "exact SOS",
  family: "exact",
  summary: "Stable Opponent Shaping (a = 0.5, b = 0.1), look-ahead rate η",
  reference: "Letcher et al., Stable Opponent Shaping, ICLR 2019",
  schema: SOS_SCHEMA,
  create: createSos,
};
