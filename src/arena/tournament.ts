/**
 * Round-robin tournaments with Axelrod's result conventions (axelrod/tournament.py, result_set.py, 4.x):
 *
 * - every unordered pair {i, j}, i ≤ j, plays `repetitions` matches; self-play (i = j, the player against a copy
 *   of itself) is played but left out of scores, normalised scores, wins and cooperation ratings;
 * - scores[i][r]: total score of i in repetition r over its matches against the others;
 * - normalisedScores[i][r]: mean over the other players of i's score per turn in repetition r;
 * - ranking: players sorted by the median over repetitions of their normalised scores (highest first; ties keep
 *   the given order, as Python's stable sort does);
 * - payoffMatrix[i][j]: mean over repetitions of i's score per turn against j; the diagonal averages both
 *   copies in self-play (Axelrod records both);
 * - wins[i][r]: matches i won in repetition r (higher total; ties are no win);
 * - cooperation[i][j]: i's cooperations against j summed over repetitions (diagonal: half of both copies' total,
 *   rounded down, as Axelrod); normalisedCooperation[i][j] = that divided by the turns played;
 *   cooperatingRating[i]: i's cooperations over its turns against the others;
 * - stateDistribution[i][j]: counts of (i's move, j's move) = CC, CD, DC, DD over repetitions.
 *
 * Each match draws from its own stream `Rng.derive(seed, i, j, repetition)`, so results do not depend on the order
 * matches are played in, nor on how many workers play them (src/node/tournamentPool.ts).
 */
import type { MatrixGame } from "../games/game.js";
import { memoryOne } from "../strategies/memoryone.js";
import { strategyByName } from "../strategies/registry.js";
import type { MemoryOneVector, Strategy } from "../strategies/types.js";
import { InputError } from "../util/errors.js";
import { Rng } from "../util/rng.js";
import { median } from "../util/stats.js";
import {
  MatchBuffers,
  type MatchOptions,
  playInto,
  SUMMARY_SIZE,
  sampleLength,
  validateMatchOptions,
} from "./match.js";

export const DEFAULT_REPETITIONS = 10;

/**
 * A strategy as plain data, so it can cross a worker boundary: a zoo name, or a named memory-one vector
 * (`[start, CC, CD, DC, DD]`) such as a learned policy.
 */
export type StrategySpec = string | { name: string; memoryOne: MemoryOneVector };

export function specName(spec: StrategySpec): string {
  return typeof spec === "string" ? spec : spec.name;
}

export function strategyFromSpec(spec: StrategySpec, game: MatrixGame, field = "--players"): Strategy {
  if (typeof spec === "string") return strategyByName(spec, game, field);
  const v = spec.memoryOne;
  return memoryOne([v[1], v[2], v[3], v[4]], v[0], spec.name, "memory-one policy");
}

export interface TournamentOptions extends Omit<MatchOptions, "rng"> {
  repetitions?: number;
}

/** Everything needed to play any match of a tournament; plain data (worker-safe). */
export interface TournamentPlan {
  specs: StrategySpec[];
  /** Display names of the resolved strategies (e.g. "GTFT: 0.33" for the spec "GTFT"). */
  names: string[];
  game: MatrixGame;
  turns: number;
  noise: number;
  probEnd: number;
  repetitions: number;
  seed: number;
  /** The pairs (i ≤ j) in play order; match m is pair ⌊m / repetitions⌋, repetition m mod repetitions. */
  pairs: [number, number][];
}

