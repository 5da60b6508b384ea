/**
 * Per-turn payoffs of two memory-one strategies: the long-run average (γ = 1) and the discounted per-step value.
 *
 * Long-run average: the Cesàro limit  lim_T (1/T) Σ_{t<T} p0ᵀ Pᵗ r  from the initial distribution p0. It exists for
 * every finite chain, also when the chain has several closed classes (TFT vs TFT: CC, {CD, DC} and DD are each
 * closed) or periodic ones ({CD, DC} alternates), where "the" stationary distribution is not unique and a plain
 * eigenvector solve would be wrong. Computed from the transition graph (edges with P > 0, exactly):
 *   1. closed communicating classes C (recurrent states), each with its unique stationary distribution π_C;
 *   2. absorption probabilities h_C(t) = P(end in C | start in transient t) = [(I − P_TT)⁻¹ P_{T,C} 1](t);
 *   3. weights w_C = p0(C) + Σ_t p0(t) h_C(t), and the limiting occupancy μ = Σ_C w_C π_C;
 *   4. per-turn payoff of agent k: μ · r_k.
 *
 * Strategies are 5 cooperation probabilities each in the agent's own view [start, CC, CD, DC, DD] (pure 0/1
 * strategies allowed). The arena (issue 4) imports `perTurnPayoffs` / `longRunPayoffs` from here.
 */
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";
import { invert } from "../util/linalg.js";
import { buildChain } from "./chain.js";
import { PARAMS_PER_PAIR, perStepValues } from "./values.js";

export interface LongRunResult {
  /** Long-run average payoff per turn of agent 1 and agent 2. */
  payoffs: [number, number];
  /** Limiting fraction of turns in each joint state, agent 1's view (CC, CD, DC, DD). */
  occupancy: Float64Array;
  /** The closed communicating classes (joint-state indices) and the weight p0 sends into each. */
  classes: { states: number[]; weight: number }[];
}

/**
 * Cesàro-limit occupancy of a finite chain with initial distribution `p0` (n) and row-stochastic `P` (n×n,
 * row-major). Works for any n; the memory-one chains have n = 4.
 */
export function cesaroOccupancy(
  p0: ArrayLike<number>,
  P: ArrayLike<number>,
  n: number,
): { occupancy: Float64Array; classes: { states: number[]; weight: number }[] } {
  // Reachability (reflexive, transitive closure of the edges with positive probability).
  const reach: boolean[][] = [];
  for (let i = 0; i < n; i++) {
    reach.push([]);
    for (let j = 0; j < n; j++) reach[i].push(i === j || P[n * i + j] > 0);
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (reach[i][k] && reach[k][j]) reach[i][j] = true;
  }
  // A state is recurrent iff every state it reaches reaches it back; recurrent classes are closed.
  const classOf = new Int32Array(n).fill(-1);
  const classStates: number[][] = [];
  for (let i = 0; i < n; i++) {
    let recurrent = true;
    for (let j = 0; j < n; j++) if (reach[i][j] && !reach[j][i]) recurrent = false;
    if (!recurrent || classOf[i] >= 0) continue;
    const members: number[] = [];
    for (let j = 0; j < n; j++) {
      if (reach[i][j] && reach[j][i]) {
        classOf[j] = classStates.length;
        members.push(j);
      }
    }
    classStates.push(members);
  }
  const transient: number[] = [];
  for (let i = 0; i < n; i++) if (classOf[i] < 0) transient.push(i);

  // (I − P_TT)⁻¹ for the transient states (invertible: from every transient state the chain leaves T).
  const nt = transient.length;
  const fundamental = new Float64Array(nt * nt);
  if (nt > 0) {
    const a = new Float64Array(nt * nt);
    for (let r = 0; r < nt; r++) {
      for (let c = 0; c < nt; c++) a[nt * r + c] = (r === c ? 1 : 0) - P[n * transient[r] + transient[c]];
    }
    if (!invert(a, nt, fundamental, new Float64Array(2 * nt * nt)))
      throw new Error("transient block is singular");
  }

  const occupancy = new Float64Array(n);
  const classes: { states: number[]; weight: number }[] = [];
  for (const states of classStates) {
    const m = states.length;
    // Stationary distribution of the class: πᵀ(P_C − I) = 0 with Σπ = 1 (last equation replaced by the sum).
    const a = new Float64Array(m * m);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < m; c++) {
        a[m * r + c] = r === m - 1 ? 1 : P[n * states[c] + states[r]] - (r === c ? 1 : 0);
      }
    }
    const inv = new Float64Array(m * m);
    if (!invert(a, m, inv, new Float64Array(2 * m * m))) throw new Error("stationary system is singular");
    // π = A⁻¹ e_last
    const pi = new Float64Array(m);
    for (let r = 0; r < m; r++) pi[r] = inv[m * r + m - 1];
    // Weight: initial mass in the class plus mass absorbed from transient states.
    let weight = 0;
    for (const s of states) weight += p0[s];
    for (let r = 0; r < nt; r++) {
      let into = 0; // h_C(transient[r])
      for (let c = 0; c < nt; c++) {
        let step = 0;
        for (const s of states) step += P[n * transient[c] + s];
        into += fundamental[nt * r + c] * step;
      }
      weight += p0[transient[r]] * into;
    }
    states.forEach((s, r) => {
      occupancy[s] += weight * pi[r];
    });
    classes.push({ states: [...states], weight });
  }
  return { occupancy, classes };
}

