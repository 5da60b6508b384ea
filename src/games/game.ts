/**
 * Two-player, two-action matrix games: the payoff definitions every other layer reads.
 *
 * Conventions (DESIGN.md):
 * - Actions: index 0 = C (cooperate), 1 = D (defect). For matching pennies, C/D are just the two actions.
 * - A joint action is indexed from agent 1's view, agent 1's action first: 0 = CC, 1 = CD, 2 = DC, 3 = DD.
 * - `r1[j]`, `r2[j]` are the payoffs to agent 1 and agent 2 at joint action j.
 * - A symmetric game is given by (R, S, T, P) from the row player's view: CC→R, CD→S, DC→T, DD→P.
 * - Memory-one states are written from each agent's OWN view, own previous action first: start, CC, CD, DC, DD.
 *   `ownViewPayoffs(game, 1)` re-indexes agent 2's payoffs into that own view.
 */
import { InputError, requireFinite } from "../util/errors.js";

export type Vec4 = readonly [number, number, number, number];

export interface MatrixGame {
  readonly name: string;
  /** Payoff to agent 1 at CC, CD, DC, DD (agent 1's action first). */
  readonly r1: Vec4;
  /** Payoff to agent 2 at CC, CD, DC, DD (agent 1's action first). */
  readonly r2: Vec4;
  /** Set when the game was built from (R, S, T, P). */
  readonly rstp?: { readonly R: number; readonly S: number; readonly T: number; readonly P: number };
  /** Declared a prisoner's dilemma: `dilemmaWarnings` checks the inequalities. */
  readonly dilemma?: boolean;
}

export const JOINT_LABELS = ["CC", "CD", "DC", "DD"] as const;
export const STATE_LABELS = ["start", "CC", "CD", "DC", "DD"] as const;

/** Joint index of (agent 1's action, agent 2's action), with 0 = C and 1 = D. */
export function jointIndex(a1: number, a2: number): number {
  return 2 * a1 + a2;
}

/** The same joint action seen from the other agent: CD ↔ DC. */
export function swapView(joint: number): number {
  return joint === 1 ? 2 : joint === 2 ? 1 : joint;
}

/** A symmetric 2x2 game from the row player's (R, S, T, P). */
export function symmetricGame(
  name: string,
  R: number,
  S: number,
  T: number,
  P: number,
  options: { dilemma?: boolean } = {},
): MatrixGame {
  for (const [field, value] of Object.entries({ R, S, T, P })) requireFinite(`payoffs.${field}`, value);
  return { name, r1: [R, S, T, P], r2: [R, T, S, P], rstp: { R, S, T, P }, dilemma: options.dilemma };
}

/**
 * A general bimatrix game. `a[i][j]` and `b[i][j]` are the payoffs to agent 1 and agent 2 when agent 1 plays i
 * and agent 2 plays j (0 = C, 1 = D).
 */
export function bimatrixGame(name: string, a: number[][], b: number[][]): MatrixGame {
  const check = (field: string, m: number[][]) => {
    if (!Array.isArray(m) || m.length !== 2 || m.some((row) => !Array.isArray(row) || row.length !== 2)) {
      throw new InputError(field, "must be a 2x2 matrix [[CC, CD], [DC, DD]]");
    }
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) requireFinite(`${field}[${i}][${j}]`, m[i][j]);
  };
  check("payoffs.agent1", a);
  check("payoffs.agent2", b);
  return { name, r1: [a[0][0], a[0][1], a[1][0], a[1][1]], r2: [b[0][0], b[0][1], b[1][0], b[1][1]] };
}

/** Agent `agent`'s payoffs indexed by its own-view joint action (own action first). */
export function ownViewPayoffs(game: MatrixGame, agent: 0 | 1): Vec4 {
  if (agent === 0) return game.r1;
  const r = game.r2;
  return [r[0], r[2], r[1], r[3]];
}

export function isSymmetric(game: MatrixGame): boolean {
  const o = ownViewPayoffs(game, 1);
  return game.r1.every((v, i) => v === o[i]);
}

/**
 * Warnings for a game declared a prisoner's dilemma whose payoffs break T > R > P > S or 2R > T + S.
 * An empty list means the game is a proper iterated PD.
 */
export function dilemmaWarnings(game: MatrixGame): string[] {
  if (!game.dilemma || !game.rstp) return [];
  const { R, S, T, P } = game.rstp;
  const warnings: string[] = [];
  if (!(T > R && R > P && P > S)) {
    warnings.push(`${game.name}: not a prisoner's dilemma, T > R > P > S fails for (R,S,T,P) = (${R},${S},${T},${P})`);
  }
  if (!(2 * R > T + S)) {
    warnings.push(`${game.name}: 2R > T + S fails, so alternating C/D pays better than mutual cooperation`);
  }
  return warnings;
}

/** A discount factor for iterated games: γ ∈ [0, 1), or γ = 1 (long-run average) when `allowOne`. */
export function validateGamma(gamma: number, field = "gamma", allowOne = false): number {
  requireFinite(field, gamma);
  if (gamma < 0 || gamma > 1 || (gamma === 1 && !allowOne)) {
    throw new InputError(field, `must be in [0, 1)${allowOne ? " or exactly 1 (long-run average)" : ""}, got ${gamma}`);
  }
  return gamma;
}

/**
 * A symmetric prisoner's dilemma, T > R > P > S (whether declared or given as custom payoffs): the games whose
 * summaries speak of tit-for-tat.
 */
export function isPrisonersDilemma(game: MatrixGame): boolean {
  if (!isSymmetric(game)) return false;
  const [R, S, T, P] = game.r1;
  return T > R && R > P && P > S;
}

/** Zero-sum (r1 + r2 = 0 in every cell, e.g. matching pennies): the games whose summaries speak of the mixed equilibrium. */
export function isZeroSum(game: MatrixGame): boolean {
  return game.r1.every((v, i) => v + game.r2[i] === 0);
}
