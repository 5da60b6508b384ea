/**
 * `trainSampled`: two sampled learners (or a learner and a fixed memory-one strategy) on a batched iterated game,
 * many seeds at once.
 *
 * Each update: roll out the current policies of every seed in one batch (`batch` games per seed, `rollout` steps,
 * per-seed random streams), give both seats the same trajectories, collect their logit changes (simultaneous
 * updates), apply them. After the last update, an evaluation rollout of the final policies measures the
 * empirical P(C) in each own-view state (the AA paper's Fig. 1b quantity).
 *
 * Interface (plain and serialisable, for the CLI, the arena and experiments):
 *   trainSampled({ game, gamma, learners: [spec, spec], batch, rollout, updates, seeds, seed, init?, onUpdate? })
 * A spec is `{ name, ...hyperparameters }` for a sampled learner of src/learners/registry.ts (pg, a2c, aa,
 * lola-dice; each entry's schema states its hyperparameters, defaults and bounds, `shapelab learners` lists them) or
 * `{ name: "fixed", pC: [start, CC, CD, DC, DD] }`, e.g. always-defect [0,0,0,0,0], always-cooperate
 * [1,1,1,1,1], tit-for-tat [1,1,0,1,0] (own view, own previous action first), or
 * `{ name: "strategy", strategy: "Grudger" }`: any fixed strategy of src/strategies (by its display name, memory
 * of any length), played inside the rollout by one fresh player per game (./opponents.ts). A strategy seat has no
 * memory-one policy: its `finalPC` entries are NaN, `exactPerStep` is empty (no memory-one chain to evaluate), and
 * its logits/probabilities in the learners' input are placeholders (0 / 0.5) that pg, a2c and aa never read.
 * LOLA-DiCE against a strategy seat learns with its look-ahead term set to zero (as `lookahead: 0`): the
 * look-ahead differentiates through the opponent's naive learning step, and a fixed strategy does not learn (nor
 * has differentiable parameters), so J = dθ_opp/dθ_own = 0 and only its own DiCE gradient remains.
 * `{ name: "exact", exact: { name: "lola", lr, eta, … } }` puts an exact learner of src/learners/exact in a seat
 * (./exactSeat.ts): each update it differentiates the exact values at both seats' current logits and applies its
 * own rule, while the other seat learns from the rollouts; seeds whose exact update stops being finite are frozen
 * and listed in `diverged`. Its opponent must be memory-one (a learner or `fixed`, not a `strategy` seat).
 * Seed index k of a run is run seed `seed + k` and uses `Rng.derive(seed + k, …)` streams only, so its numbers
 * do not depend on `seeds`, and `--seeds N --seed B` gives the runs of an experiment's `seeds: {base: B, count: N}`.
 */
import { IteratedGameEnv } from "../../envs/iterated.js";
import { rolloutMemoryOne, type Trajectories } from "../../envs/rollout.js";
import { memoryOneGame } from "../../exact/derivatives.js";
import { perStepValues } from "../../exact/values.js";
import { type MatrixGame, validateGamma } from "../../games/game.js";
import { gamePreset } from "../../games/presets.js";
import { InputError, requireFinite, requireOneOf } from "../../util/errors.js";
import { LIMITS } from "../../util/limits.js";
import { logit, sigmoid } from "../../util/math.js";
import { Rng } from "../../util/rng.js";
import { strategyByName } from "../../strategies/registry.js";
import type { Strategy } from "../../strategies/types.js";
import { createExactLearner, type ExactLearnerSpec, resolveExactLearnerSpec } from "../exact/index.js";
import type { DivergenceReport } from "../exact/train.js";
import { hyperparameters, validateConfig } from "../hyperparameters.js";
import { findLearnerEntry, learnerEntries } from "../registry.js";
import type { A2cOptions } from "./a2c.js";
import { type AaOptions, quadrantCurve } from "./aa.js";
import { DiagnosticAverages, type SeatDiagnostics } from "./diagnostics.js";
import { ExactSeat } from "./exactSeat.js";
import type { LearnerContext, SampledLearner } from "./learner.js";
import { type LolaDiceOptions, resolveLolaDiceOptions } from "./lolaDice.js";
import { StrategyOpponent } from "./opponents.js";
import { SwitchingLearner } from "./switching.js";
import type { PgOptions } from "./pg.js";

