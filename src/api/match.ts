/**
 * `match("Tit For Tat", "Alternator", { turns: 5 })`: one match between two zoo strategies (Axelrod's
 * `axl.Match((p1, p2), turns=5).play()`), with Axelrod's semantics (src/arena/match.ts): both players choose from
 * the realised history, noise flips intended moves, `probEnd` draws a geometric length capped by `turns`.
 * Returns the moves as "C"/"D" strings, total and per-turn scores, cooperation counts, the joint-move counts and
 * the winner.
 */
import { type MatchOptions, type MatchResult, playMatch } from "../arena/match.js";
import { type StrategySpec, strategyFromSpec } from "../arena/tournament.js";
import { type GameInput, resolveGameInput } from "./game.js";

export interface MatchSettings extends Omit<MatchOptions, "rng"> {
  /** A preset name or a MatrixGame (default `ipd`). */
  game?: GameInput;
}

export function match(a: StrategySpec, b: StrategySpec, settings: MatchSettings = {}): MatchResult {
  const { game: gameInput, ...options } = settings;
  const game = resolveGameInput(gameInput, "ipd");
  return playMatch(strategyFromSpec(a, game, "a"), strategyFromSpec(b, game, "b"), game, options);
}
