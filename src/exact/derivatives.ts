/**
 * Closed-form derivatives of the exact discounted values of two memory-one policies, with respect to both agents'
 * logits (10 parameters: agent 1's 5 then agent 2's 5, own-view order [start, CC, CD, DC, DD]).
 *
 *   V_k = p0ᵀ v_k,   v_k = M⁻¹ r_k,   M = I − γP,   x = M⁻ᵀ p0   (discounted state occupancy)
 *
 * First derivatives, along a parameter a (probabilities q first, then the logit chain rule):
 *   ∂_a V = ∂_a p0 · v + γ xᵀ (∂_a P) v
 * Second derivatives, along a then b:
 *   ∂_ab V = ∂_ab p0 · v + ∂_a p0 · ∂_b v + γ (∂_b x)ᵀ (∂_a P) v + γ xᵀ (∂_ab P) v + γ xᵀ (∂_a P) ∂_b v
 *   ∂_b v = γ M⁻¹ (∂_b P) v,   ∂_b x = M⁻ᵀ (∂_b p0 + γ (∂_b P)ᵀ x)
 * Structure that keeps this cheap: each start probability moves only p0, each state probability moves exactly one
 * row of P, and p0 and every row are bilinear in (agent 1's, agent 2's) probability, so the only non-zero second
 * derivatives of p0 and P pair agent 1's and agent 2's parameter of the same row: c = [1, −1, −1, 1].
 * Logits: ∂θ_a = σ'(θ_a)·∂q_a, and the Hessian gains g_a·σ''(θ_a) on the diagonal.
 *
 * A Hessian-vector product ∇²V_k·d costs about as much as a gradient: it is the directional derivative of the
 * gradient formula along d (U = Σ_b D_b ∂_b v, W = Σ_b D_b ∂_b x, with D = σ' ⊙ d). Full 10×10 Hessians are 10 of
 * them. No finite differences anywhere; test/exact-derivatives.test.ts checks everything against them.
 *
 * Values here are discounted sums V (not per-step (1 − γ)V), as in the LOLA paper's exact code: learning rates
 * quoted for exact LOLA apply to these gradients.
 */
import { type MatrixGame, swapView } from "../games/game.js";
import { agent2State } from "./chain.js";
import type { DifferentiableEvaluator, DifferentiableGame } from "./differentiable.js";
import { PARAMS_PER_PAIR } from "./values.js";

/** The joint-state row moved by parameter a (−1 for the start parameters 0 and 5). */
const ROW_OF = new Int8Array(PARAMS_PER_PAIR);
/** The parameter of the other agent that moves the same row (or p0), i.e. the partner in the bilinear form. */
const PARTNER_OF = new Int8Array(PARAMS_PER_PAIR);
fillParameterMaps();

function fillParameterMaps(): void {
  ROW_OF[0] = -1;
  ROW_OF[5] = -1;
  PARTNER_OF[0] = 5;
  PARTNER_OF[5] = 0;
  for (let s = 0; s < 4; s++) {
    const a1 = 1 + s;
    const a2 = 5 + agent2State(s);
    ROW_OF[a1] = s;
    ROW_OF[a2] = s;
    PARTNER_OF[a1] = a2;
    PARTNER_OF[a2] = a1;
  }
  // Sanity: agent 2's own-view state k reads agent-1-view row swapView(k − 1).
  for (let k = 1; k <= 4; k++) if (ROW_OF[5 + k] !== swapView(k - 1)) throw new Error("state map broken");
}

/**
 * Inverse of a 4×4 matrix (row-major) by cofactors, unrolled: the hot path of the exact engine. Returns false
 * when the determinant is not a normal non-zero number. (M = I − γP with γ < 1 is strictly diagonally dominant,
 * so its determinant is bounded away from 0 by (1 − γ)⁴.)
 */