function checkStrategy(field: string, s: ArrayLike<number>): void {
  if (s.length !== 5)
    throw new InputError(field, `must be 5 probabilities [start, CC, CD, DC, DD], got ${s.length}`);
  for (let i = 0; i < 5; i++) {
    if (!(Number.isFinite(s[i]) && s[i] >= 0 && s[i] <= 1)) {
      throw new InputError(`${field}[${i}]`, `must be a probability in [0, 1], got ${s[i]}`);
    }
  }
}

/** Long-run average payoffs (γ = 1) of two memory-one strategies given as own-view cooperation probabilities. */
export function longRunPayoffs(
  game: MatrixGame,
  strategy1: ArrayLike<number>,
  strategy2: ArrayLike<number>,
): LongRunResult {
  checkStrategy("strategy1", strategy1);
  checkStrategy("strategy2", strategy2);
  const p0 = new Float64Array(4);
  const P = new Float64Array(16);
  buildChain(strategy1, 0, strategy2, 0, p0, P);
  const { occupancy, classes } = cesaroOccupancy(p0, P, 4);
  let v1 = 0;
  let v2 = 0;
  for (let s = 0; s < 4; s++) {
    v1 += occupancy[s] * game.r1[s];
    v2 += occupancy[s] * game.r2[s];
  }
  return { payoffs: [v1, v2], occupancy, classes };
}

/** Long-run average payoffs for a batch of pairs `pC` ([batch, 2, 5] probabilities); returns [batch, 2]. */
export function longRunValues(game: MatrixGame, pC: Float64Array): Float64Array {
  const batch = pC.length / PARAMS_PER_PAIR;
  const out = new Float64Array(2 * batch);
  for (let b = 0; b < batch; b++) {
    const o = b * PARAMS_PER_PAIR;
    const { payoffs } = longRunPayoffs(game, pC.subarray(o, o + 5), pC.subarray(o + 5, o + 10));
    out[2 * b] = payoffs[0];
    out[2 * b + 1] = payoffs[1];
  }
  return out;
}

/**
 * Per-turn payoffs of two memory-one strategies: the discounted per-step value (1 − γ)·V for γ ∈ [0, 1), and the
 * long-run average for γ = 1.
 */
export function perTurnPayoffs(
  game: MatrixGame,
  strategy1: ArrayLike<number>,
  strategy2: ArrayLike<number>,
  gamma: number,
): [number, number] {
  if (!(Number.isFinite(gamma) && gamma >= 0 && gamma <= 1)) {
    throw new InputError("gamma", `must be in [0, 1) or exactly 1 (long-run average), got ${gamma}`);
  }
  if (gamma === 1) return longRunPayoffs(game, strategy1, strategy2).payoffs;
  checkStrategy("strategy1", strategy1);
  checkStrategy("strategy2", strategy2);
  const pair = new Float64Array(10);
  pair.set(Array.from(strategy1), 0);
  pair.set(Array.from(strategy2), 5);
  const v = perStepValues(game, pair, gamma);
  return [v[0], v[1]];
}

export { perStepValues };
