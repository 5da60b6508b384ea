/**
 * A batched iterated 2x2 game, in the functional style of gymnax/JaxMARL: `reset(rng, batch)` and
 * `step(state, actions, rng)` return plain typed-array data, so one call advances many games and the state can
 * cross a worker boundary.
 *
 * Layout: every array is `[batch, agents, …]`; with 2 agents, game g / agent i sits at `2*g + i`.
 * - actions: 0 = C, 1 = D.
 * - obs: each agent's memory-one state in its OWN view, 0 = start, 1 = CC, 2 = CD, 3 = DC, 4 = DD
 *   (own previous action first), the same indexing as a tabular policy's 5 logits.
 * - Every game has the same horizon, so `done` is one flag for the whole batch. When a step ends the episode,
 *   the returned state and obs are already reset (auto-reset in one place), and `info.terminalObs` keeps the
 *   last observation.
 */
import { jointIndex, type MatrixGame, swapView } from "../games/game.js";
import type { Rng } from "../util/rng.js";

export interface IteratedState {
  /** Steps taken in the current episode (the same for every game). */
  readonly t: number;
  /** Previous joint action per game from agent 1's view (0..3), or −1 at the start. */
  readonly lastJoint: Int8Array;
}

export interface StepResult {
  state: IteratedState;
  obs: Uint8Array;
  /** Per-agent rewards, `[batch, 2]`. */
  rewards: Float64Array;
  done: boolean;
  info: { terminalObs?: Uint8Array };
}

export class IteratedGameEnv {
  constructor(
    readonly game: MatrixGame,
    /** Episode length T. */
    readonly horizon: number,
  ) {
    if (!Number.isInteger(horizon) || horizon < 1)
      throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  }

  // The rng parameter keeps the API uniform with stochastic environments; this reset draws nothing.
  reset(_rng: Rng | undefined, batch: number): { state: IteratedState; obs: Uint8Array } {
    const lastJoint = new Int8Array(batch).fill(-1);
    return { state: { t: 0, lastJoint }, obs: new Uint8Array(2 * batch) };
  }

  step(state: IteratedState, actions: Uint8Array, _rng?: Rng): StepResult {
    const batch = state.lastJoint.length;
    const rewards = new Float64Array(2 * batch);
    const lastJoint = new Int8Array(batch);
    const obs = new Uint8Array(2 * batch);
    this.transitionInto(actions, lastJoint, obs, rewards, 0);
    const t = state.t + 1;
    if (t < this.horizon) return { state: { t, lastJoint }, obs, rewards, done: false, info: {} };
    const reset = this.reset(undefined, batch);
    return { state: reset.state, obs: reset.obs, rewards, done: true, info: { terminalObs: obs } };
  }

  /**
   * The transition of `step` written into caller-owned buffers, without allocating: joint actions into
   * `lastJoint` (`[batch]`), next own-view observations into `obs` (`[batch, 2]`) and rewards into `rewards` at
   * `rewardOffset + 2·g + i` (so a rollout can write straight into its `[T, batch, 2]` array). No episode
   * bookkeeping: the caller counts steps (hot loops such as src/envs/rollout.ts run exactly `horizon` steps).
   */
  transitionInto(
    actions: Uint8Array,
    lastJoint: Int8Array,
    obs: Uint8Array,
    rewards: Float64Array,
    rewardOffset: number,
  ): void {
    const { r1, r2 } = this.game;
    const batch = lastJoint.length;
    for (let g = 0; g < batch; g++) {
      const j = jointIndex(actions[2 * g], actions[2 * g + 1]);
      lastJoint[g] = j;
      rewards[rewardOffset + 2 * g] = r1[j];
      rewards[rewardOffset + 2 * g + 1] = r2[j];
      obs[2 * g] = 1 + j;
      obs[2 * g + 1] = 1 + swapView(j);
    }
  }
}