/** Logits are clamped to ±LOGIT_LIMIT after every update. */
export const LOGIT_LIMIT = 30;

/** The seat names of a spec that are learners of the sampled family (from src/learners/registry.ts). */
export function sampledLearnerNames(): string[] {
  return learnerEntries("sampled").map((e) => e.name);
}
/** The sampled learners and `fixed`, as they were when this module loaded (the public API's list). */
export const SAMPLED_LEARNERS: readonly string[] = [...sampledLearnerNames(), "fixed"];

export type LearnerSpec =
  | ({ name: "pg" } & PgOptions)
  | ({ name: "a2c" } & A2cOptions)
  | ({ name: "aa" } & AaOptions)
  | ({ name: "lola-dice" } & LolaDiceOptions)
  | { name: "fixed"; pC: readonly number[] }
  /** A fixed strategy of src/strategies by display name ("Grudger", "Cycler CCD", …), any memory length. */
  | { name: "strategy"; strategy: string }
  /** An exact learner (naive, lola, lookahead, sos, cross-hessian) in this seat, updated from the exact engine. */
  | { name: "exact"; exact: ExactLearnerSpec }
  /** A seat that learns by `before` for its first `at` updates, then by `after` (./switching.ts: sandbagging). */
  | { name: "switch"; before: LearnerSpec; after: LearnerSpec; at: number };

/**
 * A strategy of the registry as a training seat: a memory-one strategy by its five probabilities (a `fixed` seat,
 * so exact values and P(C) per state stay defined), a longer-memory one played as itself (a `strategy` seat).
 * `name` is how the trainer looks it up again (default: its display name).
 */
export function strategySeatSpec(strategy: Strategy, name = strategy.name): LearnerSpec {
  return strategy.memoryOne
    ? { name: "fixed", pC: [...strategy.memoryOne] }
    : { name: "strategy", strategy: name };
}

/**
 * A seat's spec with every hyperparameter's default filled in (what each learner's constructor uses), for outputs
 * that state the complete configuration. An option that is off by being absent (`gaeLambda`: TD / Q − V
 * advantages) is `null`.
 */
export function resolveLearnerSpec(spec: LearnerSpec): Record<string, unknown> {
  if (spec.name === "switch") {
    const { before, after, at } = spec;
    return { name: spec.name, at, before: resolveLearnerSpec(before), after: resolveLearnerSpec(after) };
  }
  if (spec.name === "exact") return { name: spec.name, exact: resolveExactLearnerSpec(spec.exact) };
  if (spec.name === "fixed" || spec.name === "strategy") return { ...spec };
  // lola-dice's centerRewards default depends on its baseline: its own resolver states it.
  if (spec.name === "lola-dice") return { name: spec.name, ...resolveLolaDiceOptions(learnerConfig(spec)) };
  const entry = findLearnerEntry("sampled", spec.name);
  if (!entry) return { ...spec };
  const config = validateConfig(entry, learnerConfig(spec), spec.name) as Record<string, unknown>;
  const absent = hyperparameters(entry.schema).filter((p) => p.default === undefined && !(p.key in config));
  return { name: spec.name, ...Object.fromEntries(absent.map((p) => [p.key, null])), ...config };
}

/** A learner seat's hyperparameters: its spec without the `name` that chose the learner. */
function learnerConfig(spec: LearnerSpec): Record<string, unknown> {
  const { name: _name, ...config } = spec as { name: string } & Record<string, unknown>;
  return config;
}

