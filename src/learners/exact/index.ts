/**
 * The exact learners by name. `createExactLearner(spec, game)` validates the hyperparameters (InputError naming
 * the field) and builds the learner for a differentiable game (the memory-one engine or the tandem game).
 */
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { InputError, requireFinite, requireOneOf } from "../../util/errors.js";
import { createCrossHessian } from "./cross-hessian.js";
import { createFixed } from "./fixed.js";
import {
  EXACT_LEARNER_NAMES,
  type ExactLearner,
  type ExactLearnerFactory,
  type ExactLearnerName,
  type ExactLearnerSpec,
  resolveExactLearnerSpec,
} from "./learner.js";
import { createLola } from "./lola.js";
import { createLookahead } from "./lookahead.js";
import { createNaive } from "./naive.js";
import { createSos } from "./sos.js";

export {
  EXACT_LEARNER_NAMES,
  type ExactLearner,
  type ExactLearnerName,
  type ExactLearnerSpec,
  resolveExactLearnerSpec,
};

export const EXACT_LEARNERS: Record<ExactLearnerName, ExactLearnerFactory> = {
  naive: createNaive,
  lola: createLola,
  lookahead: createLookahead,
  sos: createSos,
  "cross-hessian": createCrossHessian,
  fixed: createFixed,
};

/** One-line descriptions for --help texts. */
export const EXACT_LEARNER_HELP: Record<ExactLearnerName, string> = {
  naive: "θ_i += lr·∇_iV_i",
  lola: "θ_i += lr·(∇_iV_i + η·(∇_i∇_jV_j)·∇_jV_i)  (LOLA paper, exact)",
  lookahead: "θ_i += lr·d/dθ_i V_i(θ_i, θ_j after k naive steps of size η)",
  sos: "Stable Opponent Shaping (a = 0.5, b = 0.1), look-ahead rate η",
  "cross-hessian": "θ_i += lr·(∇_iV_i + β·(∇_i∇_jV_i)·∇_jV_j)  (seed post)",
  fixed: "never updates (plays its initial strategy)",
};

/**
 * The hyperparameters each exact learner reads (every other spec field leaves its update unchanged; tested in
 * test/experiments-sweep.test.ts by perturbing each field). `probabilities` (the initial policy) applies to all.
 */
export const EXACT_LEARNER_HYPERPARAMETERS: Record<ExactLearnerName, readonly (keyof ExactLearnerSpec)[]> = {
  naive: ["lr"],
  lola: ["lr", "eta", "includeLookAheadTerm"],
  lookahead: ["lr", "eta", "lookahead"],
  sos: ["lr", "eta", "sosA", "sosB"],
  "cross-hessian": ["lr", "beta"],
  fixed: [],
};

/** Validate a spec (field names prefixed with `field`, e.g. "agents[0]") and build the learner. */
export function createExactLearner(
  spec: ExactLearnerSpec,
  game: DifferentiableGame,
  field = "learner",
): ExactLearner {
  requireOneOf(`${field}.name`, spec.name, EXACT_LEARNER_NAMES);
  for (const key of ["lr", "eta", "beta"] as const) {
    if (spec[key] !== undefined) requireFinite(`${field}.${key}`, spec[key]);
  }
  for (const key of ["sosA", "sosB"] as const) {
    const v = spec[key];
    if (v !== undefined && !(Number.isFinite(v) && v > 0 && v < 1)) {
      throw new InputError(`${field}.${key}`, `must be in (0, 1), got ${v}`);
    }
  }
  if (
    spec.lookahead !== undefined &&
    !(Number.isInteger(spec.lookahead) && spec.lookahead >= 0 && spec.lookahead <= 100)
  ) {
    throw new InputError(`${field}.lookahead`, `must be an integer in [0, 100], got ${spec.lookahead}`);
  }
  if (spec.probabilities !== undefined) {
    const p = spec.probabilities;
    if (!Array.isArray(p) || p.length !== game.paramsPerAgent) {
      throw new InputError(`${field}.probabilities`, `must be ${game.paramsPerAgent} probabilities`);
    }
    p.forEach((x, i) => {
      if (!(Number.isFinite(x) && x >= 0 && x <= 1)) {
        throw new InputError(`${field}.probabilities[${i}]`, `must be in [0, 1], got ${x}`);
      }
    });
  }
  return EXACT_LEARNERS[spec.name](spec, game);
}
