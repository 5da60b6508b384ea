/**
 * `--env coin` for `shapelab match` and `shapelab tournament`: Coin Game matches between the fixed league agents
 * (src/envs/coin). match.ts and tournament.ts add the options (src/cli/coinFlags.ts) and load this module only when
 * `--env coin` is given, so an iterated-game match or tournament does not load the Coin Game.
 *
 * `--json` prints the one JSON document of every command (src/cli/jsonOutput.ts: command, version, config, then
 * the results), lossless float64.
 *
 * A match is `--games` games of `--turns` steps each (one episode per game), all in one batch; the figures are
 * per-step means over every step of every game (the AA league's protocol, which plays 16-step games).
 */
import { readFileSync } from "node:fs";
import { CoinGameEnv } from "../../envs/coin/coinGame.js";
import { type CoinAgent, FIXED_COIN_AGENTS, fixedCoinAgent } from "../../envs/coin/fixedAgents.js";
import { playCoinMatch, type CoinMatchResult } from "../../envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../../envs/coin/neuralAgent.js";
import { COIN_VARIANTS, type CoinVariant } from "../../envs/coin/params.js";
import { splitNames } from "../../strategies/registry.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { COIN_DEFAULT_GAMES, COIN_DEFAULT_TURNS, type CoinFlags } from "../coinFlags.js";
import { printJson } from "../jsonOutput.js";
import { parseInteger } from "../options.js";

function coinEnv(flags: CoinFlags): CoinGameEnv {
  for (const flag of ["game", "payoffs"] as const) {
    if (flags[flag] !== undefined)
      throw new InputError(`--${flag}`, "applies to the iterated games, not --env coin");
  }
  if (flags.noise !== undefined && flags.noise !== "0")
    throw new InputError("--noise", "not available with --env coin");
  if (flags.probEnd !== undefined && flags.probEnd !== "0") {
    throw new InputError("--prob-end", "not available with --env coin (its games have a fixed length)");
  }
  const side = (flag: string, text: string | undefined) =>
    text === undefined ? 3 : parseInteger(flag, text, { min: 2, max: 32 });
  const variant = requireOneOf("--variant", flags.variant ?? "one-coin", COIN_VARIANTS) as CoinVariant;
  return new CoinGameEnv({
    height: side("--height", flags.height),
    width: side("--width", flags.width),
    variant,
    egocentric: flags.egocentric === true,
    episodeSteps:
      flags.turns === undefined
        ? COIN_DEFAULT_TURNS
        : parseInteger("--turns", flags.turns, { min: 1, max: 100_000 }),
  });
}

