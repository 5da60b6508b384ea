/**
 * Train N agents with one rule (src/learners/sampled/nPlayer/aa.ts) in a sampled iterated N-player dilemma, all
 * seeds in one batch, simultaneous updates:
 *
 *   for each update u = 0..steps−1:
 *     rollout    B games × T steps per seed of the current policies p = sigmoid(θ)   (src/envs/nPlayer)
 *     record     cooperation (fraction of C actions) and welfare of that batch
 *     update     θ ← θ + Δ(batch), every agent's Δ from the same batch
 *   evaluate     a fresh batch of `evalGames` games per seed of the final policies
 *
 * Cost measurement: the wall time of the rollouts and of the learner's updates are timed separately
 * (performance.now, so not deterministic; the numbers are). Updates to the cooperation threshold: the first u
 * whose batch cooperation is ≥ `threshold`, or −1 when no update reached it.
 *
 * Mixed populations (`seats`, one per agent): a seat is a learner (its options) or a fixed memory-one policy
 * (cooperation probabilities over the view's states, e.g. src/strategies/nPlayer.ts). Seats with equal learner
 * options share one learner object that updates only them; every learner models every other seat.
 *
 * Seed index k is run seed `seed + k` with streams `Rng.derive(seed + k, STREAM.…)`, so its numbers do not
 * depend on how many seeds share the batch.
 */
import { NPlayerIteratedEnv, type NPlayerView } from "../../../envs/nPlayer/env.js";
import {
  allocateNPlayerTrajectories,
  type NPlayerTrajectories,
  rolloutNPlayer,
} from "../../../envs/nPlayer/rollout.js";
import type { NPlayerGame } from "../../../games/nPlayer.js";
import { InputError } from "../../../util/errors.js";
import { sigmoid } from "../../../util/math.js";
import { Rng } from "../../../util/rng.js";
import { criticsPerAgent, NPlayerAaLearner, type NPlayerAaOptions } from "./aa.js";

/** Named random streams of a seed. */
export const STREAM = { init: 1, rollout: 2, eval: 3 } as const;

/** One agent of a mixed population: a learner, or a fixed policy (P(C) per own-view state). */
export type NPlayerSeat = { learner: NPlayerAaOptions } | { fixed: readonly number[] };

export interface NPlayerSampledOptions {
  game: NPlayerGame;
  view?: NPlayerView;
  /** Steps per game T (default 50). */
  horizon?: number;
  gamma: number;
  /** The rule of every agent, unless `seats` gives one per agent. */
  learner?: NPlayerAaOptions;
  seats?: readonly NPlayerSeat[];
  /** Updates. */
  steps: number;
  seeds?: number;
  seed: number;
  /** Games per seed per update B (default 16). */
  gamesPerSeed?: number;
  /** sd of the initial logits (default 1). */
  initSd?: number;
  /** Cooperation threshold for `updatesToThreshold` (default 0.8). */
  threshold?: number;
  /** Games per seed in the final evaluation (default 256). */
  evalGames?: number;
  /** Called after each update with the number done. */
  onProgress?(done: number): void;
}

export interface NPlayerSampledResult {
  players: number;
  states: number;
  /** Final evaluation per seed: fraction of C actions, per-step reward Σ_i r^i, mean per-step reward. */
  cooperation: Float64Array;
  welfare: Float64Array;
  rewardMean: Float64Array;
  /** Final evaluation: every agent's per-step reward, `[seeds, N]`. */
  agentRewards: Float64Array;
  /**
   * Shares of |alignment term| per sign quadrant (++, +-, -+, --; ./alignment.ts), mean over updates and over
   * the AA learners, `[seeds, 4]` (zeros when no seat runs AA).
   */
  quadrantShares: Float64Array;
  /** First update whose batch cooperation reached the threshold, per seed (−1: never). */
  updatesToThreshold: Float64Array;
  /** Per update, per seed: batch cooperation and welfare, `[steps, seeds]`. */
  cooperationCurve: Float64Array;
  welfareCurve: Float64Array;
  /** Final logits `[seeds, N, S]`. */
  theta: Float64Array;
  /** Wall time (ms) of all rollouts and of all learner updates. */
  rolloutMs: number;
  updateMs: number;
  /** Bytes of the learner (critics, optimiser, scratch) and of the policies (logits). */
  learnerBytes: number;
  /** Bytes of the critic tables alone (the part that grows with the number of opponent models). */
  criticBytes: number;
  policyBytes: number;
  /** Critic tables fitted per update, and environment steps (games × T) per update. */
  criticTables: number;
  samplesPerUpdate: number;
}

