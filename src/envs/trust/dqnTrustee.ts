/**
 * The DQN trustee of the trust task (Dezfouli, Nock & Dayan 2020, `mrtt/train_adv_dqn.py`): deep Q-learning
 * (src/envs/rl/dqn.ts, the same trainer as the bandit's DQN adversary) over the trustee's view of the round
 * (policyGradientTrustee.ts's features: round, this investment, the investor's predicted mean investment, the
 * gap so far), 5 repay levels, γ = 1, trained against fresh investors and deployed greedily. Rewards as the
 * paper's modes: MAX (`earn_max`) (3I − R)/60 per round; FAIR (`fair_max`) 0 until the last round, then
 * −|Σ trustee − Σ investor|/60. The trustee acts after seeing the round's investment, so a step settles the
 * round, lets the investor learn, and draws the next round's investment.
 */
import type { Rng } from "../../util/rng.js";
import { type DqnOptions, GreedyQPolicy, type LockstepTask, trainDqn } from "../rl/dqn.js";
import type { TrustInvestor } from "./investor.js";
import { REWARD_SCALE, TRUSTEE_FEATURES, trusteeFeatures } from "./policyGradientTrustee.js";
import {
  REPAY_LEVELS,
  ROUNDS,
  resetTrust,
  settleRound,
  type TrustObjective,
  type TrustState,
  trusteeEarning,
} from "./task.js";
import type { Trustee } from "./trustees.js";

class TrustLockstepTask implements LockstepTask {
  readonly actions = REPAY_LEVELS;
  readonly steps = ROUNDS;
  readonly observationSize = TRUSTEE_FEATURES;
  private state: TrustState;
  private investor: TrustInvestor;
  private readonly investments: Float64Array;
  private readonly fractions: Float64Array;
  private readonly phi = new Float64Array(TRUSTEE_FEATURES);

  constructor(
    readonly games: number,
    private readonly makeInvestor: (games: number) => TrustInvestor,
    private readonly objective: TrustObjective,
  ) {
    this.state = resetTrust(games);
    this.investor = makeInvestor(games);
    this.investments = new Float64Array(games);
    this.fractions = new Float64Array(games);
  }

  reset(rng: Rng): void {
    this.state = resetTrust(this.games);
    this.investor = this.makeInvestor(this.games);
    this.investor.invest(rng, this.investments);
  }

  observe(out: Float32Array): void {
    writeObservations(this.state, this.investor, this.investments, this.phi, out);
  }

  step(levels: Int32Array, rng: Rng, rewards: Float32Array): void {
    const { state, games } = this;
    settleRound(state, this.investments, levels);
    for (let g = 0; g < games; g++) {
      rewards[g] =
        this.objective === "max"
          ? trusteeEarning(this.investments[g], levels[g]) / REWARD_SCALE
          : state.round === ROUNDS
            ? -Math.abs(state.trustee[g] - state.investor[g]) / REWARD_SCALE
            : 0;
      this.fractions[g] = levels[g] / (REPAY_LEVELS - 1);
    }
    this.investor.learn(this.investments, this.fractions);
    if (state.round < ROUNDS) this.investor.invest(rng, this.investments);
  }
}

function writeObservations(
  state: TrustState,
  investor: TrustInvestor,
  investments: Float64Array,
  phi: Float64Array,
  out: Float32Array,
): void {
  const F = TRUSTEE_FEATURES;
  for (let g = 0; g < state.games; g++) {
    trusteeFeatures(state, investor, g, investments[g], phi, 0);
    for (let f = 0; f < F; f++) out[g * F + f] = phi[f];
  }
}

export interface DqnTrusteeOptions extends DqnOptions {
  objective: TrustObjective;
  games: number;
  investor: (games: number) => TrustInvestor;
}

export interface TrainedDqnTrustee extends Trustee {
  /** The objective's mean per training episode batch (ε-greedy): trustee earnings (MAX) or −|gap| (FAIR). */
  readonly curve: number[];
}

export function trainDqnTrustee(options: DqnTrusteeOptions, seed: number): TrainedDqnTrustee {
  const task = new TrustLockstepTask(options.games, options.investor, options.objective);
  const trained = trainDqn(task, options, seed);
  const policy = new GreedyQPolicy(trained.network);
  const phi = new Float64Array(TRUSTEE_FEATURES);
  return {
    name: `dqn-${options.objective}`,
    // For MAX the return is Σ (3I − R)/60; for FAIR it is −|gap|/60.
    curve: trained.curve.map((r) => r * REWARD_SCALE),
    reset() {},
    act(state, investor, investments, out) {
      writeObservations(state, investor, investments, phi, policy.observations(state.games));
      policy.act(state.games, out);
    },
  };
}
