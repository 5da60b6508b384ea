/**
 * Coin Game parameters (gymnax's EnvParams): the board, the episode length, the variant and the observation view.
 * The state (src/envs/coin/state.ts) is kept apart, as plain typed arrays.
 *
 * Variants:
 * - `one-coin` (default): the LOQA / Advantage Alignment / POLA / fixed-LOLA game. One coin, 4 moves, no stay.
 *   Source: MiladInk/loqa `coin_game.py` and `league/coin.py` (the env the AA league ran on).
 * - `two-coins`: pax's `CoinGame` (ucl-dark/pax `pax/envs/coin_game.py`, ported to JaxMARL): a red and a blue coin
 *   always on the board, 5 actions (the 4 moves and stay). pax hard-codes 3×3; here the board is a parameter.
 */
import { InputError } from "../../util/errors.js";

export const COIN_VARIANTS = ["one-coin", "two-coins"] as const;
export type CoinVariant = (typeof COIN_VARIANTS)[number];

export interface CoinParams {
  /** Rows of the torus. */
  readonly height: number;
  /** Columns of the torus. */
  readonly width: number;
  /** Fixed episode length: after this many steps a game resets (50 for training, 16 for AA-style evaluation). */
  readonly episodeSteps: number;
  readonly variant: CoinVariant;
  /** Re-centre each agent's view so that it sits at (⌊H/2⌋, ⌊W/2⌋) (pax's `egocentric=True`). */
  readonly egocentric: boolean;
}

export const COIN_DEFAULTS: CoinParams = {
  height: 3,
  width: 3,
  episodeSteps: 50,
  variant: "one-coin",
  egocentric: false,
};

/**
 * Board sides allowed: 2 cells a side so every move changes the cell (and a 2×2 board still leaves the one coin a
 * free cell: LOQA asserts H·W > number of players); 32 bounds the fixed agents' lookup tables.
 */
export const MAX_SIDE = 32;

function side(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 2 || value > MAX_SIDE) {
    throw new InputError(field, `must be an integer from 2 to ${MAX_SIDE}, got ${String(value)}`);
  }
  return value;
}

/** Defaults filled in and every field validated (InputError naming the field and what is allowed). */
export function coinParams(partial: Partial<CoinParams> = {}): CoinParams {
  const p = { ...COIN_DEFAULTS, ...partial };
  side("height", p.height);
  side("width", p.width);
  if (!Number.isInteger(p.episodeSteps) || p.episodeSteps < 1) {
    throw new InputError("episodeSteps", `must be a positive integer, got ${String(p.episodeSteps)}`);
  }
  if (!(COIN_VARIANTS as readonly string[]).includes(p.variant)) {
    throw new InputError("variant", `unknown value "${p.variant}"; allowed: ${COIN_VARIANTS.join(", ")}`);
  }
  if (typeof p.egocentric !== "boolean") throw new InputError("egocentric", "must be true or false");
  return p;
}
