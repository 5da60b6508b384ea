/**
 * Fixed Commons Harvest agents (CPU stand-ins for Melting Pot's background bots; the research notes'
 * design, not Melting Pot's trained bots):
 *
 * - greedy harvester ("pacifist" stand-in): walks a shortest path (breadth-first over non-wall cells) to the
 *   nearest live apple and eats everything, the last apple of a patch included;
 * - greedy zapper ("free" stand-in): the same, but fires the zap whenever another agent stands in its beam and
 *   its cooldown allows;
 * - sustainable harvester: only eats apples with at least `minNeighbours` live apples within L1 distance 2, and
 *   never steps onto an apple it would not eat (entering a cell eats its apple), so a patch keeps the density
 *   it needs to regrow.
 * Moves are chosen in absolute directions and sent as the relative action that makes them (FORWARD, STEP_RIGHT,
 * BACKWARD, STEP_LEFT for a direction 0, 1, 2, 3 quarter-turns clockwise from the facing). No apple to go for:
 * NOOP.
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import { ACTION, COMMONS_ACTIONS, type CommonsHarvestEnv, type CommonsState, FACING_STEPS } from "./env.js";

/** A fixed Commons Harvest policy: agent i's action in game g (`rng`: the seat's own stream, for random agents). */
export interface CommonsAgent {
  act(state: CommonsState, g: number, i: number, rng: Rng): number;
}

export interface HarvesterOptions {
  /** Eat only apples with at least this many live neighbours (0 = greedy). */
  minNeighbours?: number;
  /** Fire at agents in the beam. */
  zaps?: boolean;
}

/** Relative move action for a step in absolute direction `dir` while facing `facing`. */
const RELATIVE_MOVE = [ACTION.forward, ACTION.right, ACTION.backward, ACTION.left] as const;

export class HarvesterAgent implements CommonsAgent {
  private readonly parent: Int32Array;
  private readonly queue: Int32Array;
  private readonly minNeighbours: number;
  private readonly zaps: boolean;

  constructor(
    private readonly env: CommonsHarvestEnv,
    options: HarvesterOptions = {},
  ) {
    this.minNeighbours = options.minNeighbours ?? 0;
    this.zaps = options.zaps ?? false;
    this.parent = new Int32Array(env.cells);
    this.queue = new Int32Array(env.cells);
  }

  /** Agent i's action in game g. */
  act(state: CommonsState, g: number, i: number): number {
    const env = this.env;
    const n = env.params.players;
    const slot = g * n + i;
    const start = state.position[slot];
    if (start < 0) return ACTION.noop;
    if (this.zaps && state.cooldown[slot] === 0 && this.agentInBeam(state, g, i)) return ACTION.zap;
    const { width, wall, appleIndex, appleCells } = env.map;
    const apples = state.apples.subarray(g * appleCells.length, (g + 1) * appleCells.length);
    const edible = (cell: number) => {
      const a = appleIndex[cell];
      return a >= 0 && apples[a] === 1 && env.liveNeighbours(state, g, a) >= this.minNeighbours;
    };
    const protectedApple = (cell: number) => {
      const a = appleIndex[cell];
      return a >= 0 && apples[a] === 1 && !edible(cell);
    };
    this.parent.fill(-2);
    this.parent[start] = -1;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = start;
    while (head < tail) {
      const cell = this.queue[head++];
      if (cell !== start && edible(cell)) return this.firstStep(state, slot, start, cell);
      for (const [dr, dc] of FACING_STEPS) {
        const next = cell + dr * width + dc;
        if (wall[next] || this.parent[next] !== -2 || protectedApple(next)) continue;
        this.parent[next] = cell;
        this.queue[tail++] = next;
      }
    }
    return ACTION.noop;
  }

  /** The relative action of the first step on the path start → goal. */
  private firstStep(state: CommonsState, slot: number, start: number, goal: number): number {
    let cell = goal;
    while (this.parent[cell] !== start) cell = this.parent[cell];
    const width = this.env.map.width;
    const delta = cell - start;
    const dir = delta === -width ? 0 : delta === 1 ? 1 : delta === width ? 2 : 3;
    return RELATIVE_MOVE[(dir - state.facing[slot] + 4) % 4];
  }

  private agentInBeam(state: CommonsState, g: number, i: number): boolean {
    const env = this.env;
    const n = env.params.players;
    const { width, height, wall } = env.map;
    const cell = state.position[g * n + i];
    const [fr, fc] = FACING_STEPS[state.facing[g * n + i]];
    const [rr, rc] = FACING_STEPS[(state.facing[g * n + i] + 1) % 4];
    const r0 = (cell / width) | 0;
    const c0 = cell % width;
    for (const side of [0, -1, 1]) {
      for (let d = 1; d <= env.params.beamLength; d++) {
        const r = r0 + d * fr + side * rr;
        const c = c0 + d * fc + side * rc;
        if (r < 0 || r >= height || c < 0 || c >= width || wall[r * width + c]) break;
        if (state.occupant[g * env.cells + r * width + c] > 0) return true;
      }
    }
    return false;
  }
}

/** Uniform over the 8 actions: the lower end of Melting Pot's normalisation ("random" baseline). */
export class RandomCommonsAgent implements CommonsAgent {
  act(_state: CommonsState, _g: number, _i: number, rng: Rng): number {
    return rng.int(COMMONS_ACTIONS.length);
  }
}

/** The fixed agents by name (the sustainable one eats only apples with ≥ 2 live neighbours). */
export const FIXED_COMMONS_AGENTS = ["greedy", "greedy-zapper", "sustainable", "random"] as const;
export type FixedCommonsAgentName = (typeof FIXED_COMMONS_AGENTS)[number];
export const SUSTAINABLE_MIN_NEIGHBOURS = 2;

export function fixedCommonsAgent(name: string, env: CommonsHarvestEnv, field = "agent"): CommonsAgent {
  switch (name) {
    case "greedy":
      return new HarvesterAgent(env);
    case "greedy-zapper":
      return new HarvesterAgent(env, { zaps: true });
    case "sustainable":
      return new HarvesterAgent(env, { minNeighbours: SUSTAINABLE_MIN_NEIGHBOURS });
    case "random":
      return new RandomCommonsAgent();
    default:
      throw new InputError(
        field,
        `unknown fixed agent "${name}"; allowed: ${FIXED_COMMONS_AGENTS.join(", ")}`,
      );
  }
}
