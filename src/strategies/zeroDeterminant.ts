/**
 * Zero-determinant (linear relation) memory-one strategies. A ZD player X with parameters (φ, s, l) enforces,
 * against ANY opponent Y, the linear relation between the long-run per-turn payoffs
 *
 *     π_Y − l = s · (π_X − l)
 *
 * using the four-vector (Hilbe, Nowak & Sigmund 2013, PNAS 110:6913, eq. 14 in Hilbe et al. PLoS ONE 2013;
 * Press & Dyson 2012):
 *
 *     p_CC = 1 − φ(1 − s)(R − l)            p_CD = 1 − φ(s(l − S) + (T − l))
 *     p_DC = φ((l − S) + s(T − l))          p_DD = φ(1 − s)(l − P)
 *
 * with P ≤ l ≤ R, s ≤ 1, s ≥ −min((T − l)/(l − S), (l − S)/(T − l)). First move C.
 * Axelrod: axelrod/strategies/zero_determinant.py (LRPlayer, ZDExtort2, ZDGTFT2, ZDSet2):
 * - ZD-Extort-2: φ = 1/9, s = 1/2, l = P (extortion factor 2) [Stewart2012]; (8/9, 1/2, 1/3, 0) in (3, 0, 5, 1).
 * - ZD-GTFT-2: φ = 1/4, s = 1/2, l = R (generous) [Stewart2012]; (1, 1/8, 1, 1/4).
 * - ZD-SET-2: φ = 1/4, s = 0, l = 2 (sets the opponent's payoff to 2) [Kuhn2017]; (3/4, 1/4, 1/2, 1/4).
 */
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";
import { memoryOne, rpst } from "./memoryone.js";
import type { Strategy } from "./types.js";

export interface ZdParameters {
  phi: number;
  s: number;
  l: number;
}

/** The four-vector of the linear-relation player (φ, s, l) in `game`; InputError outside the valid range. */
export function zdFourVector(game: MatrixGame, { phi, s, l }: ZdParameters, who = "ZD strategy") {
  const { R, P, S, T } = rpst(game, who);
  const sMin = -Math.min((T - l) / (l - S), (l - S) / (T - l));
  if (l < P || l > R || s > 1 || s < sMin) {
    throw new InputError(
      "strategy",
      `${who}: needs P ≤ l ≤ R and ${sMin.toFixed(3)} ≤ s ≤ 1 in game "${game.name}", got l = ${l}, s = ${s}`,
    );
  }
  const v: [number, number, number, number] = [
    1 - phi * (1 - s) * (R - l),
    1 - phi * (s * (l - S) + (T - l)),
    phi * (l - S + s * (T - l)),
    phi * (1 - s) * (l - P),
  ];
  if (v.some((p) => p < -1e-12 || p > 1 + 1e-12)) {
    throw new InputError(
      "strategy",
      `${who}: φ = ${phi} is too large for game "${game.name}" (probabilities leave [0, 1])`,
    );
  }
  return v.map((p) => Math.min(1, Math.max(0, p))) as [number, number, number, number];
}

function zd(game: MatrixGame, name: string, params: ZdParameters, source: string): Strategy {
  const base = memoryOne(zdFourVector(game, params, name), "C", name, source);
  return { ...base, classifier: { ...base.classifier, makesUseOfGame: true }, parameters: { ...params } };
}

/**
 * Non-default parameters are named the way Axelrod's str() shows them ("ZD-Extort-2: 0.2, 0.5"); the defaults
 * keep the class name ("ZD-Extort-2"), which is how the issue and the papers refer to them.
 */
function label(base: string, defaults: number[], values: number[]): string {
  return values.every((v, i) => v === defaults[i]) ? base : `${base}: ${values.map(String).join(", ")}`;
}

export function zdExtort2(game: MatrixGame, phi = 1 / 9, s = 0.5): Strategy {
  const { P } = rpst(game, "ZD-Extort-2");
  const name = label("ZD-Extort-2", [1 / 9, 0.5], [phi, s]);
  return zd(game, name, { phi, s, l: P }, "Axelrod ZDExtort2; Extort-2 [Stewart2012]");
}

export function zdGtft2(game: MatrixGame, phi = 0.25, s = 0.5): Strategy {
  const { R } = rpst(game, "ZD-GTFT-2");
  const name = label("ZD-GTFT-2", [0.25, 0.5], [phi, s]);
  return zd(game, name, { phi, s, l: R }, "Axelrod ZDGTFT2; ZDGTFT-2 [Stewart2012]");
}

export function zdSet2(game: MatrixGame, phi = 0.25, s = 0, l = 2): Strategy {
  const name = label("ZD-SET-2", [0.25, 0, 2], [phi, s, l]);
  return zd(game, name, { phi, s, l }, "Axelrod ZDSet2; SET-2 [Kuhn2017]");
}

/** The (φ, s, l) a ZD strategy was built with, if it is one. */
export function zdParameters(strategy: Strategy): ZdParameters | undefined {
  const p = strategy.parameters;
  return p && "phi" in p && "s" in p && "l" in p ? { phi: p.phi, s: p.s, l: p.l } : undefined;
}

/**
 * The other named ZD players of Axelrod 4.x, all with (φ, s, l) given as numbers (l absolute, not from the game):
 * - ZD-Extortion (0.2, 0.1, 1) and ZD-Mischief (0.1, 0, 1) [Roemheld2013];
 * - ZD-Extort3 (3/26, 1/3, 1) [Press2012] and ZD-Extort-4 (4/17, 1/4, 1) (Marc Harper);
 * - ZD-GEN-2 (1/8, 1/2, 3) and ZD-Extort-2 v2 (1/8, 1/2, 1) [Kuhn2017].
 */
export const ZD_NAMED: readonly {
  name: string;
  defaults: readonly [number, number, number];
  source: string;
}[] = [
  { name: "ZD-Extortion", defaults: [0.2, 0.1, 1], source: "Axelrod ZDExtortion [Roemheld2013]" },
  { name: "ZD-Extort3", defaults: [3 / 26, 1 / 3, 1], source: "Axelrod ZDExtort3 [Press2012]" },
  { name: "ZD-Extort-4", defaults: [4 / 17, 0.25, 1], source: "Axelrod ZDExtort4 (Marc Harper)" },
  { name: "ZD-GEN-2", defaults: [1 / 8, 0.5, 3], source: "Axelrod ZDGen2; GEN-2 [Kuhn2017]" },
  { name: "ZD-Mischief", defaults: [0.1, 0, 1], source: "Axelrod ZDMischief [Roemheld2013]" },
  { name: "ZD-Extort-2 v2", defaults: [1 / 8, 0.5, 1], source: "Axelrod ZDExtort2v2; EXTORT-2 [Kuhn2017]" },
];

/** One of ZD_NAMED by its name, with its default or the given (φ, s, l). */
export function zdNamed(game: MatrixGame, name: string, values?: readonly number[]): Strategy {
  const entry = ZD_NAMED.find((z) => z.name.toLowerCase() === name.toLowerCase());
  if (!entry) throw new InputError("strategy", `unknown ZD strategy "${name}"`);
  const [phi, s, l] = values ?? entry.defaults;
  return zd(game, label(entry.name, [...entry.defaults], [phi, s, l]), { phi, s, l }, entry.source);
}
