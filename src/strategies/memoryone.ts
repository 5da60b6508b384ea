/**
 * Memory-one strategies: the next move depends only on the last round, through the four cooperation
 * probabilities (P(C|CC), P(C|CD), P(C|DC), P(C|DD)), own move first, plus the first move.
 * Axelrod: axelrod/strategies/memoryone.py (MemoryOnePlayer [Nowak1990], WinStayLoseShift, GTFT, FirmButFair,
 * StochasticWSLS). Axelrod's four-vector order is the same own-view order as ours; we put the first move in front:
 * `[start, CC, CD, DC, DD]`.
 *
 * - Win-Stay Lose-Shift (Pavlov): (1, 0, 0, 1), C first [Nowak1993; Kraines1989].
 * - GTFT: (1, p, 1, p), C first; by default p = min(1 − (T − R)/(R − S), (R − P)/(T − P)) from the game
 *   (1/3 for Axelrod's default game, shown "GTFT: 0.33") [Nowak1993].
 * - Firm But Fair: (1, 0, 1, 2/3), C first [Frean1994].
 * - Stochastic WSLS: (1 − ε, ε, ε, 1 − ε), ε = 0.05, C first (Marc Harper's, in Axelrod).
 *
 * A probability of exactly 0 or 1 draws nothing from the rng (Axelrod's `random_choice`), so a deterministic
 * four-vector plays deterministically.
 */
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";
import { type MemoryOneVector, type Player, randomChoice, type Strategy } from "./types.js";

/** A player for a memory-one vector `[start, CC, CD, DC, DD]`. */
export function memoryOnePlayer(vector: MemoryOneVector): Player {
  const q = Float64Array.from(vector);
  return {
    reset() {},
    act(v, rng) {
      if (v.turn === 0) return randomChoice(q[0], rng);
      const last = v.turn - 1;
      return randomChoice(q[1 + 2 * v.own[last] + v.opp[last]], rng);
    },
  };
}

function checkProbabilities(field: string, values: readonly number[]): void {
  for (const p of values) {
    if (!(Number.isFinite(p) && p >= 0 && p <= 1)) {
      throw new InputError(field, `every probability must be in [0, 1], got (${values.join(", ")})`);
    }
  }
}

/** Python-like number text: 1 → "1", 0.5 → "0.5". */
function num(x: number): string {
  return String(x);
}

/**
 * The general memory-one player, Axelrod's MemoryOnePlayer(four_vector, initial). `initial` is "C", "D" or a
 * probability of cooperating on the first move. Named as Axelrod shows it:
 * "Generic Memory One Player: (1, 0, 0, 1), C", unless `name` is given.
 */
export function memoryOne(
  fourVector: readonly [number, number, number, number],
  initial: "C" | "D" | number = "C",
  name?: string,
  source = "Axelrod MemoryOnePlayer [Nowak1990]",
): Strategy {
  checkProbabilities("fourVector", fourVector);
  const start = initial === "C" ? 1 : initial === "D" ? 0 : initial;
  checkProbabilities("initial", [start]);
  const vector: MemoryOneVector = [start, ...fourVector];
  const stochastic = vector.some((p) => p > 0 && p < 1);
  const constant = fourVector.every((p) => p === 0) || fourVector.every((p) => p === 1);
  const initialText = typeof initial === "string" ? initial : num(initial);
  return {
    name: name ?? `Generic Memory One Player: (${fourVector.map(num).join(", ")}), ${initialText}`,
    classifier: { memoryDepth: constant ? 0 : 1, stochastic },
    source,
    memoryOne: vector,
    create: () => memoryOnePlayer(vector),
  };
}

export const winStayLoseShift: Strategy = memoryOne(
  [1, 0, 0, 1],
  "C",
  "Win-Stay Lose-Shift",
  "Axelrod WinStayLoseShift; Pavlov [Kraines1989], WSLS [Nowak1993]",
);

export const firmButFair: Strategy = memoryOne(
  [1, 0, 1, 2 / 3],
  "C",
  "Firm But Fair",
  "Axelrod FirmButFair [Frean1994]",
);

export function stochasticWSLS(ep = 0.05): Strategy {
  return memoryOne(
    [1 - ep, ep, ep, 1 - ep],
    "C",
    ep === 0.05 ? "Stochastic WSLS" : `Stochastic WSLS: ${num(ep)}`,
    "Axelrod StochasticWSLS (Marc Harper)",
  );
}

/** (R, P, S, T) of a symmetric game, or an InputError naming the strategy that needs them. */
export function rpst(game: MatrixGame, who: string): { R: number; P: number; S: number; T: number } {
  if (game.rstp) return game.rstp;
  const [R, S, T, P] = game.r1;
  const r2 = game.r2;
  if (r2[0] === R && r2[1] === T && r2[2] === S && r2[3] === P) return { R, P, S, T };
  throw new InputError(
    "game",
    `${who} needs a symmetric game with payoffs (R, S, T, P); "${game.name}" is not one`,
  );
}

/** Python's round(x, 2) for display (half-to-even differences do not matter at the values we show). */
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Generous Tit For Tat; `p` defaults to the game's generosity bound. */
export function gtft(game: MatrixGame, p?: number): Strategy {
  let generosity = p;
  if (generosity === undefined) {
    const { R, P, S, T } = rpst(game, "GTFT");
    generosity = Math.min(1 - (T - R) / (R - S), (R - P) / (T - P));
  }
  const base = memoryOne(
    [1, generosity, 1, generosity],
    "C",
    `GTFT: ${round2(generosity)}`,
    "Axelrod GTFT; Generous Tit For Tat [Nowak1993]",
  );
  return p === undefined ? { ...base, classifier: { ...base.classifier, makesUseOfGame: true } } : base;
}

/** Win-Shift Lose-Stay: (0, 1, 1, 0), D first [Li2011]; Axelrod shows it "Win-Shift Lose-Stay: D". */
export const winShiftLoseStay: Strategy = memoryOne(
  [0, 1, 1, 0],
  "D",
  "Win-Shift Lose-Stay: D",
  "Axelrod WinShiftLoseStay [Li2011]",
);

/** Soft Joss: (1, 1 − q, 1, 1 − q), q = 0.9, C first [Prison1998]; Axelrod shows it "Soft Joss: 0.9". */
export function softJoss(q = 0.9): Strategy {
  return memoryOne([1, 1 - q, 1, 1 - q], "C", `Soft Joss: ${num(q)}`, "Axelrod SoftJoss [Prison1998]");
}

/** Stochastic Cooperator: (0.935, 0.229, 0.266, 0.42), C first [Adami2013]. */
export const stochasticCooperator: Strategy = memoryOne(
  [0.935, 0.229, 0.266, 0.42],
  "C",
  "Stochastic Cooperator",
  "Axelrod StochasticCooperator [Adami2013]",
);
