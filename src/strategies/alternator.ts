/**
 * Alternator: C first, then the opposite of its own previous (realised) move: C, D, C, D, …
 * Axelrod: axelrod/strategies/alternator.py (Alternator) [Axelrod1984]. Memory-one four-vector (0, 0, 1, 1).
 */
import { C, D, type Strategy, statelessPlayer } from "./types.js";

export const alternator: Strategy = {
  name: "Alternator",
  classifier: { memoryDepth: 1, stochastic: false },
  source: "Axelrod Alternator [Axelrod1984]",
  memoryOne: [1, 0, 0, 1, 1],
  create: () => statelessPlayer((v) => (v.turn > 0 && v.own[v.turn - 1] === C ? D : C)),
};
