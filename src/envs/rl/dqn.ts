/**
 * Deep Q-learning for the adversaries of the human-surrogate tasks (the bandit's reward assigner, the trust
 * task's trustee), as Dezfouli, Nock & Dayan (2020) trained theirs (the released `code/rl/ddqn.py`, "from
 * keon/deep-q-learning"; Mnih et al. 2015):
 *
 *   Q(s, ·) = MLP(s): s → hidden ReLU → hidden ReLU → |A| linear          (the paper: 128, 128)
 *   y_i = r_i + γ · (1 − done_i) · max_u' Q_target(s'_i, u')                (γ = 1: episodic, undiscounted)
 *   L(θ) = (1/B) Σ_i ½ (y_i − Q_θ(s_i, u_i))²                              (the code's `_huber_loss` is this MSE)
 *   ∂L/∂Q_θ(s_i, u) = (Q_θ(s_i, u_i) − y_i)/B  for u = u_i, 0 otherwise  → MLP.backward → one Adam step
 *
 * with N games played in lockstep, each environment step appending N transitions to a FIFO replay buffer, one
 * Adam step per environment step on a minibatch of B transitions drawn uniformly without replacement, the target
 * network copied every `targetEvery` environment steps, and exploration as the paper's: a fixed share ε of the
 * games (drawn with replacement) acts uniformly at random at each step, the rest greedily; no decay. Deployed
 * greedily (argmax), as the paper deployed its adversaries against people.
 *
 * Initialisation: He (kaiming-uniform, ReLU gain) on every layer, zero biases; the paper's Keras
 * VarianceScaling(scale = 2) draws a truncated normal of the same variance. Scale: ours is far smaller than the
 * paper's 1000 games × 5·10⁵ steps with minibatch 1000 (see the experiment pages).
 *
 * The task is anything with fixed-length episodes played in lockstep (`LockstepTask`); the bandit and trust
 * adapters (src/envs/bandit/dqnAdversary.ts, src/envs/trust/dqnTrustee.ts) give their observations and rewards.
 */
import { MLP, type MLPWorkspace } from "../../nn/mlp.js";
import { Adam } from "../../nn/optim.js";
import { InputError } from "../../util/errors.js";
import { Rng } from "../../util/rng.js";
import { checkpointSteps } from "./checkpoints.js";

/** An episodic task of `games` games in lockstep, every episode `steps` long. */
export interface LockstepTask {
  readonly games: number;
  readonly observationSize: number;
  readonly actions: number;
  readonly steps: number;
  /** Start a new episode in every game. */
  reset(rng: Rng): void;
  /** Every game's observation [games, observationSize] into `out`. */
  observe(out: Float32Array): void;
  /** Apply actions [games]; write each game's reward into `rewards` [games]. */
  step(actions: Int32Array, rng: Rng, rewards: Float32Array): void;
}

export interface DqnOptions {
  /** Episodes per game (each of the task's `games` games plays this many). */
  episodes: number;
  hidden?: number;
  lr?: number;
  /** Share of the games that act at random at each step (the paper's ε, fixed). */
  epsilon?: number;
  minibatch?: number;
  buffer?: number;
  targetEvery?: number;
  gamma?: number;
  /** Keep this many copies of the online network's weights, evenly spaced over the episodes (default 0). */
  checkpoints?: number;
  /** Called after every episode batch with the mean return per game. */
  onEpisode?: (episode: number, meanReturn: number) => void;
}

export const DQN_DEFAULTS = {
  hidden: 64,
  lr: 1e-3,
  epsilon: 0.1,
  minibatch: 128,
  buffer: 50_000,
  targetEvery: 100,
  gamma: 1,
} as const;

/** The random streams of a DQN training run, Rng.derive(seed, DQN_STREAMS, stream): apart from a caller's own. */
const DQN_STREAMS = 0xd9;
const STREAM = { init: 1, episodes: 2, explore: 3, replay: 4 } as const;

/** A minibatch of transitions, row-major over `rows`. */
export interface TransitionBatch {
  rows: number;
  states: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  nextStates: Float32Array;
  done: Uint8Array;
}

/** The Q-network's work buffers for one minibatch size. */
export class DqnLossWorkspace {
  readonly online: MLPWorkspace;
  readonly target: MLPWorkspace;
  readonly dOut: Float32Array;
  readonly y: Float32Array;

