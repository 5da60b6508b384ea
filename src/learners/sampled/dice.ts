/**
 * Closed-form DiCE estimators for tabular memory-one policies (Foerster, Farquhar et al. 2018, "DiCE: The
 * Infinitely Differentiable Monte-Carlo Estimator", ICML 2018).
 *
 * The DiCE objective of agent i over a trajectory, with the magic box ⊡(x) = exp(x − ⊥x) over BOTH agents'
 * cumulative log-probabilities τ_t = Σ_{u≤t} [log π_i(a_u|s_u) + log π_j(b_u|s′_u)], is
 *
 *   L_i = Σ_t ⊡(τ_t)·γ^t r_t  +  Σ_t (1 − ⊡(log π_i(a_t) + log π_j(b_t)))·γ^t b_t        (baseline b_t optional)
 *
 * Every ⊡ evaluates to 1, so for tabular policies (log π of a step depends on one logit; see
 * src/policies/tabular.ts) the derivatives collapse to sums over the trajectory. With per-step scores g^i_t, g^j_t
 * (5-vectors with one non-zero entry), their running sums S^i_t, S^j_t, the diagonal curvature c^i_t, and the
 * reward-to-go R_t = Σ_{u≥t} γ^u r_u:
 *
 *   ∂L_i/∂θ_i      = Σ_t γ^t r_t S^i_t                 = Σ_t R_t g^i_t              − Σ_t γ^t b_t g^i_t
 *   ∂L_i/∂θ_j      = Σ_t γ^t r_t S^j_t                 = Σ_t R_t g^j_t              − Σ_t γ^t b_t g^j_t
 *   ∂²L_i/∂θ_i²    = Σ_t γ^t r_t (S^i_t S^iᵀ_t + diag Σ_{u≤t} c^i_u)                − Σ_t γ^t b_t (g^i g^iᵀ + diag c^i)_t
 *   ∂²L_i/∂θ_i∂θ_j = Σ_t γ^t r_t S^i_t S^jᵀ_t                                       − Σ_t γ^t b_t (g^i g^jᵀ)_t
 *
 * The outer products are accumulated incrementally, S_t S_tᵀ − S_{t−1}S_{t−1}ᵀ weighted by R_t, so a step costs
 * O(5) instead of O(25). Averaged over a batch, each estimate converges to the exact derivative of the discounted
 * value V_i (truncated at the rollout length): tested against the exact engine in test/sampled-dice.test.ts.
 *
 * `centerRewards` subtracts, at every step t, the batch mean of γ^t r_t over the group's games (the official LOLA-DiCE
 * code does this whenever it runs without a value baseline). A constant c_t times ⊡(τ_t) has zero expected first
 * and second derivatives (E[∇⊡] = ∇E[1] = 0), so this removes most of the variance for O(1/B) bias.
 *
 * `magicBox: false` is the paper's ablation: the plain surrogate Σ_t γ^t r_t τ_t has the same first derivatives
 * but its second derivatives keep only the diagonal curvature, so the score outer products (and with them every
 * cross term ∂²L_i/∂θ_i∂θ_j that opponent shaping needs) vanish.
 */
import type { Trajectories } from "../../envs/rollout.js";

export interface DiceDerivatives {
  /** ∂L_i/∂θ_i per group, `[groups, 5]`. */
  readonly gradSelf: Float64Array;
  /** ∂L_i/∂θ_j per group, `[groups, 5]`. */
  readonly gradOther: Float64Array;
  /** ∂²L_i/∂θ_i², `[groups, 5, 5]` (row = θ_i coordinate). */
  readonly hessSelf: Float64Array;
  /** ∂²L_i/∂θ_i∂θ_j, `[groups, 5, 5]` (row = θ_i coordinate, column = θ_j coordinate). */
  readonly hessCross: Float64Array;
}

export function allocateDiceDerivatives(groups: number): DiceDerivatives {
  return {
    gradSelf: new Float64Array(groups * 5),
    gradOther: new Float64Array(groups * 5),
    hessSelf: new Float64Array(groups * 25),
    hessCross: new Float64Array(groups * 25),
  };
}

export interface DiceOptions {
  /** Keep the magic box (default true); false is the no-magic-box ablation. */
  magicBox?: boolean;
  /** Also estimate the two second-derivative blocks (default true). */
  secondOrder?: boolean;
  /** Baseline state values of the objective agent, `[groups, 5]` in its own view; omitted = no baseline. */
  baseline?: Float64Array;
  /** Subtract the per-step batch-mean reward of each group (default false). */
  centerRewards?: boolean;
}

/**
 * Batch-mean DiCE derivatives of agent `agent`'s objective (its rewards), for trajectories played by policy pairs
 * `pC` (`[groups, 2, 5]`, game g played by pair ⌊g / gamesPerGroup⌋). Results are written into `out` (overwritten).
 */
