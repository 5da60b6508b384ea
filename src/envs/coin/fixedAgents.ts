/**
 * The fixed Coin Game agents of the LOQA / Advantage Alignment league (MiladInk/loqa `league/agent.py`:
 * `get_new_distances`, `get_cooperative_action`, `get_defect_action`; `league/random_wrapper.py`):
 * - `always-defect`: the move that brings it closest to the coin (torus Manhattan distance after the move),
 *   whatever the coin's colour.
 * - `always-cooperate`: if the coin is its own colour, the move that brings it closest to the coin; otherwise the
 *   move that takes it farthest from the coin.
 * - `random`: a uniform action (the league draws `randint(0, 4)`; in the two-coins variant, uniform over 5).
 *
 * Ties: the league shuffles the four (action, distance) pairs with a fresh key every step, sorts them by distance
 * (stable) and takes the first (closest) or the last (farthest). That is a uniform choice among the tied actions,
 * drawn anew each step, and that is what these agents do: a uniform integer below k among the k tied actions
 * (src/envs/coin/randomBits.ts), and no draw when there is no tie. (LOQA's training-time evaluation in
 * `coin_game.py::do_eval_agent_against_always_*` instead derives the shuffle key from the game's key, so there one
 * permutation breaks every tie of a game; the league, `league/run_league.py::eval_agents`, passes a fresh key per
 * step, and the league is what the AA paper's table comes from.)
 *
 * always-cooperate and always-defect are defined for the one-coin variant (the league's); with two coins "the
 * coin" has no single meaning, so they refuse it.
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import type { CoinGameEnv, CoinState } from "./coinGame.js";
import { RandomBits } from "./randomBits.js";
import { CoinMemory } from "./wasmStep.js";

/** A seat in a batch of Coin Games: writes its action for every game into `actions[2·g + seat]`. */
export interface CoinAgent {
  readonly name: string;
  /** Called once per batch of fresh games (a stateful agent, e.g. a recurrent net, resets its memory here). */
  reset?(batch: number): void;
  act(state: CoinState, seat: 0 | 1, rng: Rng, actions: Uint8Array): void;
}

export const FIXED_COIN_AGENTS = ["always-cooperate", "always-defect", "random"] as const;
export type FixedCoinAgentName = (typeof FIXED_COIN_AGENTS)[number];

/**
 * `best[(cell·cells + coin)]`: a bit mask over the 4 moves that minimise (`closest`) or maximise (`farthest`)
 * the distance to the coin after the move. Tables make a step one lookup and, on a tie, one draw.
 */
function moveMasks(env: CoinGameEnv): { closest: Uint8Array; farthest: Uint8Array } {
  const n = env.cells;
  const closest = new Uint8Array(n * n);
  const farthest = new Uint8Array(n * n);
  for (let cell = 0; cell < n; cell++) {
    for (let coin = 0; coin < n; coin++) {
      const d = [0, 1, 2, 3].map((a) => env.distance(env.cellAfter(cell, a), coin));
      const lo = Math.min(...d);
      const hi = Math.max(...d);
      for (let a = 0; a < 4; a++) {
        if (d[a] === lo) closest[cell * n + coin] |= 1 << a;
        if (d[a] === hi) farthest[cell * n + coin] |= 1 << a;
      }
    }
  }
  return { closest, farthest };
}

/** A uniform choice among the set bits of a 4-bit mask (no draw when only one is set). */
function pick(mask: number, bits: RandomBits): number {
  if ((mask & (mask - 1)) === 0) return 31 - Math.clz32(mask);
  let k = bits.int(TIES[mask]);
  for (let a = 0; ; a++) if (mask & (1 << a) && k-- === 0) return a;
}

/** RandomBits' refill splits a uniform() (a multiple of 2^−53) into its low 30 bits and its high 23 bits. */
const TWO_30 = 2 ** 30;
const TWO_53 = 2 ** 53;

