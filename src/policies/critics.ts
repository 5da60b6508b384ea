/**
 * Tabular critics for memory-one play, batched over independent tables (one per seed, say):
 *
 * - `StateValueTable`: V(s) for the 5 own-view states, `[n, 5]`.
 * - `JointActionValueTable`: Q(s, a, b) for own-view state s, own action a and the other agent's action b,
 *   `[n, 5, 4]` with the joint index j = 2a + b (own action first, 0 = C, 1 = D).
 *
 * Fitting is batch TD on one batch of trajectories. For TD(0) the batch reduces to sufficient statistics per
 * table entry (visits, summed rewards, next-state counts), so several sweeps cost 5×5 work per table, not a pass
 * over the data:
 *
 *   V(s)     ← V(s)     + α·( mean over visits of [r + γ·V(s′)] − V(s) )
 *   Q(s,a,b) ← Q(s,a,b) + α·( mean over visits of [r + γ·V(s′)] − Q(s,a,b) ),   s′ = 1 + 2a + b
 *
 * In a memory-one game the next state is the joint action just played, so s′ is known at every step, including
 * the last one of a truncated rollout: we bootstrap there (the iterated game is an infinite discounted game that
 * the rollout only truncates). TD(λ) / Monte-Carlo fits go through `fitToTargets` with targets computed by the
 * shared return utilities (src/learners/sampled/advantages.ts).
 *
 * Trajectory layout is `[T, batch, 2]` (src/envs/rollout.ts); game g belongs to table ⌊g / gamesPerTable⌋ and the
 * critic is written from agent `agent`'s own view (its obs, its action first, its reward).
 */
import type { Trajectories } from "../envs/rollout.js";

export class StateValueTable {
  readonly values: Float64Array;
  constructor(readonly tables: number) {
    this.values = new Float64Array(tables * 5);
  }

  get(table: number, state: number): number {
    return this.values[table * 5 + state];
  }
}

export class JointActionValueTable {
  readonly values: Float64Array;
  constructor(readonly tables: number) {
    this.values = new Float64Array(tables * 20);
  }

  /** Q(s, a, b) of `table`. */
  get(table: number, state: number, own: number, other: number): number {
    return this.values[table * 20 + state * 4 + 2 * own + other];
  }
}

/** Sufficient statistics of one batch for TD(0) on both tables, per (table, state, joint action). */
export class TdStatistics {
  /** Visits of (table, s, j), `[n, 5, 4]`. */
  readonly visits: Float64Array;
  /** Summed rewards of (table, s, j). */
  readonly rewardSum: Float64Array;

  constructor(readonly tables: number) {
    this.visits = new Float64Array(tables * 20);
    this.rewardSum = new Float64Array(tables * 20);
  }

  /** Accumulate agent `agent`'s view of a batch (clears previous counts first). */
  collect(traj: Trajectories, agent: 0 | 1, gamesPerTable: number): this {
    this.visits.fill(0);
    this.rewardSum.fill(0);
    const { horizon: T, batch, obs, actions, rewards } = traj;
    const other = 1 - agent;
    for (let t = 0; t < T; t++) {
      const row = t * batch * 2;
      for (let g = 0; g < batch; g++) {
        const base = row + 2 * g;
        const k = (g / gamesPerTable) | 0;
        const cell = k * 20 + obs[base + agent] * 4 + 2 * actions[base + agent] + actions[base + other];
        this.visits[cell] += 1;
        this.rewardSum[cell] += rewards[base + agent];
      }
    }
    return this;
  }
}

/**
 * Batch TD(0) on V from collected statistics: `sweeps` synchronous sweeps with step size `lr` (lr = 1 and many
 * sweeps solve the empirical model's Bellman equation; a small lr is the usual stochastic TD step).
 */
export function fitStateValuesTd0(
  v: StateValueTable,
  stats: TdStatistics,
  gamma: number,
  lr: number,
  sweeps: number,
): void {
  const V = v.values;
  const target = new Float64Array(5);
  for (let k = 0; k < v.tables; k++) {
    for (let sweep = 0; sweep < sweeps; sweep++) {
      for (let s = 0; s < 5; s++) {
        let n = 0;
        let sum = 0;
        for (let j = 0; j < 4; j++) {
          const cell = k * 20 + s * 4 + j;
          const c = stats.visits[cell];
          if (c === 0) continue;
          n += c;
          sum += stats.rewardSum[cell] + gamma * c * V[k * 5 + 1 + j];
        }
        target[s] = n > 0 ? sum / n : Number.NaN;
      }
      for (let s = 0; s < 5; s++)
        if (!Number.isNaN(target[s])) V[k * 5 + s] += lr * (target[s] - V[k * 5 + s]);
    }
  }
}

/** Batch TD(0) on Q(s, a, b) towards r + γ·V(s′), one step of size `lr` per visited entry. */
export function fitJointActionValuesTd0(
  q: JointActionValueTable,
  v: StateValueTable,
  stats: TdStatistics,
  gamma: number,
  lr: number,
): void {
  const Q = q.values;
  for (let k = 0; k < q.tables; k++) {
    for (let s = 0; s < 5; s++) {
      for (let j = 0; j < 4; j++) {
        const cell = k * 20 + s * 4 + j;
        const c = stats.visits[cell];
        if (c === 0) continue;
        const target = stats.rewardSum[cell] / c + gamma * v.values[k * 5 + 1 + j];
        Q[cell] += lr * (target - Q[cell]);
      }
    }
  }
}

/**
 * Move V(s) towards the mean of per-step `targets` (`[T, batch]`, e.g. λ-returns or Monte-Carlo returns) over the
 * visits of s in agent `agent`'s view, with step size `lr`.
 */
export function fitStateValuesToTargets(
  v: StateValueTable,
  traj: Trajectories,
  agent: 0 | 1,
  gamesPerTable: number,
  targets: Float64Array,
  lr: number,
): void {
  const sums = new Float64Array(v.tables * 5);
  const counts = new Float64Array(v.tables * 5);
  const { horizon: T, batch, obs } = traj;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const cell = ((g / gamesPerTable) | 0) * 5 + obs[(t * batch + g) * 2 + agent];
      sums[cell] += targets[t * batch + g];
      counts[cell] += 1;
    }
  }
  for (let c = 0; c < sums.length; c++)
    if (counts[c] > 0) v.values[c] += lr * (sums[c] / counts[c] - v.values[c]);
}