export function trainNPlayerSampled(options: NPlayerSampledOptions): NPlayerSampledResult {
  const seeds = options.seeds ?? 1;
  const gamesPerSeed = options.gamesPerSeed ?? 16;
  const horizon = options.horizon ?? 50;
  const view = options.view ?? "count";
  const threshold = options.threshold ?? 0.8;
  const evalGames = options.evalGames ?? 256;
  const { game, gamma, steps } = options;
  if (!(gamma >= 0 && gamma < 1)) throw new InputError("gamma", `must be in [0, 1), got ${gamma}`);
  for (const [field, value, max] of [
    ["seeds", seeds, 1000],
    ["gamesPerSeed", gamesPerSeed, 100_000],
    ["evalGames", evalGames, 100_000],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
      throw new InputError(field, `must be an integer in [1, ${max}], got ${value}`);
    }
  }
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new InputError("steps", `must be an integer ≥ 0, got ${steps}`);
  if (!(threshold >= 0 && threshold <= 1))
    throw new InputError("threshold", `must be in [0, 1], got ${threshold}`);
  const env = new NPlayerIteratedEnv(game, horizon, view);
  const n = env.players;
  const S = env.states;
  const seats = resolveSeats(options, n, S);
  // One learner object per distinct learner setting, each updating only its own seats.
  const learners = new Map<string, { learner: NPlayerAaLearner; learns: Uint8Array }>();
  const context = { players: n, view, gamma, groups: seeds, gamesPerGroup: gamesPerSeed, horizon };
  seats.forEach((seat, i) => {
    if (!("learner" in seat)) return;
    const key = JSON.stringify(seat.learner);
    let entry = learners.get(key);
    if (!entry) {
      entry = { learner: new NPlayerAaLearner(context, seat.learner), learns: new Uint8Array(n) };
      learners.set(key, entry);
    }
    entry.learns[i] = 1;
  });
  const theta = new Float64Array(seeds * n * S);
  for (let k = 0; k < seeds; k++) {
    const init = Rng.derive(options.seed + k, STREAM.init);
    for (let a = 0; a < n * S; a++) theta[k * n * S + a] = init.normal(0, options.initSd ?? 1);
  }
  const pC = new Float64Array(theta.length);
  const setProbabilities = () => {
    for (let k = 0; k < seeds; k++) {
      for (let i = 0; i < n; i++) {
        const seat = seats[i];
        for (let s = 0, a = (k * n + i) * S; s < S; s++, a++) {
          pC[a] = "fixed" in seat ? seat.fixed[s] : sigmoid(theta[a]);
        }
      }
    }
  };
  const delta = new Float64Array(theta.length);
  const total = new Float64Array(theta.length);
  const rngs = Array.from({ length: seeds }, (_, k) => Rng.derive(options.seed + k, STREAM.rollout));
  const traj = allocateNPlayerTrajectories(env, seeds * gamesPerSeed);
  const cooperationCurve = new Float64Array(steps * seeds);
  const welfareCurve = new Float64Array(steps * seeds);
  const updatesToThreshold = new Float64Array(seeds).fill(-1);
  const batchCooperation = new Float64Array(seeds);
  const batchWelfare = new Float64Array(seeds);
  const quadrantShares = new Float64Array(seeds * 4);
  const aligners = [...learners.values()].filter(({ learner }) => learner.scheme !== "naive");
  let rolloutMs = 0;
  let updateMs = 0;
  for (let u = 0; u < steps; u++) {
    // --- rollout
    setProbabilities();
    const started = performance.now();
    rolloutNPlayer(env, pC, gamesPerSeed, rngs, traj);
    const rolled = performance.now();
    rolloutMs += rolled - started;
    // --- record
    batchStatistics(traj, gamesPerSeed, batchCooperation, batchWelfare);
    for (let k = 0; k < seeds; k++) {
      cooperationCurve[u * seeds + k] = batchCooperation[k];
      welfareCurve[u * seeds + k] = batchWelfare[k];
      if (updatesToThreshold[k] < 0 && batchCooperation[k] >= threshold) updatesToThreshold[k] = u;
    }
    // --- update
    total.fill(0);
    for (const { learner, learns } of learners.values()) {
      learner.step(traj, theta, pC, delta, learns);
      for (let a = 0; a < theta.length; a++) total[a] += delta[a];
    }
    for (let a = 0; a < theta.length; a++) theta[a] += total[a];
    updateMs += performance.now() - rolled;
    for (const { learner } of aligners) {
      for (let q = 0; q < quadrantShares.length; q++)
        quadrantShares[q] += learner.shares[q] / (aligners.length * steps);
    }
    options.onProgress?.(u + 1);
  }
  // --- evaluate
  setProbabilities();
  const evalRngs = Array.from({ length: seeds }, (_, k) => Rng.derive(options.seed + k, STREAM.eval));
  const evaluation = rolloutNPlayer(env, pC, evalGames, evalRngs);
  const cooperation = new Float64Array(seeds);
  const welfare = new Float64Array(seeds);
  batchStatistics(evaluation, evalGames, cooperation, welfare);
  let learnerBytes = 0;
  let criticBytes = 0;
  for (const { learner } of learners.values()) {
    learnerBytes += learner.bytes;
    criticBytes += learner.criticBytes;
  }
  let criticTables = 0;
  for (const seat of seats) if ("learner" in seat) criticTables += criticsPerAgent(seat.learner.scheme, n);
  return {
    players: n,
    states: S,
    cooperation,
    welfare,
    rewardMean: welfare.map((w) => w / n),
    agentRewards: agentRewards(evaluation, evalGames),
    quadrantShares,
    updatesToThreshold,
    cooperationCurve,
    welfareCurve,
    theta,
    rolloutMs,
    updateMs,
    learnerBytes,
    criticBytes,
    policyBytes: theta.byteLength,
    criticTables,
    samplesPerUpdate: seeds * gamesPerSeed * horizon,
  };
}

