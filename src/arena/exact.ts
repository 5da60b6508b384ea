/**
 * Exact payoffs of two memory-one strategies from the Markov chain shared with the exact engine:
 * the discounted per-step value (1 − γ)·p0ᵀ(I − γP)⁻¹r for γ ∈ [0, 1) (src/exact/values.ts), and for γ = 1 the
 * long-run (Cesàro) average per turn, which handles several closed classes and periodic ones
 * (src/exact/longrun.ts). A match that ends with probability 1 − γ after each turn has expected total score
 * equal to the discounted sum V, so (1 − γ)·E[total] is the per-step value: the arena's matches can be checked
 * against these numbers.
 */
import type { MatrixGame } from "../games/game.js";
import { perTurnPayoffs } from "../exact/longrun.js";
import type { Strategy } from "../strategies/types.js";
import { InputError } from "../util/errors.js";

function vector(s: Strategy, field: string): readonly number[] {
  if (!s.memoryOne) {
    throw new InputError(
      field,
      `"${s.name}" is not a memory-one strategy (memory depth ${s.classifier.memoryDepth})`,
    );
  }
  return s.memoryOne;
}

/** Per-turn payoffs [a, b] of `a` against `b`: discounted per-step for γ < 1, long-run average for γ = 1. */
export function exactPayoffs(game: MatrixGame, a: Strategy, b: Strategy, gamma = 1): [number, number] {
  return perTurnPayoffs(game, vector(a, "--a"), vector(b, "--b"), gamma);
}

/** Row player's exact per-turn payoff against each column (memory-one strategies only). */
export function exactPayoffMatrix(game: MatrixGame, strategies: Strategy[], gamma = 1): number[][] {
  return strategies.map((row) => strategies.map((col) => exactPayoffs(game, row, col, gamma)[0]));
}
