/**
 * Kind `choice-engineering`: an adversary against a surrogate of a human in the Dezfouli, Nock & Dayan (2020)
 * bandit task (src/envs/bandit): the baselines (random 25/25 schedule, primacy, greedy target-first), the
 * white-box threshold rule, the one-step look-ahead shaper, and three trained or planning adversaries:
 *   policy-gradient  REINFORCE with a baseline on a linear softmax (policyGradientAdversary.ts), trained here;
 *   dqn              deep Q-learning as the paper's (`agents.0.dqn`; src/envs/rl/dqn.ts), trained here, greedy;
 *   gradient-shaper  plans the rest of the session by gradient ascent through the surrogate's update
 *                    (`agents.0.shaper`; gradientShaper.ts), before every trial.
 *
 * Surrogates (`params.surrogate.model`):
 *   q-learner  the Q-learner with the NC paper's parameters (α 0.4, β 257, ε 0.2);
 *   gru        a GRU (`gru.cells`, 10 as the paper) fitted by maximum likelihood (full-batch Adam, `gru.lr` 0.005)
 *              to choice data simulated here from that Q-learner (ours: `gru.subjects` sessions against an equal
 *              mix of random, threshold, look-ahead and primacy schedules, seed `gru.seed`, so the frozen GRU is the
 *              same for every run seed, as the paper's one frozen learner); the paper's human data is not shipped.
 *              Or `gru.file`: a GRU written by `shapelab bandit-fit --out` (e.g. fitted to your own data), used as
 *              is. The file is read when the config is checked (a wrong file: exit 2, naming it); runs are keyed by
 *              the path, not the contents, so after refitting into the same path use a fresh store.
 * Transfer (the paper's `cross_sims.py`): `params.trainOn` names the surrogate the policy-gradient or dqn
 * adversary is trained against (default: the evaluation surrogate); an adversary that transfers must not read the
 * surrogate's internal state (`agents.0.whiteBox: false`).
 *
 * Selection (`agents.0.selection`, policy-gradient and dqn; the paper's configs × checkpoints, SelectionSchema):
 * the snapshot with the best bias on validation sessions (stream STREAM.validation, against the training
 * surrogate) is the one evaluated on the test sessions (STREAM.test, the same as without selection).
 *
 * Records (metric families):
 *   bias      final `bias` = mean fraction of target choices over `params.sessions` evaluation sessions,
 *             `bias.sd` its spread over sessions; series `bias` per training update (policy-gradient) or per
 *             episode batch (dqn, ε-greedy)
 *   nll       for a GRU surrogate: `nll.train`, `nll.heldOut` (NLL per choice on `gru.heldOut` fresh subjects),
 *             `nll.qLearner` (the generating Q-learner's NLL on the same held-out subjects; log 2 is chance)
 *   selection with `agents.0.selection`: `selection.config` (0-based index into its configs), `selection.checkpoint`
 *             (0-based), `selection.step` (the update or episode batch it was taken after), `selection.validation`
 *             (its validation bias), `selection.candidates`
 */
import * as z from "../../zod.js";
import { BANDIT_BASELINES, banditBaseline, playBanditSessions } from "../../envs/bandit/adversaries.js";
import { simulateChoiceData } from "../../envs/bandit/choiceData.js";
import { GruChoiceModel } from "../../envs/bandit/gruChoiceModel.js";
import { decodeGruFile } from "../../envs/bandit/gruFile.js";
import { GruSurrogate } from "../../envs/bandit/gruSurrogate.js";
import { differentiableView } from "../../envs/bandit/differentiable.js";
import { gradientShaper } from "../../envs/bandit/gradientShaper.js";
import { type TrainedDqnAdversary, trainDqnAdversary } from "../../envs/bandit/dqnAdversary.js";
import {
  type TrainedBanditAdversary as TrainedPolicyGradient,
  trainPolicyGradientAdversary,
} from "../../envs/bandit/policyGradientAdversary.js";
import { selectByValidation } from "../../envs/bandit/selection.js";
import { DEZFOULI_Q_PARAMS, QLearnerSurrogate, qLearnerNll } from "../../envs/bandit/qLearner.js";
import type { BanditSurrogate } from "../../envs/bandit/surrogate.js";
import { InputError } from "../../util/errors.js";
import { Rng } from "../../util/rng.js";
import { canReadTextFiles, readTextFile } from "../textFiles.js";
import type { ExperimentKind, RunConfig } from "../types.js";
import { dqnOverridesSchema, dqnSchema } from "./dqnSchema.js";

