/**
 * The explorer's tournament, without the DOM (the page and the Node tests share it): the page's settings become
 * one `runTournament` call (src/arena/tournament.ts, Axelrod's conventions: ranking by the median over
 * repetitions of the normalised score, self-play played but not scored), the same call `shapelab tournament`
 * makes, so the same players, options and seed give the CLI's numbers. A clicked cell replays that one match:
 * match (i, j, repetition r) of a tournament draws only from the stream `Rng.derive(seed, i, j, r)` (first its
 * length, then its moves), so `playMatch` with that stream gives exactly the moves the tournament scored.
 */
import { type MatchResult, playMatch } from "../src/arena/match.js";
import { runTournament, strategyFromSpec, type TournamentResult } from "../src/arena/tournament.js";
import { DETERMINISTIC_CLASSICS } from "../src/strategies/registry.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";
import { settingsGame } from "./gameSetting.js";

export interface TournamentSettings {
  game: string;
  /** Custom payoffs ("R,S,T,P" or eight numbers); "" = the preset `game`. */
  payoffs: string;
  /** Strategy names of src/strategies (display names, e.g. "Tit For Tat", "Random: 0.5"). */
  players: string[];
  turns: number;
  repetitions: number;
  noise: number;
  probEnd: number;
  seed: number;
}

/** `shapelab tournament`'s defaults: the 14 deterministic classics, 200 turns, 10 repetitions, game ipd. */
export const DEFAULT_TOURNAMENT: TournamentSettings = {
  game: "ipd",
  payoffs: "",
  players: [...DETERMINISTIC_CLASSICS],
  turns: 200,
  repetitions: 10,
  noise: 0,
  probEnd: 0,
  seed: 0,
};

/**
 * The most turns a tournament may play in the page (about a second here): the page plays on the main thread, so a
 * bigger one is refused with a pointer to the CLI, which plays on worker threads.
 */
export const PAGE_TURN_BUDGET = 10_000_000;

export function runPageTournament(settings: TournamentSettings): TournamentResult {
  const n = settings.players.length;
  const turns = ((n * (n + 1)) / 2) * settings.repetitions * settings.turns;
  if (turns > PAGE_TURN_BUDGET)
    throw new InputError(
      "turns",
      `${n} players × ${settings.repetitions} repetitions × ${settings.turns} turns is ${turns.toLocaleString("en")} ` +
        `turns, more than the page plays (${PAGE_TURN_BUDGET.toLocaleString("en")}); lower turns or repetitions, ` +
        "or run it with shapelab tournament",
    );
  return runTournament(settings.players, settingsGame(settings), {
    turns: settings.turns,
    repetitions: settings.repetitions,
    noise: settings.noise,
    probEnd: settings.probEnd,
    seed: settings.seed,
  });
}

/**
 * The moves of player `row` against player `column` (indices into `settings.players`) in repetition `repetition`
 * (0-based) of the tournament, from `row`'s side. The tournament plays each unordered pair once, lower index
 * first; a cell below the diagonal is that match seen from the other side.
 */
export function tournamentMatch(
  settings: TournamentSettings,
  row: number,
  column: number,
  repetition: number,
): MatchResult {
  const n = settings.players.length;
  for (const [field, v, max] of [
    ["row", row, n],
    ["column", column, n],
    ["repetition", repetition, settings.repetitions],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= max)
      throw new InputError(field, `must be an integer in [0, ${max - 1}], got ${v}`);
  }
  const game = settingsGame(settings);
  const [i, j] = row <= column ? [row, column] : [column, row];
  const match = playMatch(
    strategyFromSpec(settings.players[i], game),
    strategyFromSpec(settings.players[j], game),
    game,
    {
      turns: settings.turns,
      noise: settings.noise,
      probEnd: settings.probEnd,
      rng: Rng.derive(settings.seed, i, j, repetition),
    },
  );
  if (row <= column) return match;
  const swap = <T>([a, b]: [T, T]): [T, T] => [b, a];
  const [cc, cd, dc, dd] = match.stateCounts;
  return {
    ...match,
    names: swap(match.names),
    actions: swap(match.actions),
    scores: swap(match.scores),
    perTurnScores: swap(match.perTurnScores),
    cooperations: swap(match.cooperations),
    stateCounts: [cc, dc, cd, dd],
  };
}
