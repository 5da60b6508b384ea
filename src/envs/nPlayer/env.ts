/**
 * A batched iterated N-player dilemma (src/games/nPlayer.ts), in the functional style of src/envs/iterated.ts:
 * `reset(rng, batch)` and `step(state, actions, rng)` on plain typed arrays, plus the allocation-free
 * `transitionInto` the rollout (./rollout.ts) calls.
 *
 * Rule (pax's `iterated_tensor_game_n_player`): with k = Σ_i a_i defectors (a = 0 C, 1 D),
 *     r_i = cooperate[k] if a_i = C,   defect[k − 1] if a_i = D.
 *
 * Layout: every array is `[batch, N]` (game g, agent i at `g·N + i`); actions are 0 = C, 1 = D.
 * Observations are memory-one states from each agent's own view, in one of two encodings (`view`):
 *   state 0 = start, state 1 + c = "the last step had code c", where the code c of a step for agent i is
 * - `full`:  the joint action rotated to i's own view and read as a binary number, own action the most
 *            significant bit (pax's order): c ∈ [0, 2^N), 2^N + 1 states. Exact, but exponential in N
 *            (at most MAX_FULL_VIEW_PLAYERS).
 * - `count`: own action and m_i, the number of OTHER defectors: c = a_i·N + m_i ∈ [0, 2N), 2N + 1 states.
 *            The payoff of a step depends only on (a_i, k), so this keeps everything the reward depends on and
 *            forgets who defected; it is the tabular analogue of a mean-field observation (Yang et al. 2018).
 * For N = 2 both encodings are the two-player convention (0 start, 1 CC, 2 CD, 3 DC, 4 DD, own action first).
 * pax puts the start state last (index 2^N); src/exact/nPlayer.ts follows pax, and the test maps between them.
 *
 * Every game has the same horizon, so `done` is one flag for the batch; the state after a finishing step is
 * already reset (auto-reset in one place, `step`), and `info.terminalObs` keeps the last observation.
 */
import { MAX_PLAYERS, type NPlayerGame } from "../../games/nPlayer.js";
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";

export const N_PLAYER_VIEWS = ["full", "count"] as const;
export type NPlayerView = (typeof N_PLAYER_VIEWS)[number];
/** The most players the `full` view is built for (2^N + 1 states per agent). */
export const MAX_FULL_VIEW_PLAYERS = 12;
/** Index of the start state in both views. */
export const START_STATE = 0;

/** Number of distinct step codes c (state = 1 + c): 2^N for `full`, 2N for `count`. */
export function stepCodeCount(view: NPlayerView, players: number): number {
  return view === "full" ? 2 ** players : 2 * players;
}

/** Number of own-view states per agent: 1 + the step codes. */
export function viewStateCount(view: NPlayerView, players: number): number {
  return 1 + stepCodeCount(view, players);
}

/** The count-view step code of an agent that took `own` (0/1) while `otherDefectors` others defected. */
export function countCode(own: number, otherDefectors: number, players: number): number {
  return own * players + otherDefectors;
}

export interface NPlayerState {
  /** Steps taken in the current episode (the same for every game). */
  readonly t: number;
}

export interface NPlayerStepResult {
  state: NPlayerState;
  /** Own-view states `[batch, N]`. */
  obs: Int32Array;
  /** Rewards `[batch, N]`. */
  rewards: Float64Array;
  done: boolean;
  info: { terminalObs?: Int32Array };
}

export class NPlayerIteratedEnv {
  readonly players: number;
  /** Own-view states per agent (1 + step codes). */
  readonly states: number;
  /** Reward of a cooperator / defector by total defectors k = 0..N (entries that cannot happen are 0). */
  private readonly rewardC: Float64Array;
  private readonly rewardD: Float64Array;

  constructor(
    readonly game: NPlayerGame,
    /** Episode length T. */
    readonly horizon: number,
    readonly view: NPlayerView = "count",
  ) {
    const n = game.players;
    if (!Number.isInteger(n) || n < 2 || n > MAX_PLAYERS) {
      throw new InputError("players", `must be an integer in [2, ${MAX_PLAYERS}], got ${n}`);
    }
    if (!(N_PLAYER_VIEWS as readonly string[]).includes(view)) {
      throw new InputError("view", `must be one of ${N_PLAYER_VIEWS.join(", ")}, got ${view}`);
    }
    if (view === "full" && n > MAX_FULL_VIEW_PLAYERS) {
      throw new InputError(
        "view",
        `full needs 2^N + 1 states; at most ${MAX_FULL_VIEW_PLAYERS} players, got ${n} (use view: count)`,
      );
    }
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > 1_000_000) {
      throw new InputError("horizon", `must be an integer in [1, 1000000], got ${horizon}`);
    }
    this.players = n;
    this.states = viewStateCount(view, n);
    this.rewardC = new Float64Array(n + 1);
    this.rewardD = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) this.rewardC[k] = game.cooperate[k];
    for (let k = 1; k <= n; k++) this.rewardD[k] = game.defect[k - 1];
  }

  // The rng parameter keeps the API uniform with stochastic environments; this reset draws nothing.
  reset(_rng: Rng | undefined, batch: number): { state: NPlayerState; obs: Int32Array } {
    return { state: { t: 0 }, obs: new Int32Array(batch * this.players).fill(START_STATE) };
  }

  step(state: NPlayerState, actions: Uint8Array, _rng?: Rng): NPlayerStepResult {
    const batch = actions.length / this.players;
    const obs = new Int32Array(batch * this.players);
    const rewards = new Float64Array(batch * this.players);
    this.transitionInto(batch, actions, 0, obs, 0, rewards, 0);
    const t = state.t + 1;
    if (t < this.horizon) return { state: { t }, obs, rewards, done: false, info: {} };
    const reset = this.reset(undefined, batch);
    return { state: reset.state, obs: reset.obs, rewards, done: true, info: { terminalObs: obs } };
  }

  /**
   * The transition of `step` into caller-owned buffers, without allocating: actions read from
   * `actions[actionsAt + g·N + i]`, next states written to `obs[obsAt + g·N + i]` and rewards to
   * `rewards[rewardsAt + g·N + i]` (so a rollout writes straight into its `[T, batch, N]` arrays). No episode
   * bookkeeping: the caller counts steps.
   */
  transitionInto(
    batch: number,
    actions: Uint8Array,
    actionsAt: number,
    obs: Int32Array,
    obsAt: number,
    rewards: Float64Array,
    rewardsAt: number,
  ): void {
    const n = this.players;
    const { rewardC, rewardD } = this;
    const full = this.view === "full";
    const mask = full ? 2 ** n - 1 : 0;
    for (let g = 0; g < batch; g++) {
      const a = actionsAt + g * n;
      let defectors = 0;
      let joint = 0; // agent 0's action is the most significant bit (full view only)
      for (let i = 0; i < n; i++) {
        defectors += actions[a + i];
        if (full) joint = (joint << 1) | actions[a + i];
      }
      for (let i = 0; i < n; i++) {
        const own = actions[a + i];
        rewards[rewardsAt + g * n + i] = own === 0 ? rewardC[defectors] : rewardD[defectors];
        // Full: rotate left by i so agent i's bit is on top, then agents i+1, i+2, … (pax's own view).
        const code = full ? ((joint << i) | (joint >>> (n - i))) & mask : own * n + (defectors - own);
        obs[obsAt + g * n + i] = 1 + code;
      }
    }
  }
}
