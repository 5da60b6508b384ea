/**
 * Kind `commons-harvest`: PPO, PPO-sum and PAA (shared critic) trained on Commons Harvest lite in 7-agent
 * self-play with parameter sharing, then evaluated as the Advantage Alignment paper's Melting Pot experiment:
 * 5 focal copies against 2 background exploiters (src/learners/neural/trainCommons.ts has the protocol and the
 * equations). One run = one seed: every listed learner is trained on it, then every one is evaluated against
 * the same background on the same evaluation games — one unit per seed because a background seat may be a
 * learner trained in the same run (`ppo`: the trained selfish PPO agent of this seed).
 *
 *   agents:  [{learner: ppo, label?, …options}, {learner: ppo-sum}, {learner: paa, beta: 1}]
 *   budget:  {updates, games, evalGames}            updates, games per update, evaluation games
 *   params:  {map: small | open, episodeSteps, view?, regrowth?, focal: 5, background: [greedy, ppo],
 *             baselines: [greedy, sustainable]}     a background entry is a fixed agent or a learner's label
 *
 * Records (metric families; <L> a learner's label, <B> a baseline: random or one of params.baselines):
 *   focal           `focal.<L>`: focal per-capita episode return (mean over evaluation games); `focal.<B>`
 *   focalSd         `focalSd.<L>`: its sd over the evaluation games
 *   normalized      `normalized.<L>` = (focal.<L> − focal.random) / (max_B focal.<B> − focal.random)
 *   background      `background.<L>`: the exploiters' per-capita return against L's focal population
 *   utilitarian, equality, sustainability, peace   `<metric>.<L>`: all 7 agents (src/envs/commons/metrics.ts)
 *   collapse        `collapse.<L>`: mean step at which the last apple went (T if never); `collapsed.<L>`: share
 *   patches         `patches.<L>`: live patches at the episode's end; series `patches.<L>` per step
 *   apples          series `apples.<L>` / `apples.<B>`: live apples per step (mean over evaluation games)
 *   train           final `train.<L>`: per-capita return of the last training episode
 * Artifacts: `episodes` (one evaluation game per learner and baseline, frame by frame: the frame-strip figure
 * and the explorer's replay read it), `training` (per-update curves and diagnostics), `bounds`.
 */
import * as z from "../../zod.js";
import { OPEN_PARAMS } from "../../envs/commons/env.js";
import { CommonsHarvestEnv, type CommonsParams } from "../../envs/commons/env.js";
import { FIXED_COMMONS_AGENTS } from "../../envs/commons/fixedAgents.js";
import { COMMONS_MAPS, parseCommonsMap } from "../../envs/commons/map.js";
import type { CommonsSeat } from "../../learners/neural/commonsRollout.js";
import {
  COMMONS_LEARNERS,
  checkCommonsLearner,
  evaluateFocal,
  type FocalEvaluation,
  fixedSeat,
  minMaxNormalise,
  trainCommons,
} from "../../learners/neural/trainCommons.js";
import { proximalFields } from "../../learners/neural/ppo.js";
import { InputError } from "../../util/errors.js";
import type { ExperimentKind, RunConfig, RunContext } from "../types.js";
import { partsProgress } from "../unitProgress.js";

