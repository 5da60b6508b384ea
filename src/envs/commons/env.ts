/**
 * Commons Harvest, lite: a batched gridworld after Melting Pot's commons_harvest__open (Leibo et al. 2021,
 * Agapiou et al. 2022; google-deepmind/meltingpot configs/substrates/commons_harvest__open.py and
 * lua/levels/commons_harvest/components.lua), small enough for a CPU. Mechanics, each step in this order:
 *
 * Step order: moves and eating, respawns, zaps, regrowth.
 * 1. Moves. Actions (Melting Pot's order): 0 NOOP, 1 FORWARD, 2 BACKWARD, 3 STEP_LEFT, 4 STEP_RIGHT,
 *    5 TURN_LEFT, 6 TURN_RIGHT, 7 FIRE_ZAP. Moves are relative to the agent's facing (0 north, 1 east,
 *    2 south, 3 west). Agents move one at a time in a fresh random order each step (a stand-in for lab2d's
 *    conflict resolution); a move into a wall or an occupied cell fails.
 * 2. Eating: an agent that ENTERS a cell with a live apple gets +1 and the apple is gone. An apple that regrows
 *    under a standing agent is not eaten until the agent steps onto the cell again (as `Edible` in Melting Pot).
 * 3. Zapping: an agent choosing FIRE_ZAP with its cooldown at 0 fires a beam `beamLength` cells forward and 3
 *    wide; walls block each lane of the beam, and the nearest agent hit (centre lane first at equal distance)
 *    is removed: it misses the next `respawnFrames` steps (at least 1), then respawns on a random free `P` cell
 *    facing a random way (it waits while every `P` cell is taken). Firing
 *    sets the cooldown to `cooldown`; it drops by one per step. No reward for zapping or being zapped.
 * 4. Regrowth: every empty apple cell regrows with probability p[min(k, 3)], k = live apples within L1 distance
 *    2 (./map.ts), p = (0, 0.0025, 0.005, 0.025) for the open substrate: a patch with no apples left never
 *    regrows.
 * Episodes have a fixed length (`episodeSteps`; Melting Pot draws 1000 + 100·Geom(0.15) frames).
 *
 * Batched state as typed arrays (`[batch, …]`), one allocation-free `stepInto` with auto-reset of finished games
 * through a single `resetGame` (STYLE.md points 5, 6). Observations (`observeInto`) are egocentric windows
 * rotated to the agent's facing, channels (wall, apple, self, other), Melting Pot's window shape by default
 * (5 left, 5 right, 9 forward, 1 back: 11 × 11).
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import type { CommonsMap } from "./map.js";

export const COMMONS_ACTIONS = [
  "NOOP",
  "FORWARD",
  "BACKWARD",
  "STEP_LEFT",
  "STEP_RIGHT",
  "TURN_LEFT",
  "TURN_RIGHT",
  "FIRE_ZAP",
] as const;
export const ACTION = {
  noop: 0,
  forward: 1,
  backward: 2,
  left: 3,
  right: 4,
  turnLeft: 5,
  turnRight: 6,
  zap: 7,
} as const;
/** Row and column steps of the four facings: north, east, south, west. */
export const FACING_STEPS: readonly (readonly [number, number])[] = [
  [-1, 0], // north
  [0, 1], // east
  [1, 0], // south
  [0, -1], // west
];
/** Observation channels, in order. */
export const OBS_CHANNELS = ["wall", "apple", "self", "other"] as const;

export interface CommonsParams {
  players: number;
  episodeSteps: number;
  /** Regrowth probability by live-neighbour count k = 0, 1, 2, ≥ 3. */
  regrowth: readonly [number, number, number, number];
  beamLength: number;
  cooldown: number;
  respawnFrames: number;
  /** Egocentric window: cells to the left, right, ahead and behind. */
  view: { left: number; right: number; forward: number; backward: number };
}

/** Melting Pot's commons_harvest__open settings (7 players; episode length fixed at 1000 here). */
export const OPEN_PARAMS: CommonsParams = {
  players: 7,
  episodeSteps: 1000,
  regrowth: [0, 0.0025, 0.005, 0.025],
  beamLength: 3,
  cooldown: 2,
  respawnFrames: 4,
  view: { left: 5, right: 5, forward: 9, backward: 1 },
};

