/** `shapelab games`: the game presets with their payoffs, and the non-matrix games `exact` accepts (tandem). */
import type { Command } from "commander";
import { GAME_PRESETS, GAME_PRESET_NAMES } from "../../games/presets.js";
import { printJson } from "../jsonOutput.js";
import { DEFAULT_GAME } from "../presets.js";

/** Games that are not 2x2 matrix games: accepted by `exact --game <name>` only. */
export const OTHER_GAMES = [
  {
    name: "tandem",
    description:
      "the SOS paper's tandem game, losses L1 = (x+y)² − 2x, L2 = (x+y)² − 2y on scalar x, y (exact --game tandem only)",
  },
] as const;

export function registerGames(program: Command): void {
  program
    .command("games")
    .summary("the game presets and their payoffs, and tandem")
    .description(
      `list the games: matrix presets with their payoffs (agent 1, agent 2) at CC, CD, DC, DD (default ${DEFAULT_GAME} ` +
        "in every command), and tandem (exact only)",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab games                 # ipd (3, 0, 5, 1), ipd-lola (−1, −3, 0, −2), imp, stag-hunt, chicken\n" +
        "  shapelab games --json",
    )
    .action((options: { json?: boolean }) => {
      const games = GAME_PRESET_NAMES.map((name) => GAME_PRESETS[name]());
      if (options.json) {
        printJson("games", {}, { default: DEFAULT_GAME, games, other: OTHER_GAMES });
        return;
      }
      for (const g of games) {
        const cells = ["CC", "CD", "DC", "DD"].map((label, j) => `${label} ${g.r1[j]}/${g.r2[j]}`).join("  ");
        process.stdout.write(`${g.name.padEnd(10)} ${cells}${g.name === DEFAULT_GAME ? "  (default)" : ""}\n`);
      }
      for (const g of OTHER_GAMES) process.stdout.write(`${g.name.padEnd(10)} ${g.description}\n`);
    });
}
