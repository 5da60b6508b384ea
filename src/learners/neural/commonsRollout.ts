/**
 * Episodes of a batch of Commons Harvest games (src/envs/commons) with N seats, recorded for the neural learners
 * in the Coin Game's layout (rollout.ts): one `SeatTrajectory` per agent, time-major [T, games], row = t·games + g.
 *
 * A seat is a policy network or a fixed agent (greedy, greedy-zapper, sustainable, random). Seats that hold the
 * same policy object are one parameter-shared population: each step runs ONE forward over all of their
 * (seat, game) columns, each column with its own GRU state (h_0 = 0), and samples each column's action by
 * inversion with that seat's stream (rollout.ts's `sampleByInversion`, one uniform per game). This is how the AA
 * Melting Pot code plays: one network, self-play across the 7 avatars.
 *
 * What a learner sees (`commonsLearnerViews`): for each seat i it controls, a `SeatView` whose `own` record is
 * agent i's, and whose `opponent` record is agent i's own observations with the OTHERS' summed reward
 *
 *   r^others_{i,t} = Σ_{j≠i} r^j_t
 *
 * so the unchanged learners read it as
 *   ppo      own rewards only;
 *   ppo-sum  own + opponent = Σ_j r^j_t, the group reward (the AA code's `sum_rewards`);
 *   paa      its opponent critic becomes the SHARED critic: one critic per agent (one in all, the parameters
 *            being shared) of Σ_{j≠i} r^j on agent i's view, whose GAE advantage stands for Σ_{j≠i} A^j_t
 *            (exactly that sum when its value equals Σ_{j≠i} V^j, since δ and GAE are linear in r and V).
 * The views of all controlled seats are put side by side along the games axis (rollout.ts's `concatViews`), as
 * self-play does for the two Coin Game seats.
 *
 * Random streams: the env's (resets, move order, regrowth, respawns), and one per seat (Rng.derive(seed, …keys,
 * COMMONS_STREAM.seat, i)). Games are played to their end with `autoReset` off, so the episode metrics
 * (src/envs/commons/metrics.ts) and the last frame read the final state.
 */
import type { CommonsAgent } from "../../envs/commons/fixedAgents.js";
import type { CommonsHarvestEnv, CommonsState } from "../../envs/commons/env.js";
import { type EpisodeMetrics, EpisodeRecorder } from "../../envs/commons/metrics.js";
import { CategoricalHead } from "../../nn/heads.js";
import { Rng } from "../../util/rng.js";
import type { CoinPolicy } from "./nets.js";
import {
  concatViews,
  emptySeatTrajectory,
  type SeatTrajectory,
  type SeatView,
  sampleByInversion,
} from "./rollout.js";

export const COMMONS_STREAM = { env: 1, seat: 2 } as const;
/** The trainer's streams (trainCommons.ts), here so that the explorer can replay an evaluation game without it. */
export const COMMONS_TRAIN_STREAM = { learner: 31, rollout: 32, eval: 33 } as const;

export type CommonsSeat = { policy: CoinPolicy } | { agent: CommonsAgent };

/** One game's state after a step (or at the start): what the frame strip and the explorer replay draw. */
export interface CommonsFrame {
  /** '1' where apple a is live, in the map's apple order. */
  apples: string;
  /** Cell of each agent (−1 while removed) and its facing (0 north … 3 west). */
  position: number[];
  facing: number[];
  rewards: number[];
}

export interface CommonsRollout {
  readonly horizon: number;
  readonly games: number;
  readonly obsSize: number;
  readonly episodeSteps: number;
  /** One record per agent, [T, games]. */
  readonly seats: readonly SeatTrajectory[];
  /** Each game's episode metrics (returns, utilitarian, equality, sustainability, peace, apples, patches). */
  readonly episodes: readonly EpisodeMetrics[];
  /** Game 0's frames, t = 0 (the start) … T, when asked for. */
  readonly frames?: CommonsFrame[];
}

/** A policy population's per-step buffers over its m·games columns. */
interface Population {
  readonly policy: CoinPolicy;
  readonly seats: readonly number[];
  readonly ws: ReturnType<CoinPolicy["net"]["workspace"]>;
  readonly head: CategoricalHead;
  readonly x: Float32Array;
}

function frameOf(env: CommonsHarvestEnv, state: CommonsState, rewards: Float64Array | null): CommonsFrame {
  const n = env.params.players;
  const apples = env.map.appleCells.length;
  let text = "";
  for (let a = 0; a < apples; a++) text += state.apples[a] ? "1" : "0";
  return {
    apples: text,
    position: Array.from(state.position.subarray(0, n)),
    facing: Array.from(state.facing.subarray(0, n)),
    rewards: rewards === null ? new Array(n).fill(0) : Array.from(rewards.subarray(0, n)),
  };
}