  constructor(network: MLP, rows: number) {
    this.online = network.workspace(rows);
    this.target = network.workspace(rows);
    const actions = network.architecture.sizes[network.architecture.sizes.length - 1];
    this.dOut = new Float32Array(rows * actions);
    this.y = new Float32Array(rows);
  }
}

/**
 * The TD loss L of the header on one minibatch, with ∂L/∂θ accumulated into online.params.grads (zeroed first);
 * the targets y are left in ws.y. Returns L.
 */
export function dqnLoss(
  online: MLP,
  target: MLP,
  batch: TransitionBatch,
  gamma: number,
  ws: DqnLossWorkspace,
): number {
  const A = online.architecture.sizes[online.architecture.sizes.length - 1];
  const B = batch.rows;
  const next = target.forward(batch.nextStates, ws.target);
  for (let i = 0; i < B; i++) {
    let best = Number.NEGATIVE_INFINITY;
    for (let u = 0; u < A; u++) if (next[i * A + u] > best) best = next[i * A + u];
    ws.y[i] = batch.rewards[i] + (batch.done[i] ? 0 : gamma * best);
  }
  const q = online.forward(batch.states, ws.online);
  ws.dOut.fill(0);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    const k = i * A + batch.actions[i];
    const error = q[k] - ws.y[i];
    loss += (0.5 * error * error) / B;
    ws.dOut[k] = error / B;
  }
  online.params.zeroGrad();
  online.backward(batch.states, ws.dOut, ws.online);
  return loss;
}

/** A FIFO buffer of transitions (the paper's `arrq.py`), overwriting the oldest once full. */
class ReplayBuffer {
  readonly states: Float32Array;
  readonly nextStates: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  readonly done: Uint8Array;
  size = 0;
  private cursor = 0;
  /** The sparse shuffle of `sample`: moved[x] is valid where stamps[x] is the current call's stamp. */
  private readonly moved: Int32Array;
  private readonly stamps: Int32Array;
  private stampNow = 0;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    this.states = new Float32Array(capacity * width);
    this.nextStates = new Float32Array(capacity * width);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.done = new Uint8Array(capacity);
    this.moved = new Int32Array(capacity);
    this.stamps = new Int32Array(capacity);
  }

  push(s: Float32Array, row: number, u: number, r: number, s2: Float32Array, done: boolean): void {
    const W = this.width;
    const c = this.cursor;
    this.states.set(s.subarray(row * W, (row + 1) * W), c * W);
    this.nextStates.set(s2.subarray(row * W, (row + 1) * W), c * W);
    this.actions[c] = u;
    this.rewards[c] = r;
    this.done[c] = done ? 1 : 0;
    this.cursor = (c + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /**
   * B distinct transitions drawn uniformly: a partial Fisher–Yates shuffle of the indices 0 … size − 1, kept
   * sparse (an index moved this call is marked with this call's stamp; any other holds itself), so a draw costs
   * O(B), not O(size).
   */
  sample(rng: Rng, out: TransitionBatch): void {
    const W = this.width;
    const stamp = ++this.stampNow;
    const at = (x: number) => (this.stamps[x] === stamp ? this.moved[x] : x);
    for (let i = 0; i < out.rows; i++) {
      const j = i + rng.int(this.size - i);
      const k = at(j);
      this.moved[j] = at(i); // index i is never read again
      this.stamps[j] = stamp;
      out.states.set(this.states.subarray(k * W, (k + 1) * W), i * W);
      out.nextStates.set(this.nextStates.subarray(k * W, (k + 1) * W), i * W);
      out.actions[i] = this.actions[k];
      out.rewards[i] = this.rewards[k];
      out.done[i] = this.done[k];
    }
  }
}

/** The greedy action of every row of Q values [rows, A] into out. */
export function greedyActions(q: Float32Array, rows: number, A: number, out: Int32Array): void {
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let u = 1; u < A; u++) if (q[i * A + u] > q[i * A + best]) best = u;
    out[i] = best;
  }
}

export function qNetwork(inputs: number, hidden: number, actions: number): MLP {
  return new MLP({ kind: "mlp", sizes: [inputs, hidden, hidden, actions], activation: "relu" });
}

export function heInit(network: MLP, rng: Rng): void {
  for (const layer of network.layers) layer.init(rng, { kind: "kaiming-uniform", nonlinearity: "relu" });
}

export interface TrainedQNetwork {
  readonly network: MLP;
  /** Mean return per game of each episode batch during training (ε-greedy). */
  readonly curve: number[];
  /** The `checkpoints` copies: the episode after which each was taken, and a network holding its weights. */
  readonly snapshots: { step: number; network: MLP }[];
}