const ADVERSARIES = [...BANDIT_BASELINES, "policy-gradient", "dqn", "gradient-shaper"] as const;

/** gradient-shaper only: Adam-ascent steps per trial and their size, the Q-learner's planning β. */
const ShaperSchema = z.strictObject({
  iterations: z.number().int().min(1).max(1000).default(4),
  lr: z.number().gt(0).max(100).default(1),
  planningBeta: z.number().gt(0).max(1e6).default(20),
});

/** The policy-gradient adversary's training fields, declared once (defaults in AgentSchema, none in overrides). */
const TRAINING = {
  updates: z.number().int().min(1).max(100_000),
  batch: z.number().int().min(1).max(100_000),
  lr: z.number().gt(0).max(10),
  entropy: z.number().min(0).max(10),
};

/**
 * policy-gradient and dqn: the paper's model selection (src/envs/bandit/selection.ts). Each entry of `configs`
 * overrides the agent's training fields (policy gradient's `updates`, `batch`, `lr`, `entropy`; the `dqn` block's
 * fields); each configuration is trained with the run's training seed and keeps `checkpoints` snapshots evenly
 * spaced over training (the last at the end); the snapshot with the best bias over `sessions` validation sessions
 * against the training surrogate is the one tested.
 */
const SelectionSchema = z.strictObject({
  configs: z
    .array(z.strictObject({ ...TRAINING, dqn: dqnOverridesSchema() }).partial())
    .min(1)
    .max(64),
  checkpoints: z.number().int().min(1).max(1000).default(1),
  sessions: z.number().int().min(1).max(1_000_000).default(1000),
});

const AgentSchema = z.strictObject({
  adversary: z.enum(ADVERSARIES),
  /** policy-gradient only: updates, sessions per update, Adam step, entropy bonus, reads the learner's state. */
  updates: TRAINING.updates.default(300),
  batch: TRAINING.batch.default(500),
  lr: TRAINING.lr.default(0.1),
  entropy: TRAINING.entropy.default(0.001),
  whiteBox: z.boolean().default(true),
  /** dqn only. */
  dqn: dqnSchema({ episodes: 60, games: 64 }),
  shaper: ShaperSchema.default(ShaperSchema.parse({})),
  selection: SelectionSchema.optional(),
});
type AgentConfig = z.infer<typeof AgentSchema>;

/** The random streams of a run, Rng.derive(seed, STREAM.x): training, test sessions, validation sessions. */
const STREAM = { train: 1, test: 2, validation: 3 } as const;
const GruSchema = z.strictObject({
  cells: z.number().int().min(1).max(64).default(10),
  subjects: z.number().int().min(4).max(100_000).default(300),
  heldOut: z.number().int().min(1).max(100_000).default(100),
  steps: z.number().int().min(1).max(100_000).default(400),
  lr: z.number().gt(0).max(1).default(0.005),
  seed: z.number().int().min(0).default(0),
  /** A GRU fitted by `shapelab bandit-fit --out` (e.g. to your own data): used as is, the fit settings ignored. */
  file: z.string().min(1).optional(),
});
const SurrogateSchema = z.strictObject({
  model: z.enum(["q-learner", "gru"]).default("q-learner"),
  alpha: z.number().min(0).max(1).default(DEZFOULI_Q_PARAMS.alpha),
  beta: z.number().min(0).max(1e6).default(DEZFOULI_Q_PARAMS.beta),
  epsilon: z.number().min(0).max(0.5).default(DEZFOULI_Q_PARAMS.epsilon),
  kappa: z.number().min(-1e6).max(1e6).default(DEZFOULI_Q_PARAMS.kappa),
  gru: GruSchema.default(GruSchema.parse({})),
});
type SurrogateConfig = z.infer<typeof SurrogateSchema>;
const ParamsSchema = z.strictObject({
  sessions: z.number().int().min(1).max(1_000_000).default(5000),
  surrogate: SurrogateSchema.default(SurrogateSchema.parse({})),
  trainOn: SurrogateSchema.optional(),
});

