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
 *   welfare    final `welfare` = reward.1 + reward.2; `welfare.mean` = its mean over training (see below)
 *
 * Schedules and paired references (the seed post's miscalculation and sandbagging, §7.3/§8.3, and the paired
 * exploitation index of §8.1), as in `exact-schedule`:
 * - an agent may carry `switchAt: K` and `after: <agent>`: it learns by its own rule for updates 0..K−1 and by
 *   `after`'s from update K on (src/learners/sampled/switching.ts; `after` keeps its critics current meanwhile);
 * - `params.reference` runs a second pair from the same seed (same initial logits and random streams): either
 *   two agents (the correctly specified pair), or `{symmetric: [fields]}`: agent 1 as configured but with these
 *   hyperparameters taken from agent 2 (e.g. `[beta]`: the same critic fidelity at the opponent's β).
 * With either, the run also records (names as in `exact-schedule`, src/experiments/kinds/scheduleSummary.ts; the
 * trace is the exact per-step values of the policies of updates 0..U−1 and of the final ones):
 *   mean, dd, lure, collapse, ref   `mean.reward.i`, `welfare.mean`, `dd.mean`, `dd.final`, `lure.gap`,
 *              `collapse.1`, `ref.reward.i`, `ref.welfare`, `ref.welfareLoss`, `ref.cost.i` (means over training)
 *   exploit    with a reference, on the FINAL values: `exploit` = gap − ref.gap (the paired exploitation index),
 *              `exploit.gain` = r₁ − r₁,ref, `exploit.taken` = r₂,ref − r₂; `ref.gap` = the reference's gap
 */
import * as z from "../../zod.js";
import { bothAgents, tftLikeAgents } from "../../exact/metrics.js";
import { ChainWorkspace, perStepValues } from "../../exact/values.js";
import { type MatrixGame, STATE_LABELS } from "../../games/game.js";
import { optionalShape } from "../../learners/hyperparameters.js";
import { learnerEntries } from "../../learners/registry.js";
import {
  type LearnerSpec,
  resolveLearnerSpec,
  strategySeatSpec,
  trainSampled,
} from "../../learners/sampled/train.js";
import { strategyByName } from "../../strategies/registry.js";
import { InputError } from "../../util/errors.js";
import { LIMITS } from "../../util/limits.js";
import { MemoryOneVector, resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";
import { mutualDefection, scheduleSeries, scheduleSummary, type Trace } from "./scheduleSummary.js";

/**
 * An agent: a sampled learner with its hyperparameters (each learner's entry schema, without its defaults, so a
 * run config stays as written and the learner fills them in), `fixed` or `strategy`. Built from the registry when
 * asked, so every sampled learner there is a `learner:` here.
 */
export function sampledAgentSchema(): z.ZodType<Agent> {
  const plain = learnerEntries("sampled").map((entry) =>
    z.strictObject({ learner: z.literal(entry.name), ...optionalShape(entry.schema) }),
  );
  const after = z.discriminatedUnion("learner", plain as unknown as [z.ZodObject, ...z.ZodObject[]]);
  // A learner seat may switch rule once (sandbagging): `switchAt` updates by its own rule, then `after`'s.
  const learners = plain.map((seat) =>
    seat.extend({
      switchAt: z.number().int().min(0).max(LIMITS.updates).optional(),
      after: after.optional(),
    }),
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
  /** A paired run from the same seed: the correctly specified pair, or agent 1 with these fields of agent 2's. */
  reference: z
    .union([
      z.array(z.record(z.string(), z.unknown())).length(2),
      z.strictObject({ symmetric: z.array(z.string().min(1)).min(1) }),
    ])
    .optional(),
  /**
   * Keep every `curveEvery`-th update in the series (and the last; absent: every update). No default on purpose:
   * a default would be written into every sampled-train run config and change the run keys of stored runs.
   */
  curveEvery: z.number().int().min(1).optional(),
});
type Params = z.infer<typeof ParamsSchema>;

type Agent = { learner: string } & Record<string, unknown>;

function toSpec(agent: Agent, game: MatrixGame, field: string): LearnerSpec {
  if (agent.after !== undefined || agent.switchAt !== undefined) {
    if (agent.after === undefined || agent.switchAt === undefined)
      throw new InputError(field, "switchAt and after go together: give both or neither");
    const { switchAt, after, ...before } = agent;
    return {
      name: "switch",
      at: switchAt as number,
      before: toSpec(before as Agent, game, field),
      after: toSpec(after as Agent, game, `${field}.after`),
    };
  }
  if (agent.learner === "fixed") return { name: "fixed", pC: agent.pC as number[] };
  if (agent.learner === "strategy") {
    const name = agent.strategy as string;
    return strategySeatSpec(strategyByName(name, game, `${field}.strategy`), name);
  }
  const { learner, ...options } = agent;
  return { name: learner, ...options } as LearnerSpec;
}

/**
 * The reference pair of `params.reference` (undefined without one): two agents as given, or agent 1 with the
 * `symmetric` fields set to agent 2's values (its defaults filled in, so an unstated β₂ is still copied).
 */
function referenceAgents(
  reference: Params["reference"],
  agents: readonly Agent[],
  game: MatrixGame,
): Agent[] | undefined {
  if (reference === undefined) return undefined;
  if (Array.isArray(reference)) return reference.map((a, i) => parseAgent(a, `params.reference[${i}]`));
  const opponent = resolveLearnerSpec(toSpec(agents[1], game, "agents[1]"));
  const own = resolveLearnerSpec(toSpec(agents[0], game, "agents[0]"));
  const copied: Agent = { ...agents[0] };
  reference.symmetric.forEach((key, j) => {
    const field = `params.reference.symmetric[${j}]`;
    const notHyper = ["learner", "name", "switchAt", "after"].includes(key);
    if (notHyper || !(key in opponent) || !(key in own))
      throw new InputError(
        field,
        `"${key}" is not a hyperparameter of both agents' learners (${agents[0].learner}, ${agents[1].learner}); ` +
          `allowed: ${
            Object.keys(own)
              .filter((k) => k !== "name" && k in opponent)
              .join(", ") || "(none shared)"
          }`,
      );
    copied[key] = opponent[key];
  });
  return [copied, agents[1]];
}

function parseAgent(raw: unknown, field: string): Agent {
  const parsed = sampledAgentSchema().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError([field, ...issue.path].join("."), issue.message);
  }
  return parsed.data;
}

/** Train one pair from the run's seed; with `traced`, also record every update's policies for the trace. */
function trainPair(
  config: RunConfig,
  seed: number,
  agents: readonly Agent[],
  game: MatrixGame,
  traced: boolean,
) {
  const budget = BudgetSchema.parse(config.budget);
  const params = ParamsSchema.parse(config.params);
  const played: Float64Array[] = [];
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
    onPlayed: traced ? (_, pC) => played.push(Float64Array.from(pC)) : undefined,
  });
  return { result, played };
}

