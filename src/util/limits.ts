/**
 * The upper bound of every count, size and file input, in one table. CLI flags (`parseCount` in
 * src/cli/options.ts) and config schemas (`countSchema` in src/experiments/schemas.ts) both read it, so a value a
 * flag accepts is a value a config accepts and the reverse, and every error names the same limit.
 *
 * Why bounds at all: an unbounded count is a hang (`--updates 1e20` loops for ever) or an out-of-memory crash
 * (`--population "X=99999999999"` builds an array of 10¹¹ names, V8 aborts). Each bound is far above any
 * experiment in the papers shapelab reproduces (LOLA: 200 steps, 1000 seeds at most; AA: 32 × 50-step games), and
 * small enough that one value alone cannot exhaust 24 GiB. Products of counts are bounded where they size an
 * allocation (`rolloutCells`). Every bound is checked before any work starts. docs/limits.md shows this table.
 *
 * A seed is an integer in [0, 2^53 − 1]: past 2^53 a double no longer holds every integer, so two different seeds
 * typed by a user would alias to one.
 */
export const LIMITS = {
  /** Independent runs (seeds) of one command or one config (`--seeds`, `seeds.count`). */
  seeds: 100_000,
  /** A seed value (`--seed`, `seeds.base`): the largest integer a double holds exactly. */
  seed: Number.MAX_SAFE_INTEGER,
  /** Exact-learner update steps (`exact --steps`, `arena --steps`, `budget.steps`). */
  steps: 1_000_000,
  /** Games per seed per update of a sampled learner (`--batch`, `--eval-batch`, `budget.batch`). */
  batch: 100_000,
  /** Steps per sampled game (`--rollout`, `budget.rollout`). */
  rollout: 100_000,
  /** Updates of a sampled learner (`--updates`, `budget.updates`). */
  updates: 1_000_000,
  /** seeds × batch × rollout: the cells of one rollout buffer (≈ 20 bytes each). */
  rolloutCells: 2 ** 25,
  /** TD(0) sweeps of a critic per update (`--critic-sweeps`). */
  criticSweeps: 1_000,
  /** Look-ahead steps of an exact `lookahead` learner (`exact --lookahead`). */
  exactLookahead: 100,
  /** Look-ahead steps of LOLA-DiCE (`train --lookahead`): each step differentiates through the previous ones. */
  diceLookahead: 20,
  /** Turns of one match (`--turns`, `--eval-turns`, `budget.turns`, `budget.rounds`). */
  turns: 1_000_000,
  /** Repetitions of a tournament (`--repetitions`, `params.repetitions`). */
  repetitions: 100_000,
  /** Individuals in a Moran population (`moran --population`). */
  population: 10_000,
  /** Steps of a Moran process or of replicator dynamics (`moran --steps`). */
  moranSteps: 1_000_000,
  /** Monte-Carlo samples of a memory-one run (`params.samples`). */
  samples: 1_000_000,
  /** Values of one sweep parameter (`sweep.<path>`). */
  sweepValues: 10_000,
  /** Runs one config expands to (cases × grid × seeds). */
  runs: 1_000_000,
  /** Rows `runs list --limit` prints. */
  listRows: 1_000_000,
  /** Lease of a run in a shared store, seconds (`run --lease`). */
  leaseSeconds: 86_400,
  /** Bytes of an experiment config file (YAML or JSON). */
  configBytes: 1024 * 1024,
  /** Bytes of an `--init-file` (one seed is about 200 bytes; 10⁵ seeds fit). */
  initFileBytes: 32 * 1024 * 1024,
  /** |payoff| of a custom game (`--payoffs`, `game.payoffs`): sums over 10⁶ turns × 10⁵ repetitions stay finite. */
  payoff: 1e12,
  /** Bytes of a neural agent file (`src/node/agentFiles.ts`: weights as JSON). */
  agentFileBytes: 64 * 1024 * 1024,
  /** YAML aliases in one config (the YAML library's guard against "billion laughs"). */
  yamlAliases: 100,
} as const;

export type LimitName = keyof typeof LIMITS;
