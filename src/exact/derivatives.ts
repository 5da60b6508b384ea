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
import { invert } from "../util/linalg.js";
import { agent2State, buildChain } from "./chain.js";
import type { DifferentiableEvaluator, DifferentiableGame } from "./differentiable.js";
import { PARAMS_PER_PAIR } from "./values.js";

/** c = ∂²(row)/∂x∂y for a row [xy, x(1−y), (1−x)y, (1−x)(1−y)]. */
const C_SECOND = [1, -1, -1, 1] as const;

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
 * Workspace for one memory-one pair: evaluate at 10 logits, then read values, gradients and Hessian-vector
 * products of V_1 and V_2. Implements the generic `DifferentiableEvaluator` used by every exact learner.
 */
export class MemoryOneEvaluator implements DifferentiableEvaluator {
  readonly paramsPerAgent = 5;
  private readonly r: [Float64Array, Float64Array];
  private readonly q = new Float64Array(10);
  /** σ'(θ) = q(1 − q) */
  private readonly d1 = new Float64Array(10);
  /** σ''(θ) = q(1 − q)(1 − 2q) */
  private readonly d2 = new Float64Array(10);
  private readonly p0 = new Float64Array(4);
  private readonly P = new Float64Array(16);
  private readonly M = new Float64Array(16);
  private readonly Minv = new Float64Array(16);
  private readonly work = new Float64Array(32);
  /** v_k = M⁻¹ r_k, k-major */
  private readonly v = new Float64Array(8);
  /** x = M⁻ᵀ p0 */
  private readonly x = new Float64Array(4);
  /** ∂p0/∂q_a for the start parameters a = 0 (slot 0..3) and 5 (slot 4..7). */
  private readonly dp0 = new Float64Array(8);
  /** ∂(row of P)/∂q_a for every parameter a (4 each; zero for the start parameters). */
  private readonly dRow = new Float64Array(40);
  /** ∂V_k/∂q_a, k-major (20). */
  private readonly gq = new Float64Array(20);
  private readonly values = new Float64Array(2);
  // Scratch for Hessian-vector products.
  private readonly D = new Float64Array(10);
  private readonly dP = new Float64Array(16);
  private readonly tmp = new Float64Array(4);
  private readonly U = new Float64Array(4);
  private readonly W = new Float64Array(4);

  constructor(
    game: MatrixGame,
    readonly gamma: number,
  ) {
    this.r = [Float64Array.from(game.r1), Float64Array.from(game.r2)];
  }

