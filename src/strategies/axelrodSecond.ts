/**
 * Entrants of Axelrod's second tournament (1980) as the Axelrod library (4.x) implements them from the original
 * Fortran (axelrod/strategies/axelrod_second.py) [Axelrod1980b: "More effective choice in the Prisoner's
 * Dilemma", J. Conflict Resolution 24:379–403]. Second by Colbert is a machine (src/strategies/fsmZoo.ts).
 * With t = turns already played (the move being chosen is turn t + 1):
 *
 * - Second by Tester: D first; TFT for good after the opponent's first D (answering that D with C); until then
 *   C on turns 2 and 3 and then alternate.
 * - Second by Gladstein: D first; until the opponent's first D (answered with C), D when my cooperation ratio
 *   exceeds 1/2, else C; then TFT.
 * - Second by Grofman: C, C; TFT on turns 3–7; then, with d = opponent's D in the 7 rounds before the last one,
 *   C if (my last was C and d ≤ 2) or (my last was D and d ≤ 1), else D.
 * - Second by Mikkelson: a credit starting at 7 (+1 per opponent C up to 8, −2 per D down to −7); C while credit > 0
 *   (and on turns 1, 2); otherwise D, resetting the credit to 4 within the first 10 turns, and later D only while
 *   the opponent's defection rate (over t + 1) is ≥ 0.15.
 * - Second by White: C for 10 turns and after an opponent's C; otherwise D iff ⌊ln(t + 1)⌋ · (opp's D) ≥ t + 1.
 * - Second by Weiner: TFT, with D whenever 5 or more of the opponent's 12 moves before its last were D; an odd run
 *   of opponent D's followed by its C raises a flag to forgive (once per 20 turns of grudge) the next D.
 * - Second by Borufsen: TFT that checks every 25 turns whether the opponent looks like a defector (< 3 C responses)
 *   or random (8–17 C responses with < 70 % after my C), then defects for 25 turns; breaks runs of 3 mutual
 *   defections with a C and runs of 3 "echoes" (alternation out of phase) by cooperating on the next D.
 * - Second by Yamachi: counts the opponent's responses to each (its move 2 ago, my move 1 ago) context and plays the
 *   opponent's more frequent response (C on ties); after turn 40 defects when the opponent's D share
 *   ((D + 0.5)/(t + 1)) is within (0.45, 0.55).
 */
import {
  type Action,
  C,
  D,
  type MatchView,
  oppAgo,
  oppDefectionsIn,
  type Strategy,
  statefulPlayer,
  statelessPlayer,
} from "./types.js";

const inf = Number.POSITIVE_INFINITY;
const other = (a: number) => (a === C ? D : C);

export const secondByTester: Strategy = {
  name: "Second by Tester",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByTester [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      () => ({ tft: false }),
      (s, v) => {
        if (v.turn === 0) return D;
        const last = v.opp[v.turn - 1];
        if (s.tft) return last === D ? D : C;
        if (last === D) {
          s.tft = true;
          return C;
        }
        if (v.turn === 1 || v.turn === 2) return C;
        return other(v.own[v.turn - 1]);
      },
    ),
};

export const secondByGladstein: Strategy = {
  name: "Second by Gladstein",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByGladstein [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      () => ({ patsy: true }),
      (s, v) => {
        if (v.turn === 0) return D;
        const last = v.opp[v.turn - 1];
        if (!s.patsy) return last === D ? D : C;
        if (last === D) {
          s.patsy = false;
          return C;
        }
        return (v.turn - v.ownDefections) / v.turn > 0.5 ? D : C;
      },
    ),
};

export const secondByGrofman: Strategy = {
  name: "Second by Grofman",
  classifier: { memoryDepth: 8, stochastic: false },
  source: "Axelrod SecondByGrofman; K86R [Axelrod1980b]",
  create: () =>
    statelessPlayer((v) => {
      const t = v.turn;
      if (t < 2) return C;
      if (t <= 6) return v.opp[t - 1] === D ? D : C;
      const d = oppDefectionsIn(v, t - 8, t - 1);
      if (v.own[t - 1] === C && d <= 2) return C;
      if (v.own[t - 1] === D && d <= 1) return C;
      return D;
    }),
};

export const secondByMikkelson: Strategy = {
  name: "Second by Mikkelson",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByMikkelson [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      () => ({ credit: 7 }),
      (s, v) => {
        const turn = v.turn + 1;
        if (turn === 1) return C;
        if (v.opp[v.turn - 1] === C) s.credit = Math.min(8, s.credit + 1);
        else s.credit = Math.max(-7, s.credit - 2);
        if (turn === 2 || s.credit > 0) return C;
        if (turn <= 10) {
          s.credit = 4;
          return D;
        }
        return v.oppDefections / turn >= 0.15 ? D : C;
      },
    ),
};

/**
 * ⌈e^k⌉ for k = 1..20 (50-digit decimal arithmetic): for an integer n, ⌊ln n⌋ is the number of these ≤ n. Exact
 * on every engine, with no logarithm (matches are capped at 1,000,000 turns < e^14; the table reaches e^20).
 */
const CEIL_E_POWERS = [
  3, 8, 21, 55, 149, 404, 1097, 2981, 8104, 22027, 59875, 162755, 442414, 1202605, 3269018, 8886111, 24154953,
  65659970, 178482301, 485165196,
];

