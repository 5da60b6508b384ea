/**
 * Returns and advantages shared by every sampled learner (one file, so pg, a2c, aa and lola-dice agree).
 *
 * All per-step arrays here are one agent's view of a batch, laid out `[T, batch]` (step t, game g at
 * `t * batch + g`), read from trajectories `[T, batch, 2]` (src/envs/rollout.ts). Game g belongs to seed/table
 * ⌊g / gamesPerGroup⌋. In a memory-one game the next own-view state is the joint action just played,
 * s_{t+1} = 1 + 2·a_t + b_t (own action first), so bootstrapping is possible at every step, including the last.
 *
 *   Monte-Carlo return     G_t = r_t + γ·G_{t+1},  G_T = 0   (rollout truncated, no bootstrap)
 *   TD error               δ_t = r_t + γ·V(s_{t+1}) − V(s_t)
 *   GAE (Schulman 2016)    A_t = δ_t + γλ·A_{t+1},  A_T = 0;   λ-return  G^λ_t = A_t + V(s_t)
 */
import type { Trajectories } from "../../envs/rollout.js";

/** Next own-view memory-one state after own action `own` and other action `other`. */
export function nextState(own: number, other: number): number {
  return 1 + 2 * own + other;
}

/** Monte-Carlo discounted returns-to-go of agent `agent`, `[T, batch]`. */
export function discountedReturns(
  traj: Trajectories,
  agent: 0 | 1,
  gamma: number,
  out: Float64Array,
): Float64Array {
  const { horizon: T, batch, rewards } = traj;
  for (let g = 0; g < batch; g++) {
    let G = 0;
    for (let t = T - 1; t >= 0; t--) {
      G = rewards[(t * batch + g) * 2 + agent] + gamma * G;
      out[t * batch + g] = G;
    }
  }
  return out;
}

/** TD errors δ_t of agent `agent` under its state-value tables `values` (`[groups, 5]`), `[T, batch]`. */
export function tdErrors(
  traj: Trajectories,
  agent: 0 | 1,
  values: Float64Array,
  gamesPerGroup: number,
  gamma: number,
  out: Float64Array,
): Float64Array {
  const { horizon: T, batch, obs, actions, rewards } = traj;
  const other = 1 - agent;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const base = (t * batch + g) * 2;
      const v = ((g / gamesPerGroup) | 0) * 5;
      const next = nextState(actions[base + agent], actions[base + other]);
      out[t * batch + g] = rewards[base + agent] + gamma * values[v + next] - values[v + obs[base + agent]];
    }
  }
  return out;
}

/**
 * TD errors δ_t = r_t + γ·V_{t+1} − V_t from per-step rewards and values of one agent, both `[T, batch]`, for an
 * episode that ends after step T−1 (V_T = 0): the neural critics' counterpart of `tdErrors`, whose values come
 * from tables. Feed the result to `generalizedAdvantages`.
 */
export function valueTdErrors(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  horizon: number,
  batch: number,
  gamma: number,
  out: Float64Array,
): Float64Array {
  for (let t = 0; t < horizon; t++) {
    for (let g = 0; g < batch; g++) {
      const i = t * batch + g;
      const next = t + 1 < horizon ? values[i + batch] : 0;
      out[i] = rewards[i] + gamma * next - values[i];
    }
  }
  return out;
}

/** Generalised advantage estimates from TD errors `deltas` (`[T, batch]`), in place into `out`. */
export function generalizedAdvantages(
  deltas: Float64Array,
  horizon: number,
  batch: number,
  gamma: number,
  lambda: number,
  out: Float64Array,
): Float64Array {
  const decay = gamma * lambda;
  for (let g = 0; g < batch; g++) {
    let A = 0;
    for (let t = horizon - 1; t >= 0; t--) {
      A = deltas[t * batch + g] + decay * A;
      out[t * batch + g] = A;
    }
  }
  return out;
}

/** λ-returns G^λ_t = A_t + V(s_t) from GAE advantages, `[T, batch]`. */
export function lambdaReturns(
  traj: Trajectories,
  agent: 0 | 1,
  advantages: Float64Array,
  values: Float64Array,
  gamesPerGroup: number,
  out: Float64Array,
): Float64Array {
  const { horizon: T, batch, obs } = traj;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const i = t * batch + g;
      out[i] = advantages[i] + values[((g / gamesPerGroup) | 0) * 5 + obs[i * 2 + agent]];
    }
  }
  return out;
}

/**
 * Joint-action advantages A_t = Q(s_t, a_t, b_t) − V(s_t) of agent `agent` (Advantage Alignment's A_i), from
 * tables `q` (`[groups, 5, 4]`) and `v` (`[groups, 5]`), `[T, batch]`.
 */