function resolveSeats(options: NPlayerSampledOptions, n: number, S: number): readonly NPlayerSeat[] {
  if (!options.seats) {
    if (!options.learner) throw new InputError("learner", "give a learner for every agent, or seats");
    return Array.from({ length: n }, () => ({ learner: options.learner as NPlayerAaOptions }));
  }
  if (options.seats.length !== n) {
    throw new InputError("seats", `must have one entry per player (${n}), got ${options.seats.length}`);
  }
  options.seats.forEach((seat, i) => {
    if ("fixed" in seat && (seat.fixed.length !== S || !seat.fixed.every((p) => p >= 0 && p <= 1))) {
      throw new InputError(`seats[${i}].fixed`, `must hold ${S} probabilities in [0, 1] (one per state)`);
    }
  });
  return options.seats;
}

/** Per group and agent: mean per-step reward over a batch, `[groups, N]`. */
export function agentRewards(traj: NPlayerTrajectories, gamesPerGroup: number): Float64Array {
  const { horizon: T, batch, players: n, rewards } = traj;
  const out = new Float64Array((batch / gamesPerGroup) * n);
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const row = ((g / gamesPerGroup) | 0) * n;
      for (let i = 0; i < n; i++) out[row + i] += rewards[(t * batch + g) * n + i];
    }
  }
  for (let a = 0; a < out.length; a++) out[a] /= T * gamesPerGroup;
  return out;
}

/** Per group: fraction of C actions, and mean per-step Σ_i r^i, over a batch. */
export function batchStatistics(
  traj: NPlayerTrajectories,
  gamesPerGroup: number,
  cooperation: Float64Array,
  welfare: Float64Array,
): void {
  const { horizon: T, batch, players: n, actions, rewards } = traj;
  cooperation.fill(0);
  welfare.fill(0);
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < batch; g++) {
      const k = (g / gamesPerGroup) | 0;
      const base = (t * batch + g) * n;
      for (let i = 0; i < n; i++) {
        cooperation[k] += 1 - actions[base + i];
        welfare[k] += rewards[base + i];
      }
    }
  }
  const perGroupSteps = T * gamesPerGroup;
  for (let k = 0; k < cooperation.length; k++) {
    cooperation[k] /= perGroupSteps * n;
    welfare[k] /= perGroupSteps;
  }
}
