/**
 * Kind `exact-schedule`: two exact learners (as in `exact-train`) whose update rule may change once during
 * training, and an optional paired reference run. What the seed post's §7.3/§8.3 studies need:
 *
 * - sandbagging: agent 1 plays as a weaker learner (naive, or LOLA with a small η) for its first `switchAt` updates,
 *   then switches to its full strength (`after`);
 * - deployment: a shaper trains against a learner that is frozen (`after: {learner: fixed}`) after `switchAt`;
 * - miscalculation: a shaper whose model of the opponent is wrong (LOLA models the opponent as a naive learner of
 *   step η; facing a LOLA learner, a frozen opponent, or a naive learner of another step size, that model is
 *   misspecified); `params.reference` names the correctly specified pair, run from the SAME initial logits, so the
 *   welfare loss and who pays it are paired per seed.
 *
 * Agent spec = an `exact-train` agent plus `switchAt` (an update count) and `after` (another `exact-train` agent):
 * the agent follows its own rule for updates 0..switchAt−1 and `after`'s from update `switchAt` on. Parameters carry
 * over (an `after` learner's `probabilities` are ignored). Updates are simultaneous, θ ~ N(0, initSd²) from
 * `Rng.derive(seed, 0)` exactly as in `exact-train` (src/learners/exact/train.ts).
 *
 * Records (metric families):
 *   reward    series `reward.1`, `reward.2` per update; final = at the end
 *   welfare   final `welfare` = r₁ + r₂ at the end; `welfare.mean` = its mean over all updates 0..steps
 *   mean      final `mean.reward.1`, `mean.reward.2` = each agent's per-step reward averaged over training
 *   dd        series `dd` = the discounted share of play in mutual defection, (1 − γ)·p0ᵀ(I − γP)⁻¹e_DD;
 *             final `dd.mean` (over training), `dd.final`
 *   pC        series `pC.<agent>` = mean P(C) over the 5 states, `pC.<agent>.CC`; final `pC.<agent>.<state>`
 *   lure      final `lure.gap` = mean of r₂ − r₁ over the updates before agent 1's switch (0 without one): how far
 *             the opponent got ahead of the sandbagger while it looked weak
 *   collapse  final `collapse.1` = updates after agent 1's switch until its P(C | CC) first falls below 0.5
 *             (remaining updates + 1 if never; 0 without a switch)
 *   ref       with `params.reference`: `ref.reward.1/2` and `ref.welfare` of the reference pair (means over
 *             training), `ref.welfareLoss` = ref − this, `ref.cost.1/2` = each agent's reward loss (positive: pays)
 *   diverged  final `diverged` = 1 when an update was not finite (the run stops there)
 */
