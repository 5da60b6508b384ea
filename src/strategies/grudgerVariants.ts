/**
 * Variations on Grudger, as the Axelrod library (4.x) implements them (axelrod/strategies/grudger.py):
 *
 * - Forgetful Grudger: after an opponent's D, D for 10 turns (restarting on every D seen), then forgives (G. Palmer).
 * - Opposite Grudger: D until the opponent's first C, then C forever (G. Palmer).
 * - Aggravater: D for 3 turns, then Grudger (T. Campbell).
 * - Soft Grudger: after an opponent's D, plays D, D, D, D, C, C (Li2011's "soft grudger").
 * - GrudgerAlternator: after the opponent's first D, alternates D and C forever [Prison1998 c_then_per_dc].
 * - EasyGo: D until the opponent's first D, then C forever (Reverse Grudger) [Prison1998; Li2011].
 * - SpitefulCC: C, C, then Grudger [Mathieu2015].
 * - CAPRI: C iff the last three rounds (padded with CC before the match) are one of the 14 profiles of the
 *   Contrition, Acceptance, Punishment, Recovery and Inverse rules of Murase & Baek [Murase2020].
 */
import { C, D, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;

export const forgetfulGrudger: Strategy = {
  name: "Forgetful Grudger",
  classifier: { memoryDepth: 10, stochastic: false },
  source: "Axelrod ForgetfulGrudger (Geraint Palmer)",
  create: () =>
    statefulPlayer(
      () => ({ grudged: false, memory: 0 }),
      (s, v) => {
        if (s.memory === 10) {
          s.memory = 0;
          s.grudged = false;
        }
        if (v.turn > 0 && v.opp[v.turn - 1] === D) s.grudged = true;
        if (s.grudged) {
          s.memory++;
          return D;
        }
        return C;
      },
    ),
};

export const oppositeGrudger: Strategy = {
  name: "Opposite Grudger",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod OppositeGrudger (Geraint Palmer)",
  create: () => statelessPlayer((v) => (v.turn - v.oppDefections > 0 ? C : D)),
};

export const aggravater: Strategy = {
  name: "Aggravater",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Aggravater (Thomas Campbell)",
  create: () => statelessPlayer((v) => (v.turn < 3 || v.oppDefections > 0 ? D : C)),
};

const SOFT_GRUDGE = [D, D, D, C, C] as const;

export const softGrudger: Strategy = {
  name: "Soft Grudger",
  classifier: { memoryDepth: 6, stochastic: false },
  source: "Axelrod SoftGrudger [Li2011]",
  create: () =>
    statefulPlayer(
      () => ({ grudged: false, memory: 0 }),
      (s, v) => {
        if (s.grudged) {
          const move = SOFT_GRUDGE[s.memory++];
          if (s.memory === 5) {
            s.memory = 0;
            s.grudged = false;
          }
          return move;
        }
        if (v.turn > 0 && v.opp[v.turn - 1] === D) {
          s.grudged = true;
          return D;
        }
        return C;
      },
    ),
};

export const grudgerAlternator: Strategy = {
  name: "GrudgerAlternator",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod GrudgerAlternator (Geraint Palmer); c_then_per_dc [Prison1998]",
  create: () => statelessPlayer((v) => (v.oppDefections > 0 && v.own[v.turn - 1] === C ? D : C)),
};

export const easyGo: Strategy = {
  name: "EasyGo",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod EasyGo; Easy Go [Prison1998], Reverse Grudger [Li2011]",
  create: () => statelessPlayer((v) => (v.oppDefections > 0 ? C : D)),
};

export const spitefulCC: Strategy = {
  name: "SpitefulCC",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SpitefulCC [Mathieu2015]",
  create: () => statelessPlayer((v) => (v.turn >= 2 && v.oppDefections > 0 ? D : C)),
};

/**
 * CAPRI's cooperative profiles of the last three rounds, oldest first, each round as own+opp ("CD" = I played C,
 * the opponent D).
 */
const CAPRI_COOPERATE = new Set([
  "CC CC CC",
  "CC CC DC",
  "CC DC CD",
  "DC CD CC",
  "CD CC CC",
  "CC CD DC",
  "CD DC CC",
  "DC CC CC",
  "DD DD DC",
  "DD DC CC",
  "DD DD CD",
  "DD CD CC",
  "DD DD CC",
  "DD CC CC",
]);

export const capri: Strategy = {
  name: "CAPRI",
  classifier: { memoryDepth: 3, stochastic: false },
  source: "Axelrod Capri [Murase2020]",
  create: () =>
    statelessPlayer((v) => {
      const rounds: string[] = [];
      for (let back = 3; back >= 1; back--) {
        const i = v.turn - back;
        rounds.push(i < 0 ? "CC" : `${v.own[i] === C ? "C" : "D"}${v.opp[i] === C ? "C" : "D"}`);
      }
      return CAPRI_COOPERATE.has(rounds.join(" ")) ? C : D;
    }),
};
