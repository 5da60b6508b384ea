/**
 * Parsers for CLI option values. Each throws an InputError naming the flag and what is allowed, so a bad value
 * ends in one clear line and exit code 2, never a NaN that flows on.
 */
import { InputError } from "../util/errors.js";
import { gamePreset, parsePayoffs } from "../games/presets.js";
import type { MatrixGame } from "../games/game.js";
import { MAX_WORKERS } from "../node/workerPool.js";
import { LIMITS, type LimitName } from "../util/limits.js";

export function parseNumber(flag: string, text: string, range: { min?: number; max?: number } = {}): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(flag, `expected a number, got "${text}"`);
  if (range.min !== undefined && value < range.min)
    throw new InputError(flag, `must be ≥ ${range.min}, got ${text.trim()}`);
  if (range.max !== undefined && value > range.max)
    throw new InputError(flag, `must be ≤ ${range.max}, got ${text.trim()}`);
  return value;
}

export function parseInteger(flag: string, text: string, range: { min?: number; max?: number } = {}): number {
  const value = parseNumber(flag, text, range);
  if (!Number.isInteger(value)) throw new InputError(flag, `expected an integer, got "${text}"`);
  return value;
}

/** A count flag bounded by the one table of limits (src/util/limits.ts): an integer in [min, LIMITS[limit]]. */
export function parseCount(flag: string, text: string, limit: LimitName, min = 1): number {
  return parseInteger(flag, text, { min, max: LIMITS[limit] });
}

/** `--seed <s>`: an integer in [0, 2^53 − 1] (past 2^53 two seeds would alias to one double). */
export function parseSeed(text: string, flag = "--seed"): number {
  return parseInteger(flag, text, { min: 0, max: LIMITS.seed });
}

/** `--workers <n>` (0 = this thread); undefined when the flag is absent (each command has its own default). */
export function parseWorkers(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseInteger("--workers", text, { min: 0, max: MAX_WORKERS });
}

/** `--game <preset>` or `--payoffs R,S,T,P`; the two are exclusive. */
export function resolveGame(options: { game?: string; payoffs?: string }, defaultPreset: string): MatrixGame {
  if (options.game !== undefined && options.payoffs !== undefined) {
    throw new InputError("--payoffs", "give either --game or --payoffs, not both");
  }
  if (options.payoffs !== undefined) return parsePayoffs(options.payoffs, "--payoffs");
  return gamePreset(options.game ?? defaultPreset, "--game");
}
