/**
 * One episode of a batch of Coin Games with neural seats, recorded for the learners as CleanRL's
 * `[num_steps, num_envs]` buffers: every per-step array is time-major [T, games, …], row i = t·games + g.
 *
 * A seat is a policy network (its log-probabilities are recorded: PPO's old log π) or a fixed `CoinAgent`
 * (always-defect, …; log-probs left at 0). Both seats' observations and rewards are kept whatever the seats are,
 * because Advantage Alignment fits a critic on the OPPONENT's view and rewards.
 *
 * A policy seat samples a ~ π(·|o_≤t) by inversion, one `rng.uniform()` per game: the first a with
 * u < Σ_{b ≤ a} π_b. h_0 = 0 for every game; the GRU state is carried from step to step, per seat (in
 * self-play both seats run the same network, each with its own state).
 *
 * Random streams (src/envs/coin/match.ts's COIN_STREAM, so a rollout and a match of the same seed and keys see
 * the same games): the env's resets and respawns, seat a's draws, seat b's draws.
 */
import { AGENTS, type CoinGameEnv } from "../../envs/coin/coinGame.js";
import type { CoinAgent } from "../../envs/coin/fixedAgents.js";
import { COIN_STREAM } from "../../envs/coin/match.js";
import { Rng } from "../../util/rng.js";
import { CategoricalHead } from "../../nn/heads.js";
import type { RecurrentWorkspace } from "../../nn/recurrent.js";
import type { CoinPolicy } from "./nets.js";

/** One seat's record of an episode, [T, games]. */
export interface SeatTrajectory {
  /** What the seat saw before acting, [T, games, F]. */
  readonly obs: Float32Array;
  readonly actions: Uint8Array;
  /** log π(a_t | o_≤t) under the acting policy (0 for a fixed agent). */
  readonly logProbs: Float32Array;
  readonly rewards: Float64Array;
  /** PICKED_OWN | PICKED_OTHER bits (src/envs/coin/coinGame.ts). */
  readonly pickups: Uint8Array;
}

/** A batch of whole games seen from one learning seat: its own record and its opponent's. */
export interface SeatView {
  readonly horizon: number;
  readonly games: number;
  readonly obsSize: number;
  /** The env's episode length (the critics' time scale t/T). */
  readonly episodeSteps: number;
  readonly own: SeatTrajectory;
  readonly opponent: SeatTrajectory;
}

export type RolloutSeat = { policy: CoinPolicy } | { agent: CoinAgent };

export interface CoinRollout {
  readonly horizon: number;
  readonly games: number;
  readonly obsSize: number;
  readonly episodeSteps: number;
  readonly seats: readonly [SeatTrajectory, SeatTrajectory];
}

export function emptySeatTrajectory(steps: number, games: number, obsSize: number): SeatTrajectory {
  const rows = steps * games;
  return {
    obs: new Float32Array(rows * obsSize),
    actions: new Uint8Array(rows),
    logProbs: new Float32Array(rows),
    rewards: new Float64Array(rows),
    pickups: new Uint8Array(rows),
  };
}

/** Seat `seat`'s view of a rollout: its own record and its opponent's. */
export function seatView(rollout: CoinRollout, seat: 0 | 1): SeatView {
  const { horizon, games, obsSize, episodeSteps } = rollout;
  return {
    horizon,
    games,
    obsSize,
    episodeSteps,
    own: rollout.seats[seat],
    opponent: rollout.seats[1 - seat],
  };
}

/** Several views of the same horizon side by side along the games axis (self-play learns from both seats). */
export function concatViews(views: readonly SeatView[]): SeatView {
  if (views.length === 1) return views[0];
  const { horizon: T, obsSize: F, episodeSteps } = views[0];
  const games = views.reduce((n, v) => n + v.games, 0);
  const join = (pick: (v: SeatView) => SeatTrajectory): SeatTrajectory => {
    const out = emptySeatTrajectory(T, games, F);
    let g0 = 0;
    for (const v of views) {
      const src = pick(v);
      for (let t = 0; t < T; t++) {
        const from = t * v.games;
        const to = t * games + g0;
        out.obs.set(src.obs.subarray(from * F, (from + v.games) * F), to * F);
        out.actions.set(src.actions.subarray(from, from + v.games), to);
        out.logProbs.set(src.logProbs.subarray(from, from + v.games), to);
        out.rewards.set(src.rewards.subarray(from, from + v.games), to);
        out.pickups.set(src.pickups.subarray(from, from + v.games), to);
      }
      g0 += v.games;
    }
    return out;
  };
  return {
    horizon: T,
    games,
    obsSize: F,
    episodeSteps,
    own: join((v) => v.own),
    opponent: join((v) => v.opponent),
  };
}

