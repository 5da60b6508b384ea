/** `shapelab match`: one match between two fixed strategies (Axelrod semantics), with exact payoffs when both are memory-one. */
import type { Command } from "commander";
import { exactPayoffs } from "../../arena/exact.js";
import { DEFAULT_TURNS, MAX_TURNS, playMatch } from "../../arena/match.js";
import { strategyByName } from "../../strategies/registry.js";
import { printJson } from "../jsonOutput.js";
import { parseCount, parseNumber, parseSeed, resolveGame } from "../options.js";
import { fixed } from "../../util/format.js";
import { DEFAULT_GAME, DEFAULT_GAME_HELP } from "../presets.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";
import { addCoinOptions, type CoinFlags, isCoinEnv } from "../coinFlags.js";

interface MatchFlags extends CoinFlags {
  a?: string;
  b?: string;
  turns?: string;
  noise: string;
  probEnd: string;
  seed: string;
  gamma: string;
  game?: string;
  payoffs?: string;
  json?: boolean;
}

export function registerMatch(program: Command): void {
  const command = program
    .command("match")
    .summary("one match between two strategies")
    .description("play one match between two strategies (names as in `shapelab strategies`)")
    .requiredOption("--a <name>", 'first player, e.g. "Tit For Tat"')
    .requiredOption("--b <name>", 'second player, e.g. "Alternator"')
    .option(
      "--turns <n>",
      `number of turns (default ${DEFAULT_TURNS}); with --prob-end, the cap on the geometric length (default ${MAX_TURNS.toLocaleString("en")})`,
    )
    .option("--noise <x>", "probability of flipping each intended move", "0")
    .option("--prob-end <p>", "probability that the match ends after each turn (geometric length)", "0")
    .option("--seed <s>", "seed for stochastic strategies, noise and the length", "0")
    .option(
      "--gamma <g>",
      "for memory-one pairs, also print exact payoffs per turn: long-run average (1) or discounted per-step (< 1)",
      "1",
    )
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}; ${DEFAULT_GAME_HELP}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs instead of --game")
    .option(
      "--json",
      "print JSON: names, turns, scores [a, b], actions [a, b] (C/D strings), perTurnScores, …",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        '  shapelab match --a "Tit For Tat" --b Alternator --turns 5   # CCDCD vs CDCDC, 13 points each\n' +
        "  shapelab match --a GTFT --b ZD-Extort-2 --turns 1000 --noise 0.01 --seed 3 --json\n" +
        '  shapelab match --a Grudger --b "Random: 0.9" --prob-end 0.05 --seed 1   # geometric length, mean 20\n' +
        "  shapelab match --env coin --a always-defect --b always-cooperate --turns 16   # ≈ +0.63 vs −0.27 per step",
    );
  addCoinOptions(command) // --env coin: the Coin Game's fixed agents (src/cli/commands/coinMatch.ts)
    .action(async (flags: MatchFlags) => {
      if (isCoinEnv(flags)) return (await import("./coinMatch.js")).runCoinMatch(flags);
      const game = resolveGame(flags, DEFAULT_GAME);
      const a = strategyByName(flags.a ?? "", game, "--a");
      const b = strategyByName(flags.b ?? "", game, "--b");
      const probEnd = parseNumber("--prob-end", flags.probEnd, { min: 0, max: 1 });
      const turns = flags.turns !== undefined ? parseCount("--turns", flags.turns, "turns") : undefined;
      const noise = parseNumber("--noise", flags.noise, { min: 0, max: 1 });
      const seed = parseSeed(flags.seed);
      const result = playMatch(a, b, game, { turns, noise, probEnd, seed });
      const gamma = parseNumber("--gamma", flags.gamma, { min: 0, max: 1 });
      const exact = a.memoryOne && b.memoryOne ? exactPayoffs(game, a, b, gamma) : null;
      if (flags.json) {
        const config = {
          game: game.name,
          payoffs: { agent1: game.r1, agent2: game.r2 },
          a: a.name,
          b: b.name,
          /** The length (probEnd = 0) or the cap on the geometric length (probEnd > 0). */
          turns: turns ?? (probEnd > 0 ? MAX_TURNS : DEFAULT_TURNS),
          noise,
          probEnd,
          seed,
          gamma,
        };
        printJson("match", config, { ...result, exactPerTurn: exact });
        return;
      }
      const [na, nb] = result.names;
      const w = Math.max(na.length, nb.length);
      const line = (i: 0 | 1) =>
        `${result.names[i].padEnd(w)}  score ${String(result.scores[i]).padStart(6)}  per turn ${fixed(result.scores[i] / result.turns, 3)}  cooperations ${result.cooperations[i]}\n`;
      process.stdout.write(`${result.turns} turns, game ${game.name}\n${line(0)}${line(1)}`);
      process.stdout.write(`winner: ${result.winner ?? "tie"}\n`);
      if (exact) {
        const what = gamma === 1 ? "long-run average" : `discounted per-step value, γ = ${gamma}`;
        process.stdout.write(
          `exact payoff per turn (memory-one chain, ${what}): ${fixed(exact[0], 4)} / ${fixed(exact[1], 4)}\n`,
        );
      }
      const show = (s: string) =>
        s.length > 400 ? `${s.slice(0, 400)}… (${s.length} moves; --json for all)` : s;
      process.stdout.write(
        `${na.padEnd(w)}  ${show(result.actions[0])}\n${nb.padEnd(w)}  ${show(result.actions[1])}\n`,
      );
    });
}
