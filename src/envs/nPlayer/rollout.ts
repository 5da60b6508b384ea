/**
 * Sampled play of N tabular memory-one policies in the batched N-player dilemma (./env.ts): the one rollout loop
 * the N-player learners and tournaments share (the N-player counterpart of src/envs/rollout.ts).
 *
 * Policies: `pC` holds cooperation probabilities `[groups, N agents, S own-view states]`; game g is played by
 * group ⌊g / gamesPerGroup⌋ (one group per seed, or per tournament line-up), and group k draws only from
 * `rngs[k]`, so a group's play does not depend on how many others share the batch. Draw order: for each step,
 * game by game, agent 0 to N − 1, one uniform each (a = C when u < p_C).
 *
 * Trajectories are time-major, `i = (t·batch + g)·N + agent`: `actions` and `rewards` `[T, batch, N]`, and
 * `obs` `[T + 1, batch, N]`: the state each agent acted in at t = 0..T − 1 plus the state after the last step
 * (so every step has its successor state and critics bootstrap at the truncation, as in the two-player engine).
 */
import type { Rng } from "../../util/rng.js";
import { type NPlayerIteratedEnv, START_STATE } from "./env.js";

export interface NPlayerTrajectories {
  readonly horizon: number;
  readonly batch: number;
  readonly players: number;
  /** Own-view states per agent. */
  readonly states: number;
  /** `[T + 1, batch, N]`. */
  readonly obs: Int32Array;
  /** 0 = C, 1 = D, `[T, batch, N]`. */
  readonly actions: Uint8Array;
  /** `[T, batch, N]`. */
  readonly rewards: Float64Array;
}

/** Buffers for repeated rollouts of one shape (allocated once; `rolloutNPlayer` overwrites them). */
export function allocateNPlayerTrajectories(env: NPlayerIteratedEnv, batch: number): NPlayerTrajectories {
  const T = env.horizon;
  const n = env.players;
  return {
    horizon: T,
    batch,
    players: n,
    states: env.states,
    obs: new Int32Array((T + 1) * batch * n),
    actions: new Uint8Array(T * batch * n),
    rewards: new Float64Array(T * batch * n),
  };
}

/** Roll out `pC` (`[groups, N, S]`) for `env.horizon` steps into `out` (from `allocateNPlayerTrajectories`). */
export function rolloutNPlayer(
  env: NPlayerIteratedEnv,
  pC: Float64Array,
  gamesPerGroup: number,
  rngs: readonly Rng[],
  out: NPlayerTrajectories = allocateNPlayerTrajectories(env, rngs.length * gamesPerGroup),
): NPlayerTrajectories {
  const n = env.players;
  const S = env.states;
  const groups = pC.length / (n * S);
  if (!Number.isInteger(groups) || groups !== rngs.length) {
    throw new RangeError(
      `pC holds ${pC.length / (n * S)} groups of [N, S]; expected ${rngs.length} (one per rng)`,
    );
  }
  const batch = groups * gamesPerGroup;
  if (out.batch !== batch || out.players !== n || out.horizon !== env.horizon) {
    throw new RangeError("trajectory buffers do not match this env and batch");
  }
  const { obs, actions, rewards } = out;
  const row = batch * n;
  obs.fill(START_STATE, 0, row); // every game starts in the start state (env.reset's obs)
  for (let t = 0; t < env.horizon; t++) {
    const at = t * row;
    for (let k = 0, g = 0; k < groups; k++) {
      const draw = rngs[k];
      const policy = k * n * S;
      for (const end = g + gamesPerGroup; g < end; g++) {
        const i0 = at + g * n;
        for (let i = 0; i < n; i++) {
          actions[i0 + i] = draw.uniform() < pC[policy + i * S + obs[i0 + i]] ? 0 : 1;
        }
      }
    }
    env.transitionInto(batch, actions, at, obs, at + row, rewards, at);
  }
  return out;
}
