/**
 * What a fixed strategy is: the vocabulary every file in src/strategies shares.
 *
 * Modelled on the Axelrod Python library (4.x): a strategy has a display name (Axelrod's `name`, or its `repr`
 * where parameters are part of the name, e.g. "Random: 0.5", "GTFT: 0.33", "Cycler CCD"), a classifier (memory
 * depth, stochastic) and a source. A `Player` is one instance in one match: it sees the realised histories
 * (after noise, exactly as Axelrod's players do) and returns its intended action for the next turn.
 *
 * Actions are 0 = C (cooperate) and 1 = D (defect), as in src/games.
 */
import type { Rng } from "../util/rng.js";

export const C = 0;
export const D = 1;
export type Action = 0 | 1;

/** The match as one player sees it. Arrays hold the realised actions of turns 0..turn−1. */
export interface MatchView {
  /** Number of completed turns (= index of the turn being decided). */
  readonly turn: number;
  readonly own: Uint8Array;
  readonly opp: Uint8Array;
  /** Defections among own[0..turn) and opp[0..turn): Axelrod's `player.defections`. */
  readonly ownDefections: number;
  readonly oppDefections: number;
}

/**
 * The mutable history behind a MatchView: the engine that plays turns (an arena match, a rollout seat) writes
 * `turn`, the move buffers and the defection counts in place as turns are played.
 */
export class HistoryView implements MatchView {
  turn = 0;
  ownDefections = 0;
  oppDefections = 0;
  constructor(
    public own: Uint8Array,
    public opp: Uint8Array,
  ) {}
}

export interface Player {
  /** Forget everything from a previous match. */
  reset(): void;
  /** The intended action for turn `view.turn`. Stochastic players draw from `rng` only. */
  act(view: MatchView, rng: Rng): Action;
}

export interface Classifier {
  /** How many past turns the strategy reads; Infinity for unbounded memory (Axelrod's float('inf')). */
  readonly memoryDepth: number;
  readonly stochastic: boolean;
  /** True when the strategy's parameters come from the game's payoffs (GTFT, ZD-Extort-2, ZD-GTFT-2). */
  readonly makesUseOfGame?: boolean;
}

/**
 * A memory-one strategy as 5 cooperation probabilities in the shared own-view order
 * `[start, CC, CD, DC, DD]` (DESIGN.md): the same order as Axelrod's four-vector (P(C|CC), P(C|CD), P(C|DC),
 * P(C|DD)), with the first move in front.
 */
export type MemoryOneVector = readonly [number, number, number, number, number];

export interface Strategy {
  /** Display name, exactly as Axelrod shows it. */
  readonly name: string;
  readonly classifier: Classifier;
  /** Where the strategy comes from (paper / Axelrod class). */
  readonly source: string;
  /** Set for strategies that are exactly memory-one (used by the exact engine and as fixed learner opponents). */
  readonly memoryOne?: MemoryOneVector;
  /** Named numeric parameters the strategy was built with (e.g. a ZD strategy's phi, s, l). */
  readonly parameters?: Readonly<Record<string, number>>;
  /** A fresh player for one match. */
  create(): Player;
}

/** A stateless deterministic or stochastic rule as a Player. */
export function statelessPlayer(act: (view: MatchView, rng: Rng) => Action): Player {
  return { reset() {}, act };
}

/** C with probability p; draws from the rng only when 0 < p < 1 (as Axelrod's `random_choice`). */
export function randomChoice(p: number, rng: Rng): Action {
  if (p <= 0) return D;
  if (p >= 1) return C;
  return rng.uniform() < p ? C : D;
}

/** Memory depth as text: "inf" for unbounded. */
export function formatMemoryDepth(depth: number): string {
  return Number.isFinite(depth) ? String(depth) : "inf";
}

/** "C"/"D" string of an action array. */
export function actionsToString(actions: ArrayLike<number>, length = actions.length): string {
  let s = "";
  for (let i = 0; i < length; i++) s += actions[i] === C ? "C" : "D";
  return s;
}

/**
 * A player with private state between turns (counters, modes), as Axelrod's instance attributes. The state is made
 * fresh by `reset()` and again on turn 0, so a player reused for a new match never carries the last one's state.
 */
export function statefulPlayer<S>(
  initial: () => S,
  act: (state: S, view: MatchView, rng: Rng) => Action,
): Player {
  let state = initial();
  return {
    reset() {
      state = initial();
    },
    act(view, rng) {
      if (view.turn === 0) state = initial();
      return act(state, view, rng);
    },
  };
}

/** Opponent's move `back` turns ago (1 = last), or C before the match started (Axelrod's history[-k:] checks). */
export function oppAgo(view: MatchView, back: number): Action {
  const i = view.turn - back;
  return (i >= 0 ? view.opp[i] : C) as Action;
}

/** Own move `back` turns ago (1 = last), or C before the match started. */
export function ownAgo(view: MatchView, back: number): Action {
  const i = view.turn - back;
  return (i >= 0 ? view.own[i] : C) as Action;
}

/** Defections among the opponent's moves [from, to) (indices clamped to the played turns). */
export function oppDefectionsIn(view: MatchView, from: number, to: number): number {
  let n = 0;
  for (let i = Math.max(0, from); i < Math.min(to, view.turn); i++) n += view.opp[i];
  return n;
}
