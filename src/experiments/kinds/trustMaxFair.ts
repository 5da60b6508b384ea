/**
 * Kind `trust-max-fair`: a trustee (the adversary) against a hand-built investor (ours: src/envs/trust/investor.ts)
 * in the multi-round trust task of Dezfouli, Nock & Dayan (2020, Experiment 3; src/envs/trust/task.ts), with the
 * objective MAX (the trustee's own earnings) or FAIR (minimise |trustee − investor earnings|). Trustees: `random`
 * (the paper's RND), `equaliser` (its per-round heuristic), `shaping` (a one-step look-ahead on the investor's
 * update, ours), `policy-gradient` (REINFORCE) and `dqn` (deep Q-learning as the paper's, src/envs/rl/dqn.ts),
 * both trained here against fresh investors, and `gradient-shaper` (ours: plans every remaining repayment by
 * gradient ascent through the investor's update, `agents.0.shaper`; src/envs/trust/gradientShaperTrustee.ts).
 *
 * Records (metric families):
 *   earnings  final `earnings.trustee`, `earnings.investor` (mean totals over `params.sessions` games),
 *             `earnings.gap.abs` (mean |trustee − investor|), `earnings.gap` (mean signed), and the spreads over
 *             games `earnings.trustee.sd`, `earnings.gap.abs.sd`
 *   repay     series over the 10 rounds (steps = round 1…10): `repay` (mean fraction repaid)
 *   invest    series over the 10 rounds: `invest` (mean investment)
 *   train     policy-gradient and dqn only: final `train.first`, `train.last` (the objective's mean over the first and
 *             last training batch: trustee earnings for MAX, −|gap| for FAIR)
 */
import * as z from "../../zod.js";
import { trainDqnTrustee } from "../../envs/trust/dqnTrustee.js";
import { gradientShaperTrustee } from "../../envs/trust/gradientShaperTrustee.js";
import { INVESTOR_PARAMS, TrustInvestor } from "../../envs/trust/investor.js";
import { trainPolicyGradientTrustee } from "../../envs/trust/policyGradientTrustee.js";
import { OBJECTIVES, ROUNDS } from "../../envs/trust/task.js";
import { playTrustGames, TRUSTEE_BASELINES, trusteeBaseline } from "../../envs/trust/trustees.js";
import { Rng } from "../../util/rng.js";
import type { ExperimentKind, RunConfig } from "../types.js";
import { dqnSchema } from "./dqnSchema.js";

const TRUSTEES = [...TRUSTEE_BASELINES, "policy-gradient", "dqn", "gradient-shaper"] as const;

/** gradient-shaper only: Adam-ascent steps per round and their step size. */
const ShaperSchema = z.strictObject({
  iterations: z.number().int().min(0).max(1000).default(20),
  lr: z.number().gt(0).max(100).default(0.2),
});

const AgentSchema = z.strictObject({
  trustee: z.enum(TRUSTEES),
  objective: z.enum(OBJECTIVES).default("max"),
  /** policy-gradient only. */
  updates: z.number().int().min(1).max(100_000).default(300),
  batch: z.number().int().min(1).max(100_000).default(300),
  lr: z.number().gt(0).max(10).default(0.05),
  entropy: z.number().min(0).max(10).default(0.01),
  /** dqn only. */
  dqn: dqnSchema({ episodes: 300, games: 64 }),
  shaper: ShaperSchema.default(ShaperSchema.parse({})),
});
const InvestorSchema = z.strictObject({
  alpha: z.number().min(0).max(1).default(INVESTOR_PARAMS.alpha),
  beta: z.number().min(0).max(1e4).default(INVESTOR_PARAMS.beta),
  trust0: z.number().min(0).max(1).default(INVESTOR_PARAMS.trust0),
});
const ParamsSchema = z.strictObject({
  sessions: z.number().int().min(1).max(1_000_000).default(5000),
  investor: InvestorSchema.default(InvestorSchema.parse({})),
});

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};
const sd = (xs: ArrayLike<number>) => {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) * (xs[i] - m);
  return Math.sqrt(s / Math.max(1, xs.length - 1));
};

export const trustMaxFairKind: ExperimentKind = {
  name: "trust-max-fair",
  description:
    "a trustee maximising its earnings (MAX) or equalising them (FAIR) against a hand-built investor",
  agents: z.array(AgentSchema).length(1),
  budget: z.strictObject({}),
  params: ParamsSchema,
  metricFamilies: ["earnings", "repay", "invest", "train"],
  run(config: RunConfig, seed: number) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    const { sessions, investor } = ParamsSchema.parse(config.params);
    const makeInvestor = (games: number) => new TrustInvestor(games, investor);
    const trained =
      agent.trustee === "policy-gradient"
        ? trainPolicyGradientTrustee({ ...agent, investor: makeInvestor }, Rng.derive(seed, 1))
        : agent.trustee === "dqn"
          ? trainDqnTrustee({ ...agent.dqn, objective: agent.objective, investor: makeInvestor }, seed)
          : undefined;
    const trustee =
      trained ??
      (agent.trustee === "gradient-shaper"
        ? gradientShaperTrustee(agent.objective, agent.shaper)
        : trusteeBaseline(agent.trustee as (typeof TRUSTEE_BASELINES)[number], agent.objective));
    const state = playTrustGames(trustee, makeInvestor(sessions), Rng.derive(seed, 2));
    const gaps = state.trustee.map((x, g) => x - state.investor[g]);
    const absGaps = gaps.map(Math.abs);
    const final: Record<string, number> = {
      "earnings.trustee": mean(state.trustee),
      "earnings.trustee.sd": sd(state.trustee),
      "earnings.investor": mean(state.investor),
      "earnings.gap.abs": mean(absGaps),
      "earnings.gap.abs.sd": sd(absGaps),
      "earnings.gap": mean(gaps),
    };
    if (trained) {
      final["train.first"] = trained.curve[0];
      final["train.last"] = trained.curve[trained.curve.length - 1];
    }
    const perRound = (xs: Float64Array) =>
      Array.from({ length: ROUNDS }, (_, t) => mean(xs.subarray(t * sessions, (t + 1) * sessions)));
    return {
      final,
      series: {
        steps: Array.from({ length: ROUNDS }, (_, t) => t + 1),
        values: { repay: perRound(state.repaid), invest: perRound(state.investments) },
      },
      artifacts: {},
    };
  },
};