export function invert4(m: Float64Array, out: Float64Array): boolean {
  // Indexed reads: destructuring a typed array would go through its iterator.
  const a00 = m[0];
  const a01 = m[1];
  const a02 = m[2];
  const a03 = m[3];
  const a10 = m[4];
  const a11 = m[5];
  const a12 = m[6];
  const a13 = m[7];
  const a20 = m[8];
  const a21 = m[9];
  const a22 = m[10];
  const a23 = m[11];
  const a30 = m[12];
  const a31 = m[13];
  const a32 = m[14];
  const a33 = m[15];
  const b00 = a00 * a11 - a01 * a10;
  const b01 = a00 * a12 - a02 * a10;
  const b02 = a00 * a13 - a03 * a10;
  const b03 = a01 * a12 - a02 * a11;
  const b04 = a01 * a13 - a03 * a11;
  const b05 = a02 * a13 - a03 * a12;
  const b06 = a20 * a31 - a21 * a30;
  const b07 = a20 * a32 - a22 * a30;
  const b08 = a20 * a33 - a23 * a30;
  const b09 = a21 * a32 - a22 * a31;
  const b10 = a21 * a33 - a23 * a31;
  const b11 = a22 * a33 - a23 * a32;
  const det = b00 * b11 - b01 * b10 + b02 * b09 + b03 * b08 - b04 * b07 + b05 * b06;
  if (!(Math.abs(det) > 1e-300) || !Number.isFinite(det)) return false;
  const s = 1 / det;
  out[0] = (a11 * b11 - a12 * b10 + a13 * b09) * s;
  out[1] = (a02 * b10 - a01 * b11 - a03 * b09) * s;
  out[2] = (a31 * b05 - a32 * b04 + a33 * b03) * s;
  out[3] = (a22 * b04 - a21 * b05 - a23 * b03) * s;
  out[4] = (a12 * b08 - a10 * b11 - a13 * b07) * s;
  out[5] = (a00 * b11 - a02 * b08 + a03 * b07) * s;
  out[6] = (a32 * b02 - a30 * b05 - a33 * b01) * s;
  out[7] = (a20 * b05 - a22 * b02 + a23 * b01) * s;
  out[8] = (a10 * b10 - a11 * b08 + a13 * b06) * s;
  out[9] = (a01 * b08 - a00 * b10 - a03 * b06) * s;
  out[10] = (a30 * b04 - a31 * b02 + a33 * b00) * s;
  out[11] = (a21 * b02 - a20 * b04 - a23 * b00) * s;
  out[12] = (a11 * b07 - a10 * b09 - a12 * b06) * s;
  out[13] = (a00 * b09 - a01 * b07 + a02 * b06) * s;
  out[14] = (a31 * b01 - a30 * b03 - a32 * b00) * s;
  out[15] = (a20 * b03 - a21 * b01 + a22 * b00) * s;
  return true;
}

/**
 * Workspace for one memory-one pair: evaluate at 10 logits, then read values, gradients and Hessian-vector
 * products of V_1 and V_2. Implements the generic `DifferentiableEvaluator` used by every exact learner.
 * Written for speed (it is the inner loop of every exact run): flat typed arrays, no allocation after
 * construction, and the row derivatives written out: for a row [xy, x(1−y), (1−x)y, (1−x)(1−y)],
 *   ∂row/∂x · u = y(u0 − u2) + (1 − y)(u1 − u3),   ∂row/∂y · u = x(u0 − u1) + (1 − x)(u2 − u3).
 */
export class MemoryOneEvaluator implements DifferentiableEvaluator {
  readonly paramsPerAgent = 5;
  /** r_1 then r_2 (agent 1's view of the joint state). */
  private readonly r = new Float64Array(8);
  private readonly q = new Float64Array(10);
  /** σ'(θ) = q(1 − q) */
  private readonly d1 = new Float64Array(10);
  private readonly p0 = new Float64Array(4);
  private readonly M = new Float64Array(16);
  private readonly Minv = new Float64Array(16);
  /** v_k = M⁻¹ r_k, k-major */
  private readonly v = new Float64Array(8);
  /** x = M⁻ᵀ p0 */
  private readonly x = new Float64Array(4);
  /** ∂p0/∂q_a · v_k or ∂(row)/∂q_a · v_k (k-major, 20): how moving q_a changes the expected continuation. */
  private readonly rowDotV = new Float64Array(20);
  /** ∂V_k/∂q_a, k-major (20). */
  private readonly gq = new Float64Array(20);
  private readonly values = new Float64Array(2);
  private readonly W = new Float64Array(4);

  constructor(
    game: MatrixGame,
    readonly gamma: number,
  ) {
    this.r.set(game.r1, 0);
    this.r.set(game.r2, 4);
  }

