/**
 * The N-player learner's entry (../../entry.ts; STYLE.md point 10): one declaration of N-player Advantage
 * Alignment and its naive baseline (./aa.ts, with the equation and the three opponent-critic schemes), from which
 * the n-agent-sampled and n-player-arena kinds take their agent schema and validation and `shapelab learners`
 * lists it. Its family is `n-player`: it trains in src/learners/sampled/nPlayer/train.ts on N-player games only,
 * so the two-player `train` command, sampled-train kind and arena do not offer it.
 */
import * as z from "../../../zod.js";
import { AA_VARIANTS } from "../aa.js";
import { OPTIMIZERS } from "../learner.js";
import type { LearnerEntry } from "../../entry.js";
import { N_PLAYER_SCHEMES, NPlayerAaLearner, type NPlayerLearnerContext } from "./aa.js";

export const N_PLAYER_AA_SCHEMA = z.strictObject({
  scheme: z
    .enum(N_PLAYER_SCHEMES)
    .describe(
      "opponent term: naive (none), pairwise (a critic per other agent, Σ_{j≠i} A^j), shared (one critic of Σ_{j≠i} r^j), mean-field (one critic of the others' mean reward given their mean action)",
    ),
  lr: z.number().gt(0).max(1e6).default(0.1).describe("actor learning rate"),
  optimizer: z
    .enum(OPTIMIZERS)
    .default("sgd")
    .describe("gradient-ascent optimiser: sgd, or adam (β1 0.9, β2 0.999, ε 1e-8)"),
  beta: z.number().min(0).max(1e6).default(1).describe("alignment weight β (ignored by naive)"),
  variant: z
    .enum(AA_VARIANTS)
    .default("discounted")
    .describe("past term: discounted (paper, γ-weighted sum) or running-mean (authors' code)"),
  lrCritic: z.number().gt(0).max(1).default(1).describe("critic step size"),
  criticSweeps: z.number().int().min(1).max(10_000).default(5).describe("TD(0) sweeps of V per update"),
  gaeLambda: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("GAE λ on the critics' TD errors (absent: TD(0) advantages)"),
  normalize: z
    .boolean()
    .default(false)
    .describe("z-score each advantage per seed before forming the alignment term"),
  entropy: z.number().min(0).max(1e6).default(0).describe("entropy bonus coefficient (every state)"),
});
export type NPlayerAaConfig = z.output<typeof N_PLAYER_AA_SCHEMA>;

export const nPlayerAaEntry: LearnerEntry<NPlayerAaConfig, NPlayerLearnerContext, NPlayerAaLearner> = {
  name: "n-player-aa",
  label: "N-player AA",
  family: "n-player",
  summary:
    "N-player Advantage Alignment, A* = A^i + β·γ·(Σ_{k<t} γ^{t−k} A^i_k)·O^i_t with a pairwise, shared or mean-field opponent term (or naive PG)",
  reference: "Duque et al., ICLR 2025; mean field after Yang et al., ICML 2018",
  schema: N_PLAYER_AA_SCHEMA,
  create: (config, context) => new NPlayerAaLearner(context, config),
};
