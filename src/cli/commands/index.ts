/**
 * Every CLI command, in the order `--help` lists them. One file per command, loaded only when needed: a command
 * line that names a command imports just that command's module (and what it uses), so `shapelab tournament …`
 * does not pay for loading the experiment schemas, the learners and the report code (about 0.3 s of CPU at
 * start-up on the build machine). Help, an unknown command or no command load them all.
 */
import type { Command } from "commander";

type Register = (program: Command) => void;

const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ["games", async () => (await import("./games.js")).registerGames],
  ["demo", async () => (await import("./demo.js")).registerDemo],
  ["exact", async () => (await import("./exact.js")).registerExact],
  ["explain", async () => (await import("./explain.js")).registerExplain],
  ["train", async () => (await import("./train.js")).registerTrain],
  ["learners", async () => (await import("./learners.js")).registerLearners],
  ["run", async () => (await import("./run.js")).registerRun],
  ["experiments", async () => (await import("./experiments.js")).registerExperiments],
  ["worker", async () => (await import("./worker.js")).registerWorker],
  ["runs", async () => (await import("./runs.js")).registerRuns],
  ["report", async () => (await import("./report.js")).registerReport],
  ["strategies", async () => (await import("./strategies.js")).registerStrategies],
  ["match", async () => (await import("./match.js")).registerMatch],
  ["tournament", async () => (await import("./tournament.js")).registerTournament],
  ["moran", async () => (await import("./tournament.js")).registerMoran],
  ["arena", async () => (await import("./arena.js")).registerArena],
  ["explore", async () => (await import("./explore.js")).registerExplore],
  ["bandit-fit", async () => (await import("./banditFit.js")).registerBanditFit],
];

/** Register every command, or only `only` when it names one. */
export async function registerCommands(program: Command, only?: string): Promise<void> {
  const chosen = COMMANDS.filter(([name]) => name === only);
  for (const [, load] of chosen.length > 0 ? chosen : COMMANDS) (await load())(program);
}
