/**
 * Kind `meta-shaper`: the seed post's treacherous turn (§8.2). Agent 1 is the meta-shaper of
 * src/learners/exact/metaShaper.ts: it chooses its memory-one policy θ_k for each of the naive opponent's K learning
 * steps to maximise Σ_k γ_meta^k V₁(θ_k, φ_k) with φ_{k+1} = φ_k + α∇_φV₂(θ_k, φ_k), by Adam on the exact unrolled
 * gradient. Agent 2 is that naive learner (α = its `lr`). Both start from the seed's θ ~ N(0, initSd²)
 * (`Rng.derive(seed, 0)`, the same draw as `exact-train`); the shaper's plan starts at its draw on every step.
 *
 * Records, per opponent step k = 0..K (series) and summarised (final):
 *   reward   series `reward.1`, `reward.2` = per-step reward (1 − γ)·V_i(θ_k, φ_k); final = their mean over k
 *   pC       series `pC.<agent>.<state>` = P(C) per own-view state at step k; final = at step K
 *   turn     final `turn.happened` = 1 when, from some step on, the shaper earns more and the learner less than
 *            mutual cooperation (R per step) at every later step; `turn.step` = the first such step (K + 1 if none)
 *            `turn.ccDrop` = the first step from which the shaper's P(C | CC) stays below 0.5 (it stops rewarding
 *            mutual cooperation; K + 1 if never): the turn in the policy rather than in the rewards
 *   exploit  final `exploit.gain` = mean over steps ≥ turn of r₁ − R, `exploit.loss` = mean of R − r₂ (0 if none)
 *   invest   final `invest.early` and `invest.late` = the shaper's mean P(C) over all states in the first and the
 *            last quarter of the steps (an investment phase shows as early > late)
 *   meta     final `meta.objective` = the optimised Σ_k γ_meta^k V₁, `meta.gain` = its increase over the start plan
 */
import * as z from "../../zod.js";
import { STATE_LABELS } from "../../games/game.js";
import { optimiseMetaShaper } from "../../learners/exact/metaShaper.js";
import { initialTheta } from "../../learners/exact/train.js";
import { sigmoid } from "../../util/math.js";
import { resolveGameSpec } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const ShaperSchema = z.strictObject({
  learner: z.literal("meta-shaper"),
  /** γ_meta: the shaper's discount over the opponent's learning steps. */
  gammaMeta: z.number().min(0).max(1),
  /** Adam step size on the plan. */
  lr: z.number().gt(0).max(10).default(0.05),
  /** Adam iterations on the plan. */
  iterations: z.number().int().min(0).max(100_000).default(300),
});
const LearnerSchema = z.strictObject({
  learner: z.literal("naive"),
  /** α: the naive learner's step size. */
  lr: z.number().gt(0).max(100),
});
const AgentsSchema = z.tuple([ShaperSchema, LearnerSchema]);
const BudgetSchema = z.strictObject({ steps: z.number().int().min(1).max(10_000) });
const ParamsSchema = z.strictObject({ initSd: z.number().gt(0).max(100).default(1) });

export interface TurnSummary {
  happened: number;
  step: number;
  gain: number;
  loss: number;
}

/**
 * The turn: the first step from which r₁ > R₁ and r₂ < R₂ hold at every later step (R = mutual cooperation's
 * per-step reward), and the mean exploitation after it.
 */
export function turnOf(r1: readonly number[], r2: readonly number[], cc1: number, cc2: number): TurnSummary {
  const K = r1.length - 1;
  let start = K + 1;
  for (let k = K; k >= 0; k--) {
    if (r1[k] > cc1 && r2[k] < cc2) start = k;
    else break;
  }
  if (start > K) return { happened: 0, step: K + 1, gain: 0, loss: 0 };
  let gain = 0;
  let loss = 0;
  for (let k = start; k <= K; k++) {
    gain += r1[k] - cc1;
    loss += cc2 - r2[k];
  }
  const n = K + 1 - start;
  return { happened: 1, step: start, gain: gain / n, loss: loss / n };
}

export const metaShaperKind: ExperimentKind = {
  name: "meta-shaper",
  description:
    "treacherous turn: a shaper plans its policy for each of a naive learner's K steps (exact unrolled gradient)",
  agents: AgentsSchema as unknown as z.ZodType<Record<string, unknown>[]>,
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "pC", "turn", "exploit", "invest", "meta"],
  run(config: RunConfig, seed: number) {
    const [shaper, learner] = AgentsSchema.parse(config.agents);
    const { steps } = BudgetSchema.parse(config.budget);
    const { initSd } = ParamsSchema.parse(config.params);
    const game = resolveGameSpec(config.game);
    const theta0 = initialTheta({
      game,
      learners: [{ name: "naive" }, { name: "naive" }],
      steps,
      seeds: 1,
      seed,
      initSd,
    });
    const plan = new Float64Array(5 * (steps + 1));
    for (let k = 0; k <= steps; k++) plan.set(theta0.subarray(0, 5), 5 * k);
    const result = optimiseMetaShaper(
      {
        game,
        gamma: config.gamma,
        alpha: learner.lr,
        gammaMeta: shaper.gammaMeta,
        phi0: theta0.subarray(5, 10),
        steps,
      },
      plan,
      { iterations: shaper.iterations, lr: shaper.lr },
    );

    const scale = 1 - config.gamma;
    const stepAxis: number[] = [];
    const values: Record<string, number[]> = { "reward.1": [], "reward.2": [] };
    for (const agent of [1, 2]) for (const label of STATE_LABELS) values[`pC.${agent}.${label}`] = [];
    const shaperMeanPc: number[] = [];
    for (let k = 0; k <= steps; k++) {
      stepAxis.push(k);
      values["reward.1"].push(scale * result.path.values[2 * k]);
      values["reward.2"].push(scale * result.path.values[2 * k + 1]);
      let m = 0;
      STATE_LABELS.forEach((label, s) => {
        const p1 = sigmoid(result.thetas[5 * k + s]);
        m += p1 / 5;
        values[`pC.1.${label}`].push(p1);
        values[`pC.2.${label}`].push(sigmoid(result.path.phis[5 * k + s]));
      });
      shaperMeanPc.push(m);
    }
    const turn = turnOf(values["reward.1"], values["reward.2"], game.r1[0], game.r2[0]);
    const cc = values["pC.1.CC"];
    let ccDrop = steps + 1;
    for (let k = steps; k >= 0 && cc[k] < 0.5; k--) ccDrop = k;
    const quarter = Math.max(1, Math.floor((steps + 1) / 4));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const final: Record<string, number> = {
      "reward.1": avg(values["reward.1"]),
      "reward.2": avg(values["reward.2"]),
      "turn.happened": turn.happened,
      "turn.step": turn.step,
      "turn.ccDrop": ccDrop,
      "exploit.gain": turn.gain,
      "exploit.loss": turn.loss,
      "invest.early": avg(shaperMeanPc.slice(0, quarter)),
      "invest.late": avg(shaperMeanPc.slice(steps + 1 - quarter)),
      "meta.objective": result.objectiveCurve[shaper.iterations],
      "meta.gain": result.objectiveCurve[shaper.iterations] - result.objectiveCurve[0],
    };
    for (const agent of [1, 2]) {
      for (const label of STATE_LABELS) {
        const series = values[`pC.${agent}.${label}`];
        final[`pC.${agent}.${label}`] = series[series.length - 1];
      }
    }
    return { final, series: { steps: stepAxis, values }, artifacts: {} };
  },
};
