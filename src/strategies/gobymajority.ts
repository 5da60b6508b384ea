/**
 * Go By Majority: cooperate while the opponent has cooperated at least as often as it defected (soft), or
 * strictly more often (hard), counting its whole history or only its last `memory` moves.
 * Axelrod: axelrod/strategies/gobymajority.py (GoByMajority, HardGoByMajority); Grisell [Axelrod1980b],
 * Soft/Hard Majority [Mittal2009]. Names: "Soft Go By Majority", "Hard Go By Majority", "Soft Go By Majority: 5".
 * On the first move the counts are equal (0 = 0): soft cooperates, hard defects.
 */
import { C, D, type Strategy, statelessPlayer } from "./types.js";

export function goByMajority(soft: boolean, memory = 0): Strategy {
  const name = `${soft ? "Soft" : "Hard"} Go By Majority${memory > 0 ? `: ${memory}` : ""}`;
  return {
    name,
    classifier: { memoryDepth: memory > 0 ? memory : Number.POSITIVE_INFINITY, stochastic: false },
    source: "Axelrod GoByMajority; Grisell [Axelrod1980b], Soft/Hard Majority [Mittal2009]",
    create: () =>
      statelessPlayer((v) => {
        let defections: number;
        let window: number;
        if (memory > 0 && v.turn > memory) {
          window = memory;
          defections = 0;
          for (let i = v.turn - memory; i < v.turn; i++) defections += v.opp[i];
        } else {
          window = v.turn;
          defections = v.oppDefections;
        }
        const cooperations = window - defections;
        if (defections > cooperations) return D;
        if (defections === cooperations) return soft ? C : D;
        return C;
      }),
  };
}

export const softGoByMajority = goByMajority(true);
export const hardGoByMajority = goByMajority(false);
