/**
 * Look-ahead: differentiate exactly through k naive opponent steps (the exact-gradient form of LOLA-DiCE's inner
 * loop; Foerster, Farquhar, Al-Shedivat, Rocktäschel, Xing, Whiteson 2018, "DiCE", arXiv:1802.05098):
 *
 *   θ_j^(0) = θ_j,   θ_j^(t+1) = θ_j^(t) + η · ∇_j V_j(θ_i, θ_j^(t)),   t < k
 *   θ_i ← θ_i + lr · d/dθ_i [ V_i(θ_i, θ_j^(k)(θ_i)) ]
 *       = θ_i + lr · ( ∂_i V_i + J_kᵀ ∂_j V_i ),   evaluated at (θ_i, θ_j^(k))
 *
 * with the Jacobian recursion J_0 = 0, J_(t+1) = (I + η ∇_j∇_j V_j^(t)) J_t + η ∇_j∇_i V_j^(t). Instead of building
 * the 5×5 Jacobians we apply the recursion in reverse (a vector-Jacobian product), which is exact and needs only
 * Hessian-vector products of V_j at each visited point:
 *   λ ← ∂_j V_i(θ^(k));  for t = k−1 … 0:  g_i += η (∇_i∇_j V_j^(t)) λ,  λ ← λ + η (∇_j∇_j V_j^(t)) λ.
 * k = 0 is the naive learner.
 */
import * as z from "../../zod.js";
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { LIMITS } from "../../util/limits.js";
import { EXACT_FIELDS, type ExactLearner, type ExactLearnerEntry, other, placeBlock } from "./learner.js";

export const LOOKAHEAD_SCHEMA = z.strictObject({
  lr: EXACT_FIELDS.lr,
  eta: EXACT_FIELDS.eta,
  lookahead: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.exactLookahead)
    .default(1)
    .describe("number of anticipated naive opponent steps k"),
});
export type LookaheadConfig = z.output<typeof LOOKAHEAD_SCHEMA>;

export function createLookahead(config: LookaheadConfig, game: DifferentiableGame): ExactLearner {
  const n = game.paramsPerAgent;
  const eta = config.eta;
  const k = config.lookahead;
  const inner = game.createEvaluator();
  // Visited joint points θ^(0..k).
  const visited = Array.from({ length: k + 1 }, () => new Float64Array(2 * n));
  const full = new Float64Array(2 * n);
  const dir = new Float64Array(2 * n);
  const hv = new Float64Array(2 * n);
  const lambda = new Float64Array(n);
  return {
    name: "lookahead",
    lr: config.lr,
    frozen: false,
    direction(point, theta, offset, agent, out) {
      const j = other(agent);
      for (let a = 0; a < 2 * n; a++) visited[0][a] = theta[offset + a];
      // Forward: the opponent's k naive steps (agent i's parameters stay put).
      for (let t = 0; t < k; t++) {
        const ev = t === 0 ? point : inner;
        if (t > 0 && !inner.evaluate(visited[t], 0)) {
          out.fill(Number.NaN); // the trainer reports the divergence
          return;
        }
        ev.gradient(j, full);
        visited[t + 1].set(visited[t]);
        for (let a = 0; a < n; a++) visited[t + 1][j * n + a] += eta * full[j * n + a];
      }
      const last = k === 0 ? point : inner;
      if (k > 0 && !inner.evaluate(visited[k], 0)) {
        out.fill(Number.NaN);
        return;
      }
      last.gradient(agent, full);
      for (let a = 0; a < n; a++) {
        out[a] = full[agent * n + a];
        lambda[a] = full[j * n + a];
      }
      // Reverse: propagate ∂_j V_i back through the opponent's steps.
      for (let t = k - 1; t >= 0; t--) {
        const ev = t === 0 ? point : inner;
        if (t > 0) inner.evaluate(visited[t], 0);
        placeBlock(lambda, j, n, dir);
        ev.hessianVectorProduct(j, dir, hv);
        for (let a = 0; a < n; a++) {
          out[a] += eta * hv[agent * n + a];
          lambda[a] += eta * hv[j * n + a];
        }
      }
    },
  };
}

export const lookaheadEntry: ExactLearnerEntry<LookaheadConfig> = {
  name: "lookahead",
  label: "exact look-ahead",
  family: "exact",
  summary: "θ_i += lr·d/dθ_i V_i(θ_i, θ_j after k naive steps of size η)",
  reference: "Letcher et al., SOS, ICLR 2019 (look-ahead, Zhang & Lesser 2010)",
  schema: LOOKAHEAD_SCHEMA,
  create: createLookahead,
};
