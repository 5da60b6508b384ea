/**
 * `shapelab/node`: the Node-only parts of the library, beside the isomorphic `shapelab` entry (src/index.ts).
 *
 *   import { loadNamedExperiment, runExperiment, RunStore } from "shapelab/node";
 *   const store = RunStore.open("shapelab-runs");
 *   const summary = await runExperiment(loadNamedExperiment("exact-ipd").config, store, { workers: 0, quiet: true });
 *
 * Experiment files (YAML/JSON and the shipped named experiments), the SQLite run store, the experiment runner
 * and its worker pool, tournaments on worker threads, figure files (SVG, PNG, CSV, Vega-Lite JSON) and reports.
 * The run store of either backend (SQLite or PostgreSQL, with checkpoints) is `openStoreBackend("sqlite:dir" |
 * "postgres://…")`; a sweep across machines is `runSweep(config, store, { queue: "redis://…" })`, computed by
 * `shapelab worker` processes (docs/scale-out.md).
 */
export {
  loadConfigFile,
  loadNamedExperiment,
  type NamedExperiment,
  namedExperimentNames,
  resolveExperiment,
} from "./experimentFiles.js";
export { type RunOptions, type RunSummary, runExperiment } from "./runner.js";
export { DEFAULT_STORE_DIR, type RunStatus, RunStore, type StoredRun } from "./store.js";
export { openStoreBackend, type RunStoreBackend } from "./storeBackend.js";
export { runSweep, type SweepOptions } from "./sweep.js";
export { runTournamentParallel } from "./tournamentPool.js";
export { type FigureFiles, renderSvg, svgToPng, toCsv, writeFigure } from "./figures.js";
export { writeReport } from "./reportHtml.js";
export { codeVersion } from "./version.js";