export function diceDerivatives(
  traj: Trajectories,
  agent: 0 | 1,
  pC: Float64Array,
  gamesPerGroup: number,
  gamma: number,
  options: DiceOptions,
  out: DiceDerivatives,
): DiceDerivatives {
  const magicBox = options.magicBox ?? true;
  const secondOrder = options.secondOrder ?? true;
  const baseline = options.baseline;
  const { horizon: T, batch, obs, actions, rewards } = traj;
  const other = 1 - agent;
  out.gradSelf.fill(0);
  out.gradOther.fill(0);
  out.hessSelf.fill(0);
  out.hessCross.fill(0);
  const rewardToGo = new Float64Array(T + 1);
  const discounts = new Float64Array(T);
  for (let t = 0, d = 1; t < T; t++, d *= gamma) discounts[t] = d;
  const groups = batch / gamesPerGroup;
  const stepMeans = new Float64Array(groups * T);
  if (options.centerRewards) {
    for (let t = 0; t < T; t++) {
      for (let g = 0; g < batch; g++)
        stepMeans[((g / gamesPerGroup) | 0) * T + t] += rewards[(t * batch + g) * 2 + agent];
    }
    for (let i = 0; i < stepMeans.length; i++) stepMeans[i] /= gamesPerGroup;
  }
  const Ss = new Float64Array(5);
  const So = new Float64Array(5);
  // Per-group accumulators, flushed into `out` when the group changes: U holds the self block's "row s" updates
  // (its transpose supplies the "column s" half), X the cross block's rows, Wt the cross block's columns
  // (transposed, so every step writes 5 contiguous entries), D the self block's diagonal terms.
  const U = new Float64Array(25);
  const X = new Float64Array(25);
  const Wt = new Float64Array(25);
  const D = new Float64Array(5);
  const flush = (k: number) => {
    const o25 = k * 25;
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        out.hessSelf[o25 + 5 * r + c] += U[5 * r + c] + U[5 * c + r];
        out.hessCross[o25 + 5 * r + c] += X[5 * r + c] + Wt[5 * c + r];
      }
      out.hessSelf[o25 + 6 * r] += D[r];
    }
    U.fill(0);
    X.fill(0);
    Wt.fill(0);
    D.fill(0);
  };
  const scale = 1 / gamesPerGroup;
  const gs = out.gradSelf;
  const go = out.gradOther;
  for (let g = 0; g < batch; g++) {
    const k = (g / gamesPerGroup) | 0;
    const pSelf = k * 10 + 5 * agent;
    const pOther = k * 10 + 5 * other;
    const o5 = k * 5;
    for (let t = T - 1; t >= 0; t--) {
      rewardToGo[t] =
        rewardToGo[t + 1] + discounts[t] * (rewards[(t * batch + g) * 2 + agent] - stepMeans[k * T + t]);
    }
    Ss.fill(0);
    So.fill(0);
    for (let t = 0; t < T; t++) {
      const base = (t * batch + g) * 2;
      const s = obs[base + agent];
      const so = obs[base + other];
      const pS = pC[pSelf + s];
      const scoreS = (actions[base + agent] === 0 ? 1 : 0) - pS;
      const scoreO = (actions[base + other] === 0 ? 1 : 0) - pC[pOther + so];
      const R = rewardToGo[t] * scale;
      const w = baseline ? R - discounts[t] * baseline[o5 + s] * scale : R;
      gs[o5 + s] += w * scoreS;
      go[o5 + so] += w * scoreO;
      if (secondOrder) {
        // Diagonal curvature: Σ_t γ^t r_t Σ_{u≤t} c_u = Σ_u c_u R_u, and the baseline's −γ^t b_t c_t.
        const curv = -pS * (1 - pS);
        if (magicBox) {
          // S_t S_tᵀ − S_{t−1}S_{t−1}ᵀ = g^i (row s: Ss_{t−1}ᵀ, and its transpose) + g^i g^iᵀ, times R_t.
          const a = R * scoreS;
          const rs = 5 * s;
          U[rs] += a * Ss[0];
          U[rs + 1] += a * Ss[1];
          U[rs + 2] += a * Ss[2];
          U[rs + 3] += a * Ss[3];
          U[rs + 4] += a * Ss[4];
          D[s] += w * (curv + scoreS * scoreS);
          // S^i_t S^jᵀ_t − S^i_{t−1}S^jᵀ_{t−1} = g^i So_{t−1}ᵀ (row s) + Ss_{t−1} g^jᵀ (column so) + g^i g^jᵀ.
          X[rs] += a * So[0];
          X[rs + 1] += a * So[1];
          X[rs + 2] += a * So[2];
          X[rs + 3] += a * So[3];
          X[rs + 4] += a * So[4];
          X[rs + so] += w * scoreS * scoreO;
          const bo = R * scoreO;
          const ro = 5 * so;
          Wt[ro] += bo * Ss[0];
          Wt[ro + 1] += bo * Ss[1];
          Wt[ro + 2] += bo * Ss[2];
          Wt[ro + 3] += bo * Ss[3];
          Wt[ro + 4] += bo * Ss[4];
        } else {
          D[s] += w * curv;
        }
      }
      Ss[s] += scoreS;
      So[so] += scoreO;
    }
    const lastOfGroup = g + 1 === batch || (((g + 1) / gamesPerGroup) | 0) !== k;
    if (secondOrder && lastOfGroup) flush(k);
  }
  return out;
}
