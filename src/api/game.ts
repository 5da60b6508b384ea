/**
 * How the library API takes a game: a preset name (`"ipd"`, `"ipd-lola"`, `"imp"`, …; see `GAME_PRESET_NAMES`)
 * or a `MatrixGame` (e.g. from `symmetricGame` or `bimatrixGame`). The default follows the CLI: `ipd`
 * (3, 0, 5, 1) for matches and tournaments, `ipd-lola` (−1, −3, 0, −2) for exact learners (the LOLA paper's).
 */
import type { MatrixGame } from "../games/game.js";
import { gamePreset } from "../games/presets.js";

export type GameInput = string | MatrixGame;

export function resolveGameInput(game: GameInput | undefined, fallback: string): MatrixGame {
  if (game === undefined) return gamePreset(fallback, "game");
  return typeof game === "string" ? gamePreset(game, "game") : game;
}
