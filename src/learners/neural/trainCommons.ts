/**
 * Neural learners on Commons Harvest lite (src/envs/commons), trained and evaluated as the Advantage Alignment
 * paper's Melting Pot experiment (Duque et al., ICLR 2025, §6.3; jduquevan/advantage-alignment `train.py`):
 *
 *   training    self-play with parameter sharing: ONE learner (ppo, ppo-sum or paa; their unchanged updates)
 *               plays all N avatars of every game; each update is one episode of `games` fresh games, and the
 *               learner updates from the N·games seat views side by side (commonsRollout.ts: own record, and the
 *               others' summed reward in the opponent slot, which makes paa's opponent critic the shared critic
 *               of Σ_{j≠i} r^j and ppo-sum's reward Σ_j r^j). The AA code also fills 2 of the 7 slots from a
 *               replay buffer of past selves; here all N are the current policy.
 *   evaluation  Melting Pot's scenario shape: `focal` copies of the evaluated policy in slots 0 … focal−1 (the
 *               first two start on the inside spawns, by the apples) and the background exploiters in the rest
 *               (they arrive from the bottom band); the focal per-capita return
 *                   R_focal = (1/|focal|) Σ_{i focal} R_i     (R_i = episode return of agent i)
 *               averaged over the evaluation games, and its min–max normalisation
 *                   score = (R_focal − R_random) / (R_best − R_random)
 *               with R_random the focal return of uniformly random focal agents and R_best that of the best fixed
 *               baseline population (greedy or sustainable harvesters) against the same background — Melting Pot
 *               normalises between its random policy and the best of its baselines (research note
 *               commons_nagent.md §1.4; the AA code's `evaluation.py::normalize`). Scores above 1 beat every
 *               baseline. Also per learner: live apples and live patches per step, time to collapse, the
 *               sequential-social-dilemma metrics of all N agents (src/envs/commons/metrics.ts).
 *
 * Random streams (Rng.derive(seed, COMMONS_TRAIN_STREAM.x, …)): the learner's init and minibatches, the rollout
 * of update u, the evaluation games (the same games for every evaluated population of a seed).
 */
import type * as z from "../../zod.js";
import { type CommonsAgent, fixedCommonsAgent } from "../../envs/commons/fixedAgents.js";
import type { CommonsHarvestEnv } from "../../envs/commons/env.js";
import { InputError } from "../../util/errors.js";
import { hashSeed } from "../../util/rng.js";
import {
  COMMONS_TRAIN_STREAM,
  type CommonsFrame,
  type CommonsSeat,
  commonsLearnerViews,
  rolloutCommons,
} from "./commonsRollout.js";
import { NEURAL_LEARNER_NAMES, neuralLearnerEntry } from "./index.js";
import type { Diagnostics, NeuralLearner } from "./learner.js";

/** The learners that train on Commons Harvest (lola-dice plays coin games in its look-ahead). */
export const COMMONS_LEARNERS = ["ppo", "ppo-sum", "paa"] as const;

export { COMMONS_TRAIN_STREAM };

export interface TrainCommonsOptions {
  learner: string;
  /** The learner's options (its entry's schema fills the defaults and rejects unknown ones). */
  config?: Record<string, unknown>;
  updates: number;
  /** Games per update (the learner sees players · games seat views). */
  games: number;
  seed: number;
}

export interface CommonsTrainResult {
  learner: NeuralLearner;
  curves: {
    /** Mean per-capita return of each update's training episode. */
    reward: number[];
    /** Mean live apples at the end of each update's training episode. */
    finalApples: number[];
    diagnostics: Record<string, number[]>;
  };
}

function parseLearner(name: string, config: Record<string, unknown>, field: string) {
  const entry = (COMMONS_LEARNERS as readonly string[]).includes(name) ? neuralLearnerEntry(name) : undefined;
  if (entry === undefined) {
    throw new InputError(
      `${field}.learner`,
      `unknown Commons Harvest learner "${name}"; allowed: ${COMMONS_LEARNERS.join(", ")} (of the neural learners ${NEURAL_LEARNER_NAMES.join(", ")})`,
    );
  }
  const parsed = entry.schema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue & { keys?: string[] };
    const key = issue.keys?.[0] ?? issue.path.join(".");
    throw new InputError(`${field}.${key}`, issue.message);
  }
  return { entry, config: parsed.data };
}

/** Check a learner spec without building it (a kind's `check`). */
export function checkCommonsLearner(name: string, config: Record<string, unknown>, field: string): void {
  parseLearner(name, config, field);
}

function pushDiagnostics(curves: Record<string, number[]>, d: Diagnostics, index: number): void {
  for (const [key, value] of Object.entries(d)) {
    const curve = curves[key] ?? (curves[key] = []);
    while (curve.length < index) curve.push(Number.NaN); // a diagnostic first reported late
    curve.push(value);
  }
}

