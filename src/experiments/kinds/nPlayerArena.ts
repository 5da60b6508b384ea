/**
 * Kind `n-player-arena`: an N-player tournament of hosts and visitors with every agent's reward and the catalyst
 * measure (src/arena/nPlayer.ts). One run = every (host, visitor) line-up for one seed; spreads come from the
 * experiment's seeds. The two-player `arena` kind is unchanged.
 *
 * Agents: `{scheme: naive | pairwise | shared | mean-field, label?, lr?, beta?, …}` (a learner: the
 * n-agent-sampled kind's `NPlayerLearnerSchema` plus a label) or `{strategy: <src/strategies/nPlayer.ts name>}`. Default labels: "naive PG",
 * "AA-pairwise", "AA-shared", "AA-mean-field", or the strategy name.
 *
 * Records (metric families; names use the labels):
 *   host         `host.<host>.<visitor>`: mean per-step reward of the N − v host seats
 *   visitor      `visitor.<host>.<visitor>`: mean per-step reward of the v visitor seats
 *   seat         `seat.<host>.<visitor>.<i>`: every seat's per-step reward (hosts 0..N−v−1, then visitors)
 *   cooperation  `cooperation.<host>.<visitor>`: fraction of cooperative actions in the evaluation batch
 *   catalyst     `catalyst.<shaper>.<visitor>` = visitor reward hosted by the shaper − hosted by the naive
 *                learner (params.naive), for each learner host other than the naive one
 */
import * as z from "../../zod.js";
import { type NPlayerEntrant, runNPlayerArena } from "../../arena/nPlayer.js";
import type { NPlayerScheme } from "../../learners/sampled/nPlayer/aa.js";
import { N_PLAYER_STRATEGIES } from "../../strategies/nPlayer.js";
import { InputError } from "../../util/errors.js";
import { resolveNPlayerGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";
import { NPlayerLearnerSchema } from "./nAgentSampled.js";

const LearnerSchema = NPlayerLearnerSchema.extend({ label: z.string().min(1).optional() });
const StrategySchema = z.strictObject({
  strategy: z.enum(N_PLAYER_STRATEGIES as [string, ...string[]]),
  label: z.string().min(1).optional(),
});
const AgentSchema = z.union([LearnerSchema, StrategySchema]);
const BudgetSchema = z.strictObject({
  steps: z.number().int().min(0).max(1_000_000),
  games: z.number().int().min(1).max(100_000).default(8),
  horizon: z.number().int().min(1).max(100_000).default(50),
});
const ParamsSchema = z.strictObject({
  visitors: z.number().int().min(1).default(1),
  evalGames: z.number().int().min(1).max(100_000).default(128),
  initSd: z.number().gt(0).max(100).default(1),
  /** Label of the naive learner the catalyst is measured against. */
  naive: z.string().min(1).default("naive PG"),
});

const DEFAULT_LABELS: Record<NPlayerScheme, string> = {
  naive: "naive PG",
  pairwise: "AA-pairwise",
  shared: "AA-shared",
  "mean-field": "AA-mean-field",
};

function entrantsOf(config: RunConfig): NPlayerEntrant[] {
  return config.agents.map((raw) => {
    const a = AgentSchema.parse(raw);
    if ("strategy" in a) return { label: a.label ?? a.strategy, strategy: a.strategy };
    const { label, ...learner } = a;
    return { label: label ?? DEFAULT_LABELS[a.scheme], learner };
  });
}

export const nPlayerArenaKind: ExperimentKind = {
  name: "n-player-arena",
  description:
    "an N-player tournament of hosts and visitors (learners and fixed strategies), every seat's reward, the catalyst measure",
  agents: z.array(AgentSchema).min(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["host", "visitor", "seat", "cooperation", "catalyst"],
  check(config) {
    const players = resolveNPlayerGameSpec(config.game).players;
    const { visitors } = ParamsSchema.parse(config.params);
    if (visitors > players - 1) {
      throw new InputError("params.visitors", `must be in [1, N − 1] = [1, ${players - 1}], got ${visitors}`);
    }
    const labels = entrantsOf(config).map((e) => e.label);
    if (new Set(labels).size !== labels.length) {
      throw new InputError(
        "agents",
        `labels must be distinct (give a label to repeated entrants): ${labels.join(", ")}`,
      );
    }
  },
  run(config: RunConfig, seed: number) {
    const { steps, games, horizon } = BudgetSchema.parse(config.budget);
    const params = ParamsSchema.parse(config.params);
    const entrants = entrantsOf(config);
    const hasNaive = entrants.some((e) => e.label === params.naive);
    const r = runNPlayerArena(entrants, {
      game: resolveNPlayerGameSpec(config.game),
      gamma: config.gamma,
      visitors: params.visitors,
      steps,
      games,
      horizon,
      evalGames: params.evalGames,
      initSd: params.initSd,
      seed,
      naive: hasNaive ? params.naive : undefined,
    });
    const final: Record<string, number> = {};
    for (const c of r.cells) {
      final[`host.${c.host}.${c.visitor}`] = c.hostReward;
      final[`visitor.${c.host}.${c.visitor}`] = c.visitorReward;
      final[`cooperation.${c.host}.${c.visitor}`] = c.cooperation;
      c.seatRewards.forEach((x, i) => {
        final[`seat.${c.host}.${c.visitor}.${i}`] = x;
      });
    }
    for (const c of r.catalyst) final[`catalyst.${c.shaper}.${c.visitor}`] = c.value;
    return { final, series: { steps: [], values: {} }, artifacts: { cells: r.cells } };
  },
};
