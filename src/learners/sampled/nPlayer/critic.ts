/**
 * Batched tabular TD(0) state-value critics for N-player play, fitted on the samples of one batch.
 *
 * In the N-player dilemmas every step's reward for the critic's target (an agent's own reward, the sum or mean
 * of the others' rewards) is a function of the step's code c (src/envs/nPlayer/env.ts), and the next state is
 * 1 + c. So the joint-action value needs no table of its own:
 *     Q(s, c) = r(c) + γ·V(1 + c),        A_t = Q(s_t, c_t) − V(s_t) = r_t + γ·V(s_{t+1}) − V(s_t) = δ_t,
 * which is what the two-player critic (src/policies/critics.ts) computes with `lrCritic = 1` (its Q is one full
 * step towards the same target); test/n-player-learners.test.ts checks the N = 2 case against it.
 * V is fitted by `sweeps` synchronous sweeps of batch TD(0) with step α,
 *     V(s) ← V(s) + α·( mean over visits of s of [r_t + γ·V(s_{t+1})] − V(s) ),
 * the same operator as `fitStateValuesTd0`, computed from per-state sums over the samples (visits and reward
 * sums once, the successor values each sweep) instead of a [states, codes] count table: O(T·batch) per sweep
 * and O(states) memory per critic, which is what lets pairwise critics reach N = 32 (a count table would be
 * 4N² entries per critic). Tables are `[groups, S]` (one per seed), warm-started from the previous update.
 *
 * Inputs are one critic's view of a batch: `states` `[T + 1, batch]` (the state each step was taken in, plus
 * the state after the last step, where the critic bootstraps) and `rewards` `[T, batch]`.
 */

export class SampledValueCritic {
  /** V, `[groups, S]`. */
  readonly values: Float64Array;
  private readonly visits: Float64Array;
  private readonly rewardSums: Float64Array;
  private readonly successorSums: Float64Array;

  constructor(
    readonly groups: number,
    readonly states: number,
  ) {
    this.values = new Float64Array(groups * states);
    this.visits = new Float64Array(groups * states);
    this.rewardSums = new Float64Array(groups * states);
    this.successorSums = new Float64Array(groups * states);
  }

  /** Bytes of the critic's tables. */
  get bytes(): number {
    return (
      this.values.byteLength +
      this.visits.byteLength +
      this.rewardSums.byteLength +
      this.successorSums.byteLength
    );
  }

  /** Batch TD(0): `sweeps` synchronous sweeps of step `lr` on the samples. */
  fit(
    states: Int32Array,
    rewards: Float64Array,
    horizon: number,
    batch: number,
    gamesPerGroup: number,
    gamma: number,
    lr: number,
    sweeps: number,
  ): void {
    const S = this.states;
    const { values: V, visits, rewardSums, successorSums } = this;
    visits.fill(0);
    rewardSums.fill(0);
    for (let t = 0; t < horizon; t++) {
      for (let g = 0; g < batch; g++) {
        const cell = ((g / gamesPerGroup) | 0) * S + states[t * batch + g];
        visits[cell] += 1;
        rewardSums[cell] += rewards[t * batch + g];
      }
    }
    for (let sweep = 0; sweep < sweeps; sweep++) {
      successorSums.fill(0);
      for (let t = 0; t < horizon; t++) {
        for (let g = 0; g < batch; g++) {
          const group = ((g / gamesPerGroup) | 0) * S;
          successorSums[group + states[t * batch + g]] += V[group + states[(t + 1) * batch + g]];
        }
      }
      for (let cell = 0; cell < V.length; cell++) {
        const n = visits[cell];
        if (n === 0) continue;
        const target = (rewardSums[cell] + gamma * successorSums[cell]) / n;
        V[cell] += lr * (target - V[cell]);
      }
    }
  }

  /** TD errors δ_t = r_t + γ·V(s_{t+1}) − V(s_t) (= Q − V, see the header), `[T, batch]` into `out`. */
  tdErrors(
    states: Int32Array,
    rewards: Float64Array,
    horizon: number,
    batch: number,
    gamesPerGroup: number,
    gamma: number,
    out: Float64Array,
  ): Float64Array {
    const S = this.states;
    const V = this.values;
    for (let t = 0; t < horizon; t++) {
      for (let g = 0; g < batch; g++) {
        const i = t * batch + g;
        const group = ((g / gamesPerGroup) | 0) * S;
        out[i] = rewards[i] + gamma * V[group + states[i + batch]] - V[group + states[i]];
      }
    }
    return out;
  }
}
