/**
 * Kind `worked-example`: the seed post's worked example, computed by the exact engine and the exact learners
 * (`computeWorkedExample`, src/learners/exact/worked-example.ts; the derivation is in that file's header). The
 * one-shot prisoner's dilemma (R, S, T, P) = (3, 0, 5, 1) with both agents at P(C) = 0.5, so the game must be
 * `ipd` and there are no agents. Deterministic: the seed does not enter.
 *
 * Records (metric families), per unit of the logit:
 *   naive   `naive.gradient` = ∂V₁/∂θ₁ (the post: −0.375)
 *   post    `post.cross` = (∂²V₁/∂θ₁∂θ₂)·∂V₂/∂θ₂ per unit β (0.0234375), `post.update` = naive + β·cross,
 *           `post.betaFlip` = the β at which the update changes sign (16)
 *   lola    `lola.correction` = (∂²V₂/∂θ₁∂θ₂)·∂V₁/∂θ₂, the LOLA paper's term at the same point
 *   aa      `aa.advantage` = Q(D) − V, `aa.aStar` = A + β·γ·A·A (the post: ≈ 1.29 at γ = 0.96, β = 1)
 */
import * as z from "../../zod.js";
import { computeWorkedExample } from "../../learners/exact/worked-example.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const ParamsSchema = z.strictObject({
  beta: z.number().default(1),
  aaGamma: z.number().min(0).lt(1).default(0.96),
});

export const workedExampleKind: ExperimentKind = {
  name: "worked-example",
  description:
    "the seed post's worked example: one-shot PD at p = 0.5 (naive gradient, cross term, β_flip, A*)",
  agents: z.array(z.never()).max(0),
  budget: z.strictObject({}),
  params: ParamsSchema,
  games: ["ipd"],
  metricFamilies: ["naive", "post", "lola", "aa"],
  run(config: RunConfig) {
    const { beta, aaGamma } = ParamsSchema.parse(config.params);
    const w = computeWorkedExample(beta, aaGamma);
    return {
      final: {
        "naive.gradient": w.naiveGradient,
        "post.cross": w.postCrossTerm,
        "post.update": w.postUpdate,
        "post.betaFlip": w.betaFlip,
        "lola.correction": w.lolaCorrectionTerm,
        "aa.advantage": w.advantageAlignment.advantage,
        "aa.aStar": w.advantageAlignment.aStar,
      },
      series: { steps: [], values: {} },
      artifacts: {},
    };
  },
};