/** One policy seat's per-step buffers: its own GRU state (two seats of one policy must not share it). */
interface StepBuffers {
  readonly ws: RecurrentWorkspace;
  readonly head: CategoricalHead;
}

function stepBuffers(policy: CoinPolicy, games: number): StepBuffers {
  const ws = policy.net.workspace(1, games);
  ws.gru.hs.fill(0); // h_0 = 0 for fresh games
  return { ws, head: new CategoricalHead(policy.actions, games) };
}

/** The first a with u < Σ_{b ≤ a} π_b over probs[offset … offset + A) (A − 1 if rounding leaves u above all). */
export function sampleByInversion(probs: Float32Array, offset: number, A: number, u: number): number {
  for (let a = 0; a < A - 1; a++) {
    u -= probs[offset + a];
    if (u < 0) return a;
  }
  return A - 1;
}

/** Sample one action per game from a policy's next step, recording log π(a). */
function policyStep(
  policy: CoinPolicy,
  buffers: StepBuffers,
  x: Float32Array,
  games: number,
  rng: Rng,
  actions: Uint8Array,
  seat: 0 | 1,
  logProbs: Float32Array,
): void {
  const { ws, head } = buffers;
  const logits = policy.net.forward(x, ws);
  head.forward(logits, games);
  // h_1 of this step is the next step's h_0.
  const H = games * policy.net.architecture.hidden;
  ws.gru.hs.copyWithin(0, H, 2 * H);
  const A = policy.actions;
  for (let g = 0; g < games; g++) {
    const choice = sampleByInversion(head.probs, g * A, A, rng.uniform());
    actions[AGENTS * g + seat] = choice;
    logProbs[g] = head.logProbs[g * A + choice];
  }
}

/** Play one episode of `games` fresh games between two seats and record both. */
export function rolloutNeuralCoin(
  env: CoinGameEnv,
  seats: readonly [RolloutSeat, RolloutSeat],
  options: { games: number; seed: number; keys?: readonly number[] },
): CoinRollout {
  const { games, seed } = options;
  const keys = options.keys ?? [];
  const T = env.params.episodeSteps;
  const F = env.obsSize;
  const envRng = Rng.derive(seed, ...keys, COIN_STREAM.env);
  const seatRngs = [
    Rng.derive(seed, ...keys, COIN_STREAM.seatA),
    Rng.derive(seed, ...keys, COIN_STREAM.seatB),
  ];
  const { state } = env.reset(envRng, games);
  const records = [emptySeatTrajectory(T, games, F), emptySeatTrajectory(T, games, F)] as const;
  const buffers = seats.map((seat) => {
    if ("policy" in seat) return stepBuffers(seat.policy, games);
    seat.agent.reset?.(games);
    return undefined;
  });
  const joint = new Uint8Array(AGENTS * games);
  const out = { rewards: new Float64Array(AGENTS * games), pickups: new Uint8Array(AGENTS * games) };
  for (let t = 0; t < T; t++) {
    const row = t * games;
    for (const i of [0, 1] as const) {
      const x = records[i].obs.subarray(row * F, (row + games) * F);
      env.observeAgentInto(state, i, x);
      const seat = seats[i];
      if ("policy" in seat) {
        policyStep(
          seat.policy,
          buffers[i] as StepBuffers,
          x,
          games,
          seatRngs[i],
          joint,
          i,
          records[i].logProbs.subarray(row, row + games),
        );
      } else {
        seat.agent.act(state, i, seatRngs[i], joint);
      }
    }
    env.stepInto(state, joint, envRng, out);
    for (let g = 0; g < games; g++) {
      for (const i of [0, 1] as const) {
        records[i].actions[row + g] = joint[AGENTS * g + i];
        records[i].rewards[row + g] = out.rewards[AGENTS * g + i];
        records[i].pickups[row + g] = out.pickups[AGENTS * g + i];
      }
    }
  }
  return { horizon: T, games, obsSize: F, episodeSteps: T, seats: records };
}
