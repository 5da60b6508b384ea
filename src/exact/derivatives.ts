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
import { exp } from "../util/elementary.js";
import { agent2State } from "./chain.js";
import type { DifferentiableEvaluator, DifferentiableGame } from "./differentiable.js";
import { PARAMS_PER_PAIR } from "./values.js";
import { PairStepKernel } from "./wasmPairStep.js";

/**
 * Joint-vector index (0..9) of agent `agent`'s probability in chain row s (agent-1-view CC, CD, DC, DD):
 * ROW_PARAM[4·agent + s]. Agent 1's is 1 + s; agent 2 reads row s as its own-view state (CD ↔ DC swapped).
 */
const ROW_PARAM = new Int8Array(8);
fillRowParams();

function fillRowParams(): void {
  for (let s = 0; s < 4; s++) {
    ROW_PARAM[s] = 1 + s;
    ROW_PARAM[4 + s] = 5 + agent2State(s);
  }
  // Sanity: agent 2's own-view state k reads agent-1-view row swapView(k − 1).
  for (let k = 1; k <= 4; k++)
    if (ROW_PARAM[4 + swapView(k - 1)] !== 5 + k) throw new Error("state map broken");
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
 * So a derivative along one agent's probability only ever meets DIFFERENCES across that agent's action: of v_k
 * (kept per parameter in `rowDotV`) and of the rows of M⁻¹ (kept in `rowDiff`). Every second-order product is
 * built from two routines, `crossBlock` (∇_i∇_j V_k·u, i ≠ j: LOLA's term and the cross-block products) and
 * `ownBlock` (∇_i∇_i V_k·u). Each is one directional (forward-mode) derivative of agent i's gradient block along a
 * direction on one agent's parameters; with the row differences kept, it needs no new solve and no Hessian.
 */
export class MemoryOneEvaluator implements DifferentiableEvaluator {
  readonly paramsPerAgent = 5;
  /** r_1 then r_2 (agent 1's view of the joint state). */
  private readonly r = new Float64Array(8);
  private readonly q = new Float64Array(10);
  /** σ'(θ) = q(1 − q) */
  private readonly d1 = new Float64Array(10);
  private readonly M = new Float64Array(16);
  private readonly Minv = new Float64Array(16);
  /**
   * Differences of rows of M⁻¹ across one agent's action, the other's held: [8·agent + 4h + s]. Agent 1:
   * h = 0 row CC − row DC, h = 1 row CD − row DD; agent 2: h = 0 row CC − row CD, h = 1 row DC − row DD.
   */
  private readonly rowDiff = new Float64Array(16);
  /** c·v_k = v_CC − v_CD − v_DC + v_DD, c = ∂²row/∂x∂y: the bilinear (cross-agent, same-row) second derivative. */
  private readonly cv = new Float64Array(2);
  /** x = M⁻ᵀ p0 */
  private readonly x = new Float64Array(4);
  /** ∂p0/∂q_a · v_k or ∂(row)/∂q_a · v_k (k-major, 20): how moving q_a changes the expected continuation. */
  private readonly rowDotV = new Float64Array(20);
  /** ∂V_k/∂θ_a, k-major (20): the gradients in logits. */
  private readonly grad = new Float64Array(20);
  private readonly values = new Float64Array(2);
  private readonly ownScratch = new Float64Array(5);

  constructor(
    game: MatrixGame,
    readonly gamma: number,
  ) {
    this.r.set(game.r1, 0);
    this.r.set(game.r2, 4);
  }

  evaluate(theta: ArrayLike<number>, offset: number): boolean {
    const { q, d1, M, Minv, rowDiff, x, cv, rowDotV, grad, r, values, gamma } = this;
    let sum = 0;
    for (let a = 0; a < 10; a++) {
      const t = theta[offset + a];
      sum += t;
      // p = 1/(1 + e^−t) is accurate for every t; 1 − p = e^−t·p keeps σ' accurate at large |t|. (`exp` inlines;
      // Math.exp is a call into C and was a third of a LOLA run.)
      const e = exp(-t);
      const p = 1 / (1 + e);
      const s1 = p * (e * p);
      q[a] = p;
      d1[a] = s1;
    }
    if (!Number.isFinite(sum)) return false; // a NaN or ±∞ logit (or an overflowing sum of huge ones)
    // p0 and M = I − γP (buildChain's formulas, inlined).
    const q1 = q[0];
    const q2 = q[5];
    const p00 = q1 * q2;
    const p01 = q1 * (1 - q2);
    const p02 = (1 - q1) * q2;
    const p03 = (1 - q1) * (1 - q2);
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
    // M⁻¹ in locals: read once, used for the occupancy, the row differences and both v_k.
    const m00 = Minv[0];
    const m01 = Minv[1];
    const m02 = Minv[2];
    const m03 = Minv[3];
    const m10 = Minv[4];
    const m11 = Minv[5];
    const m12 = Minv[6];
    const m13 = Minv[7];
    const m20 = Minv[8];
    const m21 = Minv[9];
    const m22 = Minv[10];
    const m23 = Minv[11];
    const m30 = Minv[12];
    const m31 = Minv[13];
    const m32 = Minv[14];
    const m33 = Minv[15];
    // Occupancy x = M⁻ᵀ p0 (row s's weight in every derivative along a state parameter).
    const o0 = p00 * m00 + p01 * m10 + p02 * m20 + p03 * m30;
    const o1 = p00 * m01 + p01 * m11 + p02 * m21 + p03 * m31;
    const o2 = p00 * m02 + p01 * m12 + p02 * m22 + p03 * m32;
    const o3 = p00 * m03 + p01 * m13 + p02 * m23 + p03 * m33;
    x[0] = o0;
    x[1] = o1;
    x[2] = o2;
    x[3] = o3;
    // Row differences of M⁻¹ across agent 1's action (CC − DC, CD − DD), then agent 2's (CC − CD, DC − DD).
    rowDiff[0] = m00 - m20;
    rowDiff[1] = m01 - m21;
    rowDiff[2] = m02 - m22;
    rowDiff[3] = m03 - m23;
    rowDiff[4] = m10 - m30;
    rowDiff[5] = m11 - m31;
    rowDiff[6] = m12 - m32;
    rowDiff[7] = m13 - m33;
    rowDiff[8] = m00 - m10;
    rowDiff[9] = m01 - m11;
    rowDiff[10] = m02 - m12;
    rowDiff[11] = m03 - m13;
    rowDiff[12] = m20 - m30;
    rowDiff[13] = m21 - m31;
    rowDiff[14] = m22 - m32;
    rowDiff[15] = m23 - m33;
    const gx0 = g * o0;
    const gx1 = g * o1;
    const gx2 = g * o2;
    const gx3 = g * o3;
    for (let k = 0; k < 2; k++) {
      // v_k = M⁻¹ r_k, and V_k = p0 · v_k.
      const r0 = r[4 * k];
      const r1 = r[4 * k + 1];
      const r2 = r[4 * k + 2];
      const r3 = r[4 * k + 3];
      const v0 = m00 * r0 + m01 * r1 + m02 * r2 + m03 * r3;
      const v1 = m10 * r0 + m11 * r1 + m12 * r2 + m13 * r3;
      const v2 = m20 * r0 + m21 * r1 + m22 * r2 + m23 * r3;
      const v3 = m30 * r0 + m31 * r1 + m32 * r2 + m33 * r3;
      values[k] = p00 * v0 + p01 * v1 + p02 * v2 + p03 * v3;
      cv[k] = v0 - v1 - v2 + v3;
      // ∂(p0 or row)/∂q · v_k: across agent 1's action, y(v0 − v2) + (1 − y)(v1 − v3) with y agent 2's probability
      // in that row; across agent 2's, x(v0 − v1) + (1 − x)(v2 − v3). A start parameter moves p0 only
      // (∂V/∂q = ∂p0/∂q · v), a state parameter row s only (∂V/∂q = γ x_s ∂row/∂q · v); then the logit chain rule.
      const gk = 10 * k;
      const across1C = v0 - v2; // across agent 1's action, agent 2 cooperating
      const across1D = v1 - v3; // … agent 2 defecting
      const across2C = v0 - v1; // across agent 2's action, agent 1 cooperating
      const across2D = v2 - v3; // … agent 1 defecting
      rowDotV[gk] = q2 * across1C + (1 - q2) * across1D;
      rowDotV[gk + 1] = y0 * across1C + (1 - y0) * across1D;
      rowDotV[gk + 2] = y1 * across1C + (1 - y1) * across1D;
      rowDotV[gk + 3] = y2 * across1C + (1 - y2) * across1D;
      rowDotV[gk + 4] = y3 * across1C + (1 - y3) * across1D;
      rowDotV[gk + 5] = q1 * across2C + (1 - q1) * across2D;
      rowDotV[gk + 6] = x0 * across2C + (1 - x0) * across2D;
      rowDotV[gk + 8] = x1 * across2C + (1 - x1) * across2D;
      rowDotV[gk + 7] = x2 * across2C + (1 - x2) * across2D;
      rowDotV[gk + 9] = x3 * across2C + (1 - x3) * across2D;
      grad[gk] = rowDotV[gk] * d1[0];
      grad[gk + 1] = gx0 * rowDotV[gk + 1] * d1[1];
      grad[gk + 2] = gx1 * rowDotV[gk + 2] * d1[2];
      grad[gk + 3] = gx2 * rowDotV[gk + 3] * d1[3];
      grad[gk + 4] = gx3 * rowDotV[gk + 4] * d1[4];
      grad[gk + 5] = rowDotV[gk + 5] * d1[5];
      grad[gk + 6] = gx0 * rowDotV[gk + 6] * d1[6];
      grad[gk + 8] = gx1 * rowDotV[gk + 8] * d1[8];
      grad[gk + 7] = gx2 * rowDotV[gk + 7] * d1[7];
      grad[gk + 9] = gx3 * rowDotV[gk + 9] * d1[9];
    }
    return Number.isFinite(values[0]) && Number.isFinite(values[1]);
  }

  value(k: 0 | 1): number {
    return this.values[k];
  }

  /** Cooperation probabilities at the evaluated point (10). */
  probabilities(): Float64Array {
    return this.q;
  }

  gradient(k: 0 | 1, out: Float64Array): void {
    const { grad } = this;
    const g = 10 * k;
    for (let a = 0; a < 10; a++) out[a] = grad[g + a];
  }

  gradientBlock(k: 0 | 1, agent: 0 | 1, out: Float64Array): void {
    const { grad } = this;
    const g = 10 * k + 5 * agent;
    for (let a = 0; a < 5; a++) out[a] = grad[g + a];
  }

  hessianVectorProduct(k: 0 | 1, direction: ArrayLike<number>, out: Float64Array): void {
    // Agent i's block is (∇_i∇_j V_k)·d_j + (∇_i∇_i V_k)·d_i.
    const own = this.ownScratch;
    for (const i of [0, 1] as const) {
      const j = 5 - 5 * i;
      this.crossBlock(k, i, direction, j, out, 5 * i);
      this.ownBlock(k, i, direction, 5 * i, own);
      for (let a = 0; a < 5; a++) out[5 * i + a] += own[a];
    }
  }

  /**
   * A cross block times a vector: (∇_i ∇_j V_k)·u, with i = `agent` and u (5) on the OTHER agent j's logits; the
   * result (5) is on agent i's logits. What the look-ahead term of LOLA, SOS and the cross-Hessian rule need.
   */
  crossHessianVectorProduct(k: 0 | 1, agent: 0 | 1, u: ArrayLike<number>, out: Float64Array): void {
    this.crossBlock(k, agent, u, 0, out, 0);
  }

  /**
   * LOLA's shaping term for agent i = `agent`: χ_i = (∇_i∇_j V_j)·∇_j V_i (j the opponent), the directional
   * derivative of ∇_i V_j along the gradient ∇_j V_i already held here (nothing is copied out and back in).
   */
  lolaTerm(agent: 0 | 1, out: Float64Array): void {
    const j = (1 - agent) as 0 | 1;
    this.crossBlock(j, agent, this.grad, 10 * agent + 5 * j, out, 0);
  }

  /**
   * (∇_i ∇_j V_k)·u for i = `agent` and j the other agent: u is j's 5 logits `u[uOffset ..]`, the result i's 5 logits
   * at `out[outOffset ..]`. The directional (forward-mode) derivative of ∇_i V_k along u; with D = σ' ⊙ u (the
   * direction in j's probabilities):
   *   ∂_D v_k = U = γ M⁻¹ t,  t_s = D_s ∂row_s/∂q_j · v_k;   ∂_D x = W = M⁻ᵀ w,  w = ∂p0·D + γ Σ_s x_s ∂row_s·D,
   *   (∇_i∇_j V_k)·u = σ'_i ⊙ [ ∂p0/∂q_i·U + (c·v_k) D_start ;  γ x_s (∂row_s/∂q_i·U + (c·v_k) D_s) + γ W_s ∂row_s/∂q_i·v_k ].
   * ∂row/∂q_i·U needs only U's differences across i's action, two dot products with i's `rowDiff`; and in j's
   * action order w = [α, β, −α, −β], so W = α, β times j's `rowDiff`. Written out row by row: it is the hot path
   * of every LOLA run.
   */
  private crossBlock(
    k: 0 | 1,
    agent: 0 | 1,
    u: ArrayLike<number>,
    uOffset: number,
    out: Float64Array,
    outOffset: number,
  ): void {
    const { q, d1, x, rowDotV, rowDiff, gamma } = this;
    const g = 10 * k;
    const oi = 5 * agent; // agent i's block of the joint vector
    const oj = 5 - oi; // agent j's
    const di = 8 * agent; // i's row differences of M⁻¹
    const dj = 8 - di; // j's
    const uj = uOffset - oj; // u[uj + a] is the direction on j's joint parameter a
    // Joint indices of i's and j's probability in rows CC, CD, DC, DD.
    const i0 = ROW_PARAM[4 * agent];
    const i1 = ROW_PARAM[4 * agent + 1];
    const i2 = ROW_PARAM[4 * agent + 2];
    const i3 = ROW_PARAM[4 * agent + 3];
    const j0 = ROW_PARAM[4 - 4 * agent];
    const j1 = ROW_PARAM[5 - 4 * agent];
    const j2 = ROW_PARAM[6 - 4 * agent];
    const j3 = ROW_PARAM[7 - 4 * agent];
    // Everything is read into locals before the first write to `out` (which could alias the inputs' type).
    const x0 = x[0];
    const x1 = x[1];
    const x2 = x[2];
    const x3 = x[3];
    const pi0 = q[i0]; // i's probabilities in the rows
    const pi1 = q[i1];
    const pi2 = q[i2];
    const pi3 = q[i3];
    const pj0 = q[j0]; // j's
    const pj1 = q[j1];
    const pj2 = q[j2];
    const pj3 = q[j3];
    // The direction in j's probabilities: start, then rows.
    const Ds = d1[oj] * u[uOffset];
    const D0 = d1[j0] * u[uj + j0];
    const D1 = d1[j1] * u[uj + j1];
    const D2 = d1[j2] * u[uj + j2];
    const D3 = d1[j3] * u[uj + j3];
    // U's differences across i's action: ua (j's C), ub (j's D).
    const t0 = D0 * rowDotV[g + j0];
    const t1 = D1 * rowDotV[g + j1];
    const t2 = D2 * rowDotV[g + j2];
    const t3 = D3 * rowDotV[g + j3];
    const ua =
      gamma * (rowDiff[di] * t0 + rowDiff[di + 1] * t1 + rowDiff[di + 2] * t2 + rowDiff[di + 3] * t3);
    const ub =
      gamma * (rowDiff[di + 4] * t0 + rowDiff[di + 5] * t1 + rowDiff[di + 6] * t2 + rowDiff[di + 7] * t3);
    // W = α·(j's first row difference) + β·(j's second): π = i's probability in the row (start: i's start).
    const e0 = gamma * x0 * D0;
    const e1 = gamma * x1 * D1;
    const e2 = gamma * x2 * D2;
    const e3 = gamma * x3 * D3;
    const alpha = Ds * q[oi] + e0 * pi0 + e1 * pi1 + e2 * pi2 + e3 * pi3;
    const beta = Ds * (1 - q[oi]) + e0 * (1 - pi0) + e1 * (1 - pi1) + e2 * (1 - pi2) + e3 * (1 - pi3);
    const W0 = alpha * rowDiff[dj] + beta * rowDiff[dj + 4];
    const W1 = alpha * rowDiff[dj + 1] + beta * rowDiff[dj + 5];
    const W2 = alpha * rowDiff[dj + 2] + beta * rowDiff[dj + 6];
    const W3 = alpha * rowDiff[dj + 3] + beta * rowDiff[dj + 7];
    // i's entries; π' = j's probability in the row.
    const cv = this.cv[k];
    const hs = d1[oi] * (cv * Ds + q[oj] * ua + (1 - q[oj]) * ub);
    const h0 = gamma * d1[i0] * (x0 * (cv * D0 + pj0 * ua + (1 - pj0) * ub) + W0 * rowDotV[g + i0]);
    const h1 = gamma * d1[i1] * (x1 * (cv * D1 + pj1 * ua + (1 - pj1) * ub) + W1 * rowDotV[g + i1]);
    const h2 = gamma * d1[i2] * (x2 * (cv * D2 + pj2 * ua + (1 - pj2) * ub) + W2 * rowDotV[g + i2]);
    const h3 = gamma * d1[i3] * (x3 * (cv * D3 + pj3 * ua + (1 - pj3) * ub) + W3 * rowDotV[g + i3]);
    const o = outOffset - oi;
    out[outOffset] = hs;
    out[o + i0] = h0;
    out[o + i1] = h1;
    out[o + i2] = h2;
    out[o + i3] = h3;
  }

  /**
   * (∇_i ∇_i V_k)·u, an own block (i = `agent`, u on i's own 5 logits at `u[uOffset ..]`, result into `out` (5)).
   * The same directional derivative as `crossBlock` with j = i: the direction now moves i's own probabilities,
   * so there is no bilinear (c·v_k) term (one agent's probabilities never multiply each other), W comes from i's
   * row differences, and the logit chain rule adds σ''(θ)·∂V_k/∂q·u = ∂V_k/∂θ (1 − 2q) u on the diagonal.
   */
  private ownBlock(k: 0 | 1, agent: 0 | 1, u: ArrayLike<number>, uOffset: number, out: Float64Array): void {
    const { q, d1, x, rowDotV, rowDiff, grad, gamma } = this;
    const g = 10 * k;
    const oi = 5 * agent;
    const op = 5 - oi; // the partner's block
    const ri = 4 * agent; // i's row parameters in ROW_PARAM
    const rp = 4 - ri; // the partner's
    const di = 8 * agent;
    const ui = uOffset - oi;
    const Ds = d1[oi] * u[uOffset];
    let alpha = Ds * q[op];
    let beta = Ds * (1 - q[op]);
    let ua = 0;
    let ub = 0;
    for (let s = 0; s < 4; s++) {
      const ai = ROW_PARAM[ri + s];
      const D = d1[ai] * u[ui + ai];
      const t = D * rowDotV[g + ai];
      ua += rowDiff[di + s] * t;
      ub += rowDiff[di + 4 + s] * t;
      const e = gamma * x[s] * D;
      const pi = q[ROW_PARAM[rp + s]];
      alpha += e * pi;
      beta += e * (1 - pi);
    }
    ua *= gamma;
    ub *= gamma;
    out[0] = d1[oi] * (q[op] * ua + (1 - q[op]) * ub) + grad[g + oi] * (1 - 2 * q[oi]) * u[uOffset];
    for (let s = 0; s < 4; s++) {
      const ai = ROW_PARAM[ri + s];
      const pi = q[ROW_PARAM[rp + s]];
      const W = alpha * rowDiff[di + s] + beta * rowDiff[di + 4 + s];
      const h = x[s] * (pi * ua + (1 - pi) * ub) + W * rowDotV[g + ai];
      out[ai - oi] = gamma * d1[ai] * h + grad[g + ai] * (1 - 2 * q[ai]) * u[ui + ai];
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
    createPairKernel: (rules, lrs, size) => PairStepKernel.create(game.r1, game.r2, gamma, rules, lrs, size),
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