export interface CommonsState {
  readonly batch: number;
  /** Steps taken in the current episode of each game. */
  readonly t: Int32Array;
  /** 1 where apple a is live, `[batch, apples]`. */
  readonly apples: Uint8Array;
  /** Cell of each agent, −1 while removed, `[batch, N]`. */
  readonly position: Int32Array;
  readonly facing: Uint8Array;
  readonly cooldown: Int32Array;
  /** Steps left until a removed agent respawns, `[batch, N]`. */
  readonly removedFor: Int32Array;
  /** Occupant agent + 1 of each cell (0 empty), `[batch, cells]`. */
  readonly occupant: Int32Array;
}

export class CommonsHarvestEnv {
  readonly cells: number;
  /** Floats per observation window (rows · cols · channels), and the action count: what a network is built for. */
  readonly obsSize: number;
  readonly nActions = COMMONS_ACTIONS.length;
  private readonly order: Int32Array;

  constructor(
    readonly map: CommonsMap,
    readonly params: CommonsParams = OPEN_PARAMS,
  ) {
    const { players, episodeSteps, regrowth, beamLength, cooldown, respawnFrames } = params;
    if (
      !(Number.isInteger(players) && players >= 1 && players <= map.insideSpawns.length + map.spawns.length)
    ) {
      throw new InputError(
        "players",
        `must be an integer in [1, ${map.insideSpawns.length + map.spawns.length}] (the map's spawn points), got ${players}`,
      );
    }
    if (!(Number.isInteger(episodeSteps) && episodeSteps >= 1)) {
      throw new InputError("episodeSteps", `must be an integer ≥ 1, got ${episodeSteps}`);
    }
    if (regrowth.length !== 4 || !regrowth.every((p) => p >= 0 && p <= 1)) {
      throw new InputError(
        "regrowth",
        "must be 4 probabilities in [0, 1] (k = 0, 1, 2, ≥ 3 live neighbours)",
      );
    }
    for (const [field, value] of [
      ["beamLength", beamLength],
      ["cooldown", cooldown],
      ["respawnFrames", respawnFrames],
      ["view.left", params.view.left],
      ["view.right", params.view.right],
      ["view.forward", params.view.forward],
      ["view.backward", params.view.backward],
    ] as const) {
      if (!(Number.isInteger(value) && value >= 0))
        throw new InputError(field, `must be an integer ≥ 0, got ${value}`);
    }
    this.cells = map.height * map.width;
    const { left, right, forward, backward } = params.view;
    this.obsSize = (forward + 1 + backward) * (left + 1 + right) * OBS_CHANNELS.length;
    this.order = new Int32Array(players);
  }

  /** Fresh state for `batch` games. */
  reset(rng: Rng, batch: number): CommonsState {
    const n = this.params.players;
    const state: CommonsState = {
      batch,
      t: new Int32Array(batch),
      apples: new Uint8Array(batch * this.map.appleCells.length),
      position: new Int32Array(batch * n),
      facing: new Uint8Array(batch * n),
      cooldown: new Int32Array(batch * n),
      removedFor: new Int32Array(batch * n),
      occupant: new Int32Array(batch * this.cells),
    };
    for (let g = 0; g < batch; g++) this.resetGame(state, g, rng);
    return state;
  }

  /** The one place a game is (re)started: all apples live, agents on the `Q` cells first, then random `P` cells. */
  resetGame(state: CommonsState, g: number, rng: Rng): void {
    const n = this.params.players;
    const apples = this.map.appleCells.length;
    state.t[g] = 0;
    state.apples.fill(1, g * apples, (g + 1) * apples);
    state.occupant.fill(0, g * this.cells, (g + 1) * this.cells);
    for (let i = 0; i < n; i++) {
      state.cooldown[g * n + i] = 0;
      state.removedFor[g * n + i] = 0;
      const cell =
        i < this.map.insideSpawns.length ? this.map.insideSpawns[i] : this.freeSpawn(state, g, rng);
      this.place(state, g, i, cell, rng.int(4));
    }
  }