/** ⌊ln n⌋ for an integer n ≥ 1 (≥ 20 beyond the table). */
export function floorLn(n: number): number {
  let k = 0;
  while (k < CEIL_E_POWERS.length && CEIL_E_POWERS[k] <= n) k++;
  return k;
}

export const secondByWhite: Strategy = {
  name: "Second by White",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByWhite [Axelrod1980b]",
  create: () =>
    statelessPlayer((v) => {
      const turn = v.turn + 1;
      if (turn <= 10 || v.opp[v.turn - 1] === C) return C;
      return floorLn(turn) * v.oppDefections >= turn ? D : C;
    }),
};

export const secondByWeiner: Strategy = {
  name: "Second by Weiner",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByWeiner [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      () => ({ forgive: false, grudge: 0, padding: 0, lastTwelve: new Uint8Array(12), index: 0 }),
      (s, v) => {
        if (v.turn === 0) return C;
        if (v.turn >= 2) {
          s.lastTwelve[s.index] = v.opp[v.turn - 2];
          s.index = (s.index + 1) % 12;
        }
        let recent = 0;
        for (const x of s.lastTwelve) recent += x;
        const guard = (a: number): Action => (recent >= 5 ? D : (a as Action));
        const last = v.opp[v.turn - 1];
        if (s.forgive) {
          s.forgive = false;
          s.padding = 0;
          if (s.grudge < v.turn + 1 && last === D) {
            s.grudge += 20;
            return guard(C);
          }
          return guard(last);
        }
        if (last === D) s.padding++;
        else {
          if (s.padding % 2 === 1) s.forgive = true;
          s.padding = 0;
        }
        return guard(last);
      },
    ),
};

export const secondByBorufsen: Strategy = {
  name: "Second by Borufsen",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByBorufsen [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      () => ({ cd: 0, cc: 0, mutualDefect: 0, echo: 0, flipNextDefect: false, defectMode: false }),
      (s, v) => {
        const turn = v.turn + 1;
        if (turn === 1) return C;
        const myLast = v.own[v.turn - 1];
        const oppLast = v.opp[v.turn - 1];
        const tryReturn = (a: number) => {
          if (a === C) return C;
          if (s.flipNextDefect) {
            s.flipNextDefect = false;
            return C;
          }
          return D;
        };
        if (turn >= 3 && oppLast === C) {
          if (v.own[v.turn - 2] === C) s.cc++;
          else s.cd++;
        }
        if (turn > 2 && turn % 25 === 2) {
          const comingFromDefect = s.defectMode;
          const coops = s.cd + s.cc;
          s.defectMode = coops < 3 || (coops >= 8 && coops <= 17 && s.cc / coops < 0.7);
          s.cd = 0;
          s.cc = 0;
          if (s.defectMode) {
            s.mutualDefect = 0;
            s.echo = 0;
            s.flipNextDefect = false;
          }
          if (!s.defectMode && comingFromDefect) return D;
        }
        if (s.defectMode) return D;
        s.mutualDefect = myLast === D && oppLast === D ? s.mutualDefect + 1 : 0;
        if (s.mutualDefect >= 3) {
          s.mutualDefect = 0;
          s.echo = 0;
          return tryReturn(C);
        }
        const myTwoBack = turn >= 3 ? v.own[v.turn - 2] : C;
        const oppTwoBack = turn >= 3 ? v.opp[v.turn - 2] : C;
        s.echo = myLast !== oppLast && myLast === oppTwoBack && oppLast === myTwoBack ? s.echo + 1 : 0;
        if (s.echo >= 3) {
          s.mutualDefect = 0;
          s.echo = 0;
          s.flipNextDefect = true;
        }
        return tryReturn(oppLast);
      },
    ),
};

/** Index of the context (them 2 ago, us 1 ago, them now) in Yamachi's table: 4a + 2b + c. */
const yamachiKey = (a: number, b: number, c: number) => 4 * a + 2 * b + c;

export const secondByYamachi: Strategy = {
  name: "Second by Yamachi",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod SecondByYamachi [Axelrod1980b]",
  create: () =>
    statefulPlayer(
      // `intended` is Yamachi's own record of its choices before the late-game override (Axelrod's mod_history).
      () => ({ counts: new Int32Array(8), intended: [] as number[] }),
      (s, v: MatchView) => {
        const turn = v.turn + 1;
        const finish = (a: Action, oppDefections: number): Action => {
          s.intended.push(a);
          if (turn > 40) {
            const share = (oppDefections + 0.5) / turn;
            if (share > 0.45 && share < 0.55) return D;
          }
          return a;
        };
        if (turn === 1) return finish(C, 0);
        const usLast = s.intended[s.intended.length - 1];
        let themTwoAgo: number = C;
        let usTwoAgo: number = C;
        let themThreeAgo: number = C;
        if (turn >= 3) {
          themTwoAgo = oppAgo(v, 2);
          usTwoAgo = s.intended[s.intended.length - 2];
        }
        if (turn >= 4) themThreeAgo = oppAgo(v, 3);
        if (turn >= 3) s.counts[yamachiKey(themThreeAgo, usTwoAgo, themTwoAgo)]++;
        const c = s.counts[yamachiKey(themTwoAgo, usLast, C)];
        const d = s.counts[yamachiKey(themTwoAgo, usLast, D)];
        return finish(c >= d ? C : D, v.oppDefections);
      },
    ),
};
