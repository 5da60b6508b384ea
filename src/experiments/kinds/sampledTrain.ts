/**
 * Kind `sampled-train`: two sampled learners (pg, a2c, aa = Advantage Alignment, lola-dice) or a learner and a
 * fixed opponent, trained from batched rollouts of the iterated game (src/learners/sampled; each learner file
 * states its update equation and paper). One seed per run: `trainSampled({seeds: 1, seed})`.
 * Fixed opponents: `{learner: fixed, pC: [5 probabilities]}`, or `{learner: strategy, strategy: "Grudger"}` — any
 * strategy of src/strategies by name; a memory-one one plays by its probabilities, a longer-memory one as itself
 * (it then has no pC/tft metrics, and rewards are the sampled means).
 *
 * Records (metric families):
 *   reward     series `reward.1`, `reward.2`: exact per-step value (1 − γ)·V of the policies each update played;
 *              final: the exact per-step value of the final policies (against a strategy played as itself: the
 *              sampled mean reward per step, series per update and final over the last 10 updates)
 *   joint      final `joint.final` = mean of both agents' final per-step values; `joint.last10` = that joint
 *              value averaged over the policies of the last 10 updates (the LOLA-DiCE paper's IPD number)
 *   sampled    series `sampled.1`, `sampled.2`: the sampled mean reward per step of each training rollout
 *   pC         final `pC.<agent>.<state>`: the final policy's P(cooperate) per own-view state
 *   epC        final `epC.<agent>.<state>`: empirical P(cooperate) per state in an evaluation rollout of the final
 *              policies (the AA paper's Fig. 1b quantity; absent for a state that was never visited)
 *   tft        final `tft.1`, `tft.2` = 1 when that agent's final policy is TFT-like (every probability within 0.5
 *              of TFT); `tft` = 1 when both are
 *   quadrant   AA seats only: final `quadrant.<agent>.<q>` = share of |alignment term| from sign quadrant q of
 *              (past own advantage, opponent advantage), q ∈ ++, +-, -+, -- (mean over updates)
 *   gap        final `gap` = reward.1 − reward.2 (the asymmetry experiments' exploitation measure)
 *   welfare    final `welfare` = reward.1 + reward.2
 */