/** Labels are parts of metric names (`focal.<L>`), so they hold no dot. */
const Label = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^.]+$/, "a label may not contain a dot (labels are parts of metric names)");
const AgentSchema = z.looseObject({ learner: z.enum(COMMONS_LEARNERS), label: Label.optional() });
const BudgetSchema = z.strictObject({
  updates: z.number().int().min(1).max(1_000_000),
  /** Games per update (the learner sees 7 × games seat views). */
  games: z.number().int().min(1).max(10_000).default(8),
  evalGames: z.number().int().min(1).max(100_000).default(32),
});
const ViewSchema = z.strictObject({
  left: z.number().int().min(0).max(20),
  right: z.number().int().min(0).max(20),
  forward: z.number().int().min(0).max(20),
  backward: z.number().int().min(0).max(20),
});
const ParamsSchema = z.strictObject({
  map: z.enum(Object.keys(COMMONS_MAPS) as [string, ...string[]]).default("small"),
  players: z.number().int().min(2).max(60).default(7),
  episodeSteps: z.number().int().min(1).max(100_000).default(100),
  view: ViewSchema.default({ left: 3, right: 3, forward: 5, backward: 1 }),
  regrowth: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  focal: z.number().int().min(1).max(60).default(5),
  /** Fixed agents (greedy, greedy-zapper, sustainable, random) or labels of agents trained in the run. */
  background: z.array(z.string().min(1)).default(["greedy", "ppo"]),
  /** The fixed focal populations whose best return is the normalisation's upper bound (random is the lower). */
  baselines: z.array(z.enum(FIXED_COMMONS_AGENTS)).min(1).default(["greedy", "sustainable"]),
});
type Params = z.output<typeof ParamsSchema>;
/** ppo's, ppo-sum's and paa's default minibatch count (one declaration, in ppo.ts). */
const PROXIMAL_MINIBATCHES_DEFAULT = proximalFields.minibatches.parse(undefined);

interface LearnerSpec {
  label: string;
  learner: string;
  options: Record<string, unknown>;
}

function learnerSpecs(config: RunConfig): LearnerSpec[] {
  const specs = config.agents.map((a, i) => {
    const parsed = AgentSchema.safeParse(a);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(`agents[${i}].${issue.path.join(".")}`, issue.message);
    }
    const { learner, label, ...options } = parsed.data;
    return { label: label ?? learner, learner, options };
  });
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    if (seen.has(s.label))
      throw new InputError(`agents[${i}].label`, `"${s.label}" is used twice; give each agent its own label`);
    seen.add(s.label);
  });
  return specs;
}

/** Minibatches of whole games the learner splits each update into (its schema's default when not given). */
function minibatchesOf(spec: LearnerSpec): number {
  const given = spec.options.minibatches;
  return typeof given === "number" ? given : PROXIMAL_MINIBATCHES_DEFAULT;
}

function commonsEnv(params: Params): CommonsHarvestEnv {
  const map = parseCommonsMap(params.map, COMMONS_MAPS[params.map], "params.map");
  const envParams: CommonsParams = {
    ...OPEN_PARAMS,
    players: params.players,
    episodeSteps: params.episodeSteps,
    view: params.view,
    regrowth: params.regrowth ?? OPEN_PARAMS.regrowth,
  };
  return new CommonsHarvestEnv(map, envParams);
}

function checkBackground(params: Params, specs: readonly LearnerSpec[]): void {
  const labels = specs.map((s) => s.label);
  params.background.forEach((b, i) => {
    if (!(FIXED_COMMONS_AGENTS as readonly string[]).includes(b) && !labels.includes(b)) {
      throw new InputError(
        `params.background[${i}]`,
        `unknown "${b}"; allowed: a fixed agent (${FIXED_COMMONS_AGENTS.join(", ")}) or an agent's label (${labels.join(", ")})`,
      );
    }
  });
  if (params.focal + params.background.length !== params.players) {
    throw new InputError(
      "params.focal",
      `${params.focal} focal + ${params.background.length} background seats must make the ${params.players} players`,
    );
  }
}

function record(final: Record<string, number>, label: string, e: FocalEvaluation): void {
  final[`focal.${label}`] = e.focalReturn;
  final[`focalSd.${label}`] = e.focalReturnSd;
  final[`background.${label}`] = e.backgroundReturn;
  final[`utilitarian.${label}`] = e.utilitarian;
  final[`equality.${label}`] = e.equality;
  final[`sustainability.${label}`] = e.sustainability;
  final[`peace.${label}`] = e.peace;
  final[`collapse.${label}`] = e.collapseStep;
  final[`collapsed.${label}`] = e.collapsed;
  final[`patches.${label}`] = e.livePatches[e.livePatches.length - 1];
}

