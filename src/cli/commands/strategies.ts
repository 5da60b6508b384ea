/** `shapelab strategies`: the fixed-strategy zoo with Axelrod's names and classifiers. */
import type { Command } from "commander";
import { zoo } from "../../strategies/registry.js";
import { formatMemoryDepth } from "../../strategies/types.js";
import { resolveGame } from "../options.js";
import { fixed } from "../../util/format.js";
import { printJson } from "../jsonOutput.js";
import { DEFAULT_GAME } from "../presets.js";

export function registerStrategies(program: Command): void {
  program
    .command("strategies")
    .summary("the Axelrod-compatible strategy zoo")
    .description(
      "list the fixed strategies (Axelrod names and semantics) with their classifiers; parameterised names " +
        'are also accepted elsewhere: "Cycler CDD", "Random: 0.3", "GTFT: 0.1", "Soft Go By Majority: 5", ' +
        '"Stochastic WSLS: 0.1", "MemoryOne: (1, 0, 1, 0), C"',
    )
    .option("--game <preset>", "game for game-dependent strategies (GTFT, ZD-*)", undefined)
    .option("--payoffs <R,S,T,P>", "custom payoffs instead of --game")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab strategies            # the zoo: memory depth, stochastic, memory-one vector\n" +
        "  shapelab strategies --game ipd-lola --json",
    )
    .action((options: { game?: string; payoffs?: string; json?: boolean }) => {
      const game = resolveGame(options, DEFAULT_GAME);
      const list = zoo(game).map((s) => ({
        name: s.name,
        memoryDepth: Number.isFinite(s.classifier.memoryDepth) ? s.classifier.memoryDepth : null,
        stochastic: s.classifier.stochastic,
        makesUseOfGame: s.classifier.makesUseOfGame ?? false,
        memoryOne: s.memoryOne ?? null,
        source: s.source,
      }));
      if (options.json) {
        printJson("strategies", { game: game.name, payoffs: { agent1: game.r1, agent2: game.r2 } }, { strategies: list });
        return;
      }
      const width = Math.max(...list.map((s) => s.name.length));
      process.stdout.write(
        `${"name".padEnd(width)}  memory  stochastic  memory-one [start, CC, CD, DC, DD]\n`,
      );
      for (const s of list) {
        const v = s.memoryOne ? `[${s.memoryOne.map((p) => Number(fixed(p, 3))).join(", ")}]` : "-";
        const depth = formatMemoryDepth(s.memoryDepth ?? Number.POSITIVE_INFINITY);
        process.stdout.write(
          `${s.name.padEnd(width)}  ${depth.padEnd(6)}  ${String(s.stochastic).padEnd(10)}  ${v}\n`,
        );
      }
      process.stdout.write(`(${list.length} strategies; game ${game.name}; "memory inf" = whole history)\n`);
    });
}
