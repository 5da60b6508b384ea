/**
 * The exact learners by name. `createExactLearner(spec, game)` validates the hyperparameters (InputError naming
 * the field) and builds the learner for a differentiable game (the memory-one engine or the tandem game).
 */
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { hyperparameters, pickKeys, validateConfig } from "../hyperparameters.js";
import { crossHessianEntry } from "./cross-hessian.js";
import { fixedEntry } from "./fixed.js";
import {
  EXACT_LEARNER_NAMES,
  type ExactLearner,
  type ExactLearnerEntry,
  type ExactLearnerName,
  type ExactLearnerSpec,
} from "./learner.js";
import { lolaEntry } from "./lola.js";
import { lookaheadEntry } from "./lookahead.js";
import { naiveEntry } from "./naive.js";
import { sosEntry } from "./sos.js";

export { EXACT_LEARNER_NAMES, type ExactLearner, type ExactLearnerName, type ExactLearnerSpec };

export type ResolvedExactLearnerSpec = Required<Omit<ExactLearnerSpec, "probabilities">> &
  Pick<ExactLearnerSpec, "probabilities">;

/** Every exact learner's entry, in the order --help lists them (src/learners/registry.ts holds all families). */
export const EXACT_LEARNER_ENTRIES = [
  naiveEntry,
  lolaEntry,
  lookaheadEntry,
  sosEntry,
  crossHessianEntry,
  fixedEntry,
] as const satisfies readonly ExactLearnerEntry<object>[];

function exactEntry(name: ExactLearnerName): ExactLearnerEntry<object> {
  return EXACT_LEARNER_ENTRIES.find((e) => e.name === name) as ExactLearnerEntry<object>;
}

/**
 * The hyperparameters each exact learner reads: its schema's keys (every other spec field leaves its update
 * unchanged; tested in test/experiments-checks.test.ts by perturbing each field). `probabilities` (the initial
 * policy) applies to all.
 */
export const EXACT_LEARNER_HYPERPARAMETERS = Object.fromEntries(
  EXACT_LEARNER_ENTRIES.map((e) => [e.name, hyperparameters(e.schema).map((p) => p.key)]),
) as unknown as Record<ExactLearnerName, readonly (keyof ExactLearnerSpec)[]>;

/**
 * The learner's own hyperparameters of a spec, validated by its entry's schema with the defaults filled in. A spec
 * field that only other exact learners read (`eta` on `naive`) is left out: one spec type serves every exact
 * learner, as the `exact` command's flags apply to both seats.
 */
export function exactLearnerConfig(spec: ExactLearnerSpec, field = "learner"): object {
  const entry = exactEntry(requireOneOf(`${field}.name`, spec.name, EXACT_LEARNER_NAMES));
  return validateConfig(entry, pickKeys(entry.schema, spec), field);
}

/**
 * The spec with every hyperparameter's default filled in (each exact learner's schema defaults: lr, η, k, β = 1,
 * SOS a = 0.5, b = 0.1, no look-ahead term), so an output can state the complete configuration of a run.
 */
export function resolveExactLearnerSpec(spec: ExactLearnerSpec): ResolvedExactLearnerSpec {
  const defaults: Record<string, unknown> = {};
  for (const entry of EXACT_LEARNER_ENTRIES)
    for (const p of hyperparameters(entry.schema)) if (!(p.key in defaults)) defaults[p.key] = p.default;
  const given = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as ResolvedExactLearnerSpec;
}

/** Validate a spec (field names prefixed with `field`, e.g. "agents[0]") and build the learner. */
export function createExactLearner(
  spec: ExactLearnerSpec,
  game: DifferentiableGame,
  field = "learner",
): ExactLearner {
  const config = exactLearnerConfig(spec, field);
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
  return exactEntry(spec.name).create(config, game);
}
