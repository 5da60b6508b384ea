/**
 * Metrics of memory-one pairs, on the batch layout [batch, 2, 5] of own-view cooperation probabilities
 * [start, CC, CD, DC, DD].
 *
 * TFT classification: every probability of BOTH agents within 0.5 of Tit For Tat = [1, 1, 0, 1, 0] (C at the start,
 * after CC and after DC; D after CD and DD). This is our criterion; the LOLA paper's own %TFT criterion is not
 * stated in the paper or its code as far as we know, so its 81 % is compared with this one only loosely.
 */
import { PARAMS_PER_PAIR } from "./values.js";

export const TFT_PROBABILITIES = [1, 1, 0, 1, 0] as const;

/** Euclidean distance of each agent's 5 probabilities to TFT: [batch, 2]. */
export function distanceToTft(pC: Float64Array): Float64Array {
  const batch = pC.length / PARAMS_PER_PAIR;
  const out = new Float64Array(2 * batch);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < 2; i++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += (pC[10 * b + 5 * i + k] - TFT_PROBABILITIES[k]) ** 2;
      out[2 * b + i] = Math.sqrt(s);
    }
  }
  return out;
}

/** 1 where both agents are TFT-like (every probability within `tolerance` = 0.5 of TFT), else 0: [batch]. */
export function tftLike(pC: Float64Array, tolerance = 0.5): Uint8Array {
  const batch = pC.length / PARAMS_PER_PAIR;
  const out = new Uint8Array(batch);
  for (let b = 0; b < batch; b++) {
    let ok = true;
    for (let a = 0; a < 10; a++)
      if (!(Math.abs(pC[10 * b + a] - TFT_PROBABILITIES[a % 5]) < tolerance)) ok = false;
    out[b] = ok ? 1 : 0;
  }
  return out;
}

/** 1 where every probability of both agents is within `tolerance` of `target` (IMP's Nash: 0.5), else 0. */
export function allNear(pC: Float64Array, target: number, tolerance: number): Uint8Array {
  const batch = pC.length / PARAMS_PER_PAIR;
  const out = new Uint8Array(batch);
  for (let b = 0; b < batch; b++) {
    let ok = true;
    for (let a = 0; a < 10; a++) if (!(Math.abs(pC[10 * b + a] - target) <= tolerance)) ok = false;
    out[b] = ok ? 1 : 0;
  }
  return out;
}

/** Fraction of ones in a 0/1 array (NaN when empty). */
export function fraction(flags: ArrayLike<number>): number {
  if (flags.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < flags.length; i++) s += flags[i];
  return s / flags.length;
}