  evaluate(theta: ArrayLike<number>, offset: number): boolean {
    const { q, d1, d2, p0, P, M, Minv, v, x, dp0, dRow, gq, gamma } = this;
    for (let a = 0; a < 10; a++) {
      const t = theta[offset + a];
      if (!Number.isFinite(t)) return false;
      const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
      q[a] = p;
      d1[a] = p * (1 - p);
      d2[a] = d1[a] * (1 - 2 * p);
    }
    buildChain(q, 0, q, 5, p0, P);
    for (let i = 0; i < 16; i++) M[i] = (i % 5 === 0 ? 1 : 0) - gamma * P[i];
    if (!invert(M, 4, Minv, this.work)) return false;
    for (let k = 0; k < 2; k++) {
      const r = this.r[k];
      let value = 0;
      for (let i = 0; i < 4; i++) {
        const vi =
          Minv[4 * i] * r[0] + Minv[4 * i + 1] * r[1] + Minv[4 * i + 2] * r[2] + Minv[4 * i + 3] * r[3];
        v[4 * k + i] = vi;
        value += p0[i] * vi;
      }
      this.values[k] = value;
    }
    for (let j = 0; j < 4; j++)
      x[j] = p0[0] * Minv[j] + p0[1] * Minv[4 + j] + p0[2] * Minv[8 + j] + p0[3] * Minv[12 + j];
    // ∂p0/∂q1 = [q2, 1−q2, −q2, −(1−q2)], ∂p0/∂q2 = [q1, −q1, 1−q1, −(1−q1)]; rows alike with (p1_s, p2_s).
    const q1 = q[0];
    const q2 = q[5];
    dp0[0] = q2;
    dp0[1] = 1 - q2;
    dp0[2] = -q2;
    dp0[3] = q2 - 1;
    dp0[4] = q1;
    dp0[5] = -q1;
    dp0[6] = 1 - q1;
    dp0[7] = q1 - 1;
    dRow.fill(0, 0, 4);
    dRow.fill(0, 20, 24);
    for (let s = 0; s < 4; s++) {
      const a1 = 1 + s;
      const a2 = PARTNER_OF[a1];
      const y = q[a2];
      const xs = q[a1];
      dRow[4 * a1] = y;
      dRow[4 * a1 + 1] = 1 - y;
      dRow[4 * a1 + 2] = -y;
      dRow[4 * a1 + 3] = y - 1;
      dRow[4 * a2] = xs;
      dRow[4 * a2 + 1] = -xs;
      dRow[4 * a2 + 2] = 1 - xs;
      dRow[4 * a2 + 3] = xs - 1;
    }
    for (let k = 0; k < 2; k++) {
      const vk = 4 * k;
      gq[10 * k] = dp0[0] * v[vk] + dp0[1] * v[vk + 1] + dp0[2] * v[vk + 2] + dp0[3] * v[vk + 3];
      gq[10 * k + 5] = dp0[4] * v[vk] + dp0[5] * v[vk + 1] + dp0[6] * v[vk + 2] + dp0[7] * v[vk + 3];
      for (let a = 0; a < 10; a++) {
        const s = ROW_OF[a];
        if (s < 0) continue;
        const dv =
          dRow[4 * a] * v[vk] +
          dRow[4 * a + 1] * v[vk + 1] +
          dRow[4 * a + 2] * v[vk + 2] +
          dRow[4 * a + 3] * v[vk + 3];
        gq[10 * k + a] = gamma * x[s] * dv;
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
    for (let a = 0; a < 10; a++) out[a] = this.gq[10 * k + a] * this.d1[a];
  }

  hessianVectorProduct(k: 0 | 1, direction: ArrayLike<number>, out: Float64Array): void {
    const { D, dP, dp0, dRow, Minv, x, v, tmp, U, W, gq, d1, d2, gamma } = this;
    for (let a = 0; a < 10; a++) D[a] = d1[a] * direction[a];
    // dP[D]: row s moves with agent 1's and agent 2's probability of that row.
    for (let s = 0; s < 4; s++) {
      const a1 = 1 + s;
      const a2 = PARTNER_OF[a1];
      for (let j = 0; j < 4; j++) dP[4 * s + j] = D[a1] * dRow[4 * a1 + j] + D[a2] * dRow[4 * a2 + j];
    }
    const vk = 4 * k;
    // U = γ M⁻¹ (dP[D] v_k)
    for (let i = 0; i < 4; i++) {
      tmp[i] =
        dP[4 * i] * v[vk] + dP[4 * i + 1] * v[vk + 1] + dP[4 * i + 2] * v[vk + 2] + dP[4 * i + 3] * v[vk + 3];
    }
    for (let i = 0; i < 4; i++) {
      U[i] =
        gamma *
        (Minv[4 * i] * tmp[0] +
          Minv[4 * i + 1] * tmp[1] +
          Minv[4 * i + 2] * tmp[2] +
          Minv[4 * i + 3] * tmp[3]);
    }
    // W = M⁻ᵀ (dp0[D] + γ dP[D]ᵀ x)
    for (let j = 0; j < 4; j++) {
      tmp[j] =
        D[0] * dp0[j] +
        D[5] * dp0[4 + j] +
        gamma * (dP[j] * x[0] + dP[4 + j] * x[1] + dP[8 + j] * x[2] + dP[12 + j] * x[3]);
    }
    for (let j = 0; j < 4; j++)
      W[j] = Minv[j] * tmp[0] + Minv[4 + j] * tmp[1] + Minv[8 + j] * tmp[2] + Minv[12 + j] * tmp[3];
    const cv =
      C_SECOND[0] * v[vk] + C_SECOND[1] * v[vk + 1] + C_SECOND[2] * v[vk + 2] + C_SECOND[3] * v[vk + 3];
    for (let a = 0; a < 10; a++) {
      const s = ROW_OF[a];
      const partner = PARTNER_OF[a];
      let hq: number;
      if (s < 0) {
        const o = a === 0 ? 0 : 4;
        hq = cv * D[partner] + dp0[o] * U[0] + dp0[o + 1] * U[1] + dp0[o + 2] * U[2] + dp0[o + 3] * U[3];
      } else {
        const o = 4 * a;
        const dv =
          dRow[o] * v[vk] + dRow[o + 1] * v[vk + 1] + dRow[o + 2] * v[vk + 2] + dRow[o + 3] * v[vk + 3];
        const dU = dRow[o] * U[0] + dRow[o + 1] * U[1] + dRow[o + 2] * U[2] + dRow[o + 3] * U[3];
        hq = gamma * (x[s] * cv * D[partner] + W[s] * dv + x[s] * dU);
      }
      out[a] = d1[a] * hq + gq[10 * k + a] * d2[a] * direction[a];
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