/** Play one episode of `games` fresh games with `seats` (one per agent) and record every seat. */
export function rolloutCommons(
  env: CommonsHarvestEnv,
  seats: readonly CommonsSeat[],
  options: { games: number; seed: number; keys?: readonly number[]; frames?: boolean },
): CommonsRollout {
  const { games, seed } = options;
  const keys = options.keys ?? [];
  const n = env.params.players;
  if (seats.length !== n) throw new RangeError(`rolloutCommons: ${seats.length} seats for ${n} players`);
  const T = env.params.episodeSteps;
  const F = env.obsSize;
  const envRng = Rng.derive(seed, ...keys, COMMONS_STREAM.env);
  const seatRngs = seats.map((_, i) => Rng.derive(seed, ...keys, COMMONS_STREAM.seat, i));
  const state = env.reset(envRng, games);
  const records = seats.map(() => emptySeatTrajectory(T, games, F));
  // Seats sharing a policy object form one population, run by one forward per step.
  const members = new Map<CoinPolicy, number[]>();
  seats.forEach((seat, i) => {
    if ("policy" in seat) members.set(seat.policy, [...(members.get(seat.policy) ?? []), i]);
  });
  const ready: Population[] = [...members].map(([policy, list]) => {
    const columns = list.length * games;
    const ws = policy.net.workspace(1, columns);
    ws.gru.hs.fill(0); // h_0 = 0 for fresh games
    const head = new CategoricalHead(policy.actions, columns);
    return { policy, seats: list, ws, head, x: new Float32Array(columns * F) };
  });
  const recorders = Array.from({ length: games }, (_, g) => new EpisodeRecorder(env, g));
  const actions = new Uint8Array(games * n);
  const rewards = new Float64Array(games * n);
  const done = new Uint8Array(games);
  const frames = options.frames ? [frameOf(env, state, null)] : undefined;
  for (let t = 0; t < T; t++) {
    const row = t * games;
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < games; g++) {
        env.observeInto(state, g, i, records[i].obs.subarray((row + g) * F, (row + g + 1) * F));
      }
      const seat = seats[i];
      if ("agent" in seat)
        for (let g = 0; g < games; g++) actions[g * n + i] = seat.agent.act(state, g, i, seatRngs[i]);
    }
    for (const p of ready) {
      const { policy, ws, head, x } = p;
      p.seats.forEach((i, m) => {
        x.set(records[i].obs.subarray(row * F, (row + games) * F), m * games * F);
      });
      const columns = p.seats.length * games;
      const logits = policy.net.forward(x, ws);
      head.forward(logits, columns);
      const H = columns * policy.net.architecture.hidden;
      ws.gru.hs.copyWithin(0, H, 2 * H); // h_1 of this step is the next step's h_0
      const A = policy.actions;
      p.seats.forEach((i, m) => {
        for (let g = 0; g < games; g++) {
          const column = m * games + g;
          const choice = sampleByInversion(head.probs, column * A, A, seatRngs[i].uniform());
          actions[g * n + i] = choice;
          records[i].logProbs[row + g] = head.logProbs[column * A + choice];
        }
      });
    }
    env.stepInto(state, actions, envRng, rewards, done, false);
    for (let g = 0; g < games; g++) {
      recorders[g].record(state, rewards);
      for (let i = 0; i < n; i++) {
        records[i].actions[row + g] = actions[g * n + i];
        records[i].rewards[row + g] = rewards[g * n + i];
      }
    }
    frames?.push(frameOf(env, state, rewards));
  }
  return {
    horizon: T,
    games,
    obsSize: F,
    episodeSteps: T,
    seats: records,
    episodes: recorders.map((r) => r.metrics()),
    frames,
  };
}

/** Seat i's view for a learner: its own record, and its own observations with the others' summed reward. */
export function sharedCriticView(rollout: CommonsRollout, i: number): SeatView {
  const { horizon, games, obsSize, episodeSteps, seats } = rollout;
  const own = seats[i];
  const others = new Float64Array(horizon * games);
  seats.forEach((seat, j) => {
    if (j === i) return;
    for (let r = 0; r < others.length; r++) others[r] += seat.rewards[r];
  });
  return {
    horizon,
    games,
    obsSize,
    episodeSteps,
    own,
    opponent: { ...own, rewards: others },
  };
}

/** The views of every seat a parameter-shared learner controls, side by side along the games axis. */
export function commonsLearnerViews(rollout: CommonsRollout, controlled: readonly number[]): SeatView {
  return concatViews(controlled.map((i) => sharedCriticView(rollout, i)));
}
