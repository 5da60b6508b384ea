/**
 * Training neural learners on the Coin Game: a pair (seat a vs seat b: two learners, or a learner and a fixed
 * agent) or self-play (one learner in both seats, optionally against a replay buffer of its past selves, as the
 * LOQA / AA coin code trains). Each update, in order (CleanRL's loop, by concept):
 *
 *   rollout   one episode of `batch` fresh games between the current seats (rollout.ts, [T, games] buffers);
 *             with replay, `fraction` of the games are against a past snapshot instead (replay.ts)
 *   update    every learning seat updates from its own view (self-play: both seats' views side by side)
 *   record    reward per step and own-coin fraction per seat, each learner's diagnostics by name
 *   checkpoint every `checkpointEvery` updates, the whole training state goes to the `CheckpointSink`
 *
 * Resume: every random stream is derived from (seed, stream, update), so a run restored from the checkpoint of
 * update u continues with exactly the numbers of an uninterrupted run (weights and Adam moments are saved as
 * float32 bits, curves as float64). The final actors are returned as agent files (src/nn/agentFile.ts), with an
 * evaluation in the league's protocol: 16-step games against itself / the other seat, always-defect and
 * always-cooperate (src/envs/coin/match.ts).
 */
import type * as z from "../../zod.js";
import type { CheckpointSink } from "../../experiments/types.js";
import { CoinGameEnv } from "../../envs/coin/coinGame.js";
import { FIXED_COIN_AGENTS, fixedCoinAgent } from "../../envs/coin/fixedAgents.js";
import { playCoinMatch } from "../../envs/coin/match.js";
import { CoinMetricsAccumulator, type CoinMetrics } from "../../envs/coin/metrics.js";
import { neuralCoinAgent } from "../../envs/coin/neuralAgent.js";
import type { CoinParams } from "../../envs/coin/params.js";
import { decodeBase64, encodeBase64, saveNetwork } from "../../nn/agentFile.js";
import type { Adam } from "../../nn/optim.js";
import { InputError } from "../../util/errors.js";
import { hashSeed, Rng } from "../../util/rng.js";
import { neuralLearnerEntry, NEURAL_LEARNER_NAMES } from "./index.js";
import type { Diagnostics, NeuralLearner, Trainable } from "./learner.js";
import { CoinPolicy } from "./nets.js";
import { AgentReplayBuffer, type ReplayConfig, replaySchema } from "./replay.js";
import { concatViews, type CoinRollout, type RolloutSeat, rolloutNeuralCoin, seatView } from "./rollout.js";

/** Where a run's checkpoint lives (the run store, a file, memory in tests): one interface, experiments/types.ts. */
export type { CheckpointSink };

/** A seat: a neural learner with its options (the entry's schema fills the defaults), or a fixed league agent. */
export type CoinSeatSpec = { learner: string; config?: Record<string, unknown> } | { fixed: string };

export interface TrainCoinOptions {
  a: CoinSeatSpec;
  /** The other seat, or "self" for self-play (one learner in both seats). */
  b: CoinSeatSpec | "self";
  env?: Partial<CoinParams>;
  updates: number;
  /** Games per update (self-play: per seat pair; the learner sees 2·(1 − fraction)·batch + fraction·batch games). */
  batch: number;
  seed: number;
  /** Self-play only: play part of each batch against past snapshots. */
  replay?: Partial<ReplayConfig>;
  /** Save a checkpoint every this many updates (default 10; 0 = never). */
  checkpointEvery?: number;
  /** Evaluation: games and steps per game (the league's 16). */
  evalGames?: number;
  evalTurns?: number;
  /** Written into the agent files. */
  codeVersion?: string;
}

export interface TrainCoinHooks {
  checkpoint?: CheckpointSink;
  /** After each update: updates done, the total, the latest record. */
  onUpdate?(done: number, total: number, record: UpdateRecord): void;
}

/** One update's measurements. */
export interface UpdateRecord {
  rewards: [number, number];
  /** null when that seat picked up nothing. */
  ownCoin: [number | null, number | null];
  diagnostics: [Diagnostics, Diagnostics];
}

export interface CoinTrainResult {
  learner: string;
  seed: number;
  /** Seat a's final actor, as agent-file text. */
  agent: string;
  /** Seat b's final actor when b is a separate learner. */
  agentB?: string;
  opponent: string;
  updates: number;
  curves: {
    rewards: [number[], number[]];
    ownCoin: [(number | null)[], (number | null)[]];
    diagnostics: [Record<string, number[]>, Record<string, number[]>];
  };
  evaluation: Record<string, CoinMetrics>;
  /** Update index a resumed run started from (0 for a fresh run). */
  resumedFrom: number;
}