export function jointActionAdvantages(
  traj: Trajectories,
  agent: 0 | 1,
  q: Float64Array,
  v: Float64Array,
  gamesPerGroup: number,
  out: Float64Array,
): Float64Array {
  const { horizon: T, batch, obs, actions } = traj;
  const other = 1 - agent;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const base = (t * batch + g) * 2;
      const k = (g / gamesPerGroup) | 0;
      const s = obs[base + agent];
      out[t * batch + g] =
        q[k * 20 + s * 4 + 2 * actions[base + agent] + actions[base + other]] - v[k * 5 + s];
    }
  }
  return out;
}

/**
 * Opponent-action advantages Ã_t = Q(s_t, a_t, b_t) − Σ_b π̂(b | s_t)·Q(s_t, a_t, b) of agent `agent`: how much
 * the other agent's action b_t, given the agent's own action a_t, changed the agent's value. π̂(b | s) is the other
 * agent's empirical action frequency in own-view state s of the same batch, from `visits` (`[groups, 5, 4]`, the
 * critic's TD statistics, joint index 2a + b); `q` as in `jointActionAdvantages`. `[T, batch]`.
 */
export function opponentActionAdvantages(
  traj: Trajectories,
  agent: 0 | 1,
  q: Float64Array,
  visits: Float64Array,
  gamesPerGroup: number,
  out: Float64Array,
): Float64Array {
  const { horizon: T, batch, obs, actions } = traj;
  const other = 1 - agent;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const base = (t * batch + g) * 2;
      const cell = ((g / gamesPerGroup) | 0) * 20 + obs[base + agent] * 4;
      const otherC = visits[cell] + visits[cell + 2];
      const pOtherC = otherC / (otherC + visits[cell + 1] + visits[cell + 3]); // s was visited: no 0/0
      const own = 2 * actions[base + agent];
      const expected = pOtherC * q[cell + own] + (1 - pOtherC) * q[cell + own + 1];
      out[t * batch + g] = q[cell + own + actions[base + other]] - expected;
    }
  }
  return out;
}

/**
 * Batch normalisation of advantages: z-score `x` (`[T, batch]`) within each group of games (each seed is its own
 * experiment), (x − mean) / (sd + 1e-8), as the Advantage Alignment code does over its batch.
 */
export function normalizePerGroup(
  x: Float64Array,
  horizon: number,
  batch: number,
  gamesPerGroup: number,
): Float64Array {
  const groups = batch / gamesPerGroup;
  for (let k = 0; k < groups; k++) {
    let sum = 0;
    let sumSq = 0;
    for (let t = 0; t < horizon; t++) {
      for (let g = k * gamesPerGroup; g < (k + 1) * gamesPerGroup; g++) {
        const value = x[t * batch + g];
        sum += value;
        sumSq += value * value;
      }
    }
    const n = horizon * gamesPerGroup;
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    for (let t = 0; t < horizon; t++) {
      for (let g = k * gamesPerGroup; g < (k + 1) * gamesPerGroup; g++) {
        x[t * batch + g] = (x[t * batch + g] - mean) / (sd + 1e-8);
      }
    }
  }
  return x;
}

/**
 * Policy-gradient accumulation shared by the actor learners:
 *   grad_k[s] += (1/gamesPerGroup) Σ_t γ^t · w_t · (1[a_t = C] − p_k[s_t])   over games g of group k
 * with per-step weights `weights` (`[T, batch]`, an advantage), agent `agent`'s cooperation probabilities `pC`
 * (`[groups, 5]`) and `grad` (`[groups, 5]`, accumulated into). `discountSteps = false` drops the γ^t factor.
 */
export function accumulatePolicyGradient(
  traj: Trajectories,
  agent: 0 | 1,
  weights: Float64Array,
  pC: Float64Array,
  gamesPerGroup: number,
  gamma: number,
  discountSteps: boolean,
  grad: Float64Array,
): Float64Array {
  const { horizon: T, batch, obs, actions } = traj;
  const scale = 1 / gamesPerGroup;
  let discount = 1;
  for (let t = 0; t < T; t++) {
    const w0 = discount * scale;
    for (let g = 0; g < batch; g++) {
      const i = t * batch + g;
      const cell = ((g / gamesPerGroup) | 0) * 5 + obs[i * 2 + agent];
      grad[cell] += w0 * weights[i] * ((actions[i * 2 + agent] === 0 ? 1 : 0) - pC[cell]);
    }
    if (discountSteps) discount *= gamma;
  }
  return grad;
}
