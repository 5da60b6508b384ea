/**
 * The two constant strategies. Axelrod: axelrod/strategies/cooperator.py (Cooperator), defector.py (Defector).
 *
 * - Cooperator: always C. Names: Cooperator [Axelrod1984], ALLC [Press2012].
 * - Defector: always D. Names: Defector [Axelrod1984], ALLD [Press2012].
 */
import { C, D, type Strategy, statelessPlayer } from "./types.js";

export const cooperator: Strategy = {
  name: "Cooperator",
  classifier: { memoryDepth: 0, stochastic: false },
  source: "Axelrod Cooperator (ALLC) [Axelrod1984]",
  memoryOne: [1, 1, 1, 1, 1],
  create: () => statelessPlayer(() => C),
};

export const defector: Strategy = {
  name: "Defector",
  classifier: { memoryDepth: 0, stochastic: false },
  source: "Axelrod Defector (ALLD) [Axelrod1984]",
  memoryOne: [0, 0, 0, 0, 0],
  create: () => statelessPlayer(() => D),
};
