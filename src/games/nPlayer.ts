/**
 * N-player, two-action social dilemmas: the iterated N-player prisoner's dilemma and the linear public-goods game.
 *
 * Reference: pax's `iterated_tensor_game_n_player` (ucl-dark/pax): a player's reward depends only on its own
 * action and on k, the number of players who defect (itself included): r = table[k][a]. Actions 0 = C, 1 = D.
 * Its observation is the last joint action from the player's own view: the joint action rotated so that the
 * player's own action comes first, then players i+1, i+2, … cyclically, read as a binary number with the own
 * action as the most significant bit (all-C = 0, all-D = 2^N − 1), plus a start state with index 2^N.
 *
 * The linear public-goods game (the rule pax's tests follow): each cooperator gives up an endowment e that is
 * multiplied by ρ and shared equally by all N players, so
 *     r_i = ρ·e·(N − k)/N + e·[i defects].
 * With 1 < ρ < N it is a social dilemma: defecting gains e(1 − ρ/N) > 0 whatever the others do, while all-C
 * (ρe each) beats all-D (e each). pax's tests use e = 3, ρe = 4: N = 2 gives C 4, 2 and D 5, 3 (the IPD with
 * (R, S, T, P) = (4, 2, 5, 3)).
 *
 * A social dilemma here (Dawes 1980; Kollock 1998): (1) defection pays for the individual whatever the others
 * do: D with k others defecting earns more than C with k others defecting, table[k+1][D] > table[k][C] for every
 * k = 0..N−1; (2) yet everyone is better off if all cooperate: table[0][C] > table[N][D]. A custom table that
 * fails either is refused with the condition named, unless the caller asks for any game.
 */
import { InputError, requireFinite } from "../util/errors.js";

export interface NPlayerGame {
  readonly name: string;
  /** N ≥ 2. */
  readonly players: number;
  /** Reward of a cooperator when k = 0..N−1 players defect in total: `cooperate[k]`. */
  readonly cooperate: readonly number[];
  /** Reward of a defector when k = 1..N players defect in total (itself included): `defect[k − 1]`. */
  readonly defect: readonly number[];
}

/** The most players an exact N-player chain is built for (2^N joint states; 2^12 = 4096 states). */
export const MAX_EXACT_PLAYERS = 12;
/** The most players any N-player game may have. */
export const MAX_PLAYERS = 1024;

function checkPlayers(players: number, field: string): void {
  if (!Number.isInteger(players) || players < 2 || players > MAX_PLAYERS) {
    throw new InputError(field, `must be an integer in [2, ${MAX_PLAYERS}], got ${players}`);
  }
}

/** Reward of a player taking `action` (0 = C, 1 = D) when `defectors` players defect in total. */
export function nPlayerReward(game: NPlayerGame, action: number, defectors: number): number {
  return action === 0 ? game.cooperate[defectors] : game.defect[defectors - 1];
}

/** The linear public-goods game r_i = ρ·e·(N − k)/N + e·[i defects] (defaults e = 3, ρ = 4/3, as pax's tests). */
export function publicGoodsGame(
  players: number,
  options: { endowment?: number; multiplier?: number } = {},
): NPlayerGame {
  checkPlayers(players, "players");
  const e = requireFinite("endowment", options.endowment ?? 3);
  const rho = requireFinite("multiplier", options.multiplier ?? 4 / 3);
  const cooperate = Array.from({ length: players }, (_, k) => (rho * e * (players - k)) / players);
  const defect = Array.from({ length: players }, (_, m) => (rho * e * (players - m - 1)) / players + e);
  const game = { name: `public-goods-${players}`, players, cooperate, defect };
  const failures = socialDilemmaFailures(game);
  if (failures.length > 0) {
    throw new InputError(
      "multiplier",
      `must be in (1, N) = (1, ${players}) for a social dilemma: ${failures[0]}`,
    );
  }
  return game;
}

/**
 * A game from its payoff columns: `cooperate` for k = 0..N−1 defectors, `defect` for k = 1..N. Refused unless it
 * is a social dilemma (the message names the condition that fails), unless `allowAnyGame`.
 */
export function nPlayerGameFromTable(
  name: string,
  cooperate: readonly number[],
  defect: readonly number[],
  options: { allowAnyGame?: boolean; field?: string } = {},
): NPlayerGame {
  const field = options.field ?? "payoffs";
  const players = cooperate.length;
  checkPlayers(players, `${field}.cooperate.length`);
  if (defect.length !== players) {
    throw new InputError(
      `${field}.defect`,
      `must have N = ${players} entries (k = 1..N defectors), like cooperate (k = 0..N−1); got ${defect.length}`,
    );
  }
  cooperate.forEach((v, k) => requireFinite(`${field}.cooperate[${k}]`, v));
  defect.forEach((v, k) => requireFinite(`${field}.defect[${k}]`, v));
  const game = { name, players, cooperate: [...cooperate], defect: [...defect] };
  if (!options.allowAnyGame) {
    const failures = socialDilemmaFailures(game);
    if (failures.length > 0) throw new InputError(field, `not a social dilemma: ${failures.join("; ")}`);
  }
  return game;
}

/** The social-dilemma conditions the game fails, each as a sentence (empty when it is one). */
export function socialDilemmaFailures(game: NPlayerGame): string[] {
  const failures: string[] = [];
  const n = game.players;
  for (let k = 0; k < n; k++) {
    const c = game.cooperate[k];
    const d = game.defect[k]; // k others defect, so k + 1 in total
    if (!(d > c)) {
      failures.push(`with ${k} other defector(s), defecting (${d}) must pay more than cooperating (${c})`);
    }
  }
  if (!(game.cooperate[0] > game.defect[n - 1])) {
    failures.push(
      `all cooperating (${game.cooperate[0]} each) must beat all defecting (${game.defect[n - 1]} each)`,
    );
  }
  return failures;
}

/** Number of own-view memory-one states: 2^N joint actions and the start state (index 2^N). */
export function nPlayerStateCount(players: number): number {
  return 2 ** players + 1;
}

/** Agent `i`'s action (0 = C, 1 = D) in joint action `joint` (agent 0's action is the most significant bit). */
export function actionOf(joint: number, agent: number, players: number): number {
  return (joint >>> (players - 1 - agent)) & 1;
}

/**
 * Agent `i`'s own view of joint action `joint`: rotated so that its own action comes first (most significant
 * bit), then agents i+1, i+2, … cyclically. Agent 0's view is the joint index itself.
 */
export function ownView(joint: number, agent: number, players: number): number {
  const mask = 2 ** players - 1;
  // Rotating left by `agent` bits moves agent i's bit to the top.
  return ((joint << agent) | (joint >>> (players - agent))) & mask;
}