  /**
   * Advance every game one step: `actions` `[batch, N]`, rewards written to `rewards` `[batch, N]`. A game that
   * reaches `episodeSteps` is reset in place (unless `autoReset` is false: then it keeps its last state, for a
   * recorder or a frame to read it); `done[g]` is set to 1 for it (0 otherwise).
   */
  stepInto(
    state: CommonsState,
    actions: Uint8Array,
    rng: Rng,
    rewards: Float64Array,
    done: Uint8Array,
    autoReset = true,
  ): void {
    rewards.fill(0);
    for (let g = 0; g < state.batch; g++) {
      this.moveAndEat(state, g, actions, rng, rewards);
      this.respawn(state, g, rng); // before zapping, so a zapped agent misses exactly respawnFrames steps
      this.zap(state, g, actions);
      this.regrow(state, g, rng);
      state.t[g] += 1;
      done[g] = state.t[g] >= this.params.episodeSteps ? 1 : 0;
      if (done[g] && autoReset) this.resetGame(state, g, rng);
    }
  }

  /** Live apples within L1 distance 2 of apple `a` in game `g` (the regrowth rule's k). */
  liveNeighbours(state: CommonsState, g: number, a: number): number {
    const { offsets, neighbours, appleCells } = this.map;
    const base = g * appleCells.length;
    let k = 0;
    // `& 1`: an apple marked 2 (regrown during this step's regrowth pass) does not count yet.
    for (let e = offsets[a]; e < offsets[a + 1]; e++) k += state.apples[base + neighbours[e]] & 1;
    return k;
  }

  /** Live apples in game `g`. */
  liveApples(state: CommonsState, g: number): number {
    const apples = this.map.appleCells.length;
    let live = 0;
    for (let a = 0; a < apples; a++) live += state.apples[g * apples + a];
    return live;
  }

  /**
   * Agent i's egocentric observation in game g, rotated so its facing is "up": `[rows, cols, 4]` with rows =
   * forward + 1 + backward (the agent on row `forward`), cols = left + 1 + right. Outside the map reads as wall.
   */
  observeInto(state: CommonsState, g: number, i: number, out: Float32Array): void {
    const n = this.params.players;
    const { left, right, forward, backward } = this.params.view;
    const { height, width, wall, appleIndex, appleCells } = this.map;
    const cols = left + 1 + right;
    out.fill(0);
    const cell = state.position[g * n + i];
    if (cell < 0) return; // removed: sees nothing
    const r0 = (cell / width) | 0;
    const c0 = cell % width;
    const f = state.facing[g * n + i];
    const [fr, fc] = FACING_STEPS[f];
    const [rr, rc] = FACING_STEPS[(f + 1) % 4]; // the agent's right
    for (let row = 0; row < forward + 1 + backward; row++) {
      const ahead = forward - row;
      for (let col = 0; col < cols; col++) {
        const side = col - left;
        const r = r0 + ahead * fr + side * rr;
        const c = c0 + ahead * fc + side * rc;
        const o = (row * cols + col) * 4;
        if (r < 0 || r >= height || c < 0 || c >= width) {
          out[o] = 1;
          continue;
        }
        const at = r * width + c;
        out[o] = wall[at];
        const a = appleIndex[at];
        if (a >= 0) out[o + 1] = state.apples[g * appleCells.length + a];
        const who = state.occupant[g * this.cells + at];
        if (who === i + 1) out[o + 2] = 1;
        else if (who > 0) out[o + 3] = 1;
      }
    }
  }

  private place(state: CommonsState, g: number, i: number, cell: number, facing: number): void {
    const n = this.params.players;
    state.position[g * n + i] = cell;
    state.facing[g * n + i] = facing;
    state.occupant[g * this.cells + cell] = i + 1;
  }

  private freeSpawn(state: CommonsState, g: number, rng: Rng): number {
    const { spawns } = this.map;
    const free: number[] = [];
    for (let s = 0; s < spawns.length; s++)
      if (state.occupant[g * this.cells + spawns[s]] === 0) free.push(spawns[s]);
    if (free.length === 0) return -1;
    return free[rng.int(free.length)];
  }