/** A fixed agent by name, or a neural agent from a saved agent file (a path ending in .json; docs/nn.md). */
function coinAgent(name: string, env: CoinGameEnv, field: string): CoinAgent {
  if (!name.endsWith(".json")) return fixedCoinAgent(name, env, field);
  let text: string;
  try {
    text = readFileSync(name, "utf8");
  } catch (error) {
    throw new InputError(
      field,
      `cannot read the agent file "${name}" (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  return neuralCoinAgentFromFile(text, env, name, field);
}

function games(flags: CoinFlags): number {
  return flags.games === undefined
    ? COIN_DEFAULT_GAMES
    : parseInteger("--games", flags.games, { min: 1, max: 1_000_000 });
}

function describe(env: CoinGameEnv, nGames: number, seed: number): string {
  const p = env.params;
  return `coin game ${p.height}×${p.width} ${p.variant}, ${nGames} games × ${p.episodeSteps} turns, seed ${seed}`;
}

const fmt = (x: number | null, digits: number) => (x === null ? "–" : x.toFixed(digits));

export function runCoinMatch(flags: CoinFlags & { a?: string; b?: string }): void {
  const env = coinEnv(flags);
  const a = coinAgent(flags.a ?? "", env, "--a");
  const b = coinAgent(flags.b ?? "", env, "--b");
  const seed = parseInteger("--seed", flags.seed);
  const r = playCoinMatch(env, a, b, { games: games(flags), seed });
  if (flags.json) {
    const { height, width, variant, egocentric } = env.params;
    const config = {
      env: "coin",
      a: flags.a,
      b: flags.b,
      height,
      width,
      variant,
      egocentric,
      turns: r.turns,
      games: r.games,
      seed,
    };
    printJson("match", config, { ...r, height, width, variant, egocentric });
    return;
  }
  const w = Math.max(...r.names.map((n) => n.length), 5);
  const lines = [
    describe(env, r.games, seed),
    `${"agent".padEnd(w)}  reward/step  own-coin  pickups/step`,
    ...[0, 1].map(
      (i) =>
        `${r.names[i].padEnd(w)}  ${fmt(r.rewards[i], 4).padStart(11)}  ${fmt(r.ownCoin[i], 3).padStart(8)}  ` +
        `${fmt(r.pickupsPerStep[i], 4).padStart(12)}`,
    ),
    "(per-step means over all games; own-coin = own-colour pickups ÷ all pickups; --json for full precision)",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function runCoinTournament(
  flags: CoinFlags & { players?: string; out?: string; workers?: string },
): void {
  for (const flag of ["out", "workers"] as const) {
    if (flags[flag] !== undefined) throw new InputError(`--${flag}`, "not available with --env coin");
  }
  const env = coinEnv(flags);
  const names = flags.players !== undefined ? splitNames(flags.players) : [...FIXED_COIN_AGENTS];
  // One agent per seat: in self-play a recurrent agent needs a hidden state for each side.
  const seatA = names.map((n) => coinAgent(n, env, "--players"));
  const seatB = names.map((n) => coinAgent(n, env, "--players"));
  const seed = parseInteger("--seed", flags.seed);
  const nGames = games(flags);
  const n = names.length;
  const square = <T>(fill: T) => Array.from({ length: n }, () => new Array<T>(n).fill(fill));
  const rewards = square(0);
  const ownCoin = square<number | null>(null);
  const pickups = square(0);
  const record = (i: number, j: number, r: CoinMatchResult, seat: 0 | 1) => {
    rewards[i][j] = r.rewards[seat];
    ownCoin[i][j] = r.ownCoin[seat];
    pickups[i][j] = r.pickupsPerStep[seat];
  };
  // Every pair once (self-play included), i in seat a, j in seat b, on the streams (seed, i, j, ·).
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const r = playCoinMatch(env, seatA[i], seatB[j], { games: nGames, seed, keys: [i, j] });
      record(i, j, r, 0);
      if (j !== i) record(j, i, r, 1);
    }
  }
  // As Axelrod's tournament does, self-play is played and shown but left out of the score.
  const meanRewards = rewards.map((row, i) =>
    n === 1 ? row[i] : row.reduce((s, x, j) => (j === i ? s : s + x), 0) / (n - 1),
  );
  const ranking = names.map((_, i) => i).sort((x, y) => meanRewards[y] - meanRewards[x] || x - y);
  const { height, width, variant, egocentric, episodeSteps } = env.params;
  if (flags.json) {
    const config = {
      env: "coin",
      players: names,
      height,
      width,
      variant,
      egocentric,
      turns: episodeSteps,
      games: nGames,
      seed,
    };
    const out = {
      env: "coin",
      height,
      width,
      variant,
      egocentric,
      players: names,
      turns: episodeSteps,
      games: nGames,
      seed,
      rewards,
      ownCoin,
      pickupsPerStep: pickups,
      meanRewards,
      ranking,
      rankedNames: ranking.map((i) => names[i]),
    };
    printJson("tournament", config, out);
    return;
  }
  const w = Math.max(...names.map((x) => x.length), 4);
  const lines = [
    `${describe(env, nGames, seed)} per pair; ${n} players`,
    `rank  ${"name".padEnd(w)}  mean reward/step (vs others)`,
    ...ranking.map(
      (i, k) => `${String(k + 1).padStart(4)}  ${names[i].padEnd(w)}  ${meanRewards[i].toFixed(4)}`,
    ),
    "",
    `reward/step of the row against the column (own-coin fraction in brackets):`,
    `${"".padEnd(w)}  ${names.map((x) => x.padStart(20)).join("")}`,
    ...names.map(
      (x, i) =>
        `${x.padEnd(w)}  ${names.map((_, j) => `${fmt(rewards[i][j], 4)} (${fmt(ownCoin[i][j], 2)})`.padStart(20)).join("")}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
