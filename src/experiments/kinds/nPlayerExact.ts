/**
 * Kind `n-player-exact`: N exact learners (naive or pairwise LOLA, src/learners/exact/nPlayerTrain.ts), all with
 * the same rule, in an iterated N-player dilemma (`game: {dilemma: public-goods | ipd | table, players: N}`), one
 * seed per run. Exact values on the 2^N + 1 own-view states, so N ≤ 12 (and pairwise LOLA's N(N − 1) opponent
 * terms make N ≳ 6 slow: that cost is what the kind measures).
 *
 * Records (metric families):
 *   reward       final `reward.mean` (per-step reward averaged over agents), `reward.min`, `reward.max`;
 *                series `reward.mean` per update
 *   welfare      final `welfare` = Σ_i per-step reward
 *   cooperation  final `cooperation` = expected fraction of cooperators per step under the discounted occupancy;
 *                series of the same
 *   cost         final `cost.evaluations` = exact-chain evaluations per update (1 naive, 1 + 2N(N − 1) LOLA),
 *                `cost.players` = N (for sweep figures); the wall time per update is the run's `ms` / steps
 *   diverged     final `diverged` = 1 when a seed stopped on a non-finite update
 */
import * as z from "../../zod.js";
import { N_PLAYER_LEARNERS, trainNPlayerExact } from "../../learners/exact/nPlayerTrain.js";
import { resolveNPlayerGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const AgentSchema = z.strictObject({
  learner: z.enum(N_PLAYER_LEARNERS),
  lr: z.number().min(0).max(1e6).default(1),
  eta: z.number().min(0).max(1e6).default(1),
});
const BudgetSchema = z.strictObject({ steps: z.number().int().min(0).max(100_000) });
const ParamsSchema = z.strictObject({
  initSd: z.number().gt(0).max(100).default(1),
  curveEvery: z.number().int().min(1).default(1),
});

export const nPlayerExactKind: ExperimentKind = {
  name: "n-player-exact",
  description: "N exact learners (naive or pairwise LOLA, one rule for all) in an N-player dilemma",
  agents: z.array(AgentSchema).length(1),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "welfare", "cooperation", "cost", "diverged"],
  run(config: RunConfig, seed: number) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    const { steps } = BudgetSchema.parse(config.budget);
    const { initSd, curveEvery } = ParamsSchema.parse(config.params);
    const game = resolveNPlayerGameSpec(config.game);
    const r = trainNPlayerExact({
      game,
      gamma: config.gamma,
      learner: agent.learner,
      lr: agent.lr,
      eta: agent.eta,
      steps,
      seeds: 1,
      seed,
      initSd,
    });
    const rewards = Array.from(r.rewardPerStep);
    const welfare = rewards.reduce((a, b) => a + b, 0);
    const final: Record<string, number> = {
      "reward.mean": welfare / r.players,
      "reward.min": Math.min(...rewards),
      "reward.max": Math.max(...rewards),
      welfare,
      cooperation: r.cooperation[0],
      "cost.evaluations": r.evaluationsPerUpdate,
      "cost.players": r.players,
      diverged: r.diverged.length > 0 ? 1 : 0,
    };
    const at: number[] = [];
    const reward: number[] = [];
    const cooperation: number[] = [];
    for (let t = 0; t <= steps; t++) {
      if (t % curveEvery !== 0 && t !== steps) continue;
      if (!Number.isFinite(r.curve[2 * t])) break;
      at.push(t);
      reward.push(r.curve[2 * t]);
      cooperation.push(r.curve[2 * t + 1]);
    }
    return {
      final,
      series: { steps: at, values: { "reward.mean": reward, cooperation } },
      artifacts: r.diverged.length > 0 ? { diverged: r.diverged } : {},
    };
  },
};
