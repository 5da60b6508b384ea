/**
 * Kind `n-agent-sampled`: N sampled tabular learners with one rule (N-player Advantage Alignment with a
 * pairwise, shared or mean-field opponent critic, or naive policy gradient; src/learners/sampled/nPlayer/aa.ts)
 * in an iterated N-player dilemma (`game: {dilemma, players: N}`), one seed per run. It measures what the
 * schemes cost as N grows (issue 16) beside what they achieve.
 *
 * Records (metric families):
 *   cooperation  final `cooperation`: fraction of C actions in an evaluation batch of the final policies;
 *                series of the batch cooperation per update
 *   welfare      final `welfare`: per-step Σ_i r^i in the evaluation batch; series per update
 *   reward       final `reward.mean` = welfare / N
 *   threshold    `threshold.reached` (1 when some update's batch cooperation was ≥ params.threshold),
 *                `threshold.updates` (the first such update; the budget `steps` when never: censored),
 *                `threshold.samples` = threshold.updates × games × T environment steps
 *   cost         `cost.msPerUpdate` (wall time of the learner's update, rollout excluded),
 *                `cost.rolloutMsPerUpdate`, `cost.criticTables` (critic tables fitted per update: N naive,
 *                2N shared / mean-field, N² pairwise), `cost.players` = N. The two times are measured, so they
 *                vary run to run; every other number is a function of the config and seed.
 *   quadrant     AA schemes only: `quadrant.<q>` = share of |alignment term| from sign quadrant q of (past own
 *                advantage, opponent term), q ∈ ++, +-, -+, -- (mean over updates and agents)
 *   memory       `memory.learnerBytes` (critic tables, optimiser, scratch), `memory.criticBytes` (the critic
 *                tables alone: 4 arrays of [S] per critic, S = 2N + 1 in the count view), `memory.policyBytes`
 */
import * as z from "../../zod.js";
import { MAX_FULL_VIEW_PLAYERS, N_PLAYER_VIEWS } from "../../envs/nPlayer/env.js";
import { QUADRANTS } from "../../learners/sampled/aa.js";
import { N_PLAYER_AA_SCHEMA } from "../../learners/sampled/nPlayer/entry.js";
import { trainNPlayerSampled } from "../../learners/sampled/nPlayer/train.js";
import { InputError } from "../../util/errors.js";
import { resolveNPlayerGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

/**
 * The N-player learner's options as a config field: the schema of its registry entry (`n-player-aa`,
 * src/learners/sampled/nPlayer/entry.ts), declared there once; the arena kind extends it with a label.
 */
export const NPlayerLearnerSchema = N_PLAYER_AA_SCHEMA;
const AgentSchema = NPlayerLearnerSchema;
const BudgetSchema = z.strictObject({
  steps: z.number().int().min(0).max(1_000_000),
  /** Games per update B. */
  games: z.number().int().min(1).max(100_000).default(16),
  /** Steps per game T. */
  horizon: z.number().int().min(1).max(100_000).default(50),
});
const ParamsSchema = z.strictObject({
  view: z.enum(N_PLAYER_VIEWS).default("count"),
  initSd: z.number().gt(0).max(100).default(1),
  threshold: z.number().min(0).max(1).default(0.8),
  evalGames: z.number().int().min(1).max(100_000).default(256),
  curveEvery: z.number().int().min(1).default(1),
});

export const nAgentSampledKind: ExperimentKind = {
  name: "n-agent-sampled",
  description:
    "N sampled tabular learners (N-player AA with pairwise, shared or mean-field opponent critics, or naive PG) in an N-player dilemma",
  agents: z.array(AgentSchema).length(1),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["cooperation", "welfare", "reward", "threshold", "cost", "memory", "quadrant"],
  check(config) {
    const game = resolveNPlayerGameSpec(config.game);
    const { view } = ParamsSchema.parse(config.params);
    if (view === "full" && game.players > MAX_FULL_VIEW_PLAYERS) {
      throw new InputError(
        "params.view",
        `full needs 2^N + 1 states; at most ${MAX_FULL_VIEW_PLAYERS} players, got ${game.players} (use count)`,
      );
    }
  },
  run(config: RunConfig, seed: number) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    const { steps, games, horizon } = BudgetSchema.parse(config.budget);
    const { view, initSd, threshold, evalGames, curveEvery } = ParamsSchema.parse(config.params);
    const game = resolveNPlayerGameSpec(config.game);
    const r = trainNPlayerSampled({
      game,
      view,
      horizon,
      gamma: config.gamma,
      learner: agent,
      steps,
      seeds: 1,
      seed,
      gamesPerSeed: games,
      initSd,
      threshold,
      evalGames,
    });
    const reached = r.updatesToThreshold[0] >= 0;
    const updates = reached ? r.updatesToThreshold[0] : steps;
    const perUpdate = (ms: number) => (steps > 0 ? ms / steps : 0);
    const final: Record<string, number> = {
      cooperation: r.cooperation[0],
      welfare: r.welfare[0],
      "reward.mean": r.rewardMean[0],
      "threshold.reached": reached ? 1 : 0,
      "threshold.updates": updates,
      "threshold.samples": updates * r.samplesPerUpdate,
      "cost.msPerUpdate": perUpdate(r.updateMs),
      "cost.rolloutMsPerUpdate": perUpdate(r.rolloutMs),
      "cost.criticTables": r.criticTables,
      "cost.players": r.players,
      "memory.learnerBytes": r.learnerBytes,
      "memory.criticBytes": r.criticBytes,
      "memory.policyBytes": r.policyBytes,
    };
    if (agent.scheme !== "naive") {
      QUADRANTS.forEach((q, j) => {
        final[`quadrant.${q}`] = r.quadrantShares[j];
      });
    }
    const at: number[] = [];
    const cooperation: number[] = [];
    const welfare: number[] = [];
    for (let u = 0; u < steps; u++) {
      if (u % curveEvery !== 0 && u !== steps - 1) continue;
      at.push(u);
      cooperation.push(r.cooperationCurve[u]);
      welfare.push(r.welfareCurve[u]);
    }
    return { final, series: { steps: at, values: { cooperation, welfare } }, artifacts: {} };
  },
};
