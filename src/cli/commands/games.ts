/** `shapelab games`: the game presets with their payoffs. */
import type { Command } from "commander";
import { GAME_PRESETS, GAME_PRESET_NAMES } from "../../games/presets.js";
import { printJson } from "../jsonOutput.js";

export function registerGames(program: Command): void {
  program
    .command("games")
    .summary("the game presets and their payoffs")
    .description("list the game presets and their payoffs (agent 1, agent 2) at CC, CD, DC, DD")
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
        printJson("games", {}, { games });
        return;
      }
      for (const g of games) {
        const cells = ["CC", "CD", "DC", "DD"].map((label, j) => `${label} ${g.r1[j]}/${g.r2[j]}`).join("  ");
        process.stdout.write(`${g.name.padEnd(10)} ${cells}\n`);
      }
    });
}
