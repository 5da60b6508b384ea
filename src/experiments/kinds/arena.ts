/**
 * Kind `arena`: strategies and learners in a cross-play matrix, and the catalyst measure (src/arena/learners.ts,
 * after the LOLA paper's tournament and the Advantage Alignment paper's). Each learner trains from a fresh start
 * against each strategy (sampled learners against any strategy, exact learners against memory-one ones only) or
 * together with each other learner (an exact learner with a sampled one: in the sampled trainer, the exact learner
 * in an exact seat, src/learners/sampled/exactSeat.ts); the final policies then play an evaluation match. catalyst_X(o) = r(o vs X) − r(o vs naive learner): positive when the shaper X leaves the
 * opponent o better off than a naive learner would. One run = the whole matrix for one seed (`runArena` with
 * seeds = 1 and the run's seed); spreads come from the experiment's seeds.
 *
 * Agents: `{entrant: <strategy name | pg | a2c | aa | lola-dice | naive | lola | sos | lookahead | cross-hessian>}`
 * (learners with their default hyperparameters, as `shapelab arena`).
 *
 * Records (metric families; names are the arena's labels, e.g. "AA", "naive PG", "Tit For Tat"):
 *   reward    `reward.<row>.<column>`: the row's reward per turn against the column (pairs that can be played)
 *   catalyst  `catalyst.<shaper>.<opponent>`: the catalyst measure of each shaper present for each opponent
 * Artifacts: `crossPlay` (heatmap input: both sides' rewards; null where a pair cannot be played) and `notes`.
 */
import * as z from "../../zod.js";
import { parseEntrant, runArena } from "../../arena/learners.js";
import { InputError } from "../../util/errors.js";
import { resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const AgentSchema = z.strictObject({ entrant: z.string().min(1) });
const BudgetSchema = z.strictObject({
  steps: countSchema("steps").default(200),
  batch: countSchema("batch").default(64),
  rollout: countSchema("rollout").default(50),
  updates: countSchema("updates").default(300),
  evalTurns: countSchema("turns").default(200),
});
const ParamsSchema = z.strictObject({
  /** Learners whose catalyst measure is recorded (those among the agents). */
  shapers: z.array(z.string().min(1)).default(["aa"]),
  naive: z.string().min(1).optional(),
});

function names(config: RunConfig): string[] {
  return config.agents.map((a) => AgentSchema.parse(a).entrant);
}

export const arenaKind: ExperimentKind = {
  name: "arena",
  description: "strategies and learners in a cross-play matrix, with the catalyst measure of the shapers",
  agents: z.array(AgentSchema).min(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "catalyst"],
  check(config) {
    const game = resolveGameSpec(config.game);
    const entrants = names(config).map((name, i) => parseEntrant(name, game, `agents[${i}].entrant`));
    const learners = entrants.flatMap((e) => (e.kind === "strategy" ? [] : [e.spec.name as string]));
    const { shapers, naive } = ParamsSchema.parse(config.params);
    shapers.forEach((s, i) => {
      if (!learners.includes(s)) {
        throw new InputError(
          `params.shapers[${i}]`,
          `"${s}" is not a learner among the agents; learners here: ${learners.join(", ") || "(none)"}`,
        );
      }
    });
    if (naive !== undefined && !learners.includes(naive)) {
      throw new InputError(
        "params.naive",
        `"${naive}" is not a learner among the agents; learners here: ${learners.join(", ") || "(none)"}`,
      );
    }
  },
  run(config: RunConfig, seed: number) {
    const budget = BudgetSchema.parse(config.budget);
    const params = ParamsSchema.parse(config.params);
    const r = runArena(names(config), resolveGameSpec(config.game), {
      gamma: config.gamma,
      seeds: 1,
      seed,
      ...budget,
      shapers: params.shapers,
      naive: params.naive,
    });
    const final: Record<string, number> = {};
    r.entrants.forEach((row, i) => {
      r.entrants.forEach((col, j) => {
        const v = r.rowReward[i][j];
        if (v !== null) final[`reward.${row}.${col}`] = v;
      });
    });
    for (const c of r.catalyst) {
      r.entrants.forEach((opponent, o) => {
        const v = c.mean[o];
        if (v !== null) final[`catalyst.${c.shaper}.${opponent}`] = v;
      });
    }
    return {
      final,
      series: { steps: [], values: {} },
      artifacts: {
        crossPlay: { rows: r.entrants, cols: r.entrants, rowReward: r.rowReward, colReward: r.colReward },
        notes: r.notes,
      },
    };
  },
};
