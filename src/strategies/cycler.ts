/**
 * Cycler: repeats a fixed sequence of moves, whatever the opponent does ("Cycler CCD" plays C, C, D, C, C, D, …).
 * Axelrod: axelrod/strategies/cycler.py (Cycler and its named subclasses CyclerCCD, CyclerDC, CyclerDDC,
 * CyclerCCCD, CyclerCCCCCD, CyclerCCCDCD); "Periodic player" [Mittal2009]. Memory depth is len(cycle) − 1.
 * Like Axelrod 4.x (itertools.cycle), the position in the cycle advances one step per turn and ignores noise.
 */
import { InputError } from "../util/errors.js";
import { C, D, type MemoryOneVector, type Strategy } from "./types.js";

/** The cycles Axelrod ships as named classes. */
export const NAMED_CYCLES = ["CCD", "DC", "DDC", "CCCD", "CCCCCD", "CCCDCD"] as const;

export function cycler(cycle: string): Strategy {
  const text = cycle.trim().toUpperCase();
  if (!/^[CD]+$/.test(text)) {
    throw new InputError("strategy", `a Cycler's sequence must be made of C and D, got "${cycle}"`);
  }
  const moves = Uint8Array.from(text, (ch) => (ch === "C" ? C : D));
  // A cycle of one move is a constant strategy; "CD" and "DC" alternate, which is memory-one (own last move).
  let memoryOne: MemoryOneVector | undefined;
  if (text.length === 1) memoryOne = text === "C" ? [1, 1, 1, 1, 1] : [0, 0, 0, 0, 0];
  else if (text === "CD") memoryOne = [1, 0, 0, 1, 1];
  else if (text === "DC") memoryOne = [0, 0, 0, 1, 1];
  return {
    name: `Cycler ${text}`,
    classifier: { memoryDepth: text.length - 1, stochastic: false },
    source: "Axelrod Cycler; Periodic player [Mittal2009]",
    memoryOne,
    create: () => ({ reset() {}, act: (v) => moves[v.turn % moves.length] as 0 | 1 }),
  };
}