interface FittedGru {
  model: GruChoiceModel;
  nll: Record<string, number>;
}

/** Fitted GRUs by config: a fit depends on its config only (not on the run seed), so runs share it. */
const fitted = new Map<string, FittedGru>();

function fitGru(config: SurrogateConfig, field: string): FittedGru {
  const key = JSON.stringify(config);
  const known = fitted.get(key);
  if (known) return known;
  const result = config.gru.file ? loadGru(config.gru.file, `${field}.gru.file`) : fitToQLearnerData(config);
  fitted.set(key, result);
  return result;
}

/** A GRU from a `bandit-fit --out` file, with the NLLs its fit recorded. */
function loadGru(file: string, field: string): FittedGru {
  const { model, nll } = decodeGruFile(readTextFile(file, field), file);
  const recorded: Record<string, number> = { "nll.train": nll.train };
  if (nll.heldOut !== undefined) recorded["nll.heldOut"] = nll.heldOut;
  if (nll.qLearnerHeldOut !== undefined) recorded["nll.qLearner"] = nll.qLearnerHeldOut;
  if (!Number.isFinite(nll.train)) delete recorded["nll.train"];
  return { model, nll: recorded };
}

function fitToQLearnerData(config: SurrogateConfig): FittedGru {
  const { cells, subjects, heldOut, steps, lr, seed } = config.gru;
  const generator = (games: number) => new QLearnerSurrogate(games, config);
  const schedules = (["random", "threshold", "lookahead", "primacy"] as const).map(banditBaseline);
  const train = simulateChoiceData(generator, schedules, subjects, Rng.derive(seed, 1));
  const test = simulateChoiceData(generator, schedules, heldOut, Rng.derive(seed, 2));
  const model = new GruChoiceModel(cells).init(Rng.derive(seed, 3));
  const fit = model.fit(train, { steps, lr, test, every: steps });
  return {
    model,
    nll: {
      "nll.train": fit.trainNll,
      "nll.heldOut": fit.testNll as number,
      "nll.qLearner": qLearnerNll(test, config),
    },
  };
}

function surrogateFactory(
  config: SurrogateConfig,
  field: string,
): {
  make: (games: number) => BanditSurrogate;
  gru?: FittedGru;
} {
  if (config.model === "q-learner") return { make: (games) => new QLearnerSurrogate(games, config) };
  const gru = fitGru(config, field);
  return { make: (games) => new GruSurrogate(gru.model, games), gru };
}

/** Train the policy-gradient or dqn adversary of `agent` (undefined for the others), keeping `checkpoints` snapshots. */
function train(
  agent: AgentConfig,
  checkpoints: number,
  surrogate: (games: number) => BanditSurrogate,
  seed: number,
): TrainedPolicyGradient | TrainedDqnAdversary | undefined {
  if (agent.adversary === "policy-gradient")
    return trainPolicyGradientAdversary({ ...agent, checkpoints, surrogate }, Rng.derive(seed, STREAM.train));
  if (agent.adversary === "dqn")
    return trainDqnAdversary({ ...agent.dqn, checkpoints, whiteBox: agent.whiteBox, surrogate }, seed);
  return undefined;
}