  private moveAndEat(
    state: CommonsState,
    g: number,
    actions: Uint8Array,
    rng: Rng,
    rewards: Float64Array,
  ): void {
    const n = this.params.players;
    const { width, wall, appleIndex, appleCells } = this.map;
    const order = this.order;
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    for (let o = 0; o < n; o++) {
      const i = order[o];
      const slot = g * n + i;
      const cell = state.position[slot];
      if (cell < 0) continue;
      const action = actions[slot];
      if (action === ACTION.turnLeft) state.facing[slot] = (state.facing[slot] + 3) % 4;
      else if (action === ACTION.turnRight) state.facing[slot] = (state.facing[slot] + 1) % 4;
      if (action < ACTION.forward || action > ACTION.right) continue;
      // FORWARD keeps the facing, BACKWARD reverses it, STEP_LEFT / STEP_RIGHT turn it by −1 / +1.
      const turn =
        action === ACTION.forward ? 0 : action === ACTION.backward ? 2 : action === ACTION.left ? 3 : 1;
      const [dr, dc] = FACING_STEPS[(state.facing[slot] + turn) % 4];
      const target = cell + dr * width + dc; // the border is walls, so a step never leaves the map
      if (wall[target] || state.occupant[g * this.cells + target] !== 0) continue;
      state.occupant[g * this.cells + cell] = 0;
      state.occupant[g * this.cells + target] = i + 1;
      state.position[slot] = target;
      const a = appleIndex[target];
      if (a >= 0 && state.apples[g * appleCells.length + a]) {
        state.apples[g * appleCells.length + a] = 0;
        rewards[slot] += 1;
      }
    }
  }

  private zap(state: CommonsState, g: number, actions: Uint8Array): void {
    const n = this.params.players;
    const { beamLength, cooldown, respawnFrames } = this.params;
    const { width, height, wall } = this.map;
    for (let i = 0; i < n; i++) {
      const slot = g * n + i;
      if (state.cooldown[slot] > 0) state.cooldown[slot] -= 1;
    }
    for (let i = 0; i < n; i++) {
      const slot = g * n + i;
      const cell = state.position[slot];
      if (cell < 0 || actions[slot] !== ACTION.zap || state.cooldown[slot] > 0) continue;
      state.cooldown[slot] = cooldown;
      const [fr, fc] = FACING_STEPS[state.facing[slot]];
      const [rr, rc] = FACING_STEPS[(state.facing[slot] + 1) % 4];
      const r0 = (cell / width) | 0;
      const c0 = cell % width;
      const blocked = [false, false, false]; // lanes: centre, left, right
      let hit = -1;
      for (let d = 1; d <= beamLength && hit < 0; d++) {
        for (const [lane, side] of [
          [0, 0],
          [1, -1],
          [2, 1],
        ] as const) {
          if (blocked[lane]) continue;
          const r = r0 + d * fr + side * rr;
          const c = c0 + d * fc + side * rc;
          if (r < 0 || r >= height || c < 0 || c >= width || wall[r * width + c]) {
            blocked[lane] = true;
            continue;
          }
          const who = state.occupant[g * this.cells + r * width + c];
          if (who > 0) {
            hit = who - 1;
            break;
          }
        }
      }
      if (hit < 0) continue;
      const target = g * n + hit;
      state.occupant[g * this.cells + state.position[target]] = 0;
      state.position[target] = -1;
      state.removedFor[target] = respawnFrames;
    }
  }

  private respawn(state: CommonsState, g: number, rng: Rng): void {
    const n = this.params.players;
    for (let i = 0; i < n; i++) {
      const slot = g * n + i;
      if (state.position[slot] >= 0) continue;
      if (state.removedFor[slot] > 0) {
        state.removedFor[slot] -= 1;
        if (state.removedFor[slot] > 0) continue;
      }
      const cell = this.freeSpawn(state, g, rng);
      if (cell >= 0) this.place(state, g, i, cell, rng.int(4));
    }
  }

  private regrow(state: CommonsState, g: number, rng: Rng): void {
    const { regrowth } = this.params;
    const apples = this.map.appleCells.length;
    const base = g * apples;
    // Counts are read before any apple regrows this step, so the order of cells does not matter.
    for (let a = 0; a < apples; a++) {
      if (state.apples[base + a]) continue;
      const k = this.liveNeighbours(state, g, a);
      const p = regrowth[Math.min(k, 3)];
      if (p > 0 && rng.uniform() < p) state.apples[base + a] = 2; // marked: regrown this step
    }
    for (let a = 0; a < apples; a++) if (state.apples[base + a] === 2) state.apples[base + a] = 1;
  }
}