export function planTournament(
  specs: StrategySpec[],
  game: MatrixGame,
  options: TournamentOptions = {},
): TournamentPlan {
  if (specs.length < 2)
    throw new InputError("--players", `a tournament needs at least 2 players, got ${specs.length}`);
  const { turns, noise, probEnd } = validateMatchOptions(options);
  const repetitions = options.repetitions ?? DEFAULT_REPETITIONS;
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new InputError("--repetitions", `must be a positive integer, got ${repetitions}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InputError("--seed", `must be an integer, got ${seed}`);
  // Resolve every name now, so a typo fails before any work (and before workers start).
  const names = specs.map((s) => strategyFromSpec(s, game).name);
  const pairs: [number, number][] = [];
  for (let i = 0; i < specs.length; i++) for (let j = i; j < specs.length; j++) pairs.push([i, j]);
  return { specs, names, game, turns, noise, probEnd, repetitions, seed, pairs };
}

export function matchCount(plan: TournamentPlan): number {
  return plan.pairs.length * plan.repetitions;
}

/**
 * Play matches `from..to` (match indices) of the plan; returns their summaries, SUMMARY_SIZE numbers each
 * (turns, score i, score j, coop i, coop j, CC, CD, DC, DD), in index order.
 *
 * A repetition that would replay the one before it is copied instead of played: with no noise and a fixed length,
 * a match that drew nothing from its stream (both players deterministic) is a function of the two fresh players
 * and the game alone, so every repetition of that pair ends the same. "Drew nothing" is checked on the stream
 * itself (its state before and after the match), not assumed from the strategies' classifiers. Axelrod plays every
 * repetition; the summaries are the same numbers either way (test/arena-tournament.test.ts).
 */
export function playTournamentMatches(plan: TournamentPlan, from: number, to: number): Float64Array {
  const strategies = plan.specs.map((s) => strategyFromSpec(s, plan.game));
  const out = new Float64Array((to - from) * SUMMARY_SIZE);
  const buffers = new MatchBuffers();
  const repeatsExactly = plan.noise === 0 && plan.probEnd === 0;
  /** The pair of the last match played, and where its summary is when the next repetition can copy it. */
  let lastPair = -1;
  let copyFrom = -1;
  for (let m = from; m < to; m++) {
    const pair = Math.floor(m / plan.repetitions);
    const offset = (m - from) * SUMMARY_SIZE;
    if (pair === lastPair && copyFrom >= 0) {
      out.copyWithin(offset, copyFrom, copyFrom + SUMMARY_SIZE);
      continue;
    }
    const [i, j] = plan.pairs[pair];
    const rep = m % plan.repetitions;
    const rng = Rng.derive(plan.seed, i, j, rep);
    const before = repeatsExactly ? rng.state() : undefined;
    const length = sampleLength(plan.turns, plan.probEnd, rng);
    playInto(
      strategies[i].create(),
      strategies[j].create(),
      plan.game,
      length,
      plan.noise,
      rng,
      buffers,
      out,
      offset,
    );
    lastPair = pair;
    copyFrom = before !== undefined && sameState(before, rng.state()) ? offset : -1;
  }
  return out;
}

function sameState(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

export interface TournamentResult {
  players: string[];
  turns: number;
  repetitions: number;
  noise: number;
  probEnd: number;
  seed: number;
  matches: number;
  scores: number[][];
  normalisedScores: number[][];
  meanNormalisedScores: number[];
  medianNormalisedScores: number[];
  ranking: number[];
  rankedNames: string[];
  payoffMatrix: number[][];
  payoffStddevs: number[][];
  wins: number[][];
  cooperation: number[][];
  normalisedCooperation: number[][];
  cooperatingRating: number[];
  stateDistribution: number[][][];
  matchLengths: number[][][];
}

const grid = (n: number, m: number, v = 0) => Array.from({ length: n }, () => new Array<number>(m).fill(v));

/** Population standard deviation, as numpy's std (Axelrod's payoff_stddevs). */
function std(xs: number[]): number {
  if (xs.length === 0) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
}

/** Turn all match summaries (index order, as `playTournamentMatches(plan, 0, matchCount)`) into results. */
export function assembleTournament(plan: TournamentPlan, summaries: Float64Array): TournamentResult {
  const n = plan.specs.length;
  const R = plan.repetitions;
  const scores = grid(n, R);
  const perTurnSums = grid(n, R);
  const wins = grid(n, R);
  const utilities: number[][][] = Array.from({ length: n }, () =>
    Array.from({ length: n }, () => [] as number[]),
  );
  const cooperation = grid(n, n);
  const turnsPlayed = grid(n, n);
  const matchLengths: number[][][] = Array.from({ length: R }, () => grid(n, n));
  const stateDistribution: number[][][] = Array.from({ length: n }, () =>
    Array.from({ length: n }, () => [0, 0, 0, 0]),
  );
  for (let m = 0; m < summaries.length / SUMMARY_SIZE; m++) {
    const [i, j] = plan.pairs[Math.floor(m / R)];
    const rep = m % R;
    const o = m * SUMMARY_SIZE;
    // Indexed reads: destructuring a subarray would allocate it and walk its iterator, once per match.
    const turns = summaries[o];
    const si = summaries[o + 1];
    const sj = summaries[o + 2];
    const ci = summaries[o + 3];
    const cj = summaries[o + 4];
    const cc = summaries[o + 5];
    const cd = summaries[o + 6];
    const dc = summaries[o + 7];
    const dd = summaries[o + 8];
    matchLengths[rep][i][j] = matchLengths[rep][j][i] = turns;
    if (i === j) {
      utilities[i][i].push(si / turns, sj / turns);
      cooperation[i][i] += ci + cj;
      turnsPlayed[i][i] += turns;
      const sd = stateDistribution[i][i];
      sd[0] += 2 * cc;
      sd[1] += cd + dc;
      sd[2] += dc + cd;
      sd[3] += 2 * dd;
      continue;
    }
    scores[i][rep] += si;
    scores[j][rep] += sj;
    perTurnSums[i][rep] += si / turns;
    perTurnSums[j][rep] += sj / turns;
    if (si > sj) wins[i][rep]++;
    else if (sj > si) wins[j][rep]++;
    utilities[i][j].push(si / turns);
    utilities[j][i].push(sj / turns);
    cooperation[i][j] += ci;
    cooperation[j][i] += cj;
    turnsPlayed[i][j] += turns;
    turnsPlayed[j][i] += turns;
    const a = stateDistribution[i][j];
    a[0] += cc;
    a[1] += cd;
    a[2] += dc;
    a[3] += dd;
    const b = stateDistribution[j][i];
    b[0] += cc;
    b[1] += dc;
    b[2] += cd;
    b[3] += dd;
  }
  for (let i = 0; i < n; i++) cooperation[i][i] = Math.floor(cooperation[i][i] / 2);
  const normalisedScores = perTurnSums.map((row) => row.map((x) => x / (n - 1)));
  const meanNormalisedScores = normalisedScores.map((row) => row.reduce((a, b) => a + b, 0) / R);
  const medianNormalisedScores = normalisedScores.map((row) => median(row));
  const ranking = [...Array(n).keys()].sort((a, b) => medianNormalisedScores[b] - medianNormalisedScores[a]);
  const players = plan.names;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const cooperatingRating = cooperation.map((row, i) => {
    let c = 0;
    let t = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      c += row[j];
      t += turnsPlayed[i][j];
    }
    return c / Math.max(1, t);
  });
  return {
    players,
    turns: plan.turns,
    repetitions: R,
    noise: plan.noise,
    probEnd: plan.probEnd,
    seed: plan.seed,
    matches: summaries.length / SUMMARY_SIZE,
    scores,
    normalisedScores,
    meanNormalisedScores,
    medianNormalisedScores,
    ranking,
    rankedNames: ranking.map((i) => players[i]),
    payoffMatrix: utilities.map((row) => row.map(mean)),
    payoffStddevs: utilities.map((row) => row.map(std)),
    wins,
    cooperation,
    normalisedCooperation: cooperation.map((row, i) =>
      row.map((c, j) => (turnsPlayed[i][j] ? c / turnsPlayed[i][j] : 0)),
    ),
    cooperatingRating,
    stateDistribution,
    matchLengths,
  };
}

/** A whole tournament in this thread (browser-safe). For worker threads see src/node/tournamentPool.ts. */
export function runTournament(
  specs: StrategySpec[],
  game: MatrixGame,
  options: TournamentOptions = {},
): TournamentResult {
  const plan = planTournament(specs, game, options);
  return assembleTournament(plan, playTournamentMatches(plan, 0, matchCount(plan)));
}
