/**
 * Prober: plays D, C, C; then defects forever if the opponent cooperated on moves 2 and 3, otherwise plays
 * Tit For Tat. Axelrod: axelrod/strategies/prober.py (Prober) [Li2011].
 */
import { C, D, type Strategy, statelessPlayer } from "./types.js";

export const prober: Strategy = {
  name: "Prober",
  classifier: { memoryDepth: Number.POSITIVE_INFINITY, stochastic: false },
  source: "Axelrod Prober [Li2011]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn === 0) return D;
      if (v.turn < 3) return C;
      if (v.opp[1] === C && v.opp[2] === C) return D;
      return v.opp[v.turn - 1] === D ? D : C;
    }),
};