  evaluate(theta: ArrayLike<number>, offset: number): boolean {
    const { q, d1, p0, M, Minv, v, x, rowDotV, gq, r, gamma } = this;
    let sum = 0;
    for (let a = 0; a < 10; a++) {
      const t = theta[offset + a];
      sum += t;
      // p = 1/(1 + e^−t) is accurate for every t; 1 − p = e^−t·p keeps σ' accurate at large |t|.
      const e = Math.exp(-t);
      const p = 1 / (1 + e);
      const s1 = p * (e * p);
      q[a] = p;
      d1[a] = s1;
    }
    if (!Number.isFinite(sum)) return false; // a NaN or ±∞ logit (or an overflowing sum of huge ones)
    // p0 and M = I − γP (buildChain's formulas, inlined).
    const q1 = q[0];
    const q2 = q[5];
    p0[0] = q1 * q2;
    p0[1] = q1 * (1 - q2);
    p0[2] = (1 - q1) * q2;
    p0[3] = (1 - q1) * (1 - q2);
    // Rows s = CC, CD, DC, DD: agent 1's probability q[1 + s], agent 2's q[6], q[8], q[7], q[9] (its own view).
    const x0 = q[1];
    const x1 = q[2];
    const x2 = q[3];
    const x3 = q[4];
    const y0 = q[6];
    const y1 = q[8];
    const y2 = q[7];
    const y3 = q[9];
    const g = gamma;
    M[0] = 1 - g * x0 * y0;
    M[1] = -g * x0 * (1 - y0);
    M[2] = -g * (1 - x0) * y0;
    M[3] = -g * (1 - x0) * (1 - y0);
    M[4] = -g * x1 * y1;
    M[5] = 1 - g * x1 * (1 - y1);
    M[6] = -g * (1 - x1) * y1;
    M[7] = -g * (1 - x1) * (1 - y1);
    M[8] = -g * x2 * y2;
    M[9] = -g * x2 * (1 - y2);
    M[10] = 1 - g * (1 - x2) * y2;
    M[11] = -g * (1 - x2) * (1 - y2);
    M[12] = -g * x3 * y3;
    M[13] = -g * x3 * (1 - y3);
    M[14] = -g * (1 - x3) * y3;
    M[15] = 1 - g * (1 - x3) * (1 - y3);
    if (!invert4(M, Minv)) return false;
    for (let j = 0; j < 4; j++)
      x[j] = p0[0] * Minv[j] + p0[1] * Minv[4 + j] + p0[2] * Minv[8 + j] + p0[3] * Minv[12 + j];
    for (let k = 0; k < 2; k++) {
      const vk = 4 * k;
      const r0 = r[vk];
      const r1 = r[vk + 1];
      const r2 = r[vk + 2];
      const r3 = r[vk + 3];
      for (let i = 0; i < 4; i++)
        v[vk + i] = Minv[4 * i] * r0 + Minv[4 * i + 1] * r1 + Minv[4 * i + 2] * r2 + Minv[4 * i + 3] * r3;
      const v0 = v[vk];
      const v1 = v[vk + 1];
      const v2 = v[vk + 2];
      const v3 = v[vk + 3];
      this.values[k] = p0[0] * v0 + p0[1] * v1 + p0[2] * v2 + p0[3] * v3;
      const g = 10 * k;
      // Start parameters move p0 only: ∂V/∂q = ∂p0/∂q · v.
      rowDotV[g] = q2 * (v0 - v2) + (1 - q2) * (v1 - v3);
      rowDotV[g + 5] = q1 * (v0 - v1) + (1 - q1) * (v2 - v3);
      gq[g] = rowDotV[g];
      gq[g + 5] = rowDotV[g + 5];
      // State parameters move row s only: ∂V/∂q = γ x_s ∂row/∂q · v.
      for (let s = 0; s < 4; s++) {
        const a1 = 1 + s;
        const a2 = PARTNER_OF[a1];
        const gx = gamma * x[s];
        const rv1 = q[a2] * (v0 - v2) + (1 - q[a2]) * (v1 - v3);
        const rv2 = q[a1] * (v0 - v1) + (1 - q[a1]) * (v2 - v3);
        rowDotV[g + a1] = rv1;
        rowDotV[g + a2] = rv2;
        gq[g + a1] = gx * rv1;
        gq[g + a2] = gx * rv2;
      }
    }
    return Number.isFinite(this.values[0]) && Number.isFinite(this.values[1]);
  }

  value(k: 0 | 1): number {
    return this.values[k];
  }

  /** Cooperation probabilities at the evaluated point (10). */
  probabilities(): Float64Array {
    return this.q;
  }

  gradient(k: 0 | 1, out: Float64Array): void {
    const { gq, d1 } = this;
    const g = 10 * k;
    for (let a = 0; a < 10; a++) out[a] = gq[g + a] * d1[a];
  }

