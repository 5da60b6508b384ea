/**
 * The Coin Game (Lerer & Peysakhovich 2017; LOLA, Foerster et al. 2018), batched in the functional style of
 * gymnax/JaxMARL: `reset(rng, batch)` and `step(state, actions, rng)` over plain typed arrays, so one call advances
 * many games and the state can cross a worker boundary. Hot loops call `stepInto`, which allocates nothing.
 *
 * Rules of the default `one-coin` variant, as MiladInk/loqa `coin_game.py` / `league/coin.py` (the env of the LOQA
 * and Advantage Alignment leagues) define them; LOLA's fixed `lola_dice/envs/coin_game.py` and POLA agree:
 * - An H×W torus (3×3 by default), two agents (0 = red, 1 = blue) and one coin, red or blue.
 * - Actions 0..3 = left, right, up, down (LOQA's `MOVES`, as (row, column) steps, wrapping around); no stay.
 * - Both agents move at once. An agent whose new cell holds the coin picks it up: +1. If any picker is not the
 *   coin's owner, the owner gets −2. Both on the coin at once: both +1 and the owner −2, net −1 for the owner
 *   (`rewards = takers − 2·owner·any(takers ∧ ¬owner)`; the original LOLA env let red win every tie, a bug).
 * - After a pickup the coin's colour alternates (`owner ← 1 − owner`) and the coin respawns uniformly on a cell
 *   that neither agent occupies (after their moves). Without a pickup the coin stays.
 * - Reset (LOQA `CoinGame.init`): the colour is uniform; each agent's cell is uniform and independent (the two may
 *   coincide); the coin is uniform over the cells neither agent occupies.
 * - Episodes have a fixed length `episodeSteps`: after the last step every game resets (auto-reset in one place,
 *   `resetSlot`), and `done` is one flag for the batch.
 *
 * The `two-coins` variant is pax's `CoinGame` (ucl-dark/pax `pax/envs/coin_game.py`; JaxMARL ports it):
 * - a red coin (agent 0's) and a blue coin (agent 1's) are always on the board; action 4 = stay;
 * - for each coin, every agent whose new cell holds it gets +1, and the coin's owner gets −2 if the OTHER agent
 *   is on it (payoff `[[1, 1, −2], [1, 1, −2]]`);
 * - a picked coin respawns uniformly on any cell (it may land on an agent or on the other coin); the other coin
 *   stays; reset puts the 2 agents and 2 coins on independent uniform cells.
 * - Differences from pax, on purpose: the board size is a parameter (pax hard-codes 3); our action indices are the
 *   table below (pax orders right, left, up, down, stay); the reward of an episode's last step is kept (pax zeroes
 *   it when the inner episode resets, so a 16-step episode pays out 15 transitions).
 *
 * Observation per agent, from its own side (LOQA's `get_obs`: the second player sees channels swapped):
 * 4×H×W one-hot, channel-first, channels (self, other, own-colour coin, other-colour coin); flattened, 36 numbers
 * for 3×3, `index = channel·H·W + row·W + column`. With `egocentric`, the board is also shifted on the torus so that
 * the observing agent sits at (⌊H/2⌋, ⌊W/2⌋), as pax's `egocentric=True` does (it puts the agent at (1, 1)).
 *
 * Layout: every per-agent array is `[batch, agents]`, game g / agent i at `2·g + i`; cells are `row·W + column`.
 *
 * Speed: a one-coin batch of WASM_STEP_MIN_BATCH games or more keeps its state in a WebAssembly memory, where
 * `reset` and `stepInto` run whole (wasmStep.ts: the same arithmetic and the same generator, bit pool and draws
 * in the same order, tested against this file's loops, which stay the spec). `stepBuffers(state)` gives actions,
 * rewards and pickups buffers in that memory, so nothing is copied in or out.
 */
import type { Rng } from "../../util/rng.js";
import { type CoinParams, coinParams } from "./params.js";
import { RandomBits } from "./randomBits.js";
import { CoinMemory, RESET, STEP } from "./wasmStep.js";

/** Agents per game. */
export const AGENTS = 2;
/** Observation channels: self, other, own-colour coin, other-colour coin. */
export const CHANNELS = 4;

/** (row, column) step of each action; the first four are LOQA's `MOVES` in its order. */
export const MOVES: readonly (readonly [number, number])[] = [
  [0, -1], // 0 left
  [0, +1], // 1 right
  [-1, 0], // 2 up
  [+1, 0], // 3 down
  [0, 0], // 4 stay (two-coins variant only)
];
export const ACTION_NAMES = ["left", "right", "up", "down", "stay"] as const;

