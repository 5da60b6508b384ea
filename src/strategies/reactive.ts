/**
 * Short reactive rules from the Axelrod library (4.x), t = turns played:
 *
 * - Appeaser: C first; after an opponent's D switch my move (C → D, D → C), otherwise repeat it (J. Müller).
 * - Doubler: C, and D after an opponent's D when its cooperations are at most twice its defections [Prison1998].
 * - Tricky Cooperator: C, but D once 3 turns are played and the opponent's last 10 moves hold no D (K. Langner).
 * - Tricky Defector: D, but C when the opponent has cooperated at least once and its last 3 moves are D (K. Langner).
 * - Resurrection: TFT, but D after five own D's in a row; DoubleResurrection also D after five own C's and C after
 *   five own D's [Eckhart2015].
 * - ShortMem: C for 10 turns; then over the opponent's last 10 moves C if C's lead D's by ≥ 3, D if D's lead by
 *   ≥ 3, else TFT [Andre2013].
 * - Adaptive Pavlov 2006 / 2011: TFT for 6 turns, then every 6 turns classify the opponent's last 6 moves and play
 *   against that class (Li 2007 / Li 2011) [Li2007; Li2011].
 * - Defector Hunter / Cooperator Hunter: C, but D from turn 5 on while the opponent has only defected / cooperated;
 *   Alternator Hunter: C, and D for good if the opponent's first 6 moves alternate (K. Langner).
 * Sources: axelrod/strategies/{appeaser,doubler,cooperator,defector,resurrection,shortmem,apavlov,hunter}.py.
 */
import { type Action, C, D, type Strategy, statefulPlayer, statelessPlayer } from "./types.js";

const inf = Number.POSITIVE_INFINITY;
const tft = (v: { turn: number; opp: Uint8Array }): Action => (v.turn > 0 && v.opp[v.turn - 1] === D ? D : C);

/** True when the last `n` entries of `moves[0..turn)` all equal `a` (and there are at least n). */
function lastAll(moves: Uint8Array, turn: number, n: number, a: number): boolean {
  if (turn < n) return false;
  for (let i = turn - n; i < turn; i++) if (moves[i] !== a) return false;
  return true;
}

export const appeaser: Strategy = {
  name: "Appeaser",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Appeaser (Jochen Müller)",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn === 0) return C;
      const mine = v.own[v.turn - 1] as Action;
      if (v.opp[v.turn - 1] === D) return mine === C ? D : C;
      return mine;
    }),
};

export const doubler: Strategy = {
  name: "Doubler",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod Doubler [Prison1998]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn === 0) return C;
      const cooperations = v.turn - v.oppDefections;
      return v.opp[v.turn - 1] === D && cooperations <= 2 * v.oppDefections ? D : C;
    }),
};

export const trickyCooperator: Strategy = {
  name: "Tricky Cooperator",
  classifier: { memoryDepth: 10, stochastic: false },
  source: "Axelrod TrickyCooperator (Karol Langner)",
  create: () => statelessPlayer((v) => (v.turn >= 3 && !lastAllHasD(v.opp, v.turn, 10) ? D : C)),
};

/** Whether the last min(n, turn) entries hold a D. */
function lastAllHasD(moves: Uint8Array, turn: number, n: number): boolean {
  for (let i = Math.max(0, turn - n); i < turn; i++) if (moves[i] === D) return true;
  return false;
}

export const trickyDefector: Strategy = {
  name: "Tricky Defector",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod TrickyDefector (Karol Langner)",
  create: () =>
    statelessPlayer((v) => (v.turn - v.oppDefections > 0 && lastAll(v.opp, v.turn, 3, D) ? C : D)),
};

export const resurrection: Strategy = {
  name: "Resurrection",
  classifier: { memoryDepth: 5, stochastic: false },
  source: "Axelrod Resurrection [Eckhart2015]",
  create: () => statelessPlayer((v) => (lastAll(v.own, v.turn, 5, D) ? D : tft(v))),
};

export const doubleResurrection: Strategy = {
  name: "DoubleResurrection",
  classifier: { memoryDepth: 5, stochastic: false },
  source: "Axelrod DoubleResurrection [Eckhart2015]",
  create: () =>
    statelessPlayer((v) => {
      if (lastAll(v.own, v.turn, 5, C)) return D;
      if (lastAll(v.own, v.turn, 5, D)) return C;
      return tft(v);
    }),
};

