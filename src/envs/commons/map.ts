/**
 * Commons Harvest maps: ASCII layouts in Melting Pot's notation (google-deepmind/meltingpot,
 * configs/substrates/commons_harvest__open.py): `W` wall, `A` apple on grass, `P` spawn point, `Q` inside spawn
 * point (the first agents start there, next to the apples), space = floor. Parsed once into flat cell arrays
 * (cell = row·width + column) and the apple neighbourhoods the regrowth rule reads.
 *
 * Neighbourhood: Melting Pot's `DensityRegrow` counts live apples within distance R = 2 of an eaten apple cell
 * (lab2d `queryDisc`, L2 ≤ R, which on a grid with R = 2 is the 12-cell diamond |dr| + |dc| ≤ 2 around it, the
 * cell itself excluded).
 */
import { InputError } from "../../util/errors.js";

export interface CommonsMap {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** 1 where the cell is a wall, `[height·width]`. */
  readonly wall: Uint8Array;
  /** Cells that hold an apple at the start (and may regrow one). */
  readonly appleCells: Int32Array;
  /** Index into `appleCells` of each cell, or −1, `[height·width]`. */
  readonly appleIndex: Int32Array;
  /** Apple neighbourhoods in CSR form: apple a's neighbours are `neighbours[offsets[a] .. offsets[a + 1])` (apple indices). */
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
  /** `Q` cells (first agents start here), then `P` cells (everyone else, and every respawn). */
  readonly insideSpawns: Int32Array;
  readonly spawns: Int32Array;
  /**
   * Patch of each apple, `[apples]`: the connected components of the regrowth neighbourhoods. No apple of one
   * patch counts towards another's regrowth, so a patch whose apples are all eaten is dead for good.
   */
  readonly patch: Int32Array;
  readonly patches: number;
}

/** Radius of the regrowth neighbourhood (Melting Pot's APPLE_RESPAWN_RADIUS). */
export const REGROWTH_RADIUS = 2;

/** The default small map (9 × 11): 20 apples in 3 independent patches (a 13-apple diamond, corners of 3 and 4), 2 `Q` and 7 `P` cells. */
export const SMALL_MAP = [
  "WWWWWWWWWWW",
  "WA       AW",
  "WAA  A  AAW",
  "W   AAA  AW",
  "W  AAAAA  W",
  "W Q AAA Q W",
  "W    A    W",
  "W PPPPPPP W",
  "WWWWWWWWWWW",
];

/** Melting Pot's commons_harvest__open map (18 × 24; 64 apples in 6 patches, 60 spawn points). */
export const OPEN_MAP = [
  "WWWWWWWWWWWWWWWWWWWWWWWW",
  "WAAA    A      A    AAAW",
  "WAA    AAA    AAA    AAW",
  "WA    AAAAA  AAAAA    AW",
  "W      AAA    AAA      W",
  "W       A      A       W",
  "W  A                A  W",
  "W AAA  Q        Q  AAA W",
  "WAAAAA            AAAAAW",
  "W AAA              AAA W",
  "W  A                A  W",
  "W                      W",
  "W                      W",
  "W                      W",
  "W  PPPPPPPPPPPPPPPPPP  W",
  "W PPPPPPPPPPPPPPPPPPPP W",
  "WPPPPPPPPPPPPPPPPPPPPPPW",
  "WWWWWWWWWWWWWWWWWWWWWWWW",
];

export const COMMONS_MAPS: Record<string, readonly string[]> = { small: SMALL_MAP, open: OPEN_MAP };

export function parseCommonsMap(name: string, rows: readonly string[], field = "map"): CommonsMap {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  if (height < 3 || width < 3)
    throw new InputError(field, `needs at least 3 rows and 3 columns, got ${height}×${width}`);
  const wall = new Uint8Array(height * width);
  const apples: number[] = [];
  const inside: number[] = [];
  const spawns: number[] = [];
  rows.forEach((row, r) => {
    if (row.length !== width)
      throw new InputError(`${field}[${r}]`, `must have ${width} characters like row 0, got ${row.length}`);
    for (let c = 0; c < width; c++) {
      const cell = r * width + c;
      const ch = row[c];
      if (ch === "W") wall[cell] = 1;
      else if (ch === "A") apples.push(cell);
      else if (ch === "Q") inside.push(cell);
      else if (ch === "P") spawns.push(cell);
      else if (ch !== " ")
        throw new InputError(
          `${field}[${r}]`,
          `unknown tile "${ch}" at column ${c}; allowed: W, A, P, Q, space`,
        );
    }
  });
  if (spawns.length === 0) throw new InputError(field, "needs at least one P spawn point");
  const appleIndex = new Int32Array(height * width).fill(-1);
  apples.forEach((cell, a) => {
    appleIndex[cell] = a;
  });
  const offsets = new Int32Array(apples.length + 1);
  const neighbours: number[] = [];
  apples.forEach((cell, a) => {
    const r0 = (cell / width) | 0;
    const c0 = cell % width;
    for (let dr = -REGROWTH_RADIUS; dr <= REGROWTH_RADIUS; dr++) {
      for (let dc = -REGROWTH_RADIUS; dc <= REGROWTH_RADIUS; dc++) {
        if ((dr === 0 && dc === 0) || Math.abs(dr) + Math.abs(dc) > REGROWTH_RADIUS) continue;
        const r = r0 + dr;
        const c = c0 + dc;
        if (r < 0 || r >= height || c < 0 || c >= width) continue;
        const b = appleIndex[r * width + c];
        if (b >= 0) neighbours.push(b);
      }
    }
    offsets[a + 1] = neighbours.length;
  });
  const { patch, patches } = applePatches(apples.length, offsets, neighbours);
  return {
    name,
    height,
    width,
    wall,
    appleCells: Int32Array.from(apples),
    appleIndex,
    offsets,
    neighbours: Int32Array.from(neighbours),
    insideSpawns: Int32Array.from(inside),
    spawns: Int32Array.from(spawns),
    patch,
    patches,
  };
}

/** Connected components of the apple neighbourhood graph (depth-first), numbered in order of their first apple. */
function applePatches(
  apples: number,
  offsets: Int32Array,
  neighbours: readonly number[],
): { patch: Int32Array; patches: number } {
  const patch = new Int32Array(apples).fill(-1);
  let patches = 0;
  for (let a = 0; a < apples; a++) {
    if (patch[a] >= 0) continue;
    const stack = [a];
    patch[a] = patches;
    while (stack.length > 0) {
      const b = stack.pop() as number;
      for (let e = offsets[b]; e < offsets[b + 1]; e++) {
        const c = neighbours[e];
        if (patch[c] < 0) {
          patch[c] = patches;
          stack.push(c);
        }
      }
    }
    patches++;
  }
  return { patch, patches };
}