import { z } from "zod";
import { bothAgents, tftLikeAgents } from "../../exact/metrics.js";
import { perStepValues } from "../../exact/values.js";
import { type MatrixGame, STATE_LABELS } from "../../games/game.js";
import { optionalShape } from "../../learners/hyperparameters.js";
import { learnerEntries } from "../../learners/registry.js";
import { type LearnerSpec, strategySeatSpec, trainSampled } from "../../learners/sampled/train.js";
import { strategyByName } from "../../strategies/registry.js";
import { MemoryOneVector, resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

/**
 * An agent: a sampled learner with its hyperparameters (each learner's entry schema, without its defaults, so a
 * run config stays as written and the learner fills them in), `fixed` or `strategy`. Built from the registry when
 * asked, so every sampled learner there is a `learner:` here.
 */
export function sampledAgentSchema(): z.ZodType<Agent> {
  const learners = learnerEntries("sampled").map((entry) =>
    z.strictObject({ learner: z.literal(entry.name), ...optionalShape(entry.schema) }),
  );
  const seats = [
    ...learners,
    z.strictObject({ learner: z.literal("fixed"), name: z.string().min(1).optional(), pC: MemoryOneVector }),
    z.strictObject({ learner: z.literal("strategy"), strategy: z.string().min(1) }),
  ] as unknown as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion("learner", seats) as unknown as z.ZodType<Agent>;
}
const BudgetSchema = z.strictObject({
  batch: countSchema("batch"),
  rollout: countSchema("rollout"),
  updates: countSchema("updates"),
  evalBatch: z.number().int().min(1).max(100_000).optional(),
});
const ParamsSchema = z.strictObject({
  init: z.enum(["normal", "zeros"]).default("normal"),
  initMean: z.number().default(0),
  initSd: z.number().min(0).max(100).default(1),
});

type Agent = { learner: string } & Record<string, unknown>;

function toSpec(agent: Agent, game: MatrixGame, field: string): LearnerSpec {
  if (agent.learner === "fixed") return { name: "fixed", pC: agent.pC as number[] };
  if (agent.learner === "strategy") {
    const name = agent.strategy as string;
    return strategySeatSpec(strategyByName(name, game, `${field}.strategy`), name);
  }
  const { learner, ...options } = agent;
  return { name: learner, ...options } as LearnerSpec;
}

/** Mean of the last `window` entries of each agent's curve ([updates][seeds = 1][2]). */
function lastMean(curve: number[][][], agent: number, window = 10): number {
  const tail = curve.slice(-window).map((u) => u[0][agent]);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

export const sampledTrainKind: ExperimentKind = {
  name: "sampled-train",
  description:
    "two sampled learners (pg, a2c, aa, lola-dice), or a learner and a fixed opponent (fixed, or any strategy by " +
    "name), trained from batched rollouts",
  get agents() {
    return z.array(sampledAgentSchema()).length(2);
  },
  check(config: RunConfig) {
    const game = resolveGameSpec(config.game);
    config.agents.forEach((a, i) => toSpec(sampledAgentSchema().parse(a), game, `agents[${i}]`));
  },
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "joint", "sampled", "pC", "epC", "tft", "quadrant", "gap", "welfare"],
  run(config: RunConfig, seed: number) {
    const agents = config.agents.map((a) => sampledAgentSchema().parse(a));
    const budget = BudgetSchema.parse(config.budget);
    const params = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const result = trainSampled({
      game,
      gamma: config.gamma,
      learners: [toSpec(agents[0], game, "agents[0]"), toSpec(agents[1], game, "agents[1]")],
      batch: budget.batch,
      rollout: budget.rollout,
      updates: budget.updates,
      evalBatch: budget.evalBatch,
      seeds: 1,
      seed,
      init:
        params.init === "zeros"
          ? { kind: "zeros" }
          : { kind: "normal", mean: params.initMean, sd: params.initSd },
    });

    const finalPC = Float64Array.from(result.finalPC[0].flat());
    // A strategy played as itself (not memory-one) has no P(C) per state (NaN) and the pair no exact value: then
    // the rewards are the sampled means of the training rollouts (the last 10 updates' for the final ones).
    const hasPolicy = [0, 1].map((i) => finalPC.subarray(5 * i, 5 * i + 5).every(Number.isFinite));
    const exact = result.exactPerStep.length > 0;
    const curve = exact ? result.exactPerStep : result.rewardPerStep;
    const value = exact
      ? perStepValues(game, finalPC, config.gamma)
      : [lastMean(curve, 0), lastMean(curve, 1)];
    // The LOLA-DiCE paper's IPD curves are the joint (mean of both agents) per-step return, and its numbers are
    // the average over the last 10 iterations.
    const joint = curve.map((u) => (u[0][0] + u[0][1]) / 2);
    const tail = joint.slice(-10);
    const final: Record<string, number> = {
      "reward.1": value[0],
      "reward.2": value[1],
      "joint.final": (value[0] + value[1]) / 2,
      "joint.last10": tail.reduce((a, b) => a + b, 0) / tail.length,
      gap: value[0] - value[1],
      welfare: value[0] + value[1],
    };
    const tftAgents = tftLikeAgents(finalPC);
    if (hasPolicy[0] && hasPolicy[1]) final.tft = bothAgents(tftAgents)[0];
    for (let i = 0; i < 2; i++) {
      if (hasPolicy[i]) final[`tft.${i + 1}`] = tftAgents[i];
      STATE_LABELS.forEach((label, s) => {
        if (hasPolicy[i]) final[`pC.${i + 1}.${label}`] = finalPC[5 * i + s];
        const e = result.empiricalPC[0][i][s];
        if (e !== null) final[`epC.${i + 1}.${label}`] = e;
      });
    }
    for (const curve of result.aaQuadrants) {
      curve.quadrants.forEach((q, j) => {
        final[`quadrant.${curve.agent + 1}.${q}`] = curve.perSeed[0][j];
      });
    }
    const steps = curve.map((_, u) => u);
    return {
      final,
      series: {
        steps,
        values: {
          "reward.1": curve.map((u) => u[0][0]),
          "reward.2": curve.map((u) => u[0][1]),
          "sampled.1": result.rewardPerStep.map((u) => u[0][0]),
          "sampled.2": result.rewardPerStep.map((u) => u[0][1]),
        },
      },
      artifacts: {},
    };
  },
};
