/**
 * Commons Harvest episodes as pictures: what one recorded frame (src/learners/neural/commonsRollout.ts's
 * `CommonsFrame`: live apples, agents' cells and facings) shows on the map, as a list of tiles. The report's
 * frame strip (src/report/frameStrip.ts) and the explorer's replay (web/commons.ts) both draw these tiles, so a
 * picture in the HTML report and a step in the explorer show the same board.
 *
 * Tiles: `wall`; `apple` (live) and `grass` (an apple cell without its apple); `focal` and `background` agents
 * (slots < focal and the rest), each with its facing. Floor cells are not listed.
 */
export const TILE_KINDS = ["wall", "apple", "grass", "focal", "background"] as const;
export type TileKind = (typeof TILE_KINDS)[number];
/** Colours of the tiles (walls grey, apples green, eaten apple cells pale, focal blue, background red). */
export const TILE_COLOURS: Readonly<Record<TileKind, string>> = {
  wall: "#9e9e9e",
  apple: "#2e7d32",
  grass: "#dcedc8",
  focal: "#1565c0",
  background: "#c62828",
};

/** What a recorded episode needs to be drawn: the map's rows, its apple cells and who is focal. */
export interface EpisodeLayout {
  map: readonly string[];
  /** Cell (row · width + column) of apple a, in the order of the frames' `apples` strings. */
  appleCells: readonly number[];
  focal: number;
}

export interface FrameLike {
  apples: string;
  position: readonly number[];
  facing: readonly number[];
}

export interface Tile {
  row: number;
  col: number;
  tile: TileKind;
  /** Agent slot (agents only). */
  agent?: number;
  facing?: number;
}

export function frameTiles(layout: EpisodeLayout, frame: FrameLike): Tile[] {
  const width = layout.map[0]?.length ?? 0;
  const tiles: Tile[] = [];
  layout.map.forEach((line, row) => {
    for (let col = 0; col < line.length; col++) if (line[col] === "W") tiles.push({ row, col, tile: "wall" });
  });
  layout.appleCells.forEach((cell, a) => {
    const tile = frame.apples[a] === "1" ? "apple" : "grass";
    tiles.push({ row: Math.floor(cell / width), col: cell % width, tile });
  });
  frame.position.forEach((cell, agent) => {
    if (cell < 0) return; // removed by a zap
    const tile = agent < layout.focal ? "focal" : "background";
    tiles.push({
      row: Math.floor(cell / width),
      col: cell % width,
      tile,
      agent,
      facing: frame.facing[agent],
    });
  });
  return tiles;
}

/** `count` frame indices spread evenly over 0 … frames − 1 (the first and the last included). */
export function stripFrames(frames: number, count: number): number[] {
  if (frames <= 0) return [];
  if (count <= 1 || frames === 1) return [0];
  const k = Math.min(count, frames);
  return Array.from({ length: k }, (_, i) => Math.round((i * (frames - 1)) / (k - 1)));
}
