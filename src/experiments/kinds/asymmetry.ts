/**
 * Kind `asymmetry`: the seed post's two knobs of asymmetric shaping (§8.1) for exact LOLA on a memory-one game:
 * how far ahead an agent looks (its look-ahead rate η, src/learners/exact/lola.ts) and how well it knows its
 * opponent (`fidelity`: "exact" reads the opponent's parameters; a number n is LOLA-OM, which estimates them from n
 * observed games of `omHorizon` steps before every update, src/learners/exact/lolaOm.ts).
 *
 * Each run trains the configured pair AND the symmetric pair (agent 1 given agent 2's settings) from the same
 * initial logits (θ ~ N(0, initSd²) from `Rng.derive(seed, 0)`, as in `exact-train`), so the exploitation index is
 * paired per seed:
 *
 *   exploit = (r₁ − r₂) − (r₁ − r₂)_symmetric                      (per-step rewards at the end of training)
 *
 * Observation streams: agent i's from `Rng.derive(seed, 1, i)` in the configured pair, `Rng.derive(seed, 2, i)` in
 * the symmetric one.
 *
 * Records (metric families):
 *   reward    final and series `reward.1`, `reward.2` = per-step reward (1 − γ)·V_i
 *   welfare   final `welfare` = r₁ + r₂
 *   exploit   final `exploit` = the index above; `exploit.gain` = r₁ − r₁,sym (what the asymmetry earns agent 1),
 *             `exploit.taken` = r₂,sym − r₂ (what it costs agent 2: against a naive learner, the share of the
 *             "human's" reward the shaper takes)
 *   sym       final `sym.reward.1`, `sym.reward.2`, `sym.welfare` of the symmetric pair
 *   diverged  final `diverged` = 1 when either run stopped on a non-finite update
 */
import * as z from "../../zod.js";
import { memoryOneGame } from "../../exact/derivatives.js";
import type { DifferentiableGame } from "../../exact/differentiable.js";
import type { MatrixGame } from "../../games/game.js";
import { createExactLearner, type ExactLearner } from "../../learners/exact/index.js";
import { createLolaOm } from "../../learners/exact/lolaOm.js";
import { initialTheta, runSimultaneous } from "../../learners/exact/train.js";
import { Rng } from "../../util/rng.js";
import { resolveGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const AgentSchema = z.strictObject({
  learner: z.enum(["lola", "naive"]),
  lr: z.number().gt(0).max(100).default(1),
  /** LOLA's look-ahead rate η (ignored by `naive`). */
  eta: z.number().min(0).max(1000).default(1),
  /** "exact": reads the opponent's logits; n ≥ 1: LOLA-OM from n observed games per update. */
  fidelity: z.union([z.literal("exact"), z.number().int().min(1).max(100_000)]).default("exact"),
  /** Steps per observed game (LOLA-OM). */
  omHorizon: z.number().int().min(1).max(10_000).default(25),
  /** Beta(a, a) pseudo-count of the LOLA-OM estimate. */
  omPrior: z.number().gt(0).max(1000).default(0.5),
});
type Agent = z.infer<typeof AgentSchema>;
const BudgetSchema = z.strictObject({ steps: z.number().int().min(1).max(1_000_000) });
const ParamsSchema = z.strictObject({
  initSd: z.number().gt(0).max(100).default(1),
  curveEvery: z.number().int().min(1).default(10),
});

function learnerOf(agent: Agent, game: DifferentiableGame, rng: Rng, field: string): ExactLearner {
  const spec = { name: agent.learner, lr: agent.lr, eta: agent.eta } as const;
  if (agent.learner === "lola" && agent.fidelity !== "exact") {
    return createLolaOm(
      spec,
      game,
      { trajectories: agent.fidelity, horizon: agent.omHorizon, prior: agent.omPrior },
      rng,
      field,
    );
  }
  return createExactLearner(spec, game, field);
}

function train(
  game: MatrixGame,
  gamma: number,
  agents: readonly Agent[],
  theta0: Float64Array,
  steps: number,
  seed: number,
  stream: number,
) {
  const diff = memoryOneGame(game, gamma);
  const learners = agents.map((a, i) => learnerOf(a, diff, Rng.derive(seed, stream, i), `agents[${i}]`)) as [
    ExactLearner,
    ExactLearner,
  ];
  const theta = Float64Array.from(theta0);
  const run = runSimultaneous(diff, learners, theta, steps);
  const scale = 1 - gamma;
  return {
    r1: scale * run.values[0],
    r2: scale * run.values[1],
    curve: run.curve.map((v) => scale * v),
    diverged: run.diverged.length > 0,
  };
}

export const asymmetryKind: ExperimentKind = {
  name: "asymmetry",
  description:
    "asymmetric shaping: exact LOLA with its own η and opponent-model fidelity (exact or LOLA-OM from n games), paired with the symmetric pair",
  agents: z.array(AgentSchema).length(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "welfare", "exploit", "sym", "diverged"],
  run(config: RunConfig, seed: number) {
    const agents = config.agents.map((a) => AgentSchema.parse(a));
    const { steps } = BudgetSchema.parse(config.budget);
    const { initSd, curveEvery } = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const theta0 = initialTheta({
      game,
      learners: [{ name: "naive" }, { name: "naive" }],
      steps,
      seeds: 1,
      seed,
      initSd,
    });
    const main = train(game, config.gamma, agents, theta0, steps, seed, 1);
    const sym = train(game, config.gamma, [agents[1], agents[1]], theta0, steps, seed, 2);
    const final: Record<string, number> = {
      "reward.1": main.r1,
      "reward.2": main.r2,
      welfare: main.r1 + main.r2,
      exploit: main.r1 - main.r2 - (sym.r1 - sym.r2),
      "exploit.gain": main.r1 - sym.r1,
      "exploit.taken": sym.r2 - main.r2,
      "sym.reward.1": sym.r1,
      "sym.reward.2": sym.r2,
      "sym.welfare": sym.r1 + sym.r2,
      diverged: main.diverged || sym.diverged ? 1 : 0,
    };
    const axis: number[] = [];
    const r1: number[] = [];
    const r2: number[] = [];
    for (let t = 0; t <= steps; t++) {
      if (t % curveEvery !== 0 && t !== steps) continue;
      const a = main.curve[2 * t];
      const b = main.curve[2 * t + 1];
      if (!Number.isFinite(a) || !Number.isFinite(b)) break;
      axis.push(t);
      r1.push(a);
      r2.push(b);
    }
    return { final, series: { steps: axis, values: { "reward.1": r1, "reward.2": r2 } }, artifacts: {} };
  },
};
