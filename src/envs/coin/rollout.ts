/**
 * Coin Game trajectories for learners: one episode of every game in a batch, recorded time-major as CleanRL's
 * `[num_steps, num_envs]` buffers (src/envs/rollout.ts does the same for the iterated games). Index
 * `(t·batch + g)·2 + i` for game g, agent i at step t.
 *
 * The loop is `playCoinMatch`'s (src/envs/coin/match.ts), on the same streams, so a match and a rollout with the
 * same seed see the same games; here the observations each agent acted on are kept as well.
 */
import { Rng } from "../../util/rng.js";
import { AGENTS, type CoinGameEnv } from "./coinGame.js";
import type { CoinAgent } from "./fixedAgents.js";
import { COIN_STREAM } from "./match.js";

export interface CoinTrajectories {
  readonly horizon: number;
  readonly batch: number;
  readonly obsSize: number;
  /** What each agent saw before acting, `[T, batch, 2, 4·H·W]`. */
  readonly obs: Float32Array;
  /** `[T, batch, 2]`. */
  readonly actions: Uint8Array;
  /** `[T, batch, 2]`. */
  readonly rewards: Float64Array;
  /** PICKED_OWN | PICKED_OTHER bits, `[T, batch, 2]`. */
  readonly pickups: Uint8Array;
}

export function rolloutCoin(
  env: CoinGameEnv,
  a: CoinAgent,
  b: CoinAgent,
  options: { games: number; seed: number; keys?: readonly number[] },
): CoinTrajectories {
  const { games: batch, seed } = options;
  const keys = options.keys ?? [];
  const T = env.params.episodeSteps;
  const F = env.obsSize;
  const envRng = Rng.derive(seed, ...keys, COIN_STREAM.env);
  const rngA = Rng.derive(seed, ...keys, COIN_STREAM.seatA);
  const rngB = Rng.derive(seed, ...keys, COIN_STREAM.seatB);
  const { state } = env.reset(envRng, batch);
  a.reset?.(batch);
  b.reset?.(batch);
  const per = AGENTS * batch;
  const obs = new Float32Array(T * per * F);
  const actions = new Uint8Array(T * per);
  const rewards = new Float64Array(T * per);
  const pickups = new Uint8Array(T * per);
  for (let t = 0; t < T; t++) {
    env.observeInto(state, obs.subarray(t * per * F, (t + 1) * per * F));
    const act = actions.subarray(t * per, (t + 1) * per);
    a.act(state, 0, rngA, act);
    b.act(state, 1, rngB, act);
    env.stepInto(state, act, envRng, {
      rewards: rewards.subarray(t * per, (t + 1) * per),
      pickups: pickups.subarray(t * per, (t + 1) * per),
    });
  }
  return { horizon: T, batch, obsSize: F, obs, actions, rewards, pickups };
}
