/**
 * One iterated match between two strategies, with Axelrod's semantics (axelrod/match.py, 4.x):
 *
 * - each turn both players choose simultaneously from the realised history (A first, then B);
 * - noise: each intended move is flipped independently with probability `noise` (A's flip drawn first), and the
 *   players (and the scores) see the flipped moves;
 * - probabilistic ending: with `probEnd` = p > 0 the length is drawn once, before play, from the geometric law
 *   P(n) = (1 − p)^(n−1) p (Axelrod's `sample_length`: ⌈log(1 − u) / log(1 − p)⌉), capped at `turns`;
 * - the winner is the player with the higher total score; a tie has no winner.
 *
 * Every draw (players' randomness, noise, length) comes from the one `Rng` of the match, in a fixed order, so a
 * match is a pure function of (players, game, options, rng state).
 */
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";
import { log1p } from "../util/math.js";
import { Rng } from "../util/rng.js";
import {
  type Action,
  actionsToString,
  C,
  HistoryView,
  type Player,
  type Strategy,
} from "../strategies/types.js";

export const DEFAULT_TURNS = 200;
/** Hard cap on a match's length when only `probEnd` bounds it. */
export const MAX_TURNS = 1_000_000;

export interface MatchOptions {
  /** Maximum number of turns (default 200; with `probEnd` and no `turns`, only the geometric draw bounds it). */
  turns?: number;
  /** Probability of flipping each intended move (default 0). */
  noise?: number;
  /** Probability that the match ends after each turn (default 0: fixed length). */
  probEnd?: number;
  /** Seed for the match's rng (default 0); ignored when `rng` is given. */
  seed?: number;
  rng?: Rng;
}

export interface MatchResult {
  names: [string, string];
  turns: number;
  /** Realised moves as "C"/"D" strings. */
  actions: [string, string];
  /** Total scores. */
  scores: [number, number];
  /** Scores of each turn. */
  perTurnScores: [number[], number[]];
  /** Number of C moves of each player. */
  cooperations: [number, number];
  /** Counts of the joint moves CC, CD, DC, DD from A's view. */
  stateCounts: [number, number, number, number];
  /** Name of the player with the higher total, or null for a tie. */
  winner: string | null;
}

/** Validate match options; field names follow the CLI flags. */
export function validateMatchOptions(options: MatchOptions): {
  turns: number;
  noise: number;
  probEnd: number;
} {
  const noise = options.noise ?? 0;
  const probEnd = options.probEnd ?? 0;
  if (!(noise >= 0 && noise <= 1)) throw new InputError("--noise", `must be in [0, 1], got ${noise}`);
  if (!(probEnd >= 0 && probEnd <= 1))
    throw new InputError("--prob-end", `must be in [0, 1], got ${probEnd}`);
  const turns = options.turns ?? (probEnd > 0 ? MAX_TURNS : DEFAULT_TURNS);
  if (!Number.isInteger(turns) || turns < 1 || turns > MAX_TURNS) {
    throw new InputError("--turns", `must be an integer in [1, ${MAX_TURNS}], got ${turns}`);
  }
  return { turns, noise, probEnd };
}

/** Length of a match: `turns`, or a geometric draw capped at `turns` when probEnd > 0. */
export function sampleLength(turns: number, probEnd: number, rng: Rng): number {
  if (probEnd <= 0) return turns;
  if (probEnd >= 1) return 1;
  const u = rng.uniform();
  const n = Math.max(1, Math.ceil(log1p(-u) / log1p(-probEnd)));
  return Math.min(turns, n);
}

/** Scratch buffers reused across matches (a tournament worker keeps one). */
export class MatchBuffers {
  a = new Uint8Array(0);
  b = new Uint8Array(0);
  ensure(length: number): void {
    if (this.a.length < length) {
      this.a = new Uint8Array(length);
      this.b = new Uint8Array(length);
    }
  }
}