/** Batches from this size on step in WebAssembly (about 50 steps of them repay making its memory). */
export const WASM_STEP_MIN_BATCH = 1024;

/** Bits of `pickups[2g + i]`: what agent i picked up this step. */
export const PICKED_OWN = 1;
export const PICKED_OTHER = 2;

/** The state of a batch of games: plain typed arrays (gymnax's EnvState). */
export interface CoinState {
  /** Steps taken in the current episode (the same for every game). */
  t: number;
  /** Each agent's cell, `[batch, 2]`. */
  readonly pos: Int32Array;
  /** one-coin: the coin's cell, `[batch]`; two-coins: the red and the blue coin's cells, `[batch, 2]`. */
  readonly coins: Int32Array;
  /** one-coin: the coin's colour = the agent it belongs to (0 red, 1 blue), `[batch]`; two-coins: unused, 0. */
  readonly owner: Uint8Array;
}

/** Caller-owned outputs of one step. */
export interface CoinStepBuffers {
  /** `[batch, 2]`. */
  readonly rewards: Float64Array;
  /** `[batch, 2]`: PICKED_OWN | PICKED_OTHER bits. */
  readonly pickups: Uint8Array;
}

/** Buffers for a step loop: the joint actions in, the rewards and pickups out. */
export interface CoinLoopBuffers extends CoinStepBuffers {
  /** `[batch, 2]`. */
  readonly actions: Uint8Array;
}

export interface CoinStepResult {
  state: CoinState;
  /** `[batch, 2, 4·H·W]`. */
  obs: Float32Array;
  rewards: Float64Array;
  done: boolean;
  info: { pickups: Uint8Array; terminalObs?: Float32Array };
}

/** 1 if x = 0, else 0, for 0 ≤ x < 2³¹, without a branch. */
function is0(x: number): number {
  return (x - 1) >>> 31;
}

/** The k-th cell, counting in order, that is neither a nor b (0 ≤ k < cells − |{a, b}|). */
function kthFreeCell(k: number, a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = a ^ b ^ lo;
  let c = k + ((lo - k - 1) >>> 31); // + 1 if k ≥ lo
  if (hi !== lo) c += (hi - c - 1) >>> 31; // + 1 if c ≥ hi
  return c;
}

/** Pass 2 of a one-coin step: respawn each picked coin off both agents, in game order. */
function respawn(state: CoinState, picked: Int32Array, m: number, cells: number, bits: RandomBits): void {
  const { pos, coins } = state;
  for (let j = 0; j < m; j++) {
    const g = picked[j];
    const p0 = pos[2 * g];
    const p1 = pos[2 * g + 1];
    coins[g] = kthFreeCell(bits.int(cells - 2 + is0(p0 ^ p1)), p0, p1);
  }
}

export function cloneCoinState(s: CoinState): CoinState {
  return { t: s.t, pos: s.pos.slice(), coins: s.coins.slice(), owner: s.owner.slice() };
}

export class CoinGameEnv {
  readonly params: CoinParams;
  readonly cells: number;
  readonly nActions: number;
  readonly coinsPerGame: number;
  /** Length of one agent's observation, 4·H·W. */
  readonly obsSize: number;
  /** `moveTo[cell·5 + action]`: the cell an action leads to, with the torus wrap. */
  private readonly moveTo: Int32Array;
  /** The bit pool every draw of a step goes through (re-attached to the caller's rng at each call). */
  private readonly bits = new RandomBits();
  /** Scratch list of the games with a pickup in the current step (grown to the batch once). */
  private picked = new Int32Array(0);

  constructor(params: Partial<CoinParams> = {}) {
    this.params = coinParams(params);
    const { height: H, width: W, variant } = this.params;
    this.cells = H * W;
    this.nActions = variant === "two-coins" ? 5 : 4;
    this.coinsPerGame = variant === "two-coins" ? 2 : 1;
    this.obsSize = CHANNELS * this.cells;
    this.moveTo = new Int32Array(this.cells * MOVES.length); // stride 5, hard-coded in the step loops
    for (let c = 0; c < this.cells; c++) {
      const r = Math.floor(c / W);
      const col = c % W;
      MOVES.forEach(([dr, dc], a) => {
        this.moveTo[c * MOVES.length + a] = ((r + dr + H) % H) * W + ((col + dc + W) % W);
      });
    }
  }

