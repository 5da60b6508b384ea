/**
 * `strategies()`: the fixed-strategy zoo as plain rows (Axelrod display name, memory depth, stochastic, the
 * memory-one vector [start, CC, CD, DC, DD] when there is one, source), as `shapelab strategies` lists it.
 * Game-dependent strategies (GTFT, ZD-*) take their parameters from `game` (default `ipd`).
 */
import { zoo } from "../strategies/registry.js";
import { type GameInput, resolveGameInput } from "./game.js";

export interface StrategyInfo {
  name: string;
  /** Turns of history read; Infinity for unbounded memory. */
  memoryDepth: number;
  stochastic: boolean;
  memoryOne: number[] | null;
  source: string;
}

export function strategies(game?: GameInput): StrategyInfo[] {
  return zoo(resolveGameInput(game, "ipd")).map((s) => ({
    name: s.name,
    memoryDepth: s.classifier.memoryDepth,
    stochastic: s.classifier.stochastic,
    memoryOne: s.memoryOne ? [...s.memoryOne] : null,
    source: s.source,
  }));
}
