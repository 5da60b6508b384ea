/**
 * Dotted paths into a config (`agents.0.lr`: numbers index lists), the one path mechanism of cases, sweeps,
 * `shapelab run --set` and presets. `setPath` replaces the value at a path; `getPath` reads one;
 * `mergeInto` deep-merges a mapping over the mapping a path leads to (what a preset does).
 */
import { InputError } from "../util/errors.js";

/** The fields a case or sweep may change: those that determine a run's numbers. */
export const OVERRIDE_ROOTS = ["game", "gamma", "agents", "budget", "params"] as const;

/** Split `agents.0.lr` into segments; numbers index arrays. */
function pathSegments(path: string): string[] {
  return path.split(".");
}

/** Segments that would reach an object's prototype instead of a config field. */
const FORBIDDEN_SEGMENTS = ["__proto__", "constructor", "prototype"];

/**
 * Deep-copy `base` with `value` set at dotted `path`. The parent of the leaf must exist; array indices must be
 * in range. `field` names where the path came from, for errors. `roots` are the top-level fields the path may
 * start with (cases and sweeps: those that determine a run's numbers; `shapelab run --set`: any config field).
 */
export function setPath<T extends object>(
  base: T,
  path: string,
  value: unknown,
  field: string,
  roots: readonly string[] = OVERRIDE_ROOTS,
): T {
  const segments = pathSegments(path);
  const forbidden = segments.find((s) => FORBIDDEN_SEGMENTS.includes(s));
  if (forbidden !== undefined) {
    throw new InputError(field, `cannot set "${path}": "${forbidden}" is not a config field`);
  }
  if (segments.some((s) => s === "") || !roots.includes(segments[0])) {
    throw new InputError(
      field,
      `cannot set "${path}": a path must start with one of ${roots.join(", ")} (e.g. agents.0.lr)`,
    );
  }
  const copy = structuredClone(base) as Record<string, unknown>;
  let cur: unknown = copy;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const next = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
    if (Array.isArray(cur) && !(/^\d+$/.test(seg) && Number(seg) < cur.length)) {
      throw new InputError(
        field,
        `cannot set "${path}": "${seg}" is not an index of a ${cur.length}-entry list`,
      );
    }
    if (next === null || typeof next !== "object") {
      throw new InputError(
        field,
        `cannot set "${path}": "${segments.slice(0, i + 1).join(".")}" is not an object`,
      );
    }
    cur = next;
  }
  const leaf = segments[segments.length - 1];
  if (Array.isArray(cur)) {
    if (!(/^\d+$/.test(leaf) && Number(leaf) < cur.length)) {
      throw new InputError(
        field,
        `cannot set "${path}": "${leaf}" is not an index of a ${cur.length}-entry list`,
      );
    }
    cur[Number(leaf)] = structuredClone(value);
  } else {
    (cur as Record<string, unknown>)[leaf] = structuredClone(value);
  }
  return copy as T;
}

/** The value at dotted `path` in `base`, or undefined when some segment is missing. */
export function getPath(base: unknown, path: string): unknown {
  let cur: unknown = base;
  for (const seg of pathSegments(path)) {
    if (cur === null || typeof cur !== "object" || FORBIDDEN_SEGMENTS.includes(seg)) return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * `patch` deep-merged over `base`: mappings merge key by key (keys are literal, never paths, so a sweep's
 * `agents.0.eta` stays one key); anything else (a list, a number, a string, null) replaces what was there.
 */
export function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN_SEGMENTS.includes(key)) throw new InputError(key, `"${key}" is not a config field`);
    out[key] = key in out ? mergeValue(out[key], value) : structuredClone(value);
  }
  return out;
}

/**
 * Deep-copy `base` with `patch` merged at dotted `path`: a mapping over the mapping found there (mergeValue),
 * anything else set as `setPath` would (so the parent must exist, and the path starts with one of `roots`).
 */
export function mergeInto<T extends object>(
  base: T,
  path: string,
  patch: unknown,
  field: string,
  roots: readonly string[],
): T {
  const current = getPath(base, path);
  const value = isPlainObject(current) && isPlainObject(patch) ? mergeValue(current, patch) : patch;
  return setPath(base, path, value, field, roots);
}