/** Initial logits: N(mean, sd²) per entry (default N(0, 1), the LOLA test-bed's), zeros, or given logits. */
export type InitSpec =
  | { kind: "normal"; mean?: number; sd?: number }
  | { kind: "zeros" }
  | { kind: "logits"; theta: readonly number[] };

export interface TrainSampledOptions {
  game: MatrixGame;
  gamma: number;
  learners: readonly [LearnerSpec, LearnerSpec];
  /** Games per seed per update. */
  batch: number;
  /** Steps per game (rollout length T). */
  rollout: number;
  updates: number;
  seeds: number;
  seed: number;
  init?: InitSpec;
  /** Games per seed in the final evaluation rollout (default `batch`). */
  evalBatch?: number;
  /** Called before each update's rollout with the probabilities that play it, `[seeds, 2, 5]` (do not keep it). */
  onPlayed?: (update: number, pC: Float64Array) => void;
  onUpdate?: (update: number, meanRewardPerStep: readonly [number, number]) => void;
}

export type { SeatDiagnostics };

export interface QuadrantCurve {
  agent: 0 | 1;
  /** Quadrant labels, in the order of `shares`. */
  quadrants: readonly string[];
  /**
   * Mean over seeds of each quadrant's share of |alignment term|, `[updates][4]`; seeds whose alignment term was
   * zero at that update (e.g. deterministic play, where every advantage vanishes) are left out (all zeros if none).
   */
  shares: number[][];
  /** Per seed, mean over the updates with a non-zero alignment term, `[seeds][4]`. */
  perSeed: number[][];
}

export interface TrainSampledResult {
  game: string;
  gamma: number;
  learners: [string, string];
  batch: number;
  rollout: number;
  updates: number;
  seeds: number;
  seed: number;
  /** Logits after training (sigmoid = P(C)), own-view states [start, CC, CD, DC, DD], `[seeds][2][5]` (NaN: strategy seat). */
  finalTheta: number[][][];
  /** Policies after training, P(C) per own-view state [start, CC, CD, DC, DD], `[seeds][2][5]` (NaN: strategy seat). */
  finalPC: number[][][];
  /** Empirical P(C) per own-view state in the evaluation rollout (null where never visited), `[seeds][2][5]`. */
  empiricalPC: (number | null)[][][];
  /** Visits per own-view state in the evaluation rollout, `[seeds][2][5]`. */
  visits: number[][][];
  /** Sampled mean reward per step of each update's training rollout, `[updates][seeds][2]`. */
  rewardPerStep: number[][][];
  /** Exact per-step value (1 − γ)·V of the policies each update played, `[updates][seeds][2]`; empty when a seat is a strategy. */
  exactPerStep: number[][][];
  /** Seeds an exact seat froze because its exact value or update stopped being finite (empty otherwise). */
  diverged: DivergenceReport[];
  /** Each learner seat's diagnostics (named by the learner, e.g. `aa.quadrant.++`), averaged over seeds. */
  diagnostics: SeatDiagnostics[];
  /** Advantage Alignment quadrant diagnostics, one entry per AA seat (its `aa.quadrant.*` diagnostics). */
  aaQuadrants: QuadrantCurve[];
  elapsedMs: number;
}

function positiveInteger(field: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1)
    throw new InputError(field, `must be a positive integer, got ${value}`);
  if (value > max) throw new InputError(field, `must be ≤ ${max} (src/util/limits.ts), got ${value}`);
  return value;
}

/** seeds × games × steps sizes one rollout buffer: bound it before anything is allocated. */
function checkRolloutCells(field: string, seeds: number, games: number, steps: number): void {
  const cells = seeds * games * steps;
  if (cells > LIMITS.rolloutCells)
    throw new InputError(
      field,
      `seeds × games × rollout = ${seeds} × ${games} × ${steps} = ${cells} cells; at most ${LIMITS.rolloutCells} ` +
        "(the rollout buffer's size): use fewer seeds or a smaller batch",
    );
}

