/**
 * What every exact learner shares: its hyperparameters, the interface the trainer calls, and small block helpers.
 *
 * A learner maps the current joint point (θ_1, θ_2) of a differentiable two-player game to an ascent direction for
 * one agent; the trainer applies θ_i += lr·direction to both agents from the same (θ_1, θ_2) (simultaneous
 * updates). Learners work on any `DifferentiableGame` (the memory-one IPD engine, the SOS tandem game), so each
 * update rule is written once.
 */
import * as z from "../../zod.js";
import type { DifferentiableEvaluator, DifferentiableGame, PairRule } from "../../exact/differentiable.js";
import type { LearnerEntry } from "../entry.js";
import type { CrossHessianConfig } from "./cross-hessian.js";
import type { LolaConfig } from "./lola.js";
import type { LookaheadConfig } from "./lookahead.js";
import type { NaiveConfig } from "./naive.js";
import type { SosConfig } from "./sos.js";

export const EXACT_LEARNER_NAMES = ["naive", "lola", "lookahead", "sos", "cross-hessian", "fixed"] as const;
export type ExactLearnerName = (typeof EXACT_LEARNER_NAMES)[number];

/**
 * The hyperparameters of every exact learner, each declared once in its learner's schema (with its default and
 * doc; `shapelab learners --family exact` lists them). One spec type serves every exact learner: a learner reads
 * its own keys (`EXACT_LEARNER_HYPERPARAMETERS`) and leaves the others.
 */
type ExactHyperparameters = Partial<
  NaiveConfig & LolaConfig & LookaheadConfig & SosConfig & CrossHessianConfig
>;

/** A learner by name with its hyperparameters; unset fields take the learner's defaults. */
export interface ExactLearnerSpec extends ExactHyperparameters {
  name: ExactLearnerName;
  /**
   * Start this agent from these cooperation probabilities (own view, 5) instead of the random init, on every seed.
   * Pure 0/1 entries are stored as logits ±27.6 (`logit` clamps p to [1e-12, 1 − 1e-12]), so a pure strategy
   * is represented to within 1e-12 per probability. This is how `fixed` plays a given memory-one strategy.
   */
  probabilities?: number[];
}

export interface ExactLearner {
  readonly name: ExactLearnerName;
  readonly lr: number;
  /** true for learners that never move (`fixed`); the trainer skips them. */
  readonly frozen: boolean;
  /** This learner's `direction` as a rule a game's batched kernel computes (the same bits), if it is one. */
  readonly pairRule?: PairRule;
  /**
   * Write agent `agent`'s ascent direction (n entries) into `out`. `point` has been evaluated at the joint vector
   * `theta[offset .. offset + 2n)`; a learner that needs other points uses its own evaluator.
   */
  direction(
    point: DifferentiableEvaluator,
    theta: Float64Array,
    offset: number,
    agent: 0 | 1,
    out: Float64Array,
  ): void;
}

/** The exact family's entry: a rule created for a differentiable game (the memory-one engine or the tandem game). */
export type ExactLearnerEntry<Config extends object> = LearnerEntry<Config, DifferentiableGame, ExactLearner>;

/** Hyperparameter fields several exact learners share, declared once (each learner's schema lists them). */
export const EXACT_FIELDS = {
  lr: z.number().min(0).default(1).describe("step size of the agent's own update"),
  eta: z.number().min(0).default(1).describe("look-ahead rate η: the size of the anticipated opponent step"),
} as const;

/** A joint direction that is `block` on agent `agent`'s parameters and zero on the other's. */
export function placeBlock(block: ArrayLike<number>, agent: 0 | 1, n: number, out: Float64Array): void {
  const o = agent * n;
  const zero = n - o; // the other agent's block starts here
  for (let a = 0; a < n; a++) {
    out[o + a] = block[a];
    out[zero + a] = 0;
  }
}

/**
 * (∇_i ∇_j V_k)·u: agent i's block of the Hessian of V_k applied to `u` on the other agent j's parameters; the
 * result (n) goes to `out`. One cross-block product of the evaluator (no full Hessian-vector product needed).
 */
export function crossHessianTimes(
  point: DifferentiableEvaluator,
  k: 0 | 1,
  agent: 0 | 1,
  u: ArrayLike<number>,
  out: Float64Array,
): void {
  point.crossHessianVectorProduct(k, agent, u, out);
}

export function other(agent: 0 | 1): 0 | 1 {
  return (1 - agent) as 0 | 1;
}
