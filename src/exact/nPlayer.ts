/**
 * Exact values and gradients of N memory-one policies in an iterated N-player social dilemma (src/games/nPlayer.ts).
 *
 * Each agent i has S = 2^N + 1 logits θ_i[σ], one per own-view state σ (the last joint action rotated to its own
 * view, `ownView`, or the start state σ = 2^N); it cooperates in σ with probability p_i(σ) = sigmoid(θ_i[σ]),
 * independently of the others. Over the J = 2^N joint actions (agent 0's action the most significant bit):
 *     p0[t]   = Π_i q_i(start, t),        P[s, t] = Π_i q_i(view_i(s), t),
 * where q_i(σ, t) = p_i(σ) if agent i cooperates in t, else 1 − p_i(σ). With r_k[t] agent k's reward at t,
 *     V_k = Σ_{n≥0} γ^n p0ᵀ P^n r_k = p0ᵀ v_k,   (I − γP)·v_k = r_k,
 * and the per-step value is (1 − γ)·V_k, as in the two-player engine (DESIGN.md's convention).
 *
 * Gradients by the adjoint: with x = (I − γP)⁻ᵀ p0, dV_k = dp0ᵀ v_k + γ·xᵀ dP v_k, and ∂q_i(σ, t)/∂θ_i[σ] =
 * q_i(σ, t)·(c_i(t) − p_i(σ)) (c_i(t) = 1 when agent i cooperates in t), so
 *     ∂V_k/∂θ_i[σ] = γ Σ_{s: view_i(s) = σ} x_s Σ_t P[s, t]·(c_i(t) − p_i(σ))·v_k[t]      (σ < J),
 *     ∂V_k/∂θ_i[start] = Σ_t p0[t]·(c_i(t) − p_i(start))·v_k[t].
 * One LU factorisation of I − γP serves every agent's value and the adjoint. Cost O(N·J²) for P and O(J³) for
 * the factorisation: exact up to N ≈ 10 (J = 1024) in well under a second; `MAX_EXACT_PLAYERS` bounds it.
 * For N = 2 this is the two-player engine with own-view states reordered (test/n-player.test.ts checks it).
 */
import {
  actionOf,
  MAX_EXACT_PLAYERS,
  type NPlayerGame,
  nPlayerReward,
  nPlayerStateCount,
  ownView,
} from "../games/nPlayer.js";
import { InputError } from "../util/errors.js";
import { luFactor, luSolve, luSolveTransposed } from "../util/lu.js";
import { sigmoid } from "../util/math.js";

export interface NPlayerExact {
  /** Per-step values (1 − γ)·V_k, one per agent. */
  perStep: Float64Array;
  /** ∂((1 − γ)V_k)/∂θ_i[σ] at index (k·N + i)·S + σ: [N (value of), N (parameters of), S]. */
  gradients: Float64Array;
  /** Cooperation probabilities [N, S]. */
  pC: Float64Array;
  /** Discounted occupancy (1 − γ)·Σ_n γ^n P(joint action at step n = t): a distribution over the 2^N joint actions. */
  occupancy: Float64Array;
}

/** Precomputed structure of the chain for N players: views, actions, rewards per joint action. */
export class NPlayerChain {
  readonly players: number;
  readonly joint: number;
  readonly states: number;
  /** view[i·J + t]: agent i's own-view index of joint action t. */
  readonly view: Int32Array;
  /** cooperates[i·J + t]: 1 when agent i cooperates in joint action t. */
  readonly cooperates: Uint8Array;
  /** reward[k·J + t]: agent k's reward at joint action t. */
  readonly reward: Float64Array;

  constructor(readonly game: NPlayerGame) {
    const n = game.players;
    if (n > MAX_EXACT_PLAYERS) {
      throw new InputError(
        "players",
        `exact values need 2^N states; at most ${MAX_EXACT_PLAYERS} players, got ${n} (use the sampled engine)`,
      );
    }
    this.players = n;
    this.joint = 2 ** n;
    this.states = nPlayerStateCount(n);
    const J = this.joint;
    this.view = new Int32Array(n * J);
    this.cooperates = new Uint8Array(n * J);
    this.reward = new Float64Array(n * J);
    for (let t = 0; t < J; t++) {
      let defectors = 0;
      for (let i = 0; i < n; i++) defectors += actionOf(t, i, n);
      for (let i = 0; i < n; i++) {
        const a = actionOf(t, i, n);
        this.view[i * J + t] = ownView(t, i, n);
        this.cooperates[i * J + t] = a === 0 ? 1 : 0;
        this.reward[i * J + t] = nPlayerReward(game, a, defectors);
      }
    }
  }