/** 11 moves from the low 22 bits of `word` at actions[i], actions[i + 2], … (one seat of 11 games). */
function writeEleven(actions: Uint8Array, i: number, word: number): void {
  actions[i] = word & 3;
  actions[i + 2] = (word >>> 2) & 3;
  actions[i + 4] = (word >>> 4) & 3;
  actions[i + 6] = (word >>> 6) & 3;
  actions[i + 8] = (word >>> 8) & 3;
  actions[i + 10] = (word >>> 10) & 3;
  actions[i + 12] = (word >>> 12) & 3;
  actions[i + 14] = (word >>> 14) & 3;
  actions[i + 16] = (word >>> 16) & 3;
  actions[i + 18] = (word >>> 18) & 3;
  actions[i + 20] = (word >>> 20) & 3;
}

/** Moves for games g … g+10 (up to the batch) from the low 22 bits of `word`, 2 bits each; the next game. */
function writeMoves(actions: Uint8Array, seat: number, g: number, batch: number, word: number): number {
  const end = Math.min(g + 11, batch);
  for (let i = 2 * g + seat; g < end; g++, i += 2, word >>>= 2) actions[i] = word & 3;
  return g;
}

/** Number of set bits of each 4-bit mask. */
const TIES = Uint8Array.from(
  { length: 16 },
  (_, m) => (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1),
);

export function fixedCoinAgent(name: string, env: CoinGameEnv, field = "agent"): CoinAgent {
  if (!(FIXED_COIN_AGENTS as readonly string[]).includes(name)) {
    throw new InputError(field, `unknown coin agent "${name}"; allowed: ${FIXED_COIN_AGENTS.join(", ")}`);
  }
  if (name === "random") {
    const k = env.nActions;
    const bits = new RandomBits();
    return {
      name,
      act(state, seat, rng, actions) {
        bits.attach(rng);
        const batch = state.owner.length;
        if (k !== 4) {
          for (let g = 0; g < batch; g++) actions[2 * g + seat] = bits.int(k);
          return;
        }
        const memory = CoinMemory.of(actions);
        if (memory && actions === memory.actions && memory.owner === state.owner) {
          memory.randomMoves(seat, rng); // the same draws, in WebAssembly (wasmStep.ts)
          return;
        }
        // 4 moves: 2 bits each, 11 actions per 22-bit take. A take uses one RandomBits word whole (the 30-bit
        // word, then the 23-bit spare of the same uniform()), so one uniform() moves 22 games: the same draws as
        // `bits.take(22)` per 11 games, without the per-take bookkeeping (≈ 2× faster here).
        let g = 0;
        for (; g + 22 <= batch; g += 22) {
          const x = rng.uniform() * TWO_53;
          const high = Math.floor(x / TWO_30) | 0;
          writeEleven(actions, 2 * g + seat, (x - high * TWO_30) | 0);
          writeEleven(actions, 2 * g + 22 + seat, high);
        }
        if (g < batch) {
          const x = rng.uniform() * TWO_53;
          const high = Math.floor(x / TWO_30) | 0;
          g = writeMoves(actions, seat, g, batch, (x - high * TWO_30) | 0);
          if (g < batch) writeMoves(actions, seat, g, batch, high);
        }
      },
    };
  }
  if (env.coinsPerGame !== 1) {
    throw new InputError(
      field,
      `"${name}" is defined for the one-coin variant only; with two coins use random`,
    );
  }
  const { closest, farthest } = moveMasks(env);
  const n = env.cells;
  const cooperate = name === "always-cooperate";
  const bits = new RandomBits();
  return {
    name,
    act(state, seat, rng, actions) {
      bits.attach(rng);
      const { pos, coins, owner } = state;
      for (let g = 0; g < owner.length; g++) {
        const key = pos[2 * g + seat] * n + coins[g];
        const mask = cooperate && owner[g] !== seat ? farthest[key] : closest[key];
        actions[2 * g + seat] = pick(mask, bits);
      }
    },
  };
}