export const commonsHarvestKind: ExperimentKind = {
  name: "commons-harvest",
  description:
    "PPO, PPO-sum and PAA (shared critic) trained on Commons Harvest lite in 7-agent parameter-shared self-play, " +
    "evaluated as 5 focal copies against 2 exploiters (greedy harvester, the trained PPO agent)",
  agents: z.array(AgentSchema).min(1),
  budget: BudgetSchema,
  params: ParamsSchema,
  check(config: RunConfig) {
    const specs = learnerSpecs(config);
    specs.forEach((s, i) => {
      checkCommonsLearner(s.learner, s.options, `agents[${i}]`);
    });
    const params = ParamsSchema.parse(config.params);
    checkBackground(params, specs);
    commonsEnv(params); // the env's own checks (players against the map's spawn points, regrowth, …)
    const views = params.players * BudgetSchema.parse(config.budget).games;
    specs.forEach((s, i) => {
      const minibatches = minibatchesOf(s);
      if (views % minibatches !== 0) {
        throw new InputError(
          `agents[${i}].minibatches`,
          `must divide the seat views per update (players × games = ${views}), got ${minibatches}`,
        );
      }
    });
  },
  metricFamilies: [
    "focal",
    "focalSd",
    "normalized",
    "background",
    "utilitarian",
    "equality",
    "sustainability",
    "peace",
    "collapse",
    "collapsed",
    "patches",
    "apples",
    "train",
  ],
  run(config: RunConfig, seed: number, context?: RunContext) {
    const specs = learnerSpecs(config);
    const budget = BudgetSchema.parse(config.budget);
    const params = ParamsSchema.parse(config.params);
    checkBackground(params, specs);
    const env = commonsEnv(params);
    // --- train every learner on this seed
    const trained = new Map<string, CommonsSeat>();
    const training: Record<string, unknown> = {};
    const final: Record<string, number> = {};
    const part = partsProgress(context?.progress, specs.length);
    specs.forEach((s, i) => {
      const result = trainCommons(
        env,
        { learner: s.learner, config: s.options, updates: budget.updates, games: budget.games, seed },
        `agents[${i}]`,
        part(i),
      );
      trained.set(s.label, { policy: result.learner.policy });
      training[s.label] = result.curves;
      final[`train.${s.label}`] = result.curves.reward[result.curves.reward.length - 1];
    });
    // --- evaluate: focal copies against the background, on the same games for everyone
    const background = params.background.map(
      (b, i) => trained.get(b) ?? fixedSeat(b, env, `params.background[${i}]`),
    );
    const evalOptions = { focal: params.focal, games: budget.evalGames, seed };
    const series: Record<string, number[]> = {};
    const episodes: Record<string, unknown> = {};
    const baselineReturns: Record<string, number> = {};
    for (const b of ["random", ...params.baselines.filter((x) => x !== "random")]) {
      const e = evaluateFocal(env, fixedSeat(b, env, "params.baselines"), background, evalOptions);
      baselineReturns[b] = e.focalReturn;
      final[`focal.${b}`] = e.focalReturn;
      series[`apples.${b}`] = e.liveApples;
      episodes[b] = e.frames;
    }
    const lower = baselineReturns.random;
    const upper = Math.max(...params.baselines.map((b) => baselineReturns[b]));
    for (const s of specs) {
      const e = evaluateFocal(env, trained.get(s.label) as CommonsSeat, background, evalOptions);
      record(final, s.label, e);
      const score = minMaxNormalise(e.focalReturn, lower, upper);
      if (score !== undefined) final[`normalized.${s.label}`] = score;
      series[`apples.${s.label}`] = e.liveApples;
      series[`patches.${s.label}`] = e.livePatches;
      episodes[s.label] = e.frames;
    }
    return {
      final,
      series: { steps: Array.from({ length: params.episodeSteps }, (_, t) => t + 1), values: series },
      artifacts: {
        episodes: {
          map: COMMONS_MAPS[params.map],
          players: params.players,
          focal: params.focal,
          background: params.background,
          appleCells: Array.from(env.map.appleCells),
          width: env.map.width,
          runs: episodes,
        },
        training,
        bounds: { lower, upper, baselines: baselineReturns },
      },
    };
  },
};
