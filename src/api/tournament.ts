/**
 * `tournament(players).play()`: a round robin with the ergonomics of the Axelrod library, where one writes
 *
 *     tournament = axl.Tournament(players, turns=200, repetitions=10); results = tournament.play()
 *     results.ranked_names; results.summarise(); axl.Plot(results).boxplot()
 *
 * Here: `tournament(["Tit For Tat", "Grudger", …], { turns, repetitions }).play()` returns `rankedNames`,
 * `summary()` (one row per player in rank order, as `summarise()`), `plot.scores()` (the box plot of normalised
 * scores) and `plot.payoffMatrix()` (the payoff heatmap) as SVG strings, and the full Axelrod-style `result`.
 * Result definitions are Axelrod's (src/arena/tournament.ts): self-play is played but left out of scores, the
 * normalised score is the mean score per turn over opponents, players are ranked by the median normalised score
 * over repetitions. It runs in this thread, in Node or a browser; `shapelab/node` has the worker-thread version.
 */
import { runTournament, type StrategySpec, type TournamentResult } from "../arena/tournament.js";
import type { MatrixGame } from "../games/game.js";
import { heatmapRows, heatmapSpec, payoffMatrixHeatmap } from "../report/heatmap.js";
import { renderSvg, withData } from "../report/render.js";
import { scoreBoxplotSpec, scoreRows } from "../report/scoreBoxplot.js";
import { median } from "../util/stats.js";
import { type GameInput, resolveGameInput } from "./game.js";

export interface TournamentSettings {
  /** A preset name or a MatrixGame (default `ipd`, (R, S, T, P) = (3, 0, 5, 1), Axelrod's default game). */
  game?: GameInput;
  /** Turns per match (default 200). */
  turns?: number;
  /** Matches per pair (default 10). */
  repetitions?: number;
  /** Probability of flipping each intended move (default 0). */
  noise?: number;
  /** Probability that a match ends after each turn (default 0: fixed length). */
  probEnd?: number;
  /** Seed: each match draws from its own stream (seed, i, j, repetition). Default 0. */
  seed?: number;
}

/** One row of `summary()`, as Axelrod's `ResultSet.summarise()`. */
export interface PlayerSummary {
  /** 1-based rank. */
  rank: number;
  name: string;
  /** Median over repetitions of the normalised score (mean score per turn over opponents): the ranking score. */
  medianScore: number;
  meanScore: number;
  /** Cooperations over turns against the other players. */
  cooperationRating: number;
  /** Median over repetitions of the matches won (Axelrod's `Wins` column). */
  wins: number;
}

export interface TournamentResults {
  /** Player names, best first. */
  rankedNames: string[];
  /** One row per player, best first. */
  summary(): PlayerSummary[];
  /** Figures as SVG strings (vega's headless renderer; works in Node and a browser). */
  plot: {
    /** Box plot of each player's normalised scores over repetitions, in rank order (Axelrod's `boxplot`). */
    scores(): Promise<string>;
    /** Heatmap of the payoff matrix: each cell row's / column's mean payoff per turn. */
    payoffMatrix(): Promise<string>;
  };
  /** Everything: scores, payoff matrix, wins, cooperation, state distribution, match lengths. */
  result: TournamentResult;
  game: MatrixGame;
}

export interface Tournament {
  players: StrategySpec[];
  game: MatrixGame;
  play(): TournamentResults;
}

/** Players are zoo names (`shapelab strategies`: "Tit For Tat", "GTFT: 0.33", …) or `{ name, memoryOne }`. */
export function tournament(players: readonly StrategySpec[], settings: TournamentSettings = {}): Tournament {
  const game = resolveGameInput(settings.game, "ipd");
  const specs = [...players];
  return {
    players: specs,
    game,
    play: () => {
      const { game: _game, ...options } = settings;
      return tournamentResults(runTournament(specs, game, options), game);
    },
  };
}

/** Wrap a finished tournament (from here or from `shapelab/node`'s worker pool) in the results API. */
export function tournamentResults(result: TournamentResult, game: MatrixGame): TournamentResults {
  const summary = (): PlayerSummary[] =>
    result.ranking.map((i, k) => ({
      rank: k + 1,
      name: result.players[i],
      medianScore: result.medianNormalisedScores[i],
      meanScore: result.meanNormalisedScores[i],
      cooperationRating: result.cooperatingRating[i],
      wins: median(result.wins[i]),
    }));
  const where = `${game.name}, ${result.turns} turns, ${result.repetitions} repetitions`;
  return {
    rankedNames: [...result.rankedNames],
    summary,
    plot: {
      scores: () =>
        renderSvg(
          withData(
            scoreBoxplotSpec(result.rankedNames, { title: `Tournament scores (${where})` }),
            scoreRows(result.players, result.normalisedScores),
          ),
        ),
      payoffMatrix: () => {
        const input = payoffMatrixHeatmap(result.players, result.payoffMatrix);
        return renderSvg(
          withData(
            heatmapSpec(input, { title: `Tournament payoffs (${where})`, colorTitle: "row's payoff" }),
            heatmapRows(input),
          ),
        );
      },
    },
    result,
    game,
  };
}