/** Train one parameter-shared learner in N-agent self-play. */
export function trainCommons(
  env: CommonsHarvestEnv,
  options: TrainCommonsOptions,
  field = "agent",
  onUpdate?: (done: number, total: number) => void,
): CommonsTrainResult {
  const { updates, games, seed } = options;
  if (!Number.isInteger(updates) || updates < 1)
    throw new InputError("updates", `must be a positive integer, got ${updates}`);
  if (!Number.isInteger(games) || games < 1)
    throw new InputError("games", `must be a positive integer, got ${games}`);
  const { entry, config } = parseLearner(options.learner, options.config ?? {}, field);
  const learner = entry.create(config, { env, seed: hashSeed(seed, COMMONS_TRAIN_STREAM.learner) });
  const n = env.params.players;
  const everyone = Array.from({ length: n }, (_, i) => i);
  const seats: CommonsSeat[] = everyone.map(() => ({ policy: learner.policy }));
  const curves: CommonsTrainResult["curves"] = { reward: [], finalApples: [], diagnostics: {} };
  for (let u = 0; u < updates; u++) {
    // --- rollout: one episode, every avatar the current policy
    const rollout = rolloutCommons(env, seats, { games, seed, keys: [COMMONS_TRAIN_STREAM.rollout, u] });
    // --- update: all N seat views at once (parameter sharing)
    const d = learner.update(commonsLearnerViews(rollout, everyone), u);
    // --- record
    let total = 0;
    let apples = 0;
    for (const e of rollout.episodes) {
      total += e.returns.reduce((a, b) => a + b, 0) / n;
      apples += e.liveApples[e.liveApples.length - 1];
    }
    curves.reward.push(total / games);
    curves.finalApples.push(apples / games);
    pushDiagnostics(curves.diagnostics, d, u);
    onUpdate?.(u + 1, updates);
  }
  return { learner, curves };
}

export interface FocalEvaluation {
  /** Focal per-capita return, mean over games, and its sd over games. */
  focalReturn: number;
  focalReturnSd: number;
  /** Per-capita return of the background agents. */
  backgroundReturn: number;
  utilitarian: number;
  equality: number;
  sustainability: number;
  peace: number;
  /** Mean step of collapse (no apple left), counting T for a game that never collapsed; share that collapsed. */
  collapseStep: number;
  collapsed: number;
  /** Mean over games per step, t = 1 … T. */
  liveApples: number[];
  livePatches: number[];
  /** Game 0's frames (t = 0 … T). */
  frames: CommonsFrame[];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `focal` copies of `focalSeat` in slots 0 … focal−1 and `background` in the rest, `games` games. */
export function evaluateFocal(
  env: CommonsHarvestEnv,
  focalSeat: CommonsSeat,
  background: readonly CommonsSeat[],
  options: { focal: number; games: number; seed: number },
): FocalEvaluation {
  const n = env.params.players;
  const { focal, games } = options;
  if (focal + background.length !== n) {
    throw new InputError(
      "params.background",
      `${focal} focal + ${background.length} background seats must fill the ${n} players`,
    );
  }
  const seats = [...Array.from({ length: focal }, () => focalSeat), ...background];
  const r = rolloutCommons(env, seats, {
    games,
    seed: options.seed,
    keys: [COMMONS_TRAIN_STREAM.eval],
    frames: true,
  });
  const T = env.params.episodeSteps;
  const focalReturns = r.episodes.map((e) => mean(e.returns.slice(0, focal)));
  const focalMean = mean(focalReturns);
  const sdOver = Math.sqrt(
    focalReturns.reduce((s, x) => s + (x - focalMean) * (x - focalMean), 0) / Math.max(1, games - 1),
  );
  const perStep = (pick: (e: (typeof r.episodes)[number]) => number[]) =>
    Array.from({ length: T }, (_, t) => mean(r.episodes.map((e) => pick(e)[t])));
  return {
    focalReturn: focalMean,
    focalReturnSd: sdOver,
    backgroundReturn: background.length === 0 ? 0 : mean(r.episodes.map((e) => mean(e.returns.slice(focal)))),
    utilitarian: mean(r.episodes.map((e) => e.utilitarian)),
    equality: mean(r.episodes.map((e) => e.equality)),
    sustainability: mean(r.episodes.map((e) => e.sustainability)),
    peace: mean(r.episodes.map((e) => e.peace)),
    collapseStep: mean(r.episodes.map((e) => (e.collapseStep < 0 ? T : e.collapseStep))),
    collapsed: mean(r.episodes.map((e) => (e.collapseStep < 0 ? 0 : 1))),
    liveApples: perStep((e) => e.liveApples),
    livePatches: perStep((e) => e.livePatches),
    frames: r.frames ?? [],
  };
}

/** A fixed agent as a seat. */
export function fixedSeat(name: string, env: CommonsHarvestEnv, field: string): { agent: CommonsAgent } {
  return { agent: fixedCommonsAgent(name, env, field) };
}

/**
 * Melting Pot's min–max score: (x − lower) / (upper − lower), lower = the random focal population's return,
 * upper = the best baseline's. Undefined (left out, never NaN) when the bounds do not span a range.
 */
export function minMaxNormalise(x: number, lower: number, upper: number): number | undefined {
  return upper > lower ? (x - lower) / (upper - lower) : undefined;
}