export function trainDqn(task: LockstepTask, options: DqnOptions, seed: number): TrainedQNetwork {
  const o = { ...DQN_DEFAULTS, ...options };
  if (o.minibatch > o.buffer)
    throw new InputError("minibatch", `must be at most the buffer (${o.buffer}), got ${o.minibatch}`);
  const { games, observationSize: W, actions: A, steps } = task;
  const online = qNetwork(W, o.hidden, A);
  heInit(online, Rng.derive(seed, DQN_STREAMS, STREAM.init));
  const target = qNetwork(W, o.hidden, A);
  target.params.values.set(online.params.values);
  const adam = new Adam(online.params.values, { lr: o.lr });
  const buffer = new ReplayBuffer(o.buffer, W);
  const batch: TransitionBatch = {
    rows: o.minibatch,
    states: new Float32Array(o.minibatch * W),
    actions: new Int32Array(o.minibatch),
    rewards: new Float32Array(o.minibatch),
    nextStates: new Float32Array(o.minibatch * W),
    done: new Uint8Array(o.minibatch),
  };
  const lossWs = new DqnLossWorkspace(online, o.minibatch);
  const actWs = online.workspace(games);
  let s = new Float32Array(games * W);
  let s2 = new Float32Array(games * W);
  const u = new Int32Array(games);
  const r = new Float32Array(games);
  const episodeRng = Rng.derive(seed, DQN_STREAMS, STREAM.episodes);
  const exploreRng = Rng.derive(seed, DQN_STREAMS, STREAM.explore);
  const replayRng = Rng.derive(seed, DQN_STREAMS, STREAM.replay);
  const explorers = Math.round(o.epsilon * games);
  const curve: number[] = [];
  const snapshotAt = new Set(checkpointSteps(o.episodes, o.checkpoints ?? 0));
  const snapshots: { step: number; network: MLP }[] = [];
  let envSteps = 0;
  for (let episode = 0; episode < o.episodes; episode++) {
    task.reset(episodeRng);
    task.observe(s);
    let total = 0;
    for (let t = 0; t < steps; t++) {
      // ---- act: greedy, but for a share ε of the games (with replacement) that act at random
      greedyActions(online.forward(s, actWs), games, A, u);
      for (let k = 0; k < explorers; k++) u[exploreRng.int(games)] = exploreRng.int(A);
      task.step(u, episodeRng, r);
      const done = t === steps - 1;
      if (done) s2.fill(0);
      else task.observe(s2);
      for (let g = 0; g < games; g++) {
        buffer.push(s, g, u[g], r[g], s2, done);
        total += r[g];
      }
      // ---- learn: one Adam step per environment step
      if (buffer.size >= o.minibatch) {
        buffer.sample(replayRng, batch);
        dqnLoss(online, target, batch, o.gamma, lossWs);
        adam.step(online.params.grads);
      }
      envSteps++;
      if (envSteps % o.targetEvery === 0) target.params.values.set(online.params.values);
      [s, s2] = [s2, s];
    }
    curve.push(total / games);
    o.onEpisode?.(episode + 1, total / games);
    if (snapshotAt.has(episode + 1)) {
      const copy = qNetwork(W, o.hidden, A);
      copy.params.values.set(online.params.values);
      snapshots.push({ step: episode + 1, network: copy });
    }
  }
  return { network: online, curve, snapshots };
}

/** Greedy actions of a trained Q-network over `rows` observations (a workspace per batch size, made once). */
export class GreedyQPolicy {
  private ws: MLPWorkspace | undefined;
  private x = new Float32Array(0);

  constructor(readonly network: MLP) {}

  get inputs(): number {
    return this.network.architecture.sizes[0];
  }

  /** A Float32 buffer of [rows, inputs] to write observations into. */
  observations(rows: number): Float32Array {
    if (this.x.length !== rows * this.inputs) {
      this.x = new Float32Array(rows * this.inputs);
      this.ws = this.network.workspace(rows);
    }
    return this.x;
  }

  /** argmax_u Q(x_row, u) for the rows of the buffer `observations(rows)` returned. */
  act(rows: number, out: Int32Array): void {
    const sizes = this.network.architecture.sizes;
    const q = this.network.forward(this.observations(rows), this.ws as MLPWorkspace);
    greedyActions(q, rows, sizes[sizes.length - 1], out);
  }
}