  /** The cell an action leads to from `cell`. */
  cellAfter(cell: number, action: number): number {
    return this.moveTo[cell * MOVES.length + action];
  }

  /** Torus Manhattan distance between two cells (LOQA's `get_new_distances`: min(|d|, side − |d|) per axis). */
  distance(a: number, b: number): number {
    const { height: H, width: W } = this.params;
    const dr = Math.abs(Math.floor(a / W) - Math.floor(b / W));
    const dc = Math.abs((a % W) - (b % W));
    return Math.min(dr, H - dr) + Math.min(dc, W - dc);
  }

  reset(rng: Rng, batch: number): { state: CoinState; obs: Float32Array } {
    if (!Number.isInteger(batch) || batch < 1)
      throw new RangeError(`batch must be a positive integer, got ${batch}`);
    // One coin, a large batch: the state lives in a WebAssembly memory of its own, where reset and step run
    // (wasmStep.ts). A memory costs ≈ 0.1–0.6 ms to make, so small batches keep plain arrays.
    const memory =
      this.coinsPerGame === 1 && batch >= WASM_STEP_MIN_BATCH
        ? CoinMemory.create(batch, this.moveTo, MOVES.length, this.cells)
        : undefined;
    const state: CoinState = memory
      ? { t: 0, pos: memory.pos, coins: memory.coins, owner: memory.owner }
      : {
          t: 0,
          pos: new Int32Array(AGENTS * batch),
          coins: new Int32Array(this.coinsPerGame * batch),
          owner: new Uint8Array(batch),
        };
    if (memory) memory.run(RESET, undefined, rng);
    else this.resetAll(state, this.bits.attach(rng));
    return { state, obs: this.observe(state) };
  }

  /**
   * Buffers for a loop of `stepInto(state, buffers.actions, rng, buffers)`: in the state's WebAssembly memory
   * when it has one (then neither the actions nor the outputs are copied, and the random agent draws its moves
   * there), otherwise new arrays.
   */
  stepBuffers(state: CoinState): CoinLoopBuffers {
    const memory = this.memoryOf(state);
    if (memory) return { actions: memory.actions, rewards: memory.rewards, pickups: memory.pickups };
    const n = AGENTS * state.owner.length;
    return { actions: new Uint8Array(n), rewards: new Float64Array(n), pickups: new Uint8Array(n) };
  }

  /** Start game g afresh: the one place a game is reset (by `reset` and by the auto-reset of `stepInto`). */
  resetSlot(state: CoinState, g: number, bits: RandomBits): void {
    const { pos, coins, owner } = state;
    const n = this.cells;
    if (this.coinsPerGame === 1) {
      // LOQA CoinGame.init: colour, then both agents' cells, then the coin off the agents.
      owner[g] = bits.int(2);
      pos[2 * g] = bits.int(n);
      pos[2 * g + 1] = bits.int(n);
      coins[g] = this.freeCell(pos[2 * g], pos[2 * g + 1], bits);
    } else {
      // pax _reset: red agent, blue agent, red coin, blue coin, each uniform over the board.
      owner[g] = 0;
      pos[2 * g] = bits.int(n);
      pos[2 * g + 1] = bits.int(n);
      coins[2 * g] = bits.int(n);
      coins[2 * g + 1] = bits.int(n);
    }
  }

  /** A cell uniform over those that are neither `a` nor `b` (one draw: the k-th free cell in order). */
  freeCell(a: number, b: number, bits: RandomBits): number {
    return kthFreeCell(bits.int(this.cells - (a === b ? 1 : 2)), a, b);
  }

  /**
   * One step of every game, in place and allocation-free: moves, pickups, rewards and respawns; `t` advances. At
   * the end of an episode every game is reset through `resetSlot` and `true` is returned (the outputs hold the last
   * step's rewards and pickups).
   */
  stepInto(state: CoinState, actions: Uint8Array, rng: Rng, out: CoinStepBuffers): boolean {
    const memory = this.memoryOf(state);
    if (memory) {
      // The whole step, the end-of-episode reset included, in WebAssembly (wasmStep.ts).
      this.checkActionsLength(state, actions);
      const done = state.t + 1 >= this.params.episodeSteps;
      const m = memory.run(done ? STEP | RESET : STEP, actions, rng);
      if (m < 0) this.badAction(-1 - m, actions);
      if (out.rewards !== memory.rewards) out.rewards.set(memory.rewards);
      if (out.pickups !== memory.pickups) out.pickups.set(memory.pickups);
      state.t = done ? 0 : state.t + 1;
      return done;
    }
    const bits = this.bits.attach(rng);
    this.transitionInto(state, actions, bits, out);
    if (state.t < this.params.episodeSteps) return false;
    this.resetAll(state, bits);
    return true;
  }