function checkNumber(
  field: string,
  value: number | undefined,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === undefined) return;
  requireFinite(field, value);
  if (value < min || value > max) throw new InputError(field, `must be in [${min}, ${max}], got ${value}`);
}

/**
 * Validate a learner spec; throws InputError naming the field (`learners[i].lr`, …). A `strategy` spec needs the
 * game to resolve its name (game-dependent strategies such as GTFT); without it, only the name's type is checked.
 */
export function validateLearnerSpec(spec: LearnerSpec, field: string, game?: MatrixGame): void {
  if (spec.name === "switch") {
    if (!Number.isInteger(spec.at) || spec.at < 0)
      throw new InputError(
        `${field}.at`,
        `must be a non-negative integer (updates before the switch), got ${spec.at}`,
      );
    for (const part of ["before", "after"] as const) {
      const inner = spec[part];
      const name = typeof inner === "object" && inner !== null ? inner.name : undefined;
      requireOneOf(`${field}.${part}.name`, String(name), sampledLearnerNames());
      validateLearnerSpec(inner, `${field}.${part}`, game);
    }
    return;
  }
  if (spec.name === "strategy") {
    if (typeof spec.strategy !== "string" || spec.strategy.trim() === "")
      throw new InputError(`${field}.strategy`, "must name a strategy (see `shapelab strategies`)");
    if (game) strategyByName(spec.strategy, game, `${field}.strategy`);
    return;
  }
  if (spec.name === "exact") {
    const exact = spec.exact;
    if (typeof exact !== "object" || exact === null)
      throw new InputError(`${field}.exact`, 'must be an exact learner spec, e.g. { name: "lola" }');
    if (exact.name === "fixed" || exact.probabilities !== undefined)
      throw new InputError(
        `${field}.exact`,
        'a fixed policy in a sampled run is a `{ name: "fixed", pC }` seat',
      );
    // The hyperparameters' checks do not depend on the payoffs or γ; any memory-one game validates them.
    createExactLearner(exact, memoryOneGame(game ?? gamePreset("ipd"), 0.5), `${field}.exact`);
    return;
  }
  requireOneOf(`${field}.name`, spec.name, [...sampledLearnerNames(), "fixed"]);
  if (spec.name === "fixed") {
    if (!Array.isArray(spec.pC) || spec.pC.length !== 5) {
      throw new InputError(`${field}.pC`, "must be 5 probabilities [start, CC, CD, DC, DD]");
    }
    spec.pC.forEach((p, s) => checkNumber(`${field}.pC[${s}]`, p, 0, 1));
    return;
  }
  const entry = findLearnerEntry("sampled", spec.name);
  if (entry) validateConfig(entry, learnerConfig(spec), field);
}

function createLearner(spec: LearnerSpec, ctx: LearnerContext): SampledLearner | undefined {
  if (spec.name === "switch") {
    const before = createLearner(spec.before, ctx);
    const after = createLearner(spec.after, ctx);
    return before && after ? new SwitchingLearner(ctx, before, after, spec.at) : undefined;
  }
  if (spec.name === "exact") return new ExactSeat(ctx, spec.exact);
  const entry = findLearnerEntry("sampled", spec.name);
  return entry ? entry.create(validateConfig(entry, learnerConfig(spec), spec.name), ctx) : undefined;
}
function initialLogits(init: InitSpec, seeds: number, seed: number): Float64Array {
  const theta = new Float64Array(seeds * 10);
  if (init.kind === "zeros") return theta;
  if (init.kind === "logits") {
    const given = init.theta;
    if (given.length !== 10 && given.length !== seeds * 10) {
      throw new InputError(
        "init.theta",
        `must have 10 or seeds·10 = ${seeds * 10} logits, got ${given.length}`,
      );
    }
    for (let i = 0; i < theta.length; i++)
      theta[i] = requireFinite(`init.theta[${i % given.length}]`, given[i % given.length]);
    return theta;
  }
  const mean = init.mean ?? 0;
  const sd = init.sd ?? 1;
  checkNumber("init.sd", sd, 0);
  requireFinite("init.mean", mean);
  for (let k = 0; k < seeds; k++) {
    for (let agent = 0; agent < 2; agent++) {
      const rng = Rng.derive(seed + k, agent, 1);
      for (let s = 0; s < 5; s++) theta[k * 10 + 5 * agent + s] = rng.normal(mean, sd);
    }
  }
  return theta;
}