export const shortMem: Strategy = {
  name: "ShortMem",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod ShortMem [Andre2013]",
  create: () =>
    statelessPlayer((v) => {
      if (v.turn <= 10) return C;
      let d = 0;
      for (let i = v.turn - 10; i < v.turn; i++) d += v.opp[i];
      const c = 10 - d;
      if (c - d >= 3) return C;
      if (d - c >= 3) return D;
      return v.opp[v.turn - 1] as Action;
    }),
};

type PavlovClass = "" | "Cooperative" | "ALLD" | "STFT" | "PavlovD" | "Random";

/** The opponent's last six moves as a C/D string. */
function lastSix(v: { turn: number; opp: Uint8Array }): string {
  let s = "";
  for (let i = v.turn - 6; i < v.turn; i++) s += v.opp[i] === C ? "C" : "D";
  return s;
}

export const adaptivePavlov2006: Strategy = {
  name: "Adaptive Pavlov 2006",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod APavlov2006 [Li2007]",
  create: () =>
    statefulPlayer(
      () => ({ kind: "" as PavlovClass }),
      (s, v) => {
        if (v.turn < 6) return tft(v);
        if (v.turn % 6 === 0) {
          const six = lastSix(v);
          // Later tests override earlier ones, as in Axelrod; "Random" only when nothing matched yet.
          if (six === "CCCCCC") s.kind = "Cooperative";
          if (six === "DDDDDD") s.kind = "ALLD";
          if (six === "DCDCDC") s.kind = "STFT";
          if (six === "DDCDDC") s.kind = "PavlovD";
          if (s.kind === "") s.kind = "Random";
        }
        if (s.kind === "Random" || s.kind === "ALLD") return D;
        if (s.kind === "STFT") {
          if (v.turn % 6 === 0 || v.turn % 6 === 1) return C;
          if (v.opp[v.turn - 1] === D) return D;
        }
        if (s.kind === "PavlovD" && v.turn % 6 === 0) return D;
        if (s.kind === "Cooperative" && v.opp[v.turn - 1] === D) return D;
        return C;
      },
    ),
};

export const adaptivePavlov2011: Strategy = {
  name: "Adaptive Pavlov 2011",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod APavlov2011 [Li2011]",
  create: () =>
    statefulPlayer(
      () => ({ kind: "" as PavlovClass }),
      (s, v) => {
        if (v.turn < 6) return tft(v);
        if (v.turn % 6 === 0) {
          const six = lastSix(v);
          const d = [...six].filter((x) => x === "D").length;
          if (six === "CCCCCC") s.kind = "Cooperative";
          if (d >= 4) s.kind = "ALLD";
          if (d === 3) s.kind = "STFT";
          if (s.kind === "") s.kind = "Random";
        }
        if (s.kind === "Random" || s.kind === "ALLD") return D;
        if (s.kind === "STFT") return v.opp[v.turn - 1] === D && v.opp[v.turn - 2] === D ? D : C;
        if (s.kind === "Cooperative") return tft(v);
        return C;
      },
    ),
};

function hunter(name: string, prey: Action): Strategy {
  return {
    name,
    classifier: { memoryDepth: inf, stochastic: false },
    source: `Axelrod ${name.replace(/ /g, "")} (Karol Langner)`,
    create: () =>
      statelessPlayer((v) => {
        const preyMoves = prey === D ? v.oppDefections : v.turn - v.oppDefections;
        return v.turn >= 4 && preyMoves === v.turn ? D : C;
      }),
  };
}

export const defectorHunter = hunter("Defector Hunter", D);
export const cooperatorHunter = hunter("Cooperator Hunter", C);

export const alternatorHunter: Strategy = {
  name: "Alternator Hunter",
  classifier: { memoryDepth: inf, stochastic: false },
  source: "Axelrod AlternatorHunter (Karol Langner)",
  create: () =>
    statefulPlayer(
      () => ({ alternator: false }),
      (s, v) => {
        if (v.turn < 6) return C;
        if (v.turn === 6) {
          s.alternator = true;
          for (let i = 0; i + 1 < 6; i++) if (v.opp[i] === v.opp[i + 1]) s.alternator = false;
        }
        return s.alternator ? D : C;
      },
    ),
};
