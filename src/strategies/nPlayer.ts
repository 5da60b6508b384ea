/**
 * Fixed memory-one strategies for the iterated N-player dilemmas, as cooperation probabilities over the count
 * view's states (src/envs/nPlayer/env.ts: 0 = start, 1 + a·N + m = "I played a, m of the others defected").
 * They generalise the two-player zoo's memory-one players the usual ways (Boyd & Richerson 1988, "The evolution
 * of reciprocity in sizable groups"; pax's N-player IPD runs shapers against such co-players):
 *
 *   All C                    always cooperates
 *   All D                    always defects
 *   Random                   cooperates with probability 1/2
 *   Tit For Tat (unanimous)  cooperates first, then iff none of the others defected last step (Boyd–Richerson
 *                            threshold N − 1: the strictest reciprocator)
 *   Tit For Tat (majority)   cooperates first, then iff at most half of the others defected last step
 *   Win-Stay Lose-Shift      cooperates first; repeats its move after a step where at most half of the others
 *                            defected, switches otherwise
 * For N = 2 the two Tit For Tats are Tit For Tat, and Win-Stay Lose-Shift is the two-player one.
 */
import { countCode, viewStateCount } from "../envs/nPlayer/env.js";
import { InputError } from "../util/errors.js";

type Rule = (own: number, otherDefectors: number, others: number) => number;

const RULES: Record<string, { start: number; next: Rule }> = {
  "All C": { start: 1, next: () => 1 },
  "All D": { start: 0, next: () => 0 },
  Random: { start: 0.5, next: () => 0.5 },
  "Tit For Tat (unanimous)": { start: 1, next: (_own, m) => (m === 0 ? 1 : 0) },
  "Tit For Tat (majority)": { start: 1, next: (_own, m, others) => (2 * m <= others ? 1 : 0) },
  "Win-Stay Lose-Shift": {
    start: 1,
    next: (own, m, others) => {
      const stay = 2 * m <= others;
      const cooperated = own === 0;
      return stay === cooperated ? 1 : 0;
    },
  },
};

export const N_PLAYER_STRATEGIES = Object.keys(RULES);

/** The strategy's P(C) for each count-view state of an N-player game. */
export function nPlayerStrategy(name: string, players: number, field = "strategy"): number[] {
  const rule = RULES[name];
  if (!rule) {
    throw new InputError(
      field,
      `unknown N-player strategy "${name}"; allowed: ${N_PLAYER_STRATEGIES.join(", ")}`,
    );
  }
  const pC = new Array<number>(viewStateCount("count", players)).fill(0);
  pC[0] = rule.start;
  for (let own = 0; own <= 1; own++) {
    for (let m = 0; m < players; m++) pC[1 + countCode(own, m, players)] = rule.next(own, m, players - 1);
  }
  return pC;
}
