/**
 * N-player tournaments: hosts and visitors in an iterated N-player dilemma, every agent's reward, and the
 * catalyst measure (the N-player form of src/arena/learners.ts's, after the Advantage Alignment paper's
 * evaluation of 5 focal agents with 2 background players in Melting Pot).
 *
 * Entrants are learners (N-player AA with a pairwise, shared or mean-field opponent critic, or naive PG;
 * src/learners/sampled/nPlayer/aa.ts) or fixed memory-one strategies (src/strategies/nPlayer.ts). For every
 * ordered pair (host X, visitor o) one line-up plays: N − v copies of X (seats 0..N−v−1) and v copies of o (the
 * last v seats). All learners in it train together from fresh starts for the budget (each with its own rule,
 * modelling every other seat); then the final policies play an evaluation batch. The cell holds every seat's
 * per-step reward, the host seats' mean, the visitor seats' mean and the fraction of cooperative actions.
 *
 *   catalyst_X(o) = r(o | hosted by X) − r(o | hosted by the naive learner)
 * positive when the shaper X leaves the visitor o better off than naive learners would.
 *
 * Streams: line-up (X, o) trains with seed `hashSeed(seed, x, o)` (entrant indices), so each cell is a pure
 * function of (entrants, x, o, seed) and does not depend on the order cells are played in.
 */
import type { NPlayerView } from "../envs/nPlayer/env.js";
import type { NPlayerGame } from "../games/nPlayer.js";
import type { NPlayerAaOptions } from "../learners/sampled/nPlayer/aa.js";
import { type NPlayerSeat, trainNPlayerSampled } from "../learners/sampled/nPlayer/train.js";
import { nPlayerStrategy } from "../strategies/nPlayer.js";
import { InputError } from "../util/errors.js";
import { hashSeed } from "../util/rng.js";

export type NPlayerEntrant =
  | { label: string; learner: NPlayerAaOptions }
  | { label: string; strategy: string };

export interface NPlayerArenaOptions {
  game: NPlayerGame;
  gamma: number;
  /** Visitor seats per line-up v (1 ≤ v ≤ N − 1). */
  visitors: number;
  steps: number;
  games: number;
  horizon: number;
  evalGames: number;
  initSd?: number;
  seed: number;
  /** Label of the naive entrant the catalyst is measured against (none: no catalyst). */
  naive?: string;
}

export interface NPlayerArenaCell {
  host: string;
  visitor: string;
  /** Every seat's per-step reward (hosts first). */
  seatRewards: number[];
  hostReward: number;
  visitorReward: number;
  cooperation: number;
}

export interface NPlayerArenaResult {
  cells: NPlayerArenaCell[];
  /** catalyst[X][o] for every learner host X other than the naive one. */
  catalyst: { shaper: string; visitor: string; value: number }[];
}

export function runNPlayerArena(
  entrants: readonly NPlayerEntrant[],
  options: NPlayerArenaOptions,
): NPlayerArenaResult {
  const n = options.game.players;
  const v = options.visitors;
  if (!(Number.isInteger(v) && v >= 1 && v <= n - 1)) {
    throw new InputError("visitors", `must be an integer in [1, N − 1] = [1, ${n - 1}], got ${v}`);
  }
  const labels = entrants.map((e) => e.label);
  if (new Set(labels).size !== labels.length)
    throw new InputError("agents", `labels must be distinct: ${labels.join(", ")}`);
  const naive = options.naive;
  if (naive !== undefined) {
    const entrant = entrants.find((e) => e.label === naive);
    if (!entrant || !("learner" in entrant)) {
      throw new InputError("naive", `"${naive}" is not a learner among the entrants (${labels.join(", ")})`);
    }
  }
  const view: NPlayerView = "count";
  const seatOf = (e: NPlayerEntrant, field: string): NPlayerSeat =>
    "learner" in e ? { learner: e.learner } : { fixed: nPlayerStrategy(e.strategy, n, field) };
  const cells: NPlayerArenaCell[] = [];
  entrants.forEach((host, x) => {
    entrants.forEach((visitor, o) => {
      const seats = Array.from({ length: n }, (_, i) =>
        i < n - v ? seatOf(host, `agents[${x}]`) : seatOf(visitor, `agents[${o}]`),
      );
      const r = trainNPlayerSampled({
        game: options.game,
        view,
        horizon: options.horizon,
        gamma: options.gamma,
        seats,
        steps: options.steps,
        seed: hashSeed(options.seed, x, o),
        gamesPerSeed: options.games,
        initSd: options.initSd,
        evalGames: options.evalGames,
      });
      const seatRewards = Array.from(r.agentRewards);
      const mean = (a: number[]) => a.reduce((s, y) => s + y, 0) / a.length;
      cells.push({
        host: host.label,
        visitor: visitor.label,
        seatRewards,
        hostReward: mean(seatRewards.slice(0, n - v)),
        visitorReward: mean(seatRewards.slice(n - v)),
        cooperation: r.cooperation[0],
      });
    });
  });
  const catalyst: NPlayerArenaResult["catalyst"] = [];
  if (naive !== undefined) {
    const cell = (h: string, o: string) =>
      cells.find((c) => c.host === h && c.visitor === o) as NPlayerArenaCell;
    for (const shaper of entrants) {
      if (!("learner" in shaper) || shaper.label === naive) continue;
      for (const visitor of entrants) {
        const value =
          cell(shaper.label, visitor.label).visitorReward - cell(naive, visitor.label).visitorReward;
        catalyst.push({ shaper: shaper.label, visitor: visitor.label, value });
      }
    }
  }
  return { cells, catalyst };
}
