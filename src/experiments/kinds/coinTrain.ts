/**
 * Kind `coin-train`: one neural learner (ppo, ppo-sum, aa, paa; lola-dice once its entry is registered) trained on
 * the Coin Game by src/learners/neural/trainCoin.ts, in self-play (the AA / LOQA coin setting, optionally with an
 * agent replay buffer) or against a fixed agent. One seed per run; cases pick the learner.
 *
 *   agents:  [{learner: aa, beta: 1, …}]        the learner and its options (its entry's schema checks them)
 *   budget:  {updates, batch, turns, evalGames?}  updates, games per update, steps per training game
 *   params:  {preset?: small | paper, opponent?: self | always-defect | …, replay?: {size, sampling, every, fraction}}
 * A preset (src/learners/neural/presets.ts) fills the learner options not given (and `paper` the replay buffer).
 *
 * Records (metric families):
 *   reward          final `reward.<vs>`: the learner's reward per step in 16-step evaluation games against <vs> =
 *                   `self` (its own copy, or the training opponent), `always-defect`, `always-cooperate`
 *   opponentReward  final `opponentReward.<vs>`: the other seat's reward per step in those games
 *   ownCoin         final `ownCoin.<vs>`: the learner's own-coin fraction there (absent if it picked up nothing)
 *   train           series `train.reward.1`, `train.reward.2`, `train.ownCoin.1`, `train.ownCoin.2`: each update's
 *                   training rollout (seat 1 = the learner)
 *   diag            series `diag.<name>`: the learner's diagnostics by name (`diag.ppo.approxKl`,
 *                   `diag.aa.quadrant.++`, …), averaged by the trainer without knowing what they mean
 * Artifacts: `agent` (the trained actor as agent-file text: what the coin-league kind reads), `learner`,
 * `evaluation` (every metric of the three evaluation matches), `training` ({updates, resumedFrom}: the update a
 * resumed run restarted from, 0 for one that ran through).
 * Checkpoints: with a run store (the runner's `RunContext`), the training state is saved every 10 updates under
 * the run's key; a killed `shapelab run coin-train` resumes each unfinished run from its last checkpoint and ends
 * with the numbers of an uninterrupted run (test/coin-train-resume.test.ts).
 */
import * as z from "../../zod.js";
import { FIXED_COIN_AGENTS } from "../../envs/coin/fixedAgents.js";
import { NEURAL_LEARNER_NAMES, neuralLearnerEntry } from "../../learners/neural/index.js";
import { COIN_PRESET_NAMES, COIN_PRESETS } from "../../learners/neural/presets.js";
import { replaySchema } from "../../learners/neural/replay.js";
import { type CoinSeatSpec, type TrainCoinOptions, trainCoin } from "../../learners/neural/trainCoin.js";
import { InputError } from "../../util/errors.js";
import type { ExperimentKind, RunConfig, RunContext } from "../types.js";

const AgentSchema = z.looseObject({ learner: z.string().min(1) });
const BudgetSchema = z.strictObject({
  updates: z.number().int().min(1).max(10_000_000),
  batch: z.number().int().min(1).max(100_000),
  turns: z.number().int().min(1).max(10_000).default(16),
  evalGames: z.number().int().min(1).max(100_000).default(512),
});
const ParamsSchema = z.strictObject({
  preset: z.enum(COIN_PRESET_NAMES as [string, ...string[]]).optional(),
  opponent: z.enum(["self", ...FIXED_COIN_AGENTS]).default("self"),
  replay: replaySchema.partial().optional(),
});

function trainOptions(config: RunConfig, seed: number): TrainCoinOptions {
  const { learner, ...options } = AgentSchema.parse(config.agents[0]);
  const entry = neuralLearnerEntry(learner);
  if (entry === undefined) {
    throw new InputError(
      "agents[0].learner",
      `unknown value "${learner}"; allowed: ${NEURAL_LEARNER_NAMES.join(", ")}`,
    );
  }
  const budget = BudgetSchema.parse(config.budget);
  const params = ParamsSchema.parse(config.params);
  const preset = params.preset === undefined ? undefined : COIN_PRESETS[params.preset];
  const a: CoinSeatSpec = { learner, config: { ...(preset?.learners[learner] ?? {}), ...options } };
  const selfPlay = params.opponent === "self";
  const replay = params.replay ?? (selfPlay ? preset?.replay : undefined);
  return {
    a,
    b: selfPlay ? "self" : { fixed: params.opponent },
    env: { episodeSteps: budget.turns },
    updates: budget.updates,
    batch: budget.batch,
    seed,
    replay,
    evalGames: budget.evalGames,
  };
}

export const coinTrainKind: ExperimentKind = {
  name: "coin-train",
  description:
    "a neural learner (ppo, ppo-sum, aa, paa) trained on the Coin Game in self-play (optionally with a replay " +
    "buffer of past selves) or against a fixed agent; the trained actor is kept for coin-league",
  agents: z.array(AgentSchema).length(1),
  budget: BudgetSchema,
  params: ParamsSchema,
  check(config: RunConfig) {
    const options = trainOptions(config, 0);
    const { learner, config: learnerConfig } = options.a as {
      learner: string;
      config: Record<string, unknown>;
    };
    const parsed = neuralLearnerEntry(learner)?.schema.safeParse(learnerConfig);
    if (parsed && !parsed.success) {
      const issue = parsed.error.issues[0];
      const key = "keys" in issue ? (issue.keys as string[])[0] : issue.path.join(".");
      throw new InputError(
        `agents[0].${key}`,
        `${issue.message} (options of ${learner}: see \`shapelab train --help\`)`,
      );
    }
    if (options.replay !== undefined && options.b !== "self") {
      throw new InputError(
        "params.replay",
        "needs params.opponent: self (the replayed opponents are past selves)",
      );
    }
  },
  metricFamilies: ["reward", "opponentReward", "ownCoin", "train", "diag"],
  resumable: true,
  run(config: RunConfig, seed: number, context?: RunContext) {
    // The runner's checkpoint (the run store): a killed run resumes from its last one, with the same numbers.
    const result = trainCoin(trainOptions(config, seed), {
      checkpoint: context?.checkpoint,
      onUpdate: context?.progress,
    });
    const final: Record<string, number> = {};
    for (const [vs, m] of Object.entries(result.evaluation)) {
      const name = vs === "opponent" ? "self" : vs;
      final[`reward.${name}`] = m.rewards[0];
      final[`opponentReward.${name}`] = m.rewards[1];
      if (m.ownCoin[0] !== null) final[`ownCoin.${name}`] = m.ownCoin[0];
    }
    const values: Record<string, number[]> = {
      "train.reward.1": result.curves.rewards[0],
      "train.reward.2": result.curves.rewards[1],
    };
    result.curves.ownCoin.forEach((curve, i) => {
      // A rollout without a single pickup has no fraction; the curve is then left out rather than padded.
      if (curve.every((x) => x !== null)) values[`train.ownCoin.${i + 1}`] = curve as number[];
    });
    for (const [name, curve] of Object.entries(result.curves.diagnostics[0])) values[`diag.${name}`] = curve;
    return {
      final,
      series: { steps: result.curves.rewards[0].map((_, u) => u), values },
      artifacts: {
        agent: result.agent,
        learner: result.learner,
        evaluation: result.evaluation,
        training: { updates: result.updates, resumedFrom: result.resumedFrom },
      },
    };
  },
};
