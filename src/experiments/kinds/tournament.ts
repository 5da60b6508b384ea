/**
 * Kind `tournament`: a round-robin tournament of fixed strategies (src/arena/tournament.ts), with Axelrod's result
 * definitions: every pair plays `repetitions` matches of `turns` turns, self-play is played but left out of scores,
 * a player's normalised score is its mean score per turn over its opponents, and the ranking is by the median
 * normalised score over repetitions. One run = one tournament; each match draws from
 * `Rng.derive(seed, i, j, repetition)` (matters only with noise, probabilistic ends or stochastic strategies).
 *
 * Agents: `{strategy: "<Axelrod display name>"}` (see `shapelab strategies`), or
 * `{strategy: "<label>", memoryOne: [start, CC, CD, DC, DD]}` for any memory-one policy.
 *
 * Records (metric families, per player by display name):
 *   score  `score.<name>`: median normalised score over repetitions (Axelrod's ranking score)
 *   mean   `mean.<name>`: mean normalised score over repetitions
 *   rank   `rank.<name>`: 0-based rank
 *   wins   `wins.<name>`: matches won, summed over repetitions
 *   coop   `coop.<name>`: cooperating rating (cooperations over turns against the others)
 * Artifacts: `payoffMatrix` (heatmap input: row's mean payoff per turn vs column, both directions) and
 * `rankedNames`.
 */
import * as z from "../../zod.js";
import { runTournament, type StrategySpec, strategyFromSpec } from "../../arena/tournament.js";
import { MemoryOneVector, resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const AgentSchema = z.strictObject({ strategy: z.string().min(1), memoryOne: MemoryOneVector.optional() });
const BudgetSchema = z.strictObject({
  turns: countSchema("turns").default(200),
  repetitions: countSchema("repetitions").default(10),
});
const ParamsSchema = z.strictObject({
  noise: z.number().min(0).max(1).default(0),
  probEnd: z.number().min(0).lt(1).default(0),
});

function specs(config: RunConfig): StrategySpec[] {
  return config.agents.map((a) => {
    const agent = AgentSchema.parse(a);
    if (!agent.memoryOne) return agent.strategy;
    const [start, cc, cd, dc, dd] = agent.memoryOne; // the schema checked there are exactly 5
    return { name: agent.strategy, memoryOne: [start, cc, cd, dc, dd] as const };
  });
}

export const tournamentKind: ExperimentKind = {
  name: "tournament",
  description: "round-robin tournament of fixed strategies (Axelrod names and result definitions)",
  agents: z.array(AgentSchema).min(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["score", "mean", "rank", "wins", "coop"],
  check(config) {
    const game = resolveGameSpec(config.game);
    specs(config).forEach((spec, i) => {
      strategyFromSpec(spec, game, `agents[${i}].strategy`);
    });
  },
  run(config: RunConfig, seed: number) {
    const { turns, repetitions } = BudgetSchema.parse(config.budget);
    const { noise, probEnd } = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const r = runTournament(specs(config), game, { turns, repetitions, noise, probEnd, seed });
    const final: Record<string, number> = {};
    r.players.forEach((name, i) => {
      final[`score.${name}`] = r.medianNormalisedScores[i];
      final[`mean.${name}`] = r.meanNormalisedScores[i];
      final[`rank.${name}`] = r.ranking.indexOf(i);
      final[`wins.${name}`] = r.wins[i].reduce((a, b) => a + b, 0);
      final[`coop.${name}`] = r.cooperatingRating[i];
    });
    const transpose = r.payoffMatrix.map((_, i) => r.payoffMatrix.map((row) => row[i]));
    return {
      final,
      series: { steps: [], values: {} },
      artifacts: {
        payoffMatrix: { rows: r.players, cols: r.players, rowReward: r.payoffMatrix, colReward: transpose },
        rankedNames: r.rankedNames,
      },
    };
  },
};
