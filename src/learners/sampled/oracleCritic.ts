/**
 * The oracle critic: the true state and joint-action values of memory-one play from the exact engine, in the
 * layout of the tabular critics (src/policies/critics.ts), so Advantage Alignment can use a PERFECT model of its
 * opponent's values (issue 14 §1: the opponent-model fidelity knob; the AA paper, Duque et al. ICLR 2025, fits it
 * by TD instead).
 *
 * With the 4-state chain of joint actions (agent 1's view; src/exact/chain.ts: p0, P) and r_seat the seat's payoffs,
 * the value of the continuation after joint action j (before the next moves) is
 *
 *   W = (I − γP)⁻¹ P r_seat,           i.e. W(j) = Σ_k P[j, k]·(r_seat(k) + γ W(k)),
 *
 * and the critics' targets (TD: V(s) ← r + γV(s′), Q(s, a, b) ← r + γV(s′)) are, from the seat's own view,
 *
 *   V(start) = Σ_k p0(k)·(r(k) + γ W(k)),   V(own view of j) = W(j),   Q(s, own, other) = r(k) + γ W(k)
 *
 * with k the joint action (own, other) in agent 1's view; Q does not depend on s for memory-one play.
 * V(start) equals the exact engine's discounted value V_seat (tested).
 */
import { buildChain } from "../../exact/chain.js";
import type { MatrixGame } from "../../games/game.js";
import { swapView } from "../../games/game.js";
import { invert } from "../../util/linalg.js";

/**
 * Fill `q` ([seeds, 5, 4]: state, 2·own + other) and `v` ([seeds, 5]) with the seat's true values for the
 * policies `pC` ([seeds, 2, 5], own view). Returns false (and leaves a seed's tables as they were) where I − γP is
 * singular, which cannot happen for γ < 1. `reward` (per joint action in agent 1's view; default: the seat's own
 * payoffs) values the play for a different payoff: a misspecified model of what the seat wants.
 */
export function fillOracleCritic(
  game: MatrixGame,
  gamma: number,
  pC: Float64Array,
  seat: 0 | 1,
  q: Float64Array,
  v: Float64Array,
  reward: ArrayLike<number> = seat === 0 ? game.r1 : game.r2,
): boolean {
  const seeds = pC.length / 10;
  const r = reward;
  const p0 = new Float64Array(4);
  const P = new Float64Array(16);
  const M = new Float64Array(16);
  const Minv = new Float64Array(16);
  const work = new Float64Array(32);
  const Pr = new Float64Array(4);
  const W = new Float64Array(4);
  let ok = true;
  for (let k = 0; k < seeds; k++) {
    buildChain(pC, 10 * k, pC, 10 * k + 5, p0, P);
    for (let i = 0; i < 16; i++) M[i] = (i % 5 === 0 ? 1 : 0) - gamma * P[i];
    if (!invert(M, 4, Minv, work)) {
      ok = false;
      continue;
    }
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += P[4 * i + j] * r[j];
      Pr[i] = s;
    }
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += Minv[4 * i + j] * Pr[j];
      W[i] = s;
    }
    let start = 0;
    for (let j = 0; j < 4; j++) start += p0[j] * (r[j] + gamma * W[j]);
    v[5 * k] = start;
    for (let j = 0; j < 4; j++) v[5 * k + 1 + (seat === 0 ? j : swapView(j))] = W[j];
    for (let s = 0; s < 5; s++) {
      for (let own = 0; own < 2; own++) {
        for (let other = 0; other < 2; other++) {
          const joint = seat === 0 ? 2 * own + other : 2 * other + own;
          q[20 * k + 4 * s + 2 * own + other] = r[joint] + gamma * W[joint];
        }
      }
    }
  }
  return ok;
}