  /** `stepInto` as a pure function: a new state, the observations, and the pre-reset observation at the end. */
  step(state: CoinState, actions: Uint8Array, rng: Rng): CoinStepResult {
    const next = cloneCoinState(state);
    const batch = state.owner.length;
    const out = { rewards: new Float64Array(AGENTS * batch), pickups: new Uint8Array(AGENTS * batch) };
    const bits = this.bits.attach(rng);
    this.transitionInto(next, actions, bits, out);
    const info: CoinStepResult["info"] = { pickups: out.pickups };
    const done = next.t >= this.params.episodeSteps;
    if (done) {
      info.terminalObs = this.observe(next);
      this.resetAll(next, bits);
    }
    return { state: next, obs: this.observe(next), rewards: out.rewards, done, info };
  }

  private resetAll(state: CoinState, bits: RandomBits): void {
    const batch = state.owner.length;
    for (let g = 0; g < batch; g++) this.resetSlot(state, g, bits);
    state.t = 0;
  }

  private transitionInto(
    state: CoinState,
    actions: Uint8Array,
    bits: RandomBits,
    out: CoinStepBuffers,
  ): void {
    this.checkActionsLength(state, actions);
    if (this.coinsPerGame === 1) this.oneCoinInto(state, actions, bits, out);
    else this.twoCoinsInto(state, actions, bits, out);
    state.t++;
  }

  /** The state's WebAssembly memory, if all of its arrays live there (a copy of a state does not). */
  private memoryOf(state: CoinState): CoinMemory | undefined {
    const memory = CoinMemory.of(state.pos);
    return memory && memory.coins === state.coins && memory.owner === state.owner ? memory : undefined;
  }

  private checkActionsLength(state: CoinState, actions: Uint8Array): void {
    const batch = state.owner.length;
    if (actions.length !== AGENTS * batch) {
      throw new RangeError(`actions: expected ${AGENTS * batch} entries ([batch, 2]), got ${actions.length}`);
    }
  }

  private badAction(g: number, actions: Uint8Array): never {
    const nA = this.nActions;
    throw new RangeError(
      `actions[${g}]: ${actions[2 * g]}, ${actions[2 * g + 1]}; allowed 0..${nA - 1} (${ACTION_NAMES.slice(0, nA).join(", ")})`,
    );
  }

  private oneCoinInto(state: CoinState, actions: Uint8Array, bits: RandomBits, out: CoinStepBuffers): void {
    const { pos, coins, owner } = state;
    const { rewards, pickups } = out;
    const moveTo = this.moveTo;
    const n = this.cells;
    const batch = owner.length;
    if (this.picked.length < batch) this.picked = new Int32Array(batch);
    const picked = this.picked;
    let m = 0;
    // Pass 1, without branches on the game (0/1 integers from `is0`; random pickups would mispredict): moves,
    // rewards, pickups, the colour; the games with a pickup are listed in `picked`.
    for (let g = 0; g < batch; g++) {
      const a0 = actions[2 * g];
      const a1 = actions[2 * g + 1];
      if ((a0 | a1) > 3) this.badAction(g, actions);
      const p0 = moveTo[pos[2 * g] * 5 + a0];
      const p1 = moveTo[pos[2 * g + 1] * 5 + a1];
      pos[2 * g] = p0;
      pos[2 * g + 1] = p1;
      const c = coins[g];
      const on0 = is0(p0 ^ c);
      const on1 = is0(p1 ^ c);
      const o = owner[g];
      // Picker +1; the owner −2 when the non-owner is among the pickers.
      rewards[2 * g] = on0 - 2 * (1 - o) * on1;
      rewards[2 * g + 1] = on1 - 2 * o * on0;
      pickups[2 * g] = on0 * (o + 1); // PICKED_OWN if o = 0, PICKED_OTHER if o = 1
      pickups[2 * g + 1] = on1 * (2 - o);
      const any = on0 | on1;
      owner[g] = o ^ any; // the colour alternates after a pickup
      picked[m] = g;
      m += any;
    }
    respawn(state, picked, m, n, bits);
  }

