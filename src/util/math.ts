/** Small numeric helpers shared by every layer. The elementary functions are our own (see elementary.ts). */
import { log } from "./elementary.js";

export { cosTwoPi, exp, expm1, log, log1p, sigmoid, tanh } from "./elementary.js";

/** Inverse of `sigmoid`; p is clamped away from 0 and 1 so the result is finite. */
export function logit(p: number, eps = 1e-12): number {
  const q = Math.min(1 - eps, Math.max(eps, p));
  return log(q / (1 - q));
}

/** true when every entry is a finite number. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