  hessianVectorProduct(k: 0 | 1, direction: ArrayLike<number>, out: Float64Array): void {
    const { q, rowDotV, Minv, x, v, W, gq, d1, gamma } = this;
    const g = 10 * k;
    const vk = 4 * k;
    // D = σ' ⊙ d: the direction in probability space. Start parameters first. (σ'' = σ'(1 − 2q) on the diagonal.)
    const q1 = q[0];
    const q2 = q[5];
    const D0 = d1[0] * direction[0];
    const D5 = d1[5] * direction[5];
    // w = dp0[D] + γ dP[D]ᵀ x (accumulated row by row), t = dP[D] v_k.
    let w0 = D0 * q2 + D5 * q1;
    let w1 = D0 * (1 - q2) - D5 * q1;
    let w2 = -D0 * q2 + D5 * (1 - q1);
    let w3 = -D0 * (1 - q2) - D5 * (1 - q1);
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let s = 0; s < 4; s++) {
      const a1 = 1 + s;
      const a2 = PARTNER_OF[a1];
      const Da = d1[a1] * direction[a1];
      const Db = d1[a2] * direction[a2];
      const xs = q[a1];
      const y = q[a2];
      const ts = Da * rowDotV[g + a1] + Db * rowDotV[g + a2];
      if (s === 0) t0 = ts;
      else if (s === 1) t1 = ts;
      else if (s === 2) t2 = ts;
      else t3 = ts;
      const gx = gamma * x[s];
      w0 += gx * (Da * y + Db * xs);
      w1 += gx * (Da * (1 - y) - Db * xs);
      w2 += gx * (-Da * y + Db * (1 - xs));
      w3 += gx * (-Da * (1 - y) - Db * (1 - xs));
    }
    // U = γ M⁻¹ t,  W = M⁻ᵀ w
    const u0 = gamma * (Minv[0] * t0 + Minv[1] * t1 + Minv[2] * t2 + Minv[3] * t3);
    const u1 = gamma * (Minv[4] * t0 + Minv[5] * t1 + Minv[6] * t2 + Minv[7] * t3);
    const u2 = gamma * (Minv[8] * t0 + Minv[9] * t1 + Minv[10] * t2 + Minv[11] * t3);
    const u3 = gamma * (Minv[12] * t0 + Minv[13] * t1 + Minv[14] * t2 + Minv[15] * t3);
    for (let i = 0; i < 4; i++) W[i] = Minv[i] * w0 + Minv[4 + i] * w1 + Minv[8 + i] * w2 + Minv[12 + i] * w3;
    const cv = v[vk] - v[vk + 1] - v[vk + 2] + v[vk + 3]; // c·v_k, c = ∂²row/∂x∂y = [1, −1, −1, 1]
    // Start parameters: ∂p0/∂q · U + (c·v) D_partner.
    out[0] =
      d1[0] * (cv * D5 + q2 * (u0 - u2) + (1 - q2) * (u1 - u3)) +
      gq[g] * d1[0] * (1 - 2 * q[0]) * direction[0];
    out[5] =
      d1[5] * (cv * D0 + q1 * (u0 - u1) + (1 - q1) * (u2 - u3)) +
      gq[g + 5] * d1[5] * (1 - 2 * q[5]) * direction[5];
    // State parameters: γ[x_s((c·v) D_partner + ∂row/∂q · U) + W_s ∂row/∂q · v_k].
    for (let s = 0; s < 4; s++) {
      const a1 = 1 + s;
      const a2 = PARTNER_OF[a1];
      const xs = q[a1];
      const y = q[a2];
      const Da = d1[a1] * direction[a1];
      const Db = d1[a2] * direction[a2];
      const xg = gamma * x[s];
      const wg = gamma * W[s];
      const h1 = xg * (cv * Db + y * (u0 - u2) + (1 - y) * (u1 - u3)) + wg * rowDotV[g + a1];
      const h2 = xg * (cv * Da + xs * (u0 - u1) + (1 - xs) * (u2 - u3)) + wg * rowDotV[g + a2];
      out[a1] = d1[a1] * h1 + gq[g + a1] * d1[a1] * (1 - 2 * q[a1]) * direction[a1];
      out[a2] = d1[a2] * h2 + gq[g + a2] * d1[a2] * (1 - 2 * q[a2]) * direction[a2];
    }
  }

  /**
   * A cross block times a vector: (∇_i ∇_j V_k)·u, with i = `agent` and u (5) on the OTHER agent j's logits; the
   * result (5) is on agent i's logits. The same formulas as `hessianVectorProduct` with the zero half of the
   * direction and the unused half of the output left out (about half the work); what LOLA, SOS and the
   * cross-Hessian rule need.
   */
  crossHessianVectorProduct(k: 0 | 1, agent: 0 | 1, u: ArrayLike<number>, out: Float64Array): void {
    const { q, rowDotV, Minv, x, v, W, d1, gamma } = this;
    const g = 10 * k;
    const vk = 4 * k;
    const other = agent === 0 ? 5 : 0;
    const q1 = q[0];
    const q2 = q[5];
    // The direction in probability space, on agent j's parameters only.
    const Dstart = d1[other] * u[0];
    let w0: number;
    let w1: number;
    let w2: number;
    let w3: number;
    if (agent === 0) {
      // j = agent 2 moves p0 through q2: ∂p0/∂q2 = [q1, −q1, 1−q1, −(1−q1)].
      w0 = Dstart * q1;
      w1 = -Dstart * q1;
      w2 = Dstart * (1 - q1);
      w3 = -Dstart * (1 - q1);
    } else {
      // j = agent 1: ∂p0/∂q1 = [q2, 1−q2, −q2, −(1−q2)].
      w0 = Dstart * q2;
      w1 = Dstart * (1 - q2);
      w2 = -Dstart * q2;
      w3 = -Dstart * (1 - q2);
    }
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let s = 0; s < 4; s++) {
      const a1 = 1 + s;
      const a2 = PARTNER_OF[a1];
      const gx = gamma * x[s];
      let ts: number;
      if (agent === 0) {
        // j's parameter of row s is agent 2's (a2): ∂row/∂y = [x, −x, 1−x, −(1−x)].
        const Db = d1[a2] * u[a2 - 5];
        const xs = q[a1];
        ts = Db * rowDotV[g + a2];
        w0 += gx * Db * xs;
        w1 -= gx * Db * xs;
        w2 += gx * Db * (1 - xs);
        w3 -= gx * Db * (1 - xs);
      } else {
        // j's parameter is agent 1's (a1): ∂row/∂x = [y, 1−y, −y, −(1−y)].
        const Da = d1[a1] * u[a1];
        const y = q[a2];
        ts = Da * rowDotV[g + a1];
        w0 += gx * Da * y;
        w1 += gx * Da * (1 - y);
        w2 -= gx * Da * y;
        w3 -= gx * Da * (1 - y);
      }
      if (s === 0) t0 = ts;
      else if (s === 1) t1 = ts;
      else if (s === 2) t2 = ts;
      else t3 = ts;
    }
    const u0 = gamma * (Minv[0] * t0 + Minv[1] * t1 + Minv[2] * t2 + Minv[3] * t3);
    const u1 = gamma * (Minv[4] * t0 + Minv[5] * t1 + Minv[6] * t2 + Minv[7] * t3);
    const u2 = gamma * (Minv[8] * t0 + Minv[9] * t1 + Minv[10] * t2 + Minv[11] * t3);
    const u3 = gamma * (Minv[12] * t0 + Minv[13] * t1 + Minv[14] * t2 + Minv[15] * t3);
    for (let i = 0; i < 4; i++) W[i] = Minv[i] * w0 + Minv[4 + i] * w1 + Minv[8 + i] * w2 + Minv[12 + i] * w3;
    const cv = v[vk] - v[vk + 1] - v[vk + 2] + v[vk + 3];
    if (agent === 0) {
      out[0] = d1[0] * (cv * Dstart + q2 * (u0 - u2) + (1 - q2) * (u1 - u3));
      for (let s = 0; s < 4; s++) {
        const a1 = 1 + s;
        const a2 = PARTNER_OF[a1];
        const y = q[a2];
        const Db = d1[a2] * u[a2 - 5];
        const h = gamma * (x[s] * (cv * Db + y * (u0 - u2) + (1 - y) * (u1 - u3)) + W[s] * rowDotV[g + a1]);
        out[a1] = d1[a1] * h;
      }
    } else {
      out[0] = d1[5] * (cv * Dstart + q1 * (u0 - u1) + (1 - q1) * (u2 - u3));
      for (let s = 0; s < 4; s++) {
        const a1 = 1 + s;
        const a2 = PARTNER_OF[a1];
        const xs = q[a1];
        const Da = d1[a1] * u[a1];
        const h = gamma * (x[s] * (cv * Da + xs * (u0 - u1) + (1 - xs) * (u2 - u3)) + W[s] * rowDotV[g + a2]);
        out[a2 - 5] = d1[a2] * h;
      }
    }
  }

  /** The full 10×10 Hessian of V_k (row-major) into `out`, as 10 Hessian-vector products with unit vectors. */
  hessian(k: 0 | 1, out: Float64Array): void {
    const e = new Float64Array(10);
    const col = new Float64Array(10);
    for (let b = 0; b < 10; b++) {
      e.fill(0);
      e[b] = 1;
      this.hessianVectorProduct(k, e, col);
      for (let a = 0; a < 10; a++) out[10 * a + b] = col[a];
    }
  }
}