/** The scheduleSummary trace of a run: the exact values and policies of updates 0..U−1 and of the final policies. */
function traceOf(
  result: ReturnType<typeof trainSampled>,
  played: Float64Array[],
  game: MatrixGame,
  gamma: number,
): Trace {
  const policies = [...played, Float64Array.from(result.finalPC[0].flat())];
  const ws = new ChainWorkspace();
  const trace: Trace = {
    r1: [],
    r2: [],
    dd: [],
    pc: new Float64Array(10 * policies.length),
    diverged: result.diverged.length > 0,
  };
  policies.forEach((pC, t) => {
    const values = perStepValues(game, pC, gamma);
    trace.r1.push(values[0]);
    trace.r2.push(values[1]);
    trace.dd.push(mutualDefection(ws, pC, gamma));
    trace.pc.set(pC, 10 * t);
  });
  return trace;
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
    const agents = config.agents.map((a) => sampledAgentSchema().parse(a));
    agents.forEach((a, i) => toSpec(a, game, `agents[${i}]`));
    const reference = referenceAgents(ParamsSchema.parse(config.params).reference, agents, game);
    reference?.forEach((a, i) => toSpec(a, game, `params.reference[${i}]`));
    const traced = reference !== undefined || agents.some((a) => a.after !== undefined);
    if (traced && [...agents, ...(reference ?? [])].some((a) => a.learner === "strategy"))
      throw new InputError(
        "agents",
        "a schedule (switchAt/after) or params.reference needs memory-one seats (a learner or fixed), not strategy",
      );
  },
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: [
    "reward",
    "joint",
    "sampled",
    "pC",
    "epC",
    "tft",
    "quadrant",
    "gap",
    "welfare",
    "mean",
    "dd",
    "lure",
    "collapse",
    "ref",
    "exploit",
  ],
  run(config: RunConfig, seed: number) {
    const agents = config.agents.map((a) => sampledAgentSchema().parse(a));
    const params = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const reference = referenceAgents(params.reference, agents, game);
    const switchAt = agents[0].after !== undefined ? (agents[0].switchAt as number) : undefined;
    const traced = reference !== undefined || agents.some((a) => a.after !== undefined);
    const { result, played } = trainPair(config, seed, agents, game, traced);

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
    if (traced) {
      const main = traceOf(result, played, game, config.gamma);
      const refRun = reference ? trainPair(config, seed, reference, game, true) : undefined;
      const ref = refRun ? traceOf(refRun.result, refRun.played, game, config.gamma) : undefined;
      Object.assign(final, scheduleSummary(main, switchAt, ref));
      if (ref) {
        const n = ref.r1.length - 1;
        final["ref.gap"] = ref.r1[n] - ref.r2[n];
        final.exploit = final.gap - final["ref.gap"];
        final["exploit.gain"] = value[0] - ref.r1[n];
        final["exploit.taken"] = ref.r2[n] - value[1];
      }
      // The trace's series (as exact-schedule's): exact values, P(DD) and P(C) of updates 0..U−1 and the final
      // policies; no sampled series (no training rollout played the final policies).
      return { final, series: scheduleSeries(main, params.curveEvery ?? 1), artifacts: {} };
    }
    const steps = curve.map((_, u) => u);
    const every = params.curveEvery ?? 1;
    const keep = steps.filter((u) => u % every === 0 || u === steps.length - 1);
    const pick = (xs: number[]) => keep.map((u) => xs[u]);
    return {
      final,
      series: {
        steps: keep,
        values: {
          "reward.1": pick(curve.map((u) => u[0][0])),
          "reward.2": pick(curve.map((u) => u[0][1])),
          "sampled.1": pick(result.rewardPerStep.map((u) => u[0][0])),
          "sampled.2": pick(result.rewardPerStep.map((u) => u[0][1])),
        },
      },
      artifacts: {},
    };
  },
};