/** Random streams of the trainer (Rng.derive(seed, TRAIN_STREAM.x, update, …)). */
export const TRAIN_STREAM = {
  learner: 21,
  rollout: 22,
  replayRollout: 23,
  replaySample: 24,
  eval: 25,
} as const;

const CHECKPOINT_FORMAT = "shapelab-coin-checkpoint";

interface Seat {
  name: string;
  learner?: NeuralLearner;
  rollout: RolloutSeat;
}

function firstIssue(error: z.ZodError, field: string, schema: z.ZodType): InputError {
  const issue = error.issues[0];
  const path = [field, ...issue.path.map(String)].join(".");
  if (issue.code !== "unrecognized_keys") return new InputError(path, issue.message);
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  return new InputError(
    `${path}.${issue.keys[0]}`,
    `unknown option; allowed: ${Object.keys(shape).join(", ")}`,
  );
}

function makeSeat(spec: CoinSeatSpec, env: CoinGameEnv, seed: number, field: string): Seat {
  if ("fixed" in spec) {
    return { name: spec.fixed, rollout: { agent: fixedCoinAgent(spec.fixed, env, `${field}.fixed`) } };
  }
  const name = spec.learner;
  const entry = neuralLearnerEntry(name);
  if (entry === undefined) {
    throw new InputError(
      `${field}.learner`,
      `unknown learner "${name}"; allowed: ${NEURAL_LEARNER_NAMES.join(", ")} (or a fixed agent: ${FIXED_COIN_AGENTS.join(", ")})`,
    );
  }
  const parsed = entry.schema.safeParse(spec.config ?? {});
  if (!parsed.success) throw firstIssue(parsed.error, `${field}.config`, entry.schema);
  const learner = entry.create(parsed.data, { env, seed });
  return { name, learner, rollout: { policy: learner.policy } };
}

/** Adam's state, restored exactly: moments, step count, and the running products β^t it keeps privately. */
function restoreAdam(adam: Adam, t: number, m: Float32Array, v: Float32Array): void {
  const state = adam.state();
  state.m.set(m);
  state.v.set(v);
  adam.t = t;
  let b1 = 1;
  let b2 = 1;
  for (let k = 0; k < t; k++) {
    b1 *= adam.beta1;
    b2 *= adam.beta2;
  }
  // The products are private to src/nn/optim.ts (kept as step-by-step products there too, hence this loop).
  Object.assign(adam as unknown as { beta1Power: number; beta2Power: number }, {
    beta1Power: b1,
    beta2Power: b2,
  });
}