export function trainSampled(options: TrainSampledOptions): TrainSampledResult {
  const started = performance.now();
  const { game, learners: specs } = options;
  const gamma = validateGamma(options.gamma, "gamma");
  const batch = positiveInteger("batch", options.batch, LIMITS.batch);
  const horizon = positiveInteger("rollout", options.rollout, LIMITS.rollout);
  const updates = positiveInteger("updates", options.updates, LIMITS.updates);
  const seeds = positiveInteger("seeds", options.seeds, LIMITS.seeds);
  const evalBatch = positiveInteger("evalBatch", options.evalBatch ?? batch, LIMITS.batch);
  checkRolloutCells("batch", seeds, batch, horizon);
  checkRolloutCells("evalBatch", seeds, evalBatch, horizon);
  if (!Number.isInteger(options.seed))
    throw new InputError("seed", `must be an integer, got ${options.seed}`);
  if (specs.length !== 2) throw new InputError("learners", "must name exactly two learners");
  specs.forEach((spec, i) => validateLearnerSpec(spec, `learners[${i}]`, game));
  const strategySeat = specs.map((spec) => spec.name === "strategy");
  const hasStrategy = strategySeat[0] || strategySeat[1];
  specs.forEach((spec, agent) => {
    if (spec.name === "exact" && strategySeat[1 - agent])
      throw new InputError(
        `learners[${agent}]`,
        "an exact learner needs a memory-one opponent (a learner or `fixed`), not a `strategy` seat",
      );
  });
  const strategyOpponents = () =>
    specs.map((spec) =>
      spec.name === "strategy" ? new StrategyOpponent(strategyByName(spec.strategy, game)) : undefined,
    ) as [StrategyOpponent | undefined, StrategyOpponent | undefined];
  // LOLA-DiCE facing a strategy: no look-ahead (a fixed strategy does not learn; see the header).
  const learnerSpecs = specs.map((spec, agent) =>
    spec.name === "lola-dice" && strategySeat[1 - agent] ? { ...spec, lookahead: 0 } : spec,
  );

  const theta = initialLogits(options.init ?? { kind: "normal" }, seeds, options.seed);
  const pC = new Float64Array(seeds * 10);
  const fixed = [false, false];
  specs.forEach((spec, agent) => {
    if (spec.name !== "fixed" && spec.name !== "strategy") return;
    fixed[agent] = true;
    for (let k = 0; k < seeds; k++)
      for (let s = 0; s < 5; s++)
        theta[k * 10 + 5 * agent + s] = spec.name === "fixed" ? logit(spec.pC[s]) : 0;
  });
  const syncProbabilities = () => {
    for (let i = 0; i < theta.length; i++) {
      const agent = ((i % 10) / 5) | 0;
      const spec = specs[agent];
      pC[i] = spec.name === "fixed" ? spec.pC[i % 5] : spec.name === "strategy" ? 0.5 : sigmoid(theta[i]);
    }
  };
  syncProbabilities();

  const env = new IteratedGameEnv(game, horizon);
  const rngs = Array.from({ length: seeds }, (_, k) => Rng.derive(options.seed + k, 2));
  const opponents = hasStrategy ? strategyOpponents() : undefined;
  const rollout = (probabilities: Float64Array): Trajectories =>
    rolloutMemoryOne(env, probabilities, batch, rngs, opponents);
  const learners = learnerSpecs.map((spec, agent) =>
    createLearner(spec, {
      game,
      gamma,
      seeds,
      gamesPerSeed: batch,
      horizon,
      agent: agent as 0 | 1,
      seed: options.seed,
    }),
  );
  const deltas = [new Float64Array(seeds * 5), new Float64Array(seeds * 5)];

  const rewardPerStep: number[][][] = [];
  const exactPerStep: number[][][] = [];
  const diagnostics = learners.flatMap((l, agent) =>
    l?.diagnostics ? [new DiagnosticAverages(agent as 0 | 1, l.diagnostics(), seeds)] : [],
  );
  // A seed whose step or diagnostics stop being finite (e.g. a critic step size so large the critic explodes) is
  // frozen at its last finite parameters and reported in `diverged`; the other seeds train on. So no NaN reaches
  // a summary unannounced (issue 11 §4), as the exact trainer and the exact seat already do.
  const divergedAt = new Int32Array(seeds).fill(-1);
  const divergenceReports: DivergenceReport[] = [];
  const markDiverged = (k: number, update: number, agent: number, reason: string) => {
    if (divergedAt[k] >= 0) return;
    divergedAt[k] = update;
    divergenceReports.push({
      seed: k,
      step: update,
      learner: specs[agent].name,
      reason: `agent ${agent + 1}'s ${reason}; frozen at its last finite parameters`,
    });
  };
  for (let update = 0; update < updates; update++) {
    options.onPlayed?.(update, pC);
    const traj = rollout(pC);
    const sampled = meanRewardsPerSeed(traj, seeds, batch);
    rewardPerStep.push(Array.from({ length: seeds }, (_, k) => [sampled[2 * k], sampled[2 * k + 1]]));
    if (!hasStrategy) {
      const exact = perStepValues(game, pC, gamma);
      exactPerStep.push(Array.from({ length: seeds }, (_, k) => [exact[2 * k], exact[2 * k + 1]]));
    }
    const input = { traj, theta, pC, rollout };
    learners.forEach((learner, agent) => learner?.step(input, deltas[agent]));
    for (const d of diagnostics) {
      d.record(learners[d.agent]!.diagnostics!(), divergedAt, (k) =>
        markDiverged(
          k,
          update,
          d.agent,
          `${specs[d.agent].name} diagnostics are not finite (its critic diverged)`,
        ),
      );
    }
    for (let agent = 0; agent < 2; agent++) {
      if (fixed[agent]) continue;
      const d = deltas[agent];
      for (let k = 0; k < seeds; k++) {
        // Logits stay within ±LOGIT_LIMIT (P(C) within 1e-13 of 0 or 1), so a huge step cannot overflow into
        // ±∞ and then NaN; a NaN step (a NaN gradient) freezes the seed instead of flowing on.
        for (let s = 0; s < 5; s++)
          if (Number.isNaN(d[k * 5 + s])) markDiverged(k, update, agent, "step is not finite (NaN gradient)");
        if (divergedAt[k] >= 0) continue;
        for (let s = 0; s < 5; s++) {
          const i = k * 10 + 5 * agent + s;
          theta[i] = Math.max(-LOGIT_LIMIT, Math.min(LOGIT_LIMIT, theta[i] + d[k * 5 + s]));
        }
      }
    }
    syncProbabilities();
    if (options.onUpdate) {
      let r0 = 0;
      let r1 = 0;
      for (let k = 0; k < seeds; k++) {
        r0 += sampled[2 * k] / seeds;
        r1 += sampled[2 * k + 1] / seeds;
      }
      options.onUpdate(update, [r0, r1]);
    }
  }

  const seatDiagnostics = diagnostics.map((d) => d.finish());

  const evalEnv = new IteratedGameEnv(game, horizon);
  const evalRngs = Array.from({ length: seeds }, (_, k) => Rng.derive(options.seed + k, 3));
  const evaluation = rolloutMemoryOne(
    evalEnv,
    pC,
    evalBatch,
    evalRngs,
    hasStrategy ? strategyOpponents() : undefined,
  );
  const { cooperations, visits } = stateCounts(evaluation, seeds, evalBatch);

  return {
    game: game.name,
    gamma,
    learners: [specs[0], specs[1]].map((spec) =>
      spec.name === "strategy"
        ? spec.strategy
        : spec.name === "exact"
          ? `exact ${spec.exact.name}`
          : spec.name === "switch"
            ? `${spec.before.name}→${spec.after.name}`
            : spec.name,
    ) as [string, string],
    batch,
    rollout: horizon,
    updates,
    seeds,
    seed: options.seed,
    finalTheta: Array.from({ length: seeds }, (_, k) =>
      [0, 1].map((agent) =>
        strategySeat[agent]
          ? new Array<number>(5).fill(Number.NaN)
          : Array.from(theta.subarray(k * 10 + 5 * agent, k * 10 + 5 * agent + 5)),
      ),
    ),
    finalPC: Array.from({ length: seeds }, (_, k) =>
      [0, 1].map((agent) =>
        strategySeat[agent]
          ? new Array<number>(5).fill(Number.NaN)
          : Array.from(pC.subarray(k * 10 + 5 * agent, k * 10 + 5 * agent + 5)),
      ),
    ),
    empiricalPC: Array.from({ length: seeds }, (_, k) =>
      [0, 1].map((agent) =>
        Array.from({ length: 5 }, (_, s) => {
          const n = visits[k * 10 + 5 * agent + s];
          return n > 0 ? cooperations[k * 10 + 5 * agent + s] / n : null;
        }),
      ),
    ),
    visits: Array.from({ length: seeds }, (_, k) =>
      [0, 1].map((agent) => Array.from(visits.subarray(k * 10 + 5 * agent, k * 10 + 5 * agent + 5))),
    ),
    rewardPerStep,
    exactPerStep,
    diverged: [...learners.flatMap((l) => (l instanceof ExactSeat ? l.diverged : [])), ...divergenceReports],
    diagnostics: seatDiagnostics,
    aaQuadrants: seatDiagnostics
      .filter((d) => {
        const spec = specs[d.agent];
        return spec.name === "aa" || (spec.name === "switch" && spec.after.name === "aa");
      })
      .map((d) => quadrantCurve(d.agent, d.names, d.perUpdate, d.perSeed)),
    elapsedMs: performance.now() - started,
  };
}