  /** Expected fraction of cooperators per step under the discounted occupancy. */
  cooperationRate(occupancy: Float64Array): number {
    const { players: n, joint: J, cooperates } = this;
    let rate = 0;
    for (let t = 0; t < J; t++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += cooperates[i * J + t];
      rate += (occupancy[t] * c) / n;
    }
    return rate;
  }

  /** Per-step values and their gradients at logits `theta` ([N, S]) and discount γ ∈ [0, 1). */
  evaluate(theta: Float64Array, gamma: number): NPlayerExact | undefined {
    const { players: n, joint: J, states: S, view, cooperates, reward } = this;
    if (theta.length !== n * S) throw new InputError("theta", `must hold N·(2^N + 1) = ${n * S} logits`);
    if (!(gamma >= 0 && gamma < 1)) throw new InputError("gamma", `must be in [0, 1), got ${gamma}`);
    const pC = theta.map(sigmoid);
    const p0 = new Float64Array(J);
    productDistribution(pC, S, n, () => J, p0);
    const P = new Float64Array(J * J);
    const M = new Float64Array(J * J);
    for (let s = 0; s < J; s++) {
      const row = P.subarray(s * J, (s + 1) * J);
      productDistribution(pC, S, n, (i) => view[i * J + s], row);
      for (let t = 0; t < J; t++) M[s * J + t] = (s === t ? 1 : 0) - gamma * row[t];
    }
    const factors = luFactor(M, J);
    if (!factors) return undefined;
    const x = luSolveTransposed(factors, p0);
    const scale = 1 - gamma;
    const perStep = new Float64Array(n);
    const gradients = new Float64Array(n * n * S);
    for (let k = 0; k < n; k++) {
      const v = luSolve(factors, reward.subarray(k * J, (k + 1) * J));
      let value = 0;
      for (let t = 0; t < J; t++) value += p0[t] * v[t];
      perStep[k] = scale * value;
      for (let i = 0; i < n; i++) {
        const g = gradients.subarray((k * n + i) * S, (k * n + i + 1) * S);
        const start = pC[i * S + J];
        for (let t = 0; t < J; t++) g[J] += p0[t] * (cooperates[i * J + t] - start) * v[t];
        const c = cooperates.subarray(i * J, (i + 1) * J);
        const r = reward.subarray(k * J, (k + 1) * J);
        for (let s = 0; s < J; s++) {
          const sigma = view[i * J + s];
          const p = pC[i * S + sigma];
          // Σ_t P[s,t](c_i(t) − p)v[t] = Σ_t P[s,t]c_i(t)v[t] − p·(Pv)[s], and γ·(Pv)[s] = v[s] − r[s].
          let cooperating = 0;
          for (let t = 0, o = s * J; t < J; t++) if (c[t]) cooperating += P[o + t] * v[t];
          g[sigma] += x[s] * (gamma * cooperating - p * (v[s] - r[s]));
        }
        for (let a = 0; a < S; a++) g[a] *= scale;
      }
    }
    return { perStep, gradients, pC, occupancy: x.map((v) => scale * v) };
  }
}

/**
 * The distribution over joint actions when agent i cooperates with probability pC[i·S + state(i)], independently:
 * built agent by agent (agent 0 is the most significant bit), O(2^N) per row instead of O(N·2^N).
 */
function productDistribution(
  pC: Float64Array,
  S: number,
  n: number,
  state: (agent: number) => number,
  out: Float64Array,
): void {
  out[0] = 1;
  let size = 1;
  for (let i = 0; i < n; i++) {
    const p = pC[i * S + state(i)];
    for (let m = size - 1; m >= 0; m--) {
      const q = out[m];
      out[2 * m] = q * p; // agent i cooperates: bit 0
      out[2 * m + 1] = q * (1 - p);
    }
    size *= 2;
  }
}