const f32ToText = (x: Float32Array) => encodeBase64(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
function textToF32(text: unknown, length: number, field: string): Float32Array {
  const bytes = typeof text === "string" ? decodeBase64(text) : undefined;
  if (bytes === undefined || bytes.length !== 4 * length) {
    throw new InputError(
      field,
      `not ${length} base64 float32 values (a damaged checkpoint: delete it to restart)`,
    );
  }
  return new Float32Array(bytes.buffer, bytes.byteOffset, length).slice();
}

function saveTrainables(list: readonly Trainable[]) {
  return list.map(({ name, net, optimizer }) => {
    const s = optimizer.state();
    return { name, params: f32ToText(net.params.values), m: f32ToText(s.m), v: f32ToText(s.v), t: s.t };
  });
}

function restoreTrainables(list: readonly Trainable[], saved: unknown, field: string): void {
  if (!Array.isArray(saved) || saved.length !== list.length)
    throw new InputError(field, "does not match the run");
  list.forEach(({ net, optimizer }, i) => {
    const s = saved[i] as Record<string, unknown>;
    const n = net.params.values.length;
    net.params.values.set(textToF32(s.params, n, `${field}[${i}].params`));
    restoreAdam(
      optimizer,
      Number(s.t),
      textToF32(s.m, n, `${field}[${i}].m`),
      textToF32(s.v, n, `${field}[${i}].v`),
    );
  });
}

/** Append one update's diagnostics to their curves, by name (a name first seen late is padded with NaN). */
function pushDiagnostics(curves: Record<string, number[]>, d: Diagnostics, index: number): void {
  for (const [key, value] of Object.entries(d)) {
    const curve = curves[key] ?? (curves[key] = []);
    while (curve.length < index) curve.push(Number.NaN); // a diagnostic that first appears late
    curve.push(value);
  }
}

function rolloutMetrics(rollout: CoinRollout): {
  rewards: [number, number];
  ownCoin: [number | null, number | null];
} {
  const acc = new CoinMetricsAccumulator();
  const { horizon: T, games } = rollout;
  const rewards = new Float64Array(2 * games);
  const pickups = new Uint8Array(2 * games);
  for (let t = 0; t < T; t++) {
    for (let g = 0; g < games; g++) {
      for (const i of [0, 1]) {
        rewards[2 * g + i] = rollout.seats[i].rewards[t * games + g];
        pickups[2 * g + i] = rollout.seats[i].pickups[t * games + g];
      }
    }
    acc.add(rewards, pickups);
  }
  const m = acc.result();
  return { rewards: m.rewards, ownCoin: m.ownCoin };
}

export function trainCoin(options: TrainCoinOptions, hooks: TrainCoinHooks = {}): CoinTrainResult {
  const { updates, batch, seed } = options;
  if (!Number.isInteger(updates) || updates < 1)
    throw new InputError("updates", `must be a positive integer, got ${updates}`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new InputError("batch", `must be a positive integer, got ${batch}`);
  const env = new CoinGameEnv(options.env ?? {});
  const selfPlay = options.b === "self";
  const seatA = makeSeat(options.a, env, hashSeed(seed, TRAIN_STREAM.learner, 0), "a");
  if (seatA.learner === undefined)
    throw new InputError("a", "must be a learner (a fixed agent does not train)");
  const seatB = selfPlay
    ? seatA
    : makeSeat(options.b as CoinSeatSpec, env, hashSeed(seed, TRAIN_STREAM.learner, 1), "b");
  if (options.replay !== undefined && !selfPlay) {
    throw new InputError(
      "replay",
      "needs self-play (b: self): the replayed opponents are the learner's past selves",
    );
  }
  const replayConfig = options.replay === undefined ? undefined : replaySchema.parse(options.replay);
  const replay = replayConfig === undefined ? undefined : new AgentReplayBuffer(replayConfig);
  const replayGames = replayConfig === undefined ? 0 : Math.round(replayConfig.fraction * batch);
  const selfGames = batch - replayGames;
  const pastSelf =
    replay === undefined
      ? undefined
      : new CoinPolicy(env.obsSize, seatA.learner.policy.net.architecture.hidden, env.nActions);
  const learners = [seatA.learner, selfPlay ? undefined : seatB.learner];
  // Opponent-aware learners (lola-dice) look through the other seat's network.
  if (selfPlay) seatA.learner.setOpponent?.(seatA.learner.policy, 0);
  else if (seatB.learner) {
    seatA.learner.setOpponent?.(seatB.learner.policy, 0);
    seatB.learner.setOpponent?.(seatA.learner.policy, 1);
  }
  const checkpointEvery = options.checkpointEvery ?? 10;
  const fingerprint = JSON.stringify({ ...options, codeVersion: undefined });

  const curves: CoinTrainResult["curves"] = { rewards: [[], []], ownCoin: [[], []], diagnostics: [{}, {}] };
  let start = 0;
  const saved = hooks.checkpoint?.load();
  if (saved !== undefined) {
    const doc = JSON.parse(saved);
    if (doc.format !== CHECKPOINT_FORMAT || doc.fingerprint !== fingerprint) {
      throw new InputError("checkpoint", "belongs to a different training config; clear it to start afresh");
    }
    learners.forEach((l, i) => {
      if (l) restoreTrainables(l.trainables(), doc.learners[i], `checkpoint.learners[${i}]`);
    });
    if (replay) replay.restore(doc.replay, seatA.learner.policy.net.params.values.length);
    Object.assign(curves, doc.curves);
    start = doc.update;
  }

  for (let u = start; u < updates; u++) {
    // --- rollout
    let record: UpdateRecord;
    if (selfPlay) {
      const learner = seatA.learner;
      // Self-play games (both seats' views), unless every game is against a past self (`fraction: 1`).
      const self =
        selfGames > 0
          ? rolloutNeuralCoin(env, [seatA.rollout, seatA.rollout], {
              games: selfGames,
              seed,
              keys: [TRAIN_STREAM.rollout, u],
            })
          : undefined;
      const views = self ? [seatView(self, 0), seatView(self, 1)] : [];
      let vsPast: CoinRollout | undefined;
      if (replay && pastSelf && replayGames > 0) {
        const opponent: RolloutSeat = replay.length > 0 ? { policy: pastSelf } : seatA.rollout; // nothing saved yet: play the current self
        if (replay.length > 0)
          pastSelf.net.params.values.set(replay.sample(Rng.derive(seed, TRAIN_STREAM.replaySample, u)));
        vsPast = rolloutNeuralCoin(env, [seatA.rollout, opponent], {
          games: replayGames,
          seed,
          keys: [TRAIN_STREAM.replayRollout, u],
        });
        views.push(seatView(vsPast, 0));
      }
      // --- update
      const d = learner.update(concatViews(views), u);
      const m = rolloutMetrics((self ?? vsPast) as CoinRollout); // the self-play games when there are any
      record = { rewards: m.rewards, ownCoin: m.ownCoin, diagnostics: [d, {}] };
      // --- replay snapshot
      if (replay && (u + 1) % replay.config.every === 0) replay.add(learner.policy.net.params.values);
    } else {
      const r = rolloutNeuralCoin(env, [seatA.rollout, seatB.rollout], {
        games: batch,
        seed,
        keys: [TRAIN_STREAM.rollout, u],
      });
      // --- update (simultaneous: both learn from the same games)
      const dA = seatA.learner.update(seatView(r, 0), u);
      const dB = seatB.learner?.update(seatView(r, 1), u) ?? {};
      const m = rolloutMetrics(r);
      record = { rewards: m.rewards, ownCoin: m.ownCoin, diagnostics: [dA, dB] };
    }
    // --- record
    for (const i of [0, 1] as const) {
      curves.rewards[i].push(record.rewards[i]);
      curves.ownCoin[i].push(record.ownCoin[i]);
      pushDiagnostics(curves.diagnostics[i], record.diagnostics[i], u);
    }
    // --- checkpoint
    if (hooks.checkpoint && checkpointEvery > 0 && (u + 1) % checkpointEvery === 0 && u + 1 < updates) {
      hooks.checkpoint.save(
        JSON.stringify({
          format: CHECKPOINT_FORMAT,
          formatVersion: 1,
          fingerprint,
          update: u + 1,
          learners: learners.map((l) => (l ? saveTrainables(l.trainables()) : null)),
          replay: replay?.toJSON() ?? [],
          curves,
        }),
      );
    }
    hooks.onUpdate?.(u + 1, updates, record);
  }

  // --- evaluate: the league's protocol, 16-step games
  const evalEnv = new CoinGameEnv({ ...(options.env ?? {}), episodeSteps: options.evalTurns ?? 16 });
  const games = options.evalGames ?? 512;
  const actorA = seatA.learner.policy.net;
  const agentA = () => neuralCoinAgent(actorA, evalEnv, seatA.name);
  const opponentB = selfPlay
    ? agentA()
    : seatB.learner
      ? neuralCoinAgent(seatB.learner.policy.net, evalEnv, seatB.name)
      : fixedCoinAgent((options.b as { fixed: string }).fixed, evalEnv);
  const evalSeed = hashSeed(seed, TRAIN_STREAM.eval);
  const evaluation: Record<string, CoinMetrics> = {
    opponent: playCoinMatch(evalEnv, agentA(), opponentB, { games, seed: evalSeed }),
    "always-defect": playCoinMatch(evalEnv, agentA(), fixedCoinAgent("always-defect", evalEnv), {
      games,
      seed: evalSeed,
    }),
    "always-cooperate": playCoinMatch(evalEnv, agentA(), fixedCoinAgent("always-cooperate", evalEnv), {
      games,
      seed: evalSeed,
    }),
  };
  hooks.checkpoint?.clear();
  const version = options.codeVersion ?? "unknown";
  const agentConfig = { env: env.params, learner: options.a, seed };
  return {
    learner: seatA.name,
    seed,
    agent: saveNetwork(seatA.learner.policy.net, agentConfig, version),
    agentB:
      !selfPlay && seatB.learner
        ? saveNetwork(seatB.learner.policy.net, { ...agentConfig, learner: options.b }, version)
        : undefined,
    opponent: selfPlay ? "self" : seatB.name,
    updates,
    curves,
    evaluation,
    resumedFrom: start,
  };
}
