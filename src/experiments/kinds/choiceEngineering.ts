/**
 * Kind `choice-engineering`: an adversary against a surrogate of a human in the Dezfouli, Nock & Dayan (2020)
 * bandit task (src/envs/bandit): the baselines (random 25/25 schedule, primacy, greedy target-first), the
 * white-box threshold rule, the one-step look-ahead shaper, or a policy-gradient adversary trained here, all
 * against the Q-learning surrogate (α 0.4, β 257, ε 0.2). The GRU surrogate and the deep (DQN/A2C) adversaries
 * need the neural engine and are not in this kind yet.
 *
 * Records (metric families):
 *   bias      final `bias` = mean fraction of target choices over `params.sessions` evaluation sessions,
 *             `bias.sd` its spread over sessions; for `policy-gradient`, series `bias` per training update
 */
import { z } from "zod";
import { BANDIT_BASELINES, banditBaseline, playBanditSessions } from "../../envs/bandit/adversaries.js";
import { trainPolicyGradientAdversary } from "../../envs/bandit/policyGradientAdversary.js";
import { DEZFOULI_Q_PARAMS, QLearnerSurrogate } from "../../envs/bandit/qLearner.js";
import { Rng } from "../../util/rng.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const ADVERSARIES = [...BANDIT_BASELINES, "policy-gradient"] as const;

const AgentSchema = z.strictObject({
  adversary: z.enum(ADVERSARIES),
  /** policy-gradient only: updates, sessions per update, Adam step, entropy bonus. */
  updates: z.number().int().min(1).max(100_000).default(300),
  batch: z.number().int().min(1).max(100_000).default(500),
  lr: z.number().gt(0).max(10).default(0.1),
  entropy: z.number().min(0).max(10).default(0.001),
});
const SurrogateSchema = z.strictObject({
  alpha: z.number().min(0).max(1).default(DEZFOULI_Q_PARAMS.alpha),
  beta: z.number().min(0).max(1e6).default(DEZFOULI_Q_PARAMS.beta),
  epsilon: z.number().min(0).max(0.5).default(DEZFOULI_Q_PARAMS.epsilon),
  kappa: z.number().min(-1e6).max(1e6).default(DEZFOULI_Q_PARAMS.kappa),
});
const ParamsSchema = z.strictObject({
  sessions: z.number().int().min(1).max(1_000_000).default(5000),
  surrogate: SurrogateSchema.default(SurrogateSchema.parse({})),
});

export const choiceEngineeringKind: ExperimentKind = {
  name: "choice-engineering",
  description: "an adversary steering a Q-learning surrogate of a human in the Dezfouli et al. bandit task",
  agents: z.array(AgentSchema).length(1),
  budget: z.strictObject({}),
  params: ParamsSchema,
  metricFamilies: ["bias"],
  run(config: RunConfig, seed: number) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    const { sessions, surrogate } = ParamsSchema.parse(config.params);
    const makeSurrogate = (games: number) => new QLearnerSurrogate(games, surrogate);
    const trained =
      agent.adversary === "policy-gradient"
        ? trainPolicyGradientAdversary({ ...agent, surrogate: makeSurrogate }, Rng.derive(seed, 1))
        : undefined;
    const adversary = trained ?? banditBaseline(agent.adversary as (typeof BANDIT_BASELINES)[number]);
    const b = playBanditSessions(adversary, makeSurrogate(sessions), Rng.derive(seed, 2));
    let mean = 0;
    for (const x of b) mean += x / b.length;
    let ss = 0;
    for (const x of b) ss += (x - mean) * (x - mean);
    const final = { bias: mean, "bias.sd": Math.sqrt(ss / Math.max(1, b.length - 1)) };
    const curve = trained?.curve ?? [];
    const values: Record<string, number[]> = curve.length > 0 ? { bias: curve } : {};
    return {
      final,
      series: { steps: curve.map((_, i) => i + 1), values },
      artifacts: {},
    };
  },
};
