/**
 * The Tit For Tat family. Axelrod: axelrod/strategies/titfortat.py.
 *
 * - Tit For Tat: C first, then the opponent's previous move [Axelrod1980].
 * - Tit For 2 Tats: D only when the opponent's last two moves were both D [Axelrod1984].
 * - Two Tits For Tat: D when either of the opponent's last two moves was D [Axelrod1984].
 * - Suspicious Tit For Tat: D first, then the opponent's previous move [Hilbe2013; Beaufils1997 "Mistrust"].
 * - Hard Tit For Tat: C first, then D when any of the opponent's last three moves was D [PD2017].
 * - Bully (reverse Tit For Tat): D first, then the opposite of the opponent's previous move [Nachbar1992].
 *
 * Each reads only the opponent's realised history, so with noise they react to the flipped moves as Axelrod's do.
 */
import { C, D, type MatchView, type Strategy, statelessPlayer } from "./types.js";

/** Opponent's action `back` turns ago (1 = last), or C before the match started. */
function oppAgo(view: MatchView, back: number): number {
  const i = view.turn - back;
  return i >= 0 ? view.opp[i] : C;
}

export const titForTat: Strategy = {
  name: "Tit For Tat",
  classifier: { memoryDepth: 1, stochastic: false },
  source: "Axelrod TitForTat; Rapoport's strategy [Axelrod1980]",
  memoryOne: [1, 1, 0, 1, 0],
  create: () => statelessPlayer((v) => (v.turn > 0 && v.opp[v.turn - 1] === D ? D : C)),
};

export const titFor2Tats: Strategy = {
  name: "Tit For 2 Tats",
  classifier: { memoryDepth: 2, stochastic: false },
  source: "Axelrod TitFor2Tats [Axelrod1984]",
  create: () => statelessPlayer((v) => (v.turn >= 2 && oppAgo(v, 1) === D && oppAgo(v, 2) === D ? D : C)),
};

export const twoTitsForTat: Strategy = {
  name: "Two Tits For Tat",
  classifier: { memoryDepth: 2, stochastic: false },
  source: "Axelrod TwoTitsForTat [Axelrod1984]",
  create: () => statelessPlayer((v) => (oppAgo(v, 1) === D || oppAgo(v, 2) === D ? D : C)),
};

export const suspiciousTitForTat: Strategy = {
  name: "Suspicious Tit For Tat",
  classifier: { memoryDepth: 1, stochastic: false },
  source: "Axelrod SuspiciousTitForTat [Hilbe2013]; Mistrust [Beaufils1997]",
  memoryOne: [0, 1, 0, 1, 0],
  create: () => statelessPlayer((v) => (v.turn > 0 && v.opp[v.turn - 1] === C ? C : D)),
};

export const hardTitForTat: Strategy = {
  name: "Hard Tit For Tat",
  classifier: { memoryDepth: 3, stochastic: false },
  source: "Axelrod HardTitForTat [PD2017]",
  create: () =>
    statelessPlayer((v) => (oppAgo(v, 1) === D || oppAgo(v, 2) === D || oppAgo(v, 3) === D ? D : C)),
};

export const bully: Strategy = {
  name: "Bully",
  classifier: { memoryDepth: 1, stochastic: false },
  source: "Axelrod Bully; Reverse Tit For Tat [Nachbar1992]",
  memoryOne: [0, 0, 1, 0, 1],
  create: () => statelessPlayer((v) => (v.turn > 0 && v.opp[v.turn - 1] === D ? C : D)),
};