/** The memory-one iterated game as a `DifferentiableGame` over logits. */
export function memoryOneGame(game: MatrixGame, gamma: number): DifferentiableGame {
  return {
    name: game.name,
    paramsPerAgent: 5,
    createEvaluator: () => new MemoryOneEvaluator(game, gamma),
  };
}

function batchOf(theta: Float64Array): number {
  if (theta.length % PARAMS_PER_PAIR !== 0) {
    throw new RangeError(`theta must have length batch·10 ([batch, 2, 5] logits), got ${theta.length}`);
  }
  return theta.length / PARAMS_PER_PAIR;
}

/**
 * Values and gradients for a batch of logit pairs `theta` ([batch, 2, 5]). Returns `values` [batch, 2] (discounted
 * sums; NaN for a singular pair) and `gradients` [batch, 2, 10]: entry b*20 + k*10 + a = ∂V_k/∂θ_a, with a over
 * both agents' logits (agent 1's 0..4, agent 2's 5..9).
 */
export function valuesAndGradients(
  game: MatrixGame,
  theta: Float64Array,
  gamma: number,
): { values: Float64Array; gradients: Float64Array } {
  const batch = batchOf(theta);
  const values = new Float64Array(2 * batch);
  const gradients = new Float64Array(20 * batch);
  const ev = new MemoryOneEvaluator(game, gamma);
  const g = new Float64Array(10);
  for (let b = 0; b < batch; b++) {
    if (!ev.evaluate(theta, 10 * b)) {
      values.fill(Number.NaN, 2 * b, 2 * b + 2);
      gradients.fill(Number.NaN, 20 * b, 20 * b + 20);
      continue;
    }
    for (const k of [0, 1] as const) {
      values[2 * b + k] = ev.value(k);
      ev.gradient(k, g);
      gradients.set(g, 20 * b + 10 * k);
    }
  }
  return { values, gradients };
}

