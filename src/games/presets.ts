/**
 * Named games. The IPD presets follow the seed post (3, 0, 5, 1; Axelrod's default game) and the LOLA paper
 * (−1, −3, 0, −2). Matching pennies: agent 1 wins (+1) when the actions match.
 */
import { InputError, requireFinite } from "../util/errors.js";
import { bimatrixGame, type MatrixGame, symmetricGame } from "./game.js";
import { LIMITS } from "../util/limits.js";

export const GAME_PRESETS = {
  ipd: () => symmetricGame("ipd", 3, 0, 5, 1, { dilemma: true }),
  "ipd-lola": () => symmetricGame("ipd-lola", -1, -3, 0, -2, { dilemma: true }),
  imp: () =>
    bimatrixGame(
      "imp",
      [
        [1, -1],
        [-1, 1],
      ],
      [
        [-1, 1],
        [1, -1],
      ],
    ),
  /** Stag hunt: (R, S, T, P) = (4, 0, 3, 2); two pure equilibria, CC payoff-dominant, DD risk-dominant. */
  "stag-hunt": () => symmetricGame("stag-hunt", 4, 0, 3, 2),
  /** Chicken (hawk–dove): (R, S, T, P) = (3, 1, 4, 0); swerving (C) against a straight driver (D) beats crashing. */
  chicken: () => symmetricGame("chicken", 3, 1, 4, 0),
} satisfies Record<string, () => MatrixGame>;

export type GamePresetName = keyof typeof GAME_PRESETS;
export const GAME_PRESET_NAMES = Object.keys(GAME_PRESETS) as GamePresetName[];

/** A preset by name, with an error that lists the allowed names. */
export function gamePreset(name: string, field = "game"): MatrixGame {
  const make = (GAME_PRESETS as Record<string, () => MatrixGame>)[name];
  if (!make) throw new InputError(field, `unknown game "${name}"; allowed: ${GAME_PRESET_NAMES.join(", ")}`);
  return make();
}

/**
 * Parse "R,S,T,P" (four numbers, symmetric game) or "a11,a12,a21,a22,b11,b12,b21,b22" (eight numbers, bimatrix:
 * agent 1's matrix then agent 2's, rows = agent 1's action C, D).
 */
export function parsePayoffs(text: string, field = "payoffs"): MatrixGame {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map((s, i) => {
    const v = s === "" ? Number.NaN : Number(s);
    requireFinite(`${field}[${i}]`, v);
    // Bounded so no sum of payoffs over a long match or tournament overflows to ±Infinity.
    if (Math.abs(v) > LIMITS.payoff)
      throw new InputError(`${field}[${i}]`, `must be within ±${LIMITS.payoff}, got ${s}`);
    return v;
  });
  if (values.length === 4) {
    const [R, S, T, P] = values;
    return symmetricGame(`custom(${values.join(",")})`, R, S, T, P);
  }
  if (values.length === 8) {
    const [a11, a12, a21, a22, b11, b12, b21, b22] = values;
    return bimatrixGame(
      `custom(${values.join(",")})`,
      [
        [a11, a12],
        [a21, a22],
      ],
      [
        [b11, b12],
        [b21, b22],
      ],
    );
  }
  throw new InputError(field, `expected 4 numbers "R,S,T,P" or 8 numbers (two 2x2 matrices), got ${values.length}`);
}
