/**
 * Metrics of memory-one pairs, on the batch layout [batch, 2, 5] of own-view cooperation probabilities
 * [start, CC, CD, DC, DD].
 *
 * TFT classification of one policy (issue 2): every probability within 0.5 of Tit For Tat = [1, 1, 0, 1, 0] (C at the
 * start, after CC and after DC; D after CD and DD). A seed (a pair) counts as TFT-like when BOTH of its policies are.
 * Both fractions are reported: per policy and per pair. The LOLA paper's own %TFT criterion is not stated in the
 * paper or its code as far as we know, so its 81 % is compared with these only loosely.
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
      for (let k = 0; k < 5; k++) {
        const d = pC[10 * b + 5 * i + k] - TFT_PROBABILITIES[k];
        s += d * d;
      }
      out[2 * b + i] = Math.sqrt(s);
    }
  }
  return out;
}

/** 1 where an agent's policy is TFT-like (every probability within `tolerance` = 0.5 of TFT), else 0: [batch, 2]. */
export function tftLikeAgents(pC: Float64Array, tolerance = 0.5): Uint8Array {
  const policies = (2 * pC.length) / PARAMS_PER_PAIR;
  const out = new Uint8Array(policies);
  for (let p = 0; p < policies; p++) {
    let ok = 1;
    for (let k = 0; k < 5; k++) if (!(Math.abs(pC[5 * p + k] - TFT_PROBABILITIES[k]) < tolerance)) ok = 0;
    out[p] = ok;
  }
  return out;
}

/** 1 where both agents' flags ([batch, 2], e.g. from `tftLikeAgents`) are 1, else 0: [batch]. */
export function bothAgents(agentFlags: Uint8Array): Uint8Array {
  const out = new Uint8Array(agentFlags.length / 2);
  for (let b = 0; b < out.length; b++) out[b] = agentFlags[2 * b] & agentFlags[2 * b + 1];
  return out;
}

/** 1 where both agents are TFT-like (every probability within `tolerance` = 0.5 of TFT), else 0: [batch]. */
export function tftLike(pC: Float64Array, tolerance = 0.5): Uint8Array {
  return bothAgents(tftLikeAgents(pC, tolerance));
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
