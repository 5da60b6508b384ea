/**
 * More of the Tit For Tat family, as the Axelrod library (4.x) implements them (axelrod/strategies/titfortat.py,
 * forgiver.py). With t = turns already played:
 *
 * - Anti Tit For Tat: C first, then the opposite of the opponent's last move [Hilbe2013]; memory-one (1, 0, 1, 0).
 * - Hard Tit For 2 Tats: C first; D iff two consecutive D's are among the opponent's last three moves [Stewart2012].
 * - Slow Tit For Two Tats 2: C, C; then copy the opponent if its last two moves agree, else repeat my last move.
 * - Sneaky Tit For Tat: C, C; D while the opponent has never defected; then TFT, except C after the opponent's D
 *   that answered my D two turns ago (it "apologises" for having tried).
 * - Spiteful Tit For Tat: TFT until the opponent plays D twice in a row, then D forever [Prison1998].
 * - Adaptive Tit For Tat: a "world" estimate w ← w + r(1 − w) after an opponent's C, w ← w − r·w after a D
 *   (r = 0.5, w₀ = r); C iff w ≥ 1/2 [Tzafestas2000].
 * - Forgiving Tit For Tat: C while the opponent's defections are at most a tenth of its moves, else TFT.
 * - Forgiver: the same threshold, but D instead of TFT.
 * - Gradual: after the opponent's n-th D, answer with n D's and then two C's [CRISTAL-SMAC2018]; Axelrod's Gradual
 *   counts n as all the opponent's D's so far at the start of the punishment.
 * - Original Gradual: the paper's counting, with the k-th punishment of length k (Beaufils1997, as Axelrod's
 *   OriginalGradual): D's, then C, C (the calming moves ignore the opponent).
 */
import { type Action, C, D, oppAgo, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;

export const antiTitForTat: Strategy = {
  name: "Anti Tit For Tat",
  classifier: { memoryDepth: 1, stochastic: false },
  source: "Axelrod AntiTitForTat; Psycho [Ashlock2009]",
  memoryOne: [1, 0, 1, 0, 1],
  create: () => statelessPlayer((v) => (v.turn > 0 && v.opp[v.turn - 1] === C ? D : C)),
};

export const hardTitFor2Tats: Strategy = {
  name: "Hard Tit For 2 Tats",
  classifier: { memoryDepth: 3, stochastic: false },
  source: "Axelrod HardTitFor2Tats [Stewart2012]",
  create: () =>
    statelessPlayer((v) => {
      const a = oppAgo(v, 3);
      const b = oppAgo(v, 2);
      const c = oppAgo(v, 1);
      const seen = (back: number) => v.turn >= back;
      return (seen(3) && a === D && b === D) || (seen(2) && b === D && c === D) ? D : C;
    }),
};

export const slowTitForTwoTats2: Strategy = {
  name: "Slow Tit For Two Tats 2",
  classifier: { memoryDepth: 2, stochastic: false },
  source: "Axelrod SlowTitForTwoTats2 [Prison1998]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn < 2) return C;
      const last = v.opp[v.turn - 1];
      return (last === v.opp[v.turn - 2] ? last : v.own[v.turn - 1]) as Action;
    }),
};

export const sneakyTitForTat: Strategy = {
  name: "Sneaky Tit For Tat",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SneakyTitForTat (Karol Langner)",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn < 2) return C;
      if (v.oppDefections === 0) return D;
      const last = v.opp[v.turn - 1];
      if (last === D && v.own[v.turn - 2] === D) return C;
      return last as Action;
    }),
};

export const spitefulTitForTat: Strategy = {
  name: "Spiteful Tit For Tat",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SpitefulTitForTat [Prison1998]",
  create: () =>
    statefulPlayer(
      () => ({ retaliating: false }),
      (s, v) => {
        if (v.turn === 0) return C;
        if (v.turn >= 2 && v.opp[v.turn - 1] === D && v.opp[v.turn - 2] === D) s.retaliating = true;
        return s.retaliating || v.opp[v.turn - 1] === D ? D : C;
      },
    ),
};

export function adaptiveTitForTat(rate = 0.5): Strategy {
  return {
    name: `Adaptive Tit For Tat: ${rate}`,
    classifier: { memoryDepth: inf, stochastic: false },
    source: "Axelrod AdaptiveTitForTat [Tzafestas2000]",
    parameters: { rate },
    create: () =>
      statefulPlayer(
        () => ({ world: rate }),
        (s, v) => {
          if (v.turn === 0) return C;
          if (v.opp[v.turn - 1] === C) s.world += rate * (1 - s.world);
          else s.world -= rate * s.world;
          return s.world >= 0.5 ? C : D;
        },
      ),
  };
}

/** True when the opponent's defections exceed a tenth of its moves (Forgiver's test). */
const overTenth = (defections: number, turns: number) => defections > turns / 10;

export const forgivingTitForTat: Strategy = {
  name: "Forgiving Tit For Tat",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod ForgivingTitForTat (Thomas Campbell)",
  create: () =>
    statelessPlayer((v) => (overTenth(v.oppDefections, v.turn) ? (v.opp[v.turn - 1] as Action) : C)),
};

export const forgiver: Strategy = {
  name: "Forgiver",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Forgiver (Thomas Campbell)",
  create: () => statelessPlayer((v) => (overTenth(v.oppDefections, v.turn) ? D : C)),
};

export const gradual: Strategy = {
  name: "Gradual",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Gradual [CRISTAL-SMAC2018]",
  create: () =>
    statefulPlayer(
      () => ({ punish: 0, calm: 0 }),
      (s, v) => {
        if (v.turn === 0) return C;
        if (s.punish > 0) {
          s.punish--;
          return D;
        }
        if (s.calm > 0) {
          s.calm--;
          return C;
        }
        if (v.opp[v.turn - 1] === D) {
          s.punish = v.oppDefections - 1;
          s.calm = 2;
          return D;
        }
        return C;
      },
    ),
};

export const originalGradual: Strategy = {
  name: "Original Gradual",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod OriginalGradual [Beaufils1997]",
  create: () =>
    statefulPlayer(
      () => ({ calming: false, punishing: false, count: 0, limit: 0 }),
      (s, v) => {
        if (s.calming) {
          s.calming = false;
          return C;
        }
        if (s.punishing) {
          if (s.count < s.limit) {
            s.count++;
            return D;
          }
          s.calming = true;
          s.punishing = false;
          s.count = 0;
          return C;
        }
        if (v.turn > 0 && v.opp[v.turn - 1] === D) {
          s.punishing = true;
          s.count++;
          s.limit++;
          return D;
        }
        return C;
      },
    ),
};
