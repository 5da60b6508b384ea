/**
 * The Coin Game league: the Advantage Alignment paper's tournament (Duque et al., "Advantage Alignment
 * Algorithms", ICLR 2025, the Coin Game league figure), played as its code plays it (MiladInk/loqa
 * `league/run_league.py`: `get_combinations(league_mode="all")` and `eval_agents`).
 *
 * Players and members. A player is a label ("AA", "PPO", "Always-Defect"); its members are agents with that
 * label (one per training seed for a learner, one for a fixed agent). Members are numbered in entrant order.
 *
 * Pairs. As the AA code does, every unordered pair of members is played once, i ≤ j (a member against itself
 * included), member i in seat a (the red agent, player 0) and member j in seat b. `bothSeats` plays every
 * ordered pair instead (i in seat a and j in seat b, for all i, j), which removes any seat advantage at twice
 * the cost. A pair plays `games` fresh games of `turns` steps in one batch (`playCoinMatch`) on the streams
 * (seed, i, j, ·), so every pair is a pure function of (members, seed, i, j).
 *
 * Cells. Cell (P, Q) collects every pair with a member of P on one side and a member of Q on the other: its row
 * side is P's member, its column side Q's. A pair of two members of one player adds to (P, P) once, seat a as
 * the row (AA–AA in the paper: 0.269 / 0.290 is seat a / seat b over 45 pairs of 9 seeds). For each side the
 * cell keeps the per-pair values of
 *   reward per step   Σ rewards ÷ (games · turns)                       (`mean_rewards` of `episode_stats`)
 *   own-coin fraction own-colour pickups ÷ all that side's pickups       (1 − `adversarial_pickup_div_all_pickup`)
 *   pickups per step  all that side's pickups ÷ (games · turns)         (`any_pickup_div_timesteps`)
 * and reports their mean and sd over the pairs (over training seeds, for learners).
 *
 * Catalyst (the tabular arena's measure, src/arena/learners.ts, after the AA paper): for a shaper X and the naive
 * learner N (PPO here), catalyst_X(o) = r(o vs X) − r(o vs N), the reward opponent o earns against X minus what it
 * earns against N; positive means X leaves o better off. The AA paper's claim is that every non-cooperator earns
 * more against AA than against PPO, i.e. min over o ∉ cooperators of catalyst_AA(o) > 0 (`catalystMin`).
 */
import { CoinGameEnv } from "../envs/coin/coinGame.js";
import { type CoinAgent, type FixedCoinAgentName, fixedCoinAgent } from "../envs/coin/fixedAgents.js";
import { playCoinMatch } from "../envs/coin/match.js";
import { neuralCoinAgent } from "../envs/coin/neuralAgent.js";
import { loadNetwork } from "../nn/agentFile.js";
import { mean, sd } from "../util/stats.js";

/** The AA paper's display names of the fixed agents. */
export const FIXED_AGENT_LABELS: Record<FixedCoinAgentName, string> = {
  "always-cooperate": "Always-Cooperate",
  "always-defect": "Always-Defect",
  random: "Random",
};

/** One agent of the league: a fixed agent by name, or a neural agent given by its agent-file text. */
export interface LeagueMember {
  /** The player it belongs to (a label; no dots, since labels are parts of metric names). */
  player: string;
  /** Which member of that player, for people ("seed 3", a file name). */
  member: string;
  agent: { fixed: FixedCoinAgentName } | { agentFile: string };
}

export interface LeagueOptions {
  /** Steps of one game (16 in the AA league, 50 in LOQA's). */
  turns: number;
  /** Games per pair, all in one batch (32 in the AA league). */
  games: number;
  height: number;
  width: number;
  seed: number;
  /** Play every ordered pair (both seat orders) instead of each unordered pair once. */
  bothSeats: boolean;
}

/** One played pair: member `a` in seat a, member `b` in seat b; values are [seat a, seat b]. */
export interface LeaguePair {
  a: number;
  b: number;
  rewards: [number, number];
  ownCoin: [number | null, number | null];
  pickupsPerStep: [number, number];
}

/** The pairs a league plays, in order: i ≤ j, or every (i, j) with `bothSeats`. */
export function leaguePairs(members: number, bothSeats: boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < members; i++) for (let j = bothSeats ? 0 : i; j < members; j++) out.push([i, j]);
  return out;
}

/** A fresh agent for one seat (a recurrent member in both seats of a self-pair needs two hidden states). */
function seatAgent(m: LeagueMember, env: CoinGameEnv, field: string): CoinAgent {
  if ("fixed" in m.agent) return fixedCoinAgent(m.agent.fixed, env, field);
  const { network } = loadNetwork(m.agent.agentFile, undefined, field);
  return neuralCoinAgent(network, env, `${m.player} (${m.member})`, field);
}

/** The env of a league: the one-coin game of the AA league on an H×W torus, `turns` steps a game. */
export function leagueEnv(options: Pick<LeagueOptions, "turns" | "height" | "width">): CoinGameEnv {
  return new CoinGameEnv({ height: options.height, width: options.width, episodeSteps: options.turns });
}

/**
 * Play every pair of the league. `fields[i]` names member i in errors (e.g. `agents[2]`): a network that does
 * not fit the board is an InputError there, before any game is played. `onPair(done, total)` reports progress.
 */
