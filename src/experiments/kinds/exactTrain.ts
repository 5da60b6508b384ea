/**
 * Kind `exact-train`: two exact learners (naive, LOLA, look-ahead, SOS, cross-Hessian, fixed; src/learners/exact)
 * trained against each other on a memory-one iterated game with closed-form values and derivatives, one seed per
 * run. The learner file states each update equation; `trainExact` draws θ ~ N(0, initSd²) from
 * `Rng.derive(seed, 0)` for the run's seed.
 *
 * Records (metric families):
 *   reward    final `reward.1`, `reward.2` = per-step reward (1 − γ)·V_i at the end; series of the same per update
 *   pC        final `pC.<agent>.<state>`, cooperation probability per own-view state
 *   tft       final `tft.1`, `tft.2` = 1 when that agent's policy is TFT-like (every probability within 0.5 of
 *             TFT); `tft` = 1 when both are
 *   distance  final `distance.1`, `distance.2` = Euclidean distance of each agent's probabilities to TFT
 *   nash      final `nash` = 1 when every probability is within `params.nashTolerance` (0.1) of 0.5 (IMP's Nash)
 *   diverged  final `diverged` = 1 when the learner stopped on a non-finite update (frozen at its last finite θ)
 */
import * as z from "../../zod.js";
import { allNear } from "../../exact/metrics.js";
import { STATE_LABELS } from "../../games/game.js";
import {
  EXACT_LEARNER_ENTRIES,
  EXACT_LEARNER_HYPERPARAMETERS,
  EXACT_LEARNER_NAMES,
  type ExactLearnerSpec,
} from "../../learners/exact/index.js";
import { optionalShape } from "../../learners/hyperparameters.js";
import { trainExact } from "../../learners/exact/train.js";
import { MemoryOneVector, resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

/**
 * An agent: an exact learner by name with any exact hyperparameter (one spec type serves every exact learner;
 * `effective` keeps the ones its learner reads), each field from the learners' entry schemas without their
 * defaults, so a run config stays as written. `probabilities` starts the agent from a given policy.
 */
type HyperparameterKey = Exclude<keyof ExactLearnerSpec, "name" | "probabilities">;
const hyperparameterShape = Object.assign(
  {},
  ...EXACT_LEARNER_ENTRIES.map((entry) => optionalShape(entry.schema)),
) as { [K in HyperparameterKey]: z.ZodOptional<z.ZodType<NonNullable<ExactLearnerSpec[K]>>> };
export const AgentSchema = z.strictObject({
  learner: z.enum(EXACT_LEARNER_NAMES),
  ...hyperparameterShape,
  probabilities: MemoryOneVector.optional(),
});
const BudgetSchema = z.strictObject({ steps: countSchema("steps", 0) });
const ParamsSchema = z.strictObject({
  initSd: z.number().gt(0).max(100).default(1),
  /** Record the reward series every `curveEvery` updates (and at the last one). */
  curveEvery: countSchema("steps").default(1),
  nashTolerance: z.number().gt(0).max(0.5).default(0.1),
});

export const exactTrainKind: ExperimentKind = {
  name: "exact-train",
  description: "two exact learners (naive, lola, lookahead, sos, cross-hessian, fixed) on a memory-one game",
  agents: z.array(AgentSchema).length(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "pC", "tft", "distance", "nash", "diverged"],
  effective(config: RunConfig) {
    // Each agent keeps only the hyperparameters its learner reads (e.g. naive ignores eta).
    const agents = config.agents.map((a) => {
      const { learner, probabilities, ...hyper } = AgentSchema.parse(a);
      const reads = EXACT_LEARNER_HYPERPARAMETERS[learner] as readonly string[];
      return {
        learner,
        probabilities,
        ...Object.fromEntries(Object.entries(hyper).filter(([k]) => reads.includes(k))),
      };
    });
    return { ...config, agents };
  },
  run(config: RunConfig, seed: number) {
    const agents = config.agents.map((a) => AgentSchema.parse(a));
    const { steps } = BudgetSchema.parse(config.budget);
    const { initSd, curveEvery, nashTolerance } = ParamsSchema.parse(config.params);
    const learners = agents.map(
      ({ learner, ...hyper }): ExactLearnerSpec => ({ name: learner, ...hyper }),
    ) as [ExactLearnerSpec, ExactLearnerSpec];
    const result = trainExact({
      game: resolveGameSpec(config.game),
      gamma: config.gamma,
      learners,
      steps,
      seeds: 1,
      seed,
      initSd,
    });

    const final: Record<string, number> = {
      "reward.1": result.rewardPerStep[0],
      "reward.2": result.rewardPerStep[1],
      tft: result.tft[0],
      "tft.1": result.tftAgents[0],
      "tft.2": result.tftAgents[1],
      "distance.1": result.distanceToTft[0],
      "distance.2": result.distanceToTft[1],
      nash: allNear(result.pC, 0.5, nashTolerance)[0],
      diverged: result.diverged.length > 0 ? 1 : 0,
    };
    for (let i = 0; i < 2; i++) {
      STATE_LABELS.forEach((label, k) => {
        final[`pC.${i + 1}.${label}`] = result.pC[5 * i + k];
      });
    }
    // The curve is NaN after a divergence (no running seed): keep the finite prefix.
    const steps_: number[] = [];
    const r1: number[] = [];
    const r2: number[] = [];
    for (let t = 0; t <= steps; t++) {
      if (t % curveEvery !== 0 && t !== steps) continue;
      const a = result.curve[2 * t];
      const b = result.curve[2 * t + 1];
      if (!Number.isFinite(a) || !Number.isFinite(b)) break;
      steps_.push(t);
      r1.push(a);
      r2.push(b);
    }
    return {
      final,
      series: { steps: steps_, values: { "reward.1": r1, "reward.2": r2 } },
      artifacts: result.diverged.length > 0 ? { diverged: result.diverged } : {},
    };
  },
};
