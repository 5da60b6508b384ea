/**
 * shapelab as a library: `import { tournament, match, moran, exact } from "shapelab"`.
 *
 * This entry is isomorphic: it imports nothing Node-only (no fs, worker_threads, sqlite), so it runs in Node and
 * in a browser bundle alike (test/library.test.ts walks its import graph to keep it so). Node-only parts (the run
 * store, experiment files, worker pools, figure files) are under `shapelab/node`.
 *
 *   const results = tournament(["Cooperator", "Defector", "Tit For Tat", "Grudger"], { turns: 10, repetitions: 3 }).play();
 *   results.rankedNames;          // ["Defector", "Tit For Tat", "Grudger", "Cooperator"]
 *   results.summary();            // rank, name, medianScore, meanScore, cooperationRating, wins
 *   await results.plot.scores();  // an SVG string
 *
 * The high-level calls (src/api) mirror the Axelrod library's ergonomics; the engines under them are exported too.
 */

// High level: Axelrod-style calls.
export { exact, type ExactSettings, type ExactSummary } from "./api/exact.js";
export type { GameInput } from "./api/game.js";
export { match, type MatchSettings } from "./api/match.js";
export { type Moran, type MoranResults, type MoranSettings, moran } from "./api/moran.js";
export { type StrategyInfo, strategies } from "./api/strategies.js";
export {
  type PlayerSummary,
  type Tournament,
  type TournamentResults,
  type TournamentSettings,
  tournament,
  tournamentResults,
} from "./api/tournament.js";

// Games.
export { bimatrixGame, type MatrixGame, STATE_LABELS, symmetricGame } from "./games/game.js";
export { GAME_PRESET_NAMES, gamePreset, parsePayoffs } from "./games/presets.js";

// Engines and learners.
export type { MatchResult } from "./arena/match.js";
export { playMatch } from "./arena/match.js";
export { runTournament, type StrategySpec, type TournamentResult } from "./arena/tournament.js";
export { runMoran, runEcosystem } from "./arena/moran.js";
export { strategyByName } from "./strategies/registry.js";
export type { Strategy } from "./strategies/types.js";
export {
  EXACT_LEARNER_NAMES,
  type ExactLearnerName,
  type ExactLearnerSpec,
} from "./learners/exact/learner.js";
export { trainExact, type TrainExactOptions, type TrainExactResult } from "./learners/exact/train.js";
export { computeWorkedExample } from "./learners/exact/worked-example.js";
export {
  SAMPLED_LEARNERS,
  type LearnerSpec as SampledLearnerSpec,
  type TrainSampledOptions,
  type TrainSampledResult,
  trainSampled,
} from "./learners/sampled/train.js";
// Every learner's one entry (name, label, schema with defaults and docs, create), and what derives from it.
export type { LearnerEntry, LearnerFamily } from "./learners/entry.js";
export { type Hyperparameter, hyperparameters } from "./learners/hyperparameters.js";
export { allLearnerEntries, learnerEntries, registerLearnerEntry } from "./learners/registry.js";

// Experiments as data (validation and planning; running them into a store is in shapelab/node).
export { validateConfig } from "./experiments/config.js";
export { applySetOverrides, parseSetOverride } from "./experiments/overrides.js";

// Figures: Vega-Lite specs and the SVG renderer.
export { renderSvg } from "./report/render.js";

export { InputError } from "./util/errors.js";
export { Rng } from "./util/rng.js";