export function playLeague(
  members: readonly LeagueMember[],
  options: LeagueOptions,
  fields: readonly string[] = members.map((_, i) => `members[${i}]`),
  onPair?: (done: number, total: number) => void,
): LeaguePair[] {
  const env = leagueEnv(options);
  const seats = members.map((m, i) => [seatAgent(m, env, fields[i]), seatAgent(m, env, fields[i])] as const);
  const pairs = leaguePairs(members.length, options.bothSeats);
  return pairs.map(([i, j], k) => {
    const r = playCoinMatch(env, seats[i][0], seats[j][1], {
      games: options.games,
      seed: options.seed,
      keys: [i, j],
    });
    onPair?.(k + 1, pairs.length);
    return { a: i, b: j, rewards: r.rewards, ownCoin: r.ownCoin, pickupsPerStep: r.pickupsPerStep };
  });
}

/**
 * Mean, sd and count over the pairs of a cell; `mean` is null when no pair has a value (own-coin, no pickup),
 * `sd` when fewer than two have.
 */
export interface CellStat {
  mean: number | null;
  sd: number | null;
  n: number;
}

function stat(values: (number | null)[]): CellStat {
  const xs = values.filter((v): v is number => v !== null);
  // One pair has no spread to show (null, not a misleading 0).
  if (xs.length === 0) return { mean: null, sd: null, n: 0 };
  return { mean: mean(xs), sd: xs.length > 1 ? sd(xs) : null, n: xs.length };
}

export interface LeagueCell {
  row: string;
  col: string;
  /** Pairs in the cell. */
  pairs: number;
  rowReward: CellStat;
  colReward: CellStat;
  rowOwnCoin: CellStat;
  colOwnCoin: CellStat;
  rowPickups: CellStat;
  colPickups: CellStat;
}

/** The players in order of first appearance among the members. */
export function leaguePlayers(members: readonly LeagueMember[]): string[] {
  return [...new Set(members.map((m) => m.player))];
}

/** Per-pair values of one cell, side by side: row side first. */
interface CellValues {
  reward: [number[], number[]];
  ownCoin: [(number | null)[], (number | null)[]];
  pickups: [number[], number[]];
}

/** The league's matrix: cells[p][q] for players p (row) and q (column), from the played pairs. */
export function leagueCells(members: readonly LeagueMember[], pairs: readonly LeaguePair[]): LeagueCell[][] {
  const players = leaguePlayers(members);
  const index = new Map(players.map((p, i) => [p, i]));
  const values: CellValues[][] = players.map(() =>
    players.map(() => ({ reward: [[], []], ownCoin: [[], []], pickups: [[], []] })),
  );
  const add = (p: number, q: number, pair: LeaguePair, row: 0 | 1) => {
    const v = values[p][q];
    const col = (1 - row) as 0 | 1;
    v.reward[0].push(pair.rewards[row]);
    v.reward[1].push(pair.rewards[col]);
    v.ownCoin[0].push(pair.ownCoin[row]);
    v.ownCoin[1].push(pair.ownCoin[col]);
    v.pickups[0].push(pair.pickupsPerStep[row]);
    v.pickups[1].push(pair.pickupsPerStep[col]);
  };
  for (const pair of pairs) {
    const p = index.get(members[pair.a].player) as number;
    const q = index.get(members[pair.b].player) as number;
    add(p, q, pair, 0);
    if (p !== q) add(q, p, pair, 1);
  }
  return players.map((row, p) =>
    players.map((col, q) => {
      const v = values[p][q];
      return {
        row,
        col,
        pairs: v.reward[0].length,
        rowReward: stat(v.reward[0]),
        colReward: stat(v.reward[1]),
        rowOwnCoin: stat(v.ownCoin[0]),
        colOwnCoin: stat(v.ownCoin[1]),
        rowPickups: stat(v.pickups[0]),
        colPickups: stat(v.pickups[1]),
      };
    }),
  );
}

export interface CatalystResult {
  shaper: string;
  naive: string;
  /** catalyst_X(o) = r(o vs X) − r(o vs N) for each opponent o that is not a cooperator. */
  byOpponent: { opponent: string; value: number }[];
  /** The least of them: > 0 when every non-cooperator earns more against X than against N. */
  min: number;
}

/**
 * The catalyst measure of each shaper present, against the naive player; opponents are all players but the
 * `cooperators`. A shaper or the naive player absent from the league is listed in `missing`.
 */
export function leagueCatalyst(
  cells: readonly LeagueCell[][],
  options: { shapers: readonly string[]; naive: string; cooperators: readonly string[] },
): { results: CatalystResult[]; missing: string[] } {
  const players = cells.map((row) => row[0].row);
  const at = (name: string) => players.indexOf(name);
  const naive = at(options.naive);
  const missing = [options.naive, ...options.shapers].filter((name) => at(name) < 0);
  if (naive < 0) return { results: [], missing };
  const results: CatalystResult[] = [];
  for (const shaper of options.shapers) {
    const x = at(shaper);
    if (x < 0) continue;
    const byOpponent: CatalystResult["byOpponent"] = [];
    players.forEach((opponent, o) => {
      if (options.cooperators.includes(opponent)) return;
      const vsShaper = cells[o][x].rowReward.mean;
      const vsNaive = cells[o][naive].rowReward.mean;
      if (vsShaper !== null && vsNaive !== null) byOpponent.push({ opponent, value: vsShaper - vsNaive });
    });
    if (byOpponent.length > 0)
      results.push({
        shaper,
        naive: options.naive,
        byOpponent,
        min: Math.min(...byOpponent.map((b) => b.value)),
      });
  }
  return { results, missing };
}
