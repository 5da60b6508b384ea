/**
 * The DQN adversary of the bandit task (Dezfouli, Nock & Dayan 2020, `nc/train_adv_*_dqn.py`): deep Q-learning
 * (src/envs/rl/dqn.ts) over the adversary's view of the session (adversaryState.ts: the paper's state, the
 * surrogate's one-step-ahead policies and, white box, its internal state), reward 1 per target choice, γ = 1,
 * trained against fresh surrogates, deployed greedily. The transition of a trial: the adversary picks a reward
 * vector, the 25/25 constraint applies (task.ts), the learner chooses and learns; the adversary's reward is
 * [choice = target].
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import { type DqnOptions, GreedyQPolicy, type LockstepTask, trainDqn } from "../rl/dqn.js";
import type { MLP } from "../../nn/mlp.js";
import type { AdversarySnapshot, BanditAdversary } from "./adversaries.js";
import { ACTIONS, adversaryFeatures, featureCount } from "./adversaryState.js";
import type { BanditSurrogate } from "./surrogate.js";
import { assignRewards, type BanditState, recordChoices, resetBandit, TRIALS } from "./task.js";

/** Sessions of the bandit task against fresh surrogates, as a lockstep task for the DQN. */
class BanditLockstepTask implements LockstepTask {
  readonly actions = ACTIONS;
  readonly steps = TRIALS;
  readonly observationSize: number;
  private state: BanditState;
  private learner: BanditSurrogate;
  private readonly phi: Float64Array;
  private readonly rewards: Int32Array;
  private readonly choices: Int32Array;

  constructor(
    readonly games: number,
    private readonly surrogate: (games: number) => BanditSurrogate,
    whiteBox: boolean,
  ) {
    this.learner = surrogate(games);
    this.state = resetBandit(games);
    this.observationSize = featureCount(this.learner, whiteBox);
    this.phi = new Float64Array(this.observationSize);
    this.rewards = new Int32Array(2 * games);
    this.choices = new Int32Array(games);
  }

  reset(): void {
    this.learner = this.surrogate(this.games);
    this.state = resetBandit(this.games);
  }

  observe(out: Float32Array): void {
    writeObservations(this.state, this.learner, this.observationSize, this.phi, out);
  }

  step(actions: Int32Array, rng: Rng, rewards: Float32Array): void {
    assignRewards(this.state, actions, this.rewards);
    this.learner.choose(rng, this.choices);
    for (let g = 0; g < this.games; g++) rewards[g] = this.choices[g] === 0 ? 1 : 0;
    recordChoices(this.state, this.choices);
    this.learner.learn(this.choices, this.rewards);
  }
}

function writeObservations(
  state: BanditState,
  learner: BanditSurrogate,
  F: number,
  phi: Float64Array,
  out: Float32Array,
): void {
  for (let g = 0; g < state.games; g++) {
    adversaryFeatures(state, learner, g, phi, 0, F);
    for (let f = 0; f < F; f++) out[g * F + f] = phi[f];
  }
}

export interface DqnAdversaryOptions extends DqnOptions {
  /** Games played in lockstep during training (the paper: 1000). */
  games: number;
  /** Read the surrogate's internal state too (default true); false gives an adversary that transfers. */
  whiteBox?: boolean;
  surrogate: (games: number) => BanditSurrogate;
}

export interface TrainedDqnAdversary extends BanditAdversary {
  /** Mean bias of each training episode batch (ε-greedy). */
  readonly curve: number[];
  /** The `checkpoints` snapshots (greedy), in training order. */
  readonly snapshots: AdversarySnapshot[];
}

export function trainDqnAdversary(options: DqnAdversaryOptions, seed: number): TrainedDqnAdversary {
  const whiteBox = options.whiteBox ?? true;
  const task = new BanditLockstepTask(options.games, options.surrogate, whiteBox);
  const trained = trainDqn(task, options, seed);
  const greedy = (network: MLP) =>
    greedyAdversary(new GreedyQPolicy(network), whiteBox, task.observationSize);
  return {
    ...greedy(trained.network),
    curve: trained.curve.map((r) => r / TRIALS),
    snapshots: trained.snapshots.map(({ step, network }) => ({ step, adversary: greedy(network) })),
  };
}

/** The greedy adversary of a Q-network over F features. */
function greedyAdversary(policy: GreedyQPolicy, whiteBox: boolean, F: number): BanditAdversary {
  const phi = new Float64Array(F);
  return {
    name: "dqn",
    reset() {},
    act(state, learner, out) {
      if (featureCount(learner, whiteBox) !== F) {
        throw new InputError(
          "surrogate",
          `this white-box adversary reads a ${F - featureCount(learner, false)}-number learner state, the surrogate has ${learner.stateSize}: train it with whiteBox false to transfer`,
        );
      }
      writeObservations(state, learner, F, phi, policy.observations(state.games));
      policy.act(state.games, out);
    },
  };
}