/**
 * Full Hessians for a batch: [batch, 2, 10, 10], entry b*200 + k*100 + 10a + c = ∂²V_k/∂θ_a∂θ_c. The own blocks
 * are a, c < 5 (agent 1) and a, c ≥ 5 (agent 2); the cross blocks mix them.
 */
export function valueHessians(game: MatrixGame, theta: Float64Array, gamma: number): Float64Array {
  const batch = batchOf(theta);
  const out = new Float64Array(200 * batch);
  const ev = new MemoryOneEvaluator(game, gamma);
  const h = new Float64Array(100);
  for (let b = 0; b < batch; b++) {
    if (!ev.evaluate(theta, 10 * b)) {
      out.fill(Number.NaN, 200 * b, 200 * b + 200);
      continue;
    }
    for (const k of [0, 1] as const) {
      ev.hessian(k, h);
      out.set(h, 200 * b + 100 * k);
    }
  }
  return out;
}

/** Hessian-vector products ∇²V_k·d for a batch: `directions` and the result are [batch, 10]. */
export function hessianVectorProducts(
  game: MatrixGame,
  theta: Float64Array,
  gamma: number,
  k: 0 | 1,
  directions: Float64Array,
): Float64Array {
  const batch = batchOf(theta);
  if (directions.length !== 10 * batch) throw new RangeError(`directions must have length ${10 * batch}`);
  const out = new Float64Array(10 * batch);
  const ev = new MemoryOneEvaluator(game, gamma);
  const row = new Float64Array(10);
  for (let b = 0; b < batch; b++) {
    if (!ev.evaluate(theta, 10 * b)) {
      out.fill(Number.NaN, 10 * b, 10 * b + 10);
      continue;
    }
    ev.hessianVectorProduct(k, directions.subarray(10 * b, 10 * b + 10), row);
    out.set(row, 10 * b);
  }
  return out;
}