  private twoCoinsInto(state: CoinState, actions: Uint8Array, bits: RandomBits, out: CoinStepBuffers): void {
    const { pos, coins } = state;
    const { rewards, pickups } = out;
    const moveTo = this.moveTo;
    const batch = state.owner.length;
    const n = this.cells;
    for (let g = 0; g < batch; g++) {
      const a0 = actions[2 * g];
      const a1 = actions[2 * g + 1];
      if (a0 > 4 || a1 > 4) this.badAction(g, actions);
      const p0 = moveTo[pos[2 * g] * 5 + a0];
      const p1 = moveTo[pos[2 * g + 1] * 5 + a1];
      pos[2 * g] = p0;
      pos[2 * g + 1] = p1;
      const red = coins[2 * g];
      const blue = coins[2 * g + 1];
      const rr = p0 === red; // red agent on the red coin
      const rb = p0 === blue;
      const br = p1 === red;
      const bb = p1 === blue;
      // pax: own coin +1, other's coin +1, and −2 to a coin's owner for the other agent's match.
      rewards[2 * g] = (rr ? 1 : 0) + (rb ? 1 : 0) - (br ? 2 : 0);
      rewards[2 * g + 1] = (bb ? 1 : 0) + (br ? 1 : 0) - (rb ? 2 : 0);
      pickups[2 * g] = (rr ? PICKED_OWN : 0) | (rb ? PICKED_OTHER : 0);
      pickups[2 * g + 1] = (bb ? PICKED_OWN : 0) | (br ? PICKED_OTHER : 0);
      if (rr || br) coins[2 * g] = bits.int(n);
      if (rb || bb) coins[2 * g + 1] = bits.int(n);
    }
  }

  /** Both agents' observations, `[batch, 2, 4·H·W]`. */
  observe(state: CoinState): Float32Array {
    const out = new Float32Array(state.owner.length * AGENTS * this.obsSize);
    this.observeInto(state, out);
    return out;
  }

  /** Both agents' observations into `out` (`[batch, 2, 4·H·W]`). */
  observeInto(state: CoinState, out: Float32Array): void {
    this.writeObs(state, 0, out, 0, AGENTS * this.obsSize);
    this.writeObs(state, 1, out, this.obsSize, AGENTS * this.obsSize);
  }

  /** One agent's observations into `out` (`[batch, 4·H·W]`): a policy's input matrix. */
  observeAgentInto(state: CoinState, agent: 0 | 1, out: Float32Array): void {
    this.writeObs(state, agent, out, 0, this.obsSize);
  }

  /** `cell` moved by (sr, sc) rows and columns on the torus (sr, sc ≥ 0); (0, 0) leaves it as it is. */
  private shifted(cell: number, sr: number, sc: number): number {
    if (sr === 0 && sc === 0) return cell;
    const { height: H, width: W } = this.params;
    return ((Math.floor(cell / W) + sr) % H) * W + (((cell % W) + sc) % W);
  }

  private writeObs(
    state: CoinState,
    agent: 0 | 1,
    out: Float32Array,
    offset: number,
    gameStride: number,
  ): void {
    const { pos, coins, owner } = state;
    const { height: H, width: W, egocentric } = this.params;
    const n = this.cells;
    const batch = owner.length;
    if (out.length < offset + (batch - 1) * gameStride + this.obsSize) {
      throw new RangeError(`observation buffer too small: ${out.length} for batch ${batch}`);
    }
    const other = 1 - agent;
    for (let g = 0; g < batch; g++) {
      const base = offset + g * gameStride;
      out.fill(0, base, base + this.obsSize);
      const self = pos[2 * g + agent];
      // Egocentric: shift rows and columns (mod H, W) so that `self` lands on the centre cell.
      const sr = egocentric ? (H >> 1) - Math.floor(self / W) + H : 0;
      const sc = egocentric ? (W >> 1) - (self % W) + W : 0;
      out[base + this.shifted(self, sr, sc)] = 1;
      out[base + n + this.shifted(pos[2 * g + other], sr, sc)] = 1;
      if (this.coinsPerGame === 1) {
        out[base + (owner[g] === agent ? 2 : 3) * n + this.shifted(coins[g], sr, sc)] = 1;
      } else {
        out[base + 2 * n + this.shifted(coins[2 * g + agent], sr, sc)] = 1;
        out[base + 3 * n + this.shifted(coins[2 * g + other], sr, sc)] = 1;
      }
    }
  }
}
