/**
 * The learner entry: every learner, tabular and neural, is declared ONCE as an entry (issue 13 §1; STYLE.md
 * point 10). Its zod schema holds every hyperparameter once, with its default (`.default`) and its doc
 * (`.describe`); the CLI flags and their help, the experiment schemas, the arena's `aa(beta=2)` parser, the
 * validation and `shapelab learners` are all derived from it (src/learners/hyperparameters.ts), never written again.
 *
 * Each family defines its own Context and Instance types (exact: a differentiable game and an `ExactLearner`;
 * sampled: a `LearnerContext` and a `SampledLearner`; neural: its own). The list of all entries, with lookups by
 * name, is src/learners/registry.ts.
 *
 * Diagnostics: a learner returns its diagnostics as a map of named arrays or numbers
 * (`{ "aa.quadrant.++": …, "ppo.approxKl": … }`, see `LearnerDiagnostics`); trainers average them without
 * knowing what they mean.
 */
import type * as z from "../zod.js";

/** `n-player`: learners of N-player games (src/learners/sampled/nPlayer), trained by the N-player trainer only. */
export type LearnerFamily = "exact" | "sampled" | "neural" | "n-player";

export interface LearnerEntry<Config extends object, Context, Instance> {
  /** CLI/arena name: "aa", "lola", "ppo", "lola-dice". */
  readonly name: string;
  /** For people: "Advantage Alignment". */
  readonly label: string;
  /** For tables and metric names, no dots: "AA" (default: `label`); the Coin Game league's player labels. */
  readonly shortLabel?: string;
  readonly family: LearnerFamily;
  /** One line for --help and `shapelab learners`. */
  readonly summary: string;
  /** Paper, e.g. "Duque et al., ICLR 2025". */
  readonly reference?: string;
  /** zod object: every hyperparameter once, with its default (.default) and doc (.describe). Unknown keys rejected. */
  readonly schema: z.ZodType<Config>;
  create(config: Config, context: Context): Instance;
}

/**
 * Optional metadata on one hyperparameter's zod schema, set with `.meta({ flag: "aa-variant" })`:
 * - `flag`: the CLI flag without its dashes when it is not the kebab-case of the key (`variant` → `--aa-variant`);
 * - `cli: false`: the hyperparameter has no CLI flag (set it in an experiment YAML or the arena's parentheses).
 * A flag shared by several learners (`--lr`) is one flag; every learner that has the key reads it.
 */
export interface HyperparameterMeta {
  readonly flag?: string;
  readonly cli?: boolean;
}

/** Per-update diagnostics of one seat: named arrays (`[seeds, …]`) or numbers, averaged by the trainer. */
export type LearnerDiagnostics = Readonly<Record<string, Float64Array | number>>;
