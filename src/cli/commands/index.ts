/** Every CLI command, registered in the order `--help` lists them. One file per command. */
import type { Command } from "commander";
import { registerDemo } from "./demo.js";
import { registerExact } from "./exact.js";
import { registerExplain } from "./explain.js";
import { registerExplore } from "./explore.js";
import { registerGames } from "./games.js";
import { registerArena } from "./arena.js";
import { registerMatch } from "./match.js";
import { registerStrategies } from "./strategies.js";
import { registerMoran, registerTournament } from "./tournament.js";
import { registerRun } from "./run.js";
import { registerExperiments } from "./experiments.js";
import { registerRuns } from "./runs.js";
import { registerReport } from "./report.js";
import { registerTrain } from "./train.js";

export function registerCommands(program: Command): void {
  registerGames(program);
  registerDemo(program);
  registerExact(program);
  registerExplain(program);
  registerTrain(program);
  registerRun(program);
  registerExperiments(program);
  registerRuns(program);
  registerReport(program);
  registerStrategies(program);
  registerMatch(program);
  registerTournament(program);
  registerMoran(program);
  registerArena(program);
  registerExplore(program);
}
