/**
 * Entrants of Axelrod's first tournament (1980) as the Axelrod library (4.x) implements them
 * (axelrod/strategies/axelrod_first.py) [Axelrod1980: "Effective choice in the Prisoner's Dilemma", J. Conflict
 * Resolution 24:3–25]. Rules, with t = number of turns already played:
 *
 * - First by Davis: C for the first 10 turns, then Grudger (D forever once the opponent has defected).
 * - First by Downing: estimates α = P(opp C | my C) and β = P(opp C | my D) from the opponent's responses (its move
 *   at t against mine at t − 1; α's denominator is my cooperations + 1, β's is max(my defections, 2)); plays C when
 *   αR + (1 − α)S > βT + (1 − β)P, D when smaller, and the opposite of its last move on a tie; D on turns 1 and 2.
 * - First by Grofman: C when both played the same last turn (and first), otherwise C with probability 2/7.
 * - First by Joss: TFT that cooperates only with probability 0.9 after an opponent's C: (0.9, 0, 0.9, 0).
 * - First by Nydegger: TFT for 3 turns (D on turn 3 if the opponent opened D, C); then A = 16a₁ + 4a₂ + a₃ over the
 *   last three rounds with a = 0 (CC), 2 (CD), 1 (DC), 3 (DD), and D iff A is in Nydegger's list.
 * - First by Shubik: C; the k-th time the opponent defects after my C, D for k turns.
 */
import type { MatrixGame } from "../games/game.js";
import { memoryOne, rpst } from "./memoryone.js";
import { C, D, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;

export function firstByDavis(roundsToCooperate = 10): Strategy {
  return {
    name: `First by Davis: ${roundsToCooperate}`,
    classifier: { memoryDepth: inf, stochastic: false },
    source: "Axelrod FirstByDavis [Axelrod1980]",
    parameters: { roundsToCooperate },
    create: () => statelessPlayer((v) => (v.turn < roundsToCooperate || v.oppDefections === 0 ? C : D)),
  };
}

export function firstByDowning(game: MatrixGame): Strategy {
  const { R, P, S, T } = rpst(game, "First by Downing");
  return {
    name: "First by Downing",
    classifier: { memoryDepth: inf, stochastic: false, makesUseOfGame: true },
    source: "Axelrod FirstByDowning [Axelrod1980]",
    create: () =>
      statefulPlayer(
        () => ({ afterC: 0, afterD: 0 }),
        (s, v) => {
          const t = v.turn;
          if (t === 0) return D;
          if (t === 1) {
            if (v.opp[0] === C) s.afterC++;
            return D;
          }
          if (v.opp[t - 1] === C) {
            if (v.own[t - 2] === C) s.afterC++;
            else s.afterD++;
          }
          const alpha = s.afterC / (t - v.ownDefections + 1);
          const beta = s.afterD / Math.max(v.ownDefections, 2);
          const cooperate = alpha * R + (1 - alpha) * S;
          const defect = beta * T + (1 - beta) * P;
          if (cooperate > defect) return C;
          if (cooperate < defect) return D;
          return v.own[t - 1] === C ? D : C;
        },
      ),
  };
}

export const firstByGrofman: Strategy = memoryOne(
  [1, 2 / 7, 2 / 7, 1],
  "C",
  "First by Grofman",
  "Axelrod FirstByGrofman [Axelrod1980]",
);

export const firstByJoss: Strategy = memoryOne(
  [0.9, 0, 0.9, 0],
  "C",
  "First by Joss: 0.9",
  "Axelrod FirstByJoss [Axelrod1980]; Hard Joss [Stewart2012]",
);

/** The values of A = 16a₁ + 4a₂ + a₃ after which Nydegger defects (Axelrod1980, as in Axelrod's FirstByNydegger). */
const NYDEGGER_DEFECT = new Set([1, 6, 7, 17, 22, 23, 26, 29, 30, 31, 33, 38, 39, 45, 49, 54, 55, 58, 61]);
/** Round score a in own-view order CC, CD, DC, DD (index 2·own + opp). */
const NYDEGGER_SCORE = [0, 2, 1, 3];

export const firstByNydegger: Strategy = {
  name: "First by Nydegger",
  classifier: { memoryDepth: 3, stochastic: false },
  source: "Axelrod FirstByNydegger [Axelrod1980]",
  create: () =>
    statelessPlayer((v) => {
      const t = v.turn;
      if (t === 0) return C;
      if (t === 1) return v.opp[0] === D ? D : C;
      if (t === 2) return (v.opp[0] === D && v.opp[1] === C) || v.opp[1] === D ? D : C;
      let a = 0;
      for (const [back, weight] of [
        [1, 16],
        [2, 4],
        [3, 1],
      ]) {
        a += weight * NYDEGGER_SCORE[2 * v.own[t - back] + v.opp[t - back]];
      }
      return NYDEGGER_DEFECT.has(a) ? D : C;
    }),
};

export const firstByShubik: Strategy = {
  name: "First by Shubik",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod FirstByShubik [Axelrod1980]",
  create: () =>
    statefulPlayer(
      () => ({ length: 0, remaining: 0 }),
      (s, v) => {
        if (v.turn === 0) return C;
        if (s.remaining > 0) {
          s.remaining--;
          return D;
        }
        if (v.opp[v.turn - 1] === D && v.own[v.turn - 1] === C) {
          s.length++;
          s.remaining = s.length - 1;
          return D;
        }
        return C;
      },
    ),
};