import * as z from "../../zod.js";
import { memoryOneGame } from "../../exact/derivatives.js";
import { ChainWorkspace } from "../../exact/values.js";
import { type MatrixGame, STATE_LABELS } from "../../games/game.js";
import { createExactLearner, type ExactLearner, type ExactLearnerSpec } from "../../learners/exact/index.js";
import { initialTheta, runSimultaneous } from "../../learners/exact/train.js";
import { InputError } from "../../util/errors.js";
import { sigmoid } from "../../util/math.js";
import { resolveGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";
import { AgentSchema as PlainAgentSchema } from "./exactTrain.js";
import { mutualDefection, scheduleSeries, scheduleSummary, type Trace } from "./scheduleSummary.js";

const ScheduledAgentSchema = PlainAgentSchema.extend({
  switchAt: z.number().int().min(0).max(1_000_000).optional(),
  after: PlainAgentSchema.optional(),
});
type ScheduledAgent = z.infer<typeof ScheduledAgentSchema>;
const BudgetSchema = z.strictObject({ steps: z.number().int().min(1).max(1_000_000) });
const ParamsSchema = z.strictObject({
  initSd: z.number().gt(0).max(100).default(1),
  curveEvery: z.number().int().min(1).default(1),
  /** The correctly specified pair, run from the same initial logits (no switching). */
  reference: z.array(PlainAgentSchema).length(2).optional(),
});

function specOf(agent: z.infer<typeof PlainAgentSchema>): ExactLearnerSpec {
  const { learner, ...hyper } = agent;
  return { name: learner, ...hyper };
}

/** Train from `theta0`, agent i switching rules at `switchAt[i]`; record every update's values. */
function trace(
  game: MatrixGame,
  gamma: number,
  agents: readonly ScheduledAgent[],
  theta0: Float64Array,
  steps: number,
): Trace {
  const diff = memoryOneGame(game, gamma);
  const before = agents.map((a, i) => createExactLearner(specOf(a), diff, `agents[${i}]`));
  const after = agents.map((a, i) =>
    a.after ? createExactLearner(specOf(a.after), diff, `agents[${i}].after`) : before[i],
  );
  const switches = agents.map((a) => (a.after ? Math.min(a.switchAt ?? steps, steps) : steps));
  const cuts = [...new Set([0, ...switches, steps])].sort((x, y) => x - y);
  const theta = Float64Array.from(theta0);
  const scale = 1 - gamma;
  const ws = new ChainWorkspace();
  const out: Trace = { r1: [], r2: [], dd: [], pc: new Float64Array(10 * (steps + 1)), diverged: false };
  const pcNow = new Float64Array(10);
  // runSimultaneous reports update t's values after it has already moved θ to update t + 1, so the policy-side
  // records (P(C), P(DD)) are taken from θ at t + 1, and at 0 before training starts.
  const recordPolicy = (t: number) => {
    if (t > steps) return;
    for (let a = 0; a < 10; a++) pcNow[a] = sigmoid(theta[a]);
    out.pc.set(pcNow, 10 * t);
    out.dd[t] = mutualDefection(ws, pcNow, gamma);
  };
  recordPolicy(0);
  for (let c = 0; c + 1 < cuts.length; c++) {
    const start = cuts[c];
    const learners = [0, 1].map((i) => (start >= switches[i] ? after[i] : before[i])) as [
      ExactLearner,
      ExactLearner,
    ];
    const run = runSimultaneous(diff, learners, theta, cuts[c + 1] - start, {
      // Values at 0..len updates of this segment; the segment's step 0 is the previous one's last (skip it).
      onValues: (step, values, valued) => {
        if (!valued[0]) return;
        if (step > 0 || c === 0) {
          out.r1[start + step] = scale * values[0];
          out.r2[start + step] = scale * values[1];
        }
        if (start + step < cuts[c + 1]) recordPolicy(start + step + 1);
      },
    });
    if (run.diverged.length > 0) {
      out.diverged = true;
      break;
    }
  }
  return out;
}

export const exactScheduleKind: ExperimentKind = {
  name: "exact-schedule",
  description:
    "two exact learners that may switch update rule at an update count (sandbagging, deployment), with a paired reference pair (miscalculation)",
  agents: z.array(ScheduledAgentSchema).length(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "welfare", "mean", "dd", "pC", "lure", "collapse", "ref", "diverged"],
  check(config: RunConfig) {
    config.agents.forEach((raw, i) => {
      const a = ScheduledAgentSchema.parse(raw);
      if ((a.switchAt === undefined) !== (a.after === undefined)) {
        throw new InputError(`agents[${i}]`, "switchAt and after go together: give both or neither");
      }
    });
  },
  run(config: RunConfig, seed: number) {
    const agents = config.agents.map((a) => ScheduledAgentSchema.parse(a));
    const { steps } = BudgetSchema.parse(config.budget);
    const { initSd, curveEvery, reference } = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const theta0 = initialTheta({
      game,
      learners: [specOf(agents[0]), specOf(agents[1])],
      steps,
      seeds: 1,
      seed,
      initSd,
    });
    const main = trace(game, config.gamma, agents, theta0, steps);
    const done = main.r1.length - 1; // last recorded update (steps unless diverged)
    const ref = reference ? trace(game, config.gamma, reference, theta0, steps) : undefined;
    const final: Record<string, number> = {
      "reward.1": main.r1[done],
      "reward.2": main.r2[done],
      welfare: main.r1[done] + main.r2[done],
      ...scheduleSummary(main, agents[0].after ? (agents[0].switchAt ?? steps) : undefined, ref),
      diverged: main.diverged ? 1 : 0,
    };
    for (let i = 0; i < 2; i++) {
      STATE_LABELS.forEach((label, s) => {
        final[`pC.${i + 1}.${label}`] = main.pc[10 * done + 5 * i + s];
      });
    }
    return { final, series: scheduleSeries(main, curveEvery), artifacts: {} };
  },
};