/** Per-match summary written by `playInto`: turns, scoreA, scoreB, coopA, coopB, CC, CD, DC, DD. */
export const SUMMARY_SIZE = 9;

/**
 * Play `length` turns between fresh players `pa`, `pb`; fill `buffers.a/b` with the realised moves and write
 * the summary to `out[offset..offset+9)`.
 */
export function playInto(
  pa: Player,
  pb: Player,
  game: MatrixGame,
  length: number,
  noise: number,
  rng: Rng,
  buffers: MatchBuffers,
  out: Float64Array,
  offset: number,
): void {
  buffers.ensure(length);
  const a = buffers.a;
  const b = buffers.b;
  const va = new HistoryView(a, b);
  const vb = new HistoryView(b, a);
  pa.reset();
  pb.reset();
  const r1 = game.r1;
  const r2 = game.r2;
  let s1 = 0;
  let s2 = 0;
  const states = [0, 0, 0, 0];
  for (let t = 0; t < length; t++) {
    let x: Action = pa.act(va, rng);
    let y: Action = pb.act(vb, rng);
    if (noise > 0) {
      if (rng.uniform() < noise) x = (1 - x) as Action;
      if (rng.uniform() < noise) y = (1 - y) as Action;
    }
    a[t] = x;
    b[t] = y;
    const j = 2 * x + y;
    s1 += r1[j];
    s2 += r2[j];
    states[j]++;
    va.turn = vb.turn = t + 1;
    va.ownDefections = vb.oppDefections += x;
    vb.ownDefections = va.oppDefections += y;
  }
  out[offset] = length;
  out[offset + 1] = s1;
  out[offset + 2] = s2;
  out[offset + 3] = states[0] + states[1];
  out[offset + 4] = states[0] + states[2];
  out[offset + 5] = states[0];
  out[offset + 6] = states[1];
  out[offset + 7] = states[2];
  out[offset + 8] = states[3];
}

/** Play one match and return everything about it. */
export function playMatch(
  sa: Strategy,
  sb: Strategy,
  game: MatrixGame,
  options: MatchOptions = {},
): MatchResult {
  const { turns, noise, probEnd } = validateMatchOptions(options);
  const rng = options.rng ?? Rng.seeded(options.seed ?? 0);
  const length = sampleLength(turns, probEnd, rng);
  const buffers = new MatchBuffers();
  const summary = new Float64Array(SUMMARY_SIZE);
  playInto(sa.create(), sb.create(), game, length, noise, rng, buffers, summary, 0);
  const perA: number[] = [];
  const perB: number[] = [];
  for (let t = 0; t < length; t++) {
    const j = 2 * buffers.a[t] + buffers.b[t];
    perA.push(game.r1[j]);
    perB.push(game.r2[j]);
  }
  const scores: [number, number] = [summary[1], summary[2]];
  return {
    names: [sa.name, sb.name],
    turns: length,
    actions: [actionsToString(buffers.a, length), actionsToString(buffers.b, length)],
    scores,
    perTurnScores: [perA, perB],
    cooperations: [summary[3], summary[4]],
    stateCounts: [summary[5], summary[6], summary[7], summary[8]],
    winner: scores[0] > scores[1] ? sa.name : scores[1] > scores[0] ? sb.name : null,
  };
}

/** Moves of `s` against a fixed sequence (cycled), as Axelrod's MockPlayer tests do. Used by tests and docs. */
export function movesAgainstSequence(s: Strategy, game: MatrixGame, sequence: string, turns: number): string {
  const seq = Uint8Array.from(sequence, (ch) => (ch === "C" ? C : 1));
  const mock: Strategy = {
    name: "Mock",
    classifier: { memoryDepth: 0, stochastic: false },
    source: "test sequence",
    create: () => ({ reset() {}, act: (v) => seq[v.turn % seq.length] as Action }),
  };
  return playMatch(s, mock, game, { turns }).actions[0];
}
