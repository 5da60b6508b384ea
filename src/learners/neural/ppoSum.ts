/**
 * `ppo-sum`: PPO on the sum of both agents' rewards, r_t = r^self_t + r^opp_t — the prosocial baseline of the
 * Advantage Alignment paper (its negotiation and Melting Pot comparisons, "ppo_p"; `sum_rewards` in the authors'
 * code). Everything else is ppo.ts: the same hyperparameters, GAE, clipped surrogate and critic, which here
 * learns the value of the joint reward.
 */
import type { NeuralContext } from "./learner.js";
import { type PpoConfig, PpoLearner, type RewardSignal } from "./ppo.js";
import type { SeatView } from "./rollout.js";

/** r^self + r^opp per row of a view; one buffer per learner, reused across updates. */
function summedRewards(): RewardSignal {
  let sum = new Float64Array(0);
  return (view: SeatView) => {
    const rows = view.horizon * view.games;
    if (sum.length !== rows) sum = new Float64Array(rows);
    for (let i = 0; i < rows; i++) sum[i] = view.own.rewards[i] + view.opponent.rewards[i];
    return sum;
  };
}

export function createPpoSum(config: PpoConfig, ctx: NeuralContext): PpoLearner {
  return new PpoLearner(config, ctx, "ppo-sum", summedRewards());
}
