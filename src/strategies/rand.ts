/**
 * Random: cooperates with probability p on every move, ignoring history. Axelrod: axelrod/strategies/rand.py
 * (Random) [Tideman1980]; shown as "Random: 0.5". Random(0) is Defector and Random(1) is Cooperator, which are
 * then deterministic.
 */
import { InputError } from "../util/errors.js";
import { randomChoice, type Strategy } from "./types.js";

export function random(p = 0.5): Strategy {
  if (!(Number.isFinite(p) && p >= 0 && p <= 1)) {
    throw new InputError("strategy", `Random: p must be in [0, 1], got ${p}`);
  }
  return {
    name: `Random: ${String(p)}`,
    classifier: { memoryDepth: 0, stochastic: p > 0 && p < 1 },
    source: "Axelrod Random [Tideman1980]",
    memoryOne: [p, p, p, p, p],
    create: () => ({ reset() {}, act: (_v, rng) => randomChoice(p, rng) }),
  };
}
