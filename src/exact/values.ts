/**
 * Exact discounted values of two memory-one policies:  V_i = p0ᵀ (I − γP)⁻¹ r_i  (a discounted sum), and the
 * per-step value (1 − γ)·V_i that everything user-facing reports.
 *
 * Batched layout: `pC` holds cooperation probabilities for `batch` pairs as `[batch, 2 agents, 5 states]`,
 * i.e. pair b, agent i, state k at `b*10 + i*5 + k`, states in own view `[start, CC, CD, DC, DD]`.
 */
import type { MatrixGame } from "../games/game.js";
import { invert } from "../util/linalg.js";
import { sigmoid } from "../util/math.js";
import { buildChain } from "./chain.js";

export const PARAMS_PER_AGENT = 5;
export const PARAMS_PER_PAIR = 10;

/** Reusable scratch space for one 4-state chain solve. */
export class ChainWorkspace {
  readonly p0 = new Float64Array(4);
  readonly P = new Float64Array(16);
  readonly M = new Float64Array(16);
  /** (I − γP)⁻¹ */
  readonly Minv = new Float64Array(16);
  readonly work = new Float64Array(32);

  /** Build the chain of pair `offset` in `pC` and invert I − γP. Returns false if singular. */
  solve(pC: ArrayLike<number>, offset: number, gamma: number): boolean {
    buildChain(pC, offset, pC, offset + PARAMS_PER_AGENT, this.p0, this.P);
    for (let i = 0; i < 16; i++) this.M[i] = (i % 5 === 0 ? 1 : 0) - gamma * this.P[i];
    return invert(this.M, 4, this.Minv, this.work);
  }

  /** p0ᵀ (I − γP)⁻¹ r after `solve`. */
  value(r: ArrayLike<number>): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      let row = 0;
      for (let j = 0; j < 4; j++) row += this.Minv[4 * i + j] * r[j];
      v += this.p0[i] * row;
    }
    return v;
  }
}

/** Probabilities from logits, elementwise (a new array). */
export function probabilities(theta: Float64Array): Float64Array {
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = sigmoid(theta[i]);
  return out;
}

/**
 * Discounted values for a batch of pairs given cooperation probabilities. Returns `[batch, 2]`:
 * V_1 and V_2 per pair (discounted sums; multiply by 1 − γ for per-step values). γ must be in [0, 1).
 */
export function discountedValues(game: MatrixGame, pC: Float64Array, gamma: number): Float64Array {
  const batch = pC.length / PARAMS_PER_PAIR;
  const out = new Float64Array(batch * 2);
  const ws = new ChainWorkspace();
  for (let b = 0; b < batch; b++) {
    if (!ws.solve(pC, b * PARAMS_PER_PAIR, gamma)) {
      out[2 * b] = out[2 * b + 1] = Number.NaN;
      continue;
    }
    out[2 * b] = ws.value(game.r1);
    out[2 * b + 1] = ws.value(game.r2);
  }
  return out;
}

/** Per-step values (1 − γ)·V for a batch of pairs given cooperation probabilities; `[batch, 2]`. */
export function perStepValues(game: MatrixGame, pC: Float64Array, gamma: number): Float64Array {
  const out = discountedValues(game, pC, gamma);
  for (let i = 0; i < out.length; i++) out[i] *= 1 - gamma;
  return out;
}
