/**
 * The networks of the neural Coin Game learners (Advantage Alignment's coin agents, LOQA's `GRUCoinAgent`,
 * POLA's `RNN`): an actor and critics, each src/nn's RecurrentNet over whole games, time-major [T, games, …].
 *
 *   actor   π(·|o_≤t) = softmax(head(GRU(relu(Dense(o_t)), h_{t−1})))      Dense w → GRU w → 4 logits
 *   critic  V(o_≤t, t) = head(GRU(relu(Dense([o_t, t/T])), h_{t−1}))       the same shape, the time step as an
 *                                                                           extra input, one output
 * The time step goes into the critic because games have a fixed length T: the value of a position with 3 steps
 * left is not the value of the same position with 30 left (LOQA's and AA's Q-nets take t for that reason). It is
 * scaled to t/T ∈ [0, 1) so its weight starts on the scale of the one-hot board.
 *
 * h_0 = 0 at the start of every game (all games of a batch start together, so no mid-sequence masking is needed,
 * unlike CleanRL's LSTM PPO). Initialisation (CleanRL `layer_init`): orthogonal, gain √2 for the dense layer, 1
 * for the GRU, 0.01 for the policy head and 1 for the value head.
 */
import { coinActorArchitecture, coinCriticArchitecture } from "../../nn/architecture.js";
import { CategoricalHead } from "../../nn/heads.js";
import { RecurrentNet, type RecurrentWorkspace } from "../../nn/recurrent.js";
import type { Rng } from "../../util/rng.js";

/** Head gains of CleanRL's `layer_init`: a near-uniform first policy, a unit-scale first value. */
export const POLICY_HEAD_GAIN = 0.01;
export const VALUE_HEAD_GAIN = 1;

/** An actor over [T, games] sequences, with a workspace per sequence shape it has been asked for. */
export class CoinPolicy {
  readonly net: RecurrentNet;
  readonly actions: number;
  private readonly workspaces = new Map<string, { ws: RecurrentWorkspace; head: CategoricalHead }>();

  constructor(observation: number, width: number, actions: number) {
    this.net = new RecurrentNet(coinActorArchitecture(observation, width, actions));
    this.actions = actions;
  }

  init(rng: Rng): void {
    this.net.init(rng, "orthogonal", POLICY_HEAD_GAIN);
  }

  /** The workspace and categorical head for `steps` × `games` rows (made once per shape). */
  buffers(steps: number, games: number): { ws: RecurrentWorkspace; head: CategoricalHead } {
    const key = `${steps}×${games}`;
    let b = this.workspaces.get(key);
    if (b === undefined) {
      b = { ws: this.net.workspace(steps, games), head: new CategoricalHead(this.actions, steps * games) };
      this.workspaces.set(key, b);
    }
    return b;
  }
}

/** A state-value critic; `inputs` fills its [o_t, t/T] rows from an observation block. */
export class CoinCritic {
  readonly net: RecurrentNet;
  readonly observation: number;
  private readonly workspaces = new Map<string, { ws: RecurrentWorkspace; x: Float32Array }>();

  constructor(observation: number, width: number) {
    this.net = new RecurrentNet(coinCriticArchitecture(observation, width));
    this.observation = observation;
  }

  init(rng: Rng): void {
    this.net.init(rng, "orthogonal", VALUE_HEAD_GAIN);
  }

  buffers(steps: number, games: number): { ws: RecurrentWorkspace; x: Float32Array } {
    const key = `${steps}×${games}`;
    let b = this.workspaces.get(key);
    if (b === undefined) {
      b = {
        ws: this.net.workspace(steps, games),
        x: new Float32Array(steps * games * (this.observation + 1)),
      };
      this.workspaces.set(key, b);
    }
    return b;
  }

  /** The critic's input rows [o_t, t/T] for observations `obs` ([T, games, F]) into x ([T, games, F + 1]). */
  fillInputs(obs: Float32Array, steps: number, games: number, episodeSteps: number, x: Float32Array): void {
    const F = this.observation;
    for (let t = 0; t < steps; t++) {
      const time = t / episodeSteps;
      for (let g = 0; g < games; g++) {
        const row = t * games + g;
        x.set(obs.subarray(row * F, (row + 1) * F), row * (F + 1));
        x[row * (F + 1) + F] = time;
      }
    }
  }

  /** V for every row of a [T, games] block of observations, into `out` (float64, [T, games]). */
  values(
    obs: Float32Array,
    steps: number,
    games: number,
    episodeSteps: number,
    out: Float64Array,
  ): Float64Array {
    const { ws, x } = this.buffers(steps, games);
    this.fillInputs(obs, steps, games, episodeSteps, x);
    ws.gru.hs.fill(0, 0, games * this.net.architecture.hidden);
    const v = this.net.forward(x, ws);
    for (let i = 0; i < steps * games; i++) out[i] = v[i];
    return out;
  }
}