/** The paper's selection (SelectionSchema): every config × checkpoint, the best on validation sessions. */
function selectTrained(
  agent: AgentConfig,
  selection: z.infer<typeof SelectionSchema>,
  surrogate: (games: number) => BanditSurrogate,
  seed: number,
) {
  const runs = selection.configs.map((overrides) => {
    const { dqn, ...training } = withoutUndefined(overrides);
    const configured = { ...agent, ...training, dqn: { ...agent.dqn, ...withoutUndefined(dqn ?? {}) } };
    return train(configured, selection.checkpoints, surrogate, seed) as
      | TrainedPolicyGradient
      | TrainedDqnAdversary;
  });
  const candidates = runs.flatMap((run, config) =>
    run.snapshots.map(({ step, adversary }, checkpoint) => ({ config, checkpoint, step, adversary })),
  );
  const { best, validation } = selectByValidation(candidates, surrogate, selection.sessions, () =>
    Rng.derive(seed, STREAM.validation),
  );
  return {
    trained: runs[best.config],
    adversary: best.adversary,
    record: {
      "selection.config": best.config,
      "selection.checkpoint": best.checkpoint,
      "selection.step": best.step,
      "selection.validation": validation[candidates.indexOf(best)],
      "selection.candidates": candidates.length,
    },
  };
}

function withoutUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

export const choiceEngineeringKind: ExperimentKind = {
  name: "choice-engineering",
  description:
    "an adversary steering a Q-learning or GRU surrogate of a human in the Dezfouli et al. bandit task",
  agents: z.array(AgentSchema).length(1),
  budget: z.strictObject({}),
  params: ParamsSchema,
  metricFamilies: ["bias", "nll", "selection"],
  check(config: RunConfig) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    if (agent.selection && agent.adversary !== "policy-gradient" && agent.adversary !== "dqn")
      throw new InputError(
        "agents.0.selection",
        `selects among trained adversaries: needs agents.0.adversary policy-gradient or dqn (got ${agent.adversary})`,
      );
    // A named GRU file is read and checked before any run starts (a bad file: exit 2, nothing computed).
    const { surrogate, trainOn } = ParamsSchema.parse(config.params);
    for (const [field, s] of [
      ["params.surrogate", surrogate],
      ["params.trainOn", trainOn],
    ] as const) {
      if (s?.gru.file && s.model !== "gru")
        throw new InputError(`${field}.gru.file`, `needs ${field}.model: gru (got ${s.model})`);
      if (s?.gru.file && canReadTextFiles())
        decodeGruFile(readTextFile(s.gru.file, `${field}.gru.file`), s.gru.file);
    }
  },
  run(config: RunConfig, seed: number) {
    const [agent] = config.agents.map((a) => AgentSchema.parse(a));
    const { sessions, surrogate, trainOn } = ParamsSchema.parse(config.params);
    if (trainOn && agent.whiteBox && JSON.stringify(trainOn) !== JSON.stringify(surrogate)) {
      throw new InputError(
        "agents.0.whiteBox",
        "must be false when params.trainOn differs from params.surrogate: the internal state of one surrogate means nothing to another",
      );
    }
    const evaluation = surrogateFactory(surrogate, "params.surrogate");
    const training = trainOn ? surrogateFactory(trainOn, "params.trainOn") : evaluation;
    const selected = agent.selection ? selectTrained(agent, agent.selection, training.make, seed) : undefined;
    const trained = selected?.trained ?? train(agent, 0, training.make, seed);
    const adversary =
      selected?.adversary ??
      trained ??
      (agent.adversary === "gradient-shaper"
        ? gradientShaper(differentiableView(agent.shaper.planningBeta), agent.shaper)
        : banditBaseline(agent.adversary as (typeof BANDIT_BASELINES)[number]));
    const b = playBanditSessions(adversary, evaluation.make(sessions), Rng.derive(seed, STREAM.test));
    let mean = 0;
    for (const x of b) mean += x / b.length;
    let ss = 0;
    for (const x of b) ss += (x - mean) * (x - mean);
    const final: Record<string, number> = {
      bias: mean,
      "bias.sd": Math.sqrt(ss / Math.max(1, b.length - 1)),
      ...(evaluation.gru?.nll ?? training.gru?.nll ?? {}),
      ...(selected?.record ?? {}),
    };
    const curve = trained?.curve ?? [];
    const values: Record<string, number[]> = curve.length > 0 ? { bias: curve } : {};
    return {
      final,
      series: { steps: curve.map((_, i) => i + 1), values },
      artifacts: {},
    };
  },
};
