/**
 * Memory-two strategies (axelrod/strategies/memorytwo.py, Axelrod 4.x).
 *
 * A memory-two player reads the last two rounds through 16 cooperation probabilities indexed, as Axelrod's
 * MemoryTwoPlayer, by (my move 2 ago, my last move, opponent's move 2 ago, its last move) in the order
 * itertools.product((C, D), repeat=4): index 8·a + 4·b + 2·c + d with C = 0, D = 1. Its first two moves are fixed.
 *
 * - AON2: C iff my last two moves equal the opponent's last two, (1,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1) [Hilbe2017].
 * - Delayed AON1: (1,0,0,0, 0,1,0,1, 0,0,1,0, 0,1,0,1) [Hilbe2017].
 * - MEM2: TFT for two turns, then every two turns chooses from the last two rounds: TFT after (CC, CC), TF2T after
 *   {(CD), (DC)}, ALLD otherwise; after ALLD has been chosen twice it stays in that mode [Li2014].
 */
import { type Action, C, D, randomChoice, type Strategy, statefulPlayer } from "./types.js";

export function memoryTwo(
  name: string,
  sixteen: readonly number[],
  source: string,
  initial: readonly [Action, Action] = [C, C],
): Strategy {
  const q = Float64Array.from(sixteen);
  const stochastic = sixteen.some((p) => p > 0 && p < 1);
  return {
    name,
    classifier: { memoryDepth: 2, stochastic },
    source,
    create: () => ({
      reset() {},
      act(v, rng) {
        const t = v.turn;
        if (t < 2) return initial[t];
        const index = 8 * v.own[t - 2] + 4 * v.own[t - 1] + 2 * v.opp[t - 2] + v.opp[t - 1];
        return randomChoice(q[index], rng);
      },
    }),
  };
}

export const aon2 = memoryTwo(
  "AON2",
  [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  "Axelrod AON2 [Hilbe2017]",
);
export const delayedAon1 = memoryTwo(
  "Delayed AON1",
  [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
  "Axelrod DelayedAON1 [Hilbe2017]",
);

export const mem2: Strategy = {
  name: "MEM2",
  classifier: { memoryDepth: Number.POSITIVE_INFINITY, stochastic: false },
  source: "Axelrod MEM2 [Li2014]",
  create: () =>
    statefulPlayer(
      () => ({ mode: "TFT" as "TFT" | "TFTT" | "ALLD", shift: 3, alld: 0 }),
      (s, v) => {
        const t = v.turn;
        s.shift--;
        if (s.shift === 0 && s.alld < 2) {
          s.shift = 2;
          // The set of (own, opp) rounds among the last two.
          const rounds = new Set<number>();
          for (let i = Math.max(0, t - 2); i < t; i++) rounds.add(2 * v.own[i] + v.opp[i]);
          if (rounds.size === 1 && rounds.has(0)) s.mode = "TFT";
          else if (rounds.size === 2 && rounds.has(1) && rounds.has(2)) s.mode = "TFTT";
          else {
            s.mode = "ALLD";
            s.alld++;
          }
        }
        if (s.mode === "ALLD") return D;
        const last = t > 0 ? v.opp[t - 1] : C;
        if (s.mode === "TFT") return last === D ? D : C;
        return t >= 2 && last === D && v.opp[t - 2] === D ? D : C;
      },
    ),
};
