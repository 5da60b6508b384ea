/**
 * The `--env` flag and the Coin Game's flags of `shapelab match`, `tournament` and `train`, apart from the code that
 * plays the Coin Game (./commands/coinMatch.ts, ./commands/trainCoin.ts), which those commands import only when
 * `--env coin` is given: declaring the flags needs the agents' and variants' names, not the environment.
 */
import type { Command } from "commander";
import { FIXED_COIN_AGENTS } from "../envs/coin/fixedAgents.js";
import { COIN_VARIANTS } from "../envs/coin/params.js";
import { requireOneOf } from "../util/errors.js";

/** The environments `--env` accepts: the iterated matrix games (the default) and the Coin Game. */
export const ENV_NAMES = ["iterated", "coin"] as const;
export const COIN_DEFAULT_TURNS = 16;
export const COIN_DEFAULT_GAMES = 4096;

export interface CoinFlags {
  env?: string;
  games?: string;
  height?: string;
  width?: string;
  variant?: string;
  egocentric?: boolean;
  turns?: string;
  seed: string;
  json?: boolean;
  // Flags of the iterated games, refused with --env coin.
  game?: string;
  payoffs?: string;
  noise?: string;
  probEnd?: string;
}

export function addCoinOptions(command: Command): Command {
  return command
    .option(
      "--env <name>",
      `environment: ${ENV_NAMES.join(" or ")} (default iterated); coin players: ${FIXED_COIN_AGENTS.join(", ")} ` +
        "or a saved neural agent file (.json); " +
        `coin --turns default ${COIN_DEFAULT_TURNS}`,
    )
    .option("--games <n>", `with --env coin: games played in one batch (default ${COIN_DEFAULT_GAMES})`)
    .option("--height <n>", "with --env coin: rows of the torus (default 3)")
    .option("--width <n>", "with --env coin: columns of the torus (default 3)")
    .option("--variant <name>", `with --env coin: ${COIN_VARIANTS.join(" or ")} (default one-coin)`)
    .option("--egocentric", "with --env coin: neural agents see the board re-centred on themselves");
}

/** True for `--env coin`; the default and `iterated` are false; anything else is an InputError naming both. */
export function isCoinEnv(flags: { env?: string }): boolean {
  return requireOneOf("--env", flags.env ?? "iterated", ENV_NAMES) === "coin";
}
