/**
 * A Coin Game match: `games` games of one episode each (`episodeSteps` steps), all in one batch, between two
 * `CoinAgent`s, with the league's metrics (src/envs/coin/metrics.ts). This is the AA league's evaluation protocol
 * (`league/run_league.py::eval_agents`: a batch of fresh games, both seats act every step, per-step means).
 *
 * Random streams, each derived from the seed and its own key, so one agent's draws never shift another's:
 * the env (resets and respawns), seat a, seat b.
 */
import { Rng } from "../../util/rng.js";
import type { CoinGameEnv } from "./coinGame.js";
import type { CoinAgent } from "./fixedAgents.js";
import { CoinMetricsAccumulator, type CoinMetrics } from "./metrics.js";

export const COIN_STREAM = { env: 0, seatA: 1, seatB: 2 } as const;

export interface CoinMatchResult extends CoinMetrics {
  env: "coin";
  names: [string, string];
  games: number;
  turns: number;
  seed: number;
}

export function playCoinMatch(
  env: CoinGameEnv,
  a: CoinAgent,
  b: CoinAgent,
  /** `keys` name the match inside a larger run (a tournament's pair i, j): streams are (seed, ...keys, stream). */
  options: { games: number; seed: number; keys?: readonly number[] },
): CoinMatchResult {
  const { games, seed } = options;
  const keys = options.keys ?? [];
  if (!Number.isInteger(games) || games < 1)
    throw new RangeError(`games must be a positive integer, got ${games}`);
  const envRng = Rng.derive(seed, ...keys, COIN_STREAM.env);
  const rngA = Rng.derive(seed, ...keys, COIN_STREAM.seatA);
  const rngB = Rng.derive(seed, ...keys, COIN_STREAM.seatB);
  const { state } = env.reset(envRng, games);
  a.reset?.(games);
  b.reset?.(games);
  // The env's own buffers: in its WebAssembly memory for large batches, so nothing is copied per step.
  const out = env.stepBuffers(state);
  const { actions } = out;
  const metrics = new CoinMetricsAccumulator();
  const turns = env.params.episodeSteps;
  for (let t = 0; t < turns; t++) {
    a.act(state, 0, rngA, actions);
    b.act(state, 1, rngB, actions);
    env.stepInto(state, actions, envRng, out);
    metrics.add(out.rewards, out.pickups);
  }
  return { env: "coin", names: [a.name, b.name], games, turns, seed, ...metrics.result() };
}
