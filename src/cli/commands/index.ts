/** Every CLI command, registered in the order `--help` lists them. One file per command. */
import type { Command } from "commander";
import { registerGames } from "./games.js";
import { registerRun } from "./run.js";

export function registerCommands(program: Command): void {
  registerGames(program);
  registerRun(program);
}
