/**
 * Probers: open with a fixed test sequence, then exploit an opponent that does not retaliate and otherwise play
 * Tit For Tat. As the Axelrod library (4.x) implements them (axelrod/strategies/prober.py), t = turns played:
 *
 * - Prober 2: D, C, C; then C forever if the opponent's moves 2–3 were D, C, else TFT [Prison1998].
 * - Prober 3: D, C; then D forever if the opponent's move 2 was C, else TFT [Prison1998].
 * - Prober 4: plays the 20-move sequence CCDCDDDCCDCDCCDCDDCD while counting the opponent's "just" D's (after my D)
 *   and "unjust" ones (after my C); if the two counts differ by at most 2, D forever; otherwise C for 5 turns and
 *   then TFT [Prison1998].
 * - Hard Prober: D, D, C, C; then D forever if the opponent's moves 2–3 were C, C, else TFT [Prison1998].
 * - Detective: C, D, C, C; then D forever if the opponent did not defect in those 4 moves, else TFT [NC2019].
 */
import { type Action, C, D, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;
const tft = (v: { turn: number; opp: Uint8Array }): Action => (v.opp[v.turn - 1] === D ? D : C);
const fromText = (text: string) => Uint8Array.from(text, (ch) => (ch === "C" ? C : D));

export const prober2: Strategy = {
  name: "Prober 2",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Prober2 [Prison1998]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn === 0) return D;
      if (v.turn < 3) return C;
      return v.opp[1] === D && v.opp[2] === C ? C : tft(v);
    }),
};

export const prober3: Strategy = {
  name: "Prober 3",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Prober3 [Prison1998]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn === 0) return D;
      if (v.turn === 1) return C;
      return v.opp[1] === C ? D : tft(v);
    }),
};

const PROBER4_OPENING = fromText("CCDCDDDCCDCDCCDCDDCD");

export const prober4: Strategy = {
  name: "Prober 4",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Prober4 [Prison1998]",
  create: () =>
    statefulPlayer(
      () => ({ just: 0, unjust: 0, defector: false }),
      (s, v) => {
        const t = v.turn;
        const n = PROBER4_OPENING.length;
        if (t === 0) return PROBER4_OPENING[0] as Action;
        if (t < n) {
          if (v.opp[t - 1] === D) {
            if (v.own[t - 1] === D) s.just++;
            else s.unjust++;
          }
          return PROBER4_OPENING[t] as Action;
        }
        if (t === n) s.defector = Math.abs(s.just - s.unjust) <= 2;
        if (s.defector) return D;
        return t < n + 5 ? C : tft(v);
      },
    ),
};

export const hardProber: Strategy = {
  name: "Hard Prober",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod HardProber [Prison1998]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn < 2) return D;
      if (v.turn < 4) return C;
      return v.opp[1] === C && v.opp[2] === C ? D : tft(v);
    }),
};

const DETECTIVE_OPENING = fromText("CDCC");

export const detective: Strategy = {
  name: "Detective",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Detective [NC2019]",
  create: () =>
    statelessPlayer((v) => {
      const n = DETECTIVE_OPENING.length;
      if (v.turn < n) return DETECTIVE_OPENING[v.turn] as Action;
      let opened = 0;
      for (let i = 0; i < n; i++) opened += v.opp[i];
      return opened === 0 ? D : (v.opp[v.turn - 1] as Action);
    }),
};