/** Mean reward per step per seed and agent of a batch, `[seeds, 2]`. */
export function meanRewardsPerSeed(traj: Trajectories, seeds: number, gamesPerSeed: number): Float64Array {
  const out = new Float64Array(seeds * 2);
  const { horizon: T, batch, rewards } = traj;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const k = (g / gamesPerSeed) | 0;
      out[2 * k] += rewards[(t * batch + g) * 2];
      out[2 * k + 1] += rewards[(t * batch + g) * 2 + 1];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= T * gamesPerSeed;
  return out;
}

/** Cooperations and visits per (seed, agent, own-view state), `[seeds, 2, 5]`. */
export function stateCounts(
  traj: Trajectories,
  seeds: number,
  gamesPerSeed: number,
): { cooperations: Float64Array; visits: Float64Array } {
  const cooperations = new Float64Array(seeds * 10);
  const visits = new Float64Array(seeds * 10);
  const { horizon: T, batch, obs, actions } = traj;
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const k = (g / gamesPerSeed) | 0;
      for (let agent = 0; agent < 2; agent++) {
        const i = (t * batch + g) * 2 + agent;
        const cell = k * 10 + 5 * agent + obs[i];
        visits[cell] += 1;
        if (actions[i] === 0) cooperations[cell] += 1;
      }
    }
  }
  return { cooperations, visits };
}
