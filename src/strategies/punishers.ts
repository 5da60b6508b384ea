/**
 * Strategies that punish in proportion to what they have seen, as the Axelrod library (4.x) implements them
 * (axelrod/strategies/punisher.py, retaliate.py, oncebitten.py):
 *
 * - Punisher: after an opponent's D, D for ⌊20 · (opp D) / (opp moves)⌋ turns (G. Palmer).
 * - Inverse Punisher: the same with the opponent's C count, at least 1 turn (G. Palmer).
 * - Level Punisher: C for 10 turns, then D while the opponent's defection rate exceeds 0.2 [Eckhart2015].
 * - Retaliate (θ = 0.1, 0.08, 0.05 for 1, 2, 3): D iff the count of rounds (C, D) exceeds θ times the count of
 *   rounds (D, C), own move first (O. Campbell).
 * - Limited Retaliate (θ, limit) = (0.1, 20), (0.08, 15), (0.05, 20): the same test, but at most `limit` D's in a row
 *   before one C; the run restarts whenever the test fails (O. Campbell).
 * - Once Bitten: C, C; after two opponent D's in a row, D for 10 turns (H. Marissa).
 * - Fool Me Once: C until the opponent's second D, then D forever (M. Harper).
 */
import { C, D, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;

function proportionalPunisher(name: string, useCooperations: boolean, source: string): Strategy {
  return {
    name,
    classifier: { memoryDepth: inf, stochastic: false },
    source,
    create: () =>
      statefulPlayer(
        () => ({ length: 1, grudged: false, memory: 1 }),
        (s, v) => {
          if (s.memory >= s.length) {
            s.memory = 0;
            s.grudged = false;
          }
          if (s.grudged) {
            s.memory++;
            return D;
          }
          if (v.turn > 0 && v.opp[v.turn - 1] === D) {
            const count = useCooperations ? v.turn - v.oppDefections : v.oppDefections;
            s.length = Math.floor((count * 20) / v.turn);
            if (useCooperations && s.length === 0) s.length = 1;
            s.grudged = true;
            return D;
          }
          return C;
        },
      ),
  };
}

export const punisher = proportionalPunisher("Punisher", false, "Axelrod Punisher (Geraint Palmer)");
export const inversePunisher = proportionalPunisher(
  "Inverse Punisher",
  true,
  "Axelrod InversePunisher (Geraint Palmer)",
);

export const levelPunisher: Strategy = {
  name: "Level Punisher",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod LevelPunisher [Eckhart2015]",
  create: () => statelessPlayer((v) => (v.turn >= 10 && v.oppDefections / v.turn > 0.2 ? D : C)),
};

/** Running counts of the rounds (C, D) and (D, C), own move first; `update` adds the last round once per turn. */
interface Exploited {
  cd: number;
  dc: number;
}
const noRounds = (): Exploited => ({ cd: 0, dc: 0 });
function countLastRound(s: Exploited, own: Uint8Array, opp: Uint8Array, turn: number): void {
  if (turn === 0) return;
  const a = own[turn - 1];
  const b = opp[turn - 1];
  if (a === C && b === D) s.cd++;
  else if (a === D && b === C) s.dc++;
}

export function retaliate(label: string, threshold: number): Strategy {
  return {
    name: `${label}: ${threshold}`,
    classifier: { memoryDepth: inf, stochastic: false },
    source: `Axelrod ${label.replace(/ /g, "")} (Owen Campbell)`,
    parameters: { threshold },
    create: () =>
      statefulPlayer(noRounds, (s, v) => {
        countLastRound(s, v.own, v.opp, v.turn);
        return s.cd > s.dc * threshold ? D : C;
      }),
  };
}

export function limitedRetaliate(label: string, threshold: number, limit: number): Strategy {
  return {
    name: `${label}: ${threshold}, ${limit}`,
    classifier: { memoryDepth: inf, stochastic: false },
    source: `Axelrod ${label.replace(/ /g, "")} (Owen Campbell)`,
    parameters: { threshold, limit },
    create: () =>
      statefulPlayer(
        () => ({ ...noRounds(), retaliating: false, count: 0 }),
        (s, v) => {
          countLastRound(s, v.own, v.opp, v.turn);
          if (s.cd > s.dc * threshold) s.retaliating = true;
          else {
            s.retaliating = false;
            s.count = 0;
          }
          if (s.retaliating) {
            if (s.count < limit) {
              s.count++;
              return D;
            }
            s.count = 0;
            s.retaliating = false;
          }
          return C;
        },
      ),
  };
}

export const RETALIATORS: readonly Strategy[] = [
  retaliate("Retaliate", 0.1),
  retaliate("Retaliate 2", 0.08),
  retaliate("Retaliate 3", 0.05),
  limitedRetaliate("Limited Retaliate", 0.1, 20),
  limitedRetaliate("Limited Retaliate 2", 0.08, 15),
  limitedRetaliate("Limited Retaliate 3", 0.05, 20),
];

export const onceBitten: Strategy = {
  name: "Once Bitten",
  classifier: { memoryDepth: 12, stochastic: false },
  source: "Axelrod OnceBitten (Holly Marissa)",
  create: () =>
    statefulPlayer(
      () => ({ grudged: false, memory: 0 }),
      (s, v) => {
        if (s.memory >= 10) {
          s.memory = 0;
          s.grudged = false;
        }
        if (v.turn < 2) return C;
        if (s.grudged) {
          s.memory++;
          return D;
        }
        if (v.opp[v.turn - 1] === D && v.opp[v.turn - 2] === D) {
          s.grudged = true;
          return D;
        }
        return C;
      },
    ),
};

export const foolMeOnce: Strategy = {
  name: "Fool Me Once",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod FoolMeOnce (Marc Harper)",
  create: () => statelessPlayer((v) => (v.oppDefections > 1 ? D : C)),
};
