/**
 * The game of a page's settings: custom payoffs when given ("R,S,T,P" for a symmetric game, or eight numbers,
 * agent 1's 2x2 matrix then agent 2's, exactly as the CLI's --payoffs), else the named preset. Without the DOM, so
 * the models and the Node tests share it.
 */
import type { MatrixGame } from "../src/games/game.js";
import { gamePreset, parsePayoffs } from "../src/games/presets.js";

export function settingsGame(settings: { game: string; payoffs: string }): MatrixGame {
  const payoffs = settings.payoffs.trim();
  return payoffs === "" ? gamePreset(settings.game) : parsePayoffs(payoffs, "payoffs");
}
