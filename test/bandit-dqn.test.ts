/**
 * The DQN adversaries (src/envs/rl/dqn.ts and its bandit and trust adapters): the TD loss and its gradient on a
 * hand-built batch against an independent float64 computation (targets y = r + γ(1 − done)·max Q_target(s′),
 * L = mean ½(y − Q(s, u))², and ∂L/∂θ by central finite differences of that float64 loss), then short trainings
 * that must beat the random schedule by a wide margin.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { banditBaseline, playBanditSessions } from "../src/envs/bandit/adversaries.js";
import { trainDqnAdversary } from "../src/envs/bandit/dqnAdversary.js";
import { QLearnerSurrogate } from "../src/envs/bandit/qLearner.js";
import type { MLP } from "../src/nn/mlp.js";
import { DqnLossWorkspace, dqnLoss, qNetwork, type TransitionBatch } from "../src/envs/rl/dqn.js";
import { trainDqnTrustee } from "../src/envs/trust/dqnTrustee.js";
import { TrustInvestor } from "../src/envs/trust/investor.js";
import { playTrustGames, trusteeBaseline } from "../src/envs/trust/trustees.js";
import { Rng } from "../src/util/rng.js";

/** Q(x) of a ReLU MLP in float64 from its float32 weights (PyTorch layout), written apart from src/nn. */
function forward64(net: MLP, weights: Float64Array, x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  net.layers.forEach((layer, l) => {
    const W = weights.subarray(layer.weight.offset, layer.weight.offset + layer.outputs * layer.inputs);
    const b = weights.subarray(layer.bias.offset, layer.bias.offset + layer.outputs);
    const out: number[] = [];
    for (let j = 0; j < layer.outputs; j++) {
      let z = b[j];
      for (let i = 0; i < layer.inputs; i++) z += W[j * layer.inputs + i] * a[i];
      out.push(l < net.layers.length - 1 ? Math.max(0, z) : z);
    }
    a = out;
  });
  return a;
}

function loss64(
  online: MLP,
  weights: Float64Array,
  target: MLP,
  batch: TransitionBatch,
  gamma: number,
  W: number,
): { loss: number; y: number[] } {
  const targetWeights = Float64Array.from(target.params.values);
  let loss = 0;
  const y: number[] = [];
  for (let i = 0; i < batch.rows; i++) {
    const next = forward64(target, targetWeights, batch.nextStates.subarray(i * W, (i + 1) * W));
    y.push(batch.rewards[i] + (batch.done[i] ? 0 : gamma * Math.max(...next)));
    const q = forward64(online, weights, batch.states.subarray(i * W, (i + 1) * W))[batch.actions[i]];
    loss += (0.5 * (y[i] - q) * (y[i] - q)) / batch.rows;
  }
  return { loss, y };
}

describe("DQN", () => {
  it("the TD loss, its targets and its gradient match an independent float64 computation", () => {
    const W = 3;
    const A = 4;
    const rng = Rng.seeded(7);
    const online = qNetwork(W, 5, A);
    const target = qNetwork(W, 5, A);
    for (const net of [online, target])
      for (let i = 0; i < net.params.size; i++) net.params.values[i] = rng.uniform() * 2 - 1;
    const rows = 4;
    const batch: TransitionBatch = {
      rows,
      states: Float32Array.from({ length: rows * W }, () => rng.uniform() * 2 - 1),
      actions: Int32Array.from([0, 3, 1, 3]),
      rewards: Float32Array.from([1, 0, 1, 0.5]),
      nextStates: Float32Array.from({ length: rows * W }, () => rng.uniform() * 2 - 1),
      done: Uint8Array.from([0, 1, 0, 0]),
    };
    const gamma = 0.9;
    const ws = new DqnLossWorkspace(online, rows);
    const loss = dqnLoss(online, target, batch, gamma, ws);
    const weights = Float64Array.from(online.params.values);
    const reference = loss64(online, weights, target, batch, gamma, W);
    assert.ok(Math.abs(loss - reference.loss) < 1e-5 * (1 + reference.loss), `${loss} vs ${reference.loss}`);
    reference.y.forEach((y, i) => assert.ok(Math.abs(ws.y[i] - y) < 1e-5, `y[${i}]`));
    assert.equal(ws.y[1], 0, "a terminal transition's target is its reward");
    const h = 1e-4;
    for (let k = 0; k < online.params.size; k++) {
      const plus = Float64Array.from(weights);
      const minus = Float64Array.from(weights);
      plus[k] += h;
      minus[k] -= h;
      const fd =
        (loss64(online, plus, target, batch, gamma, W).loss -
          loss64(online, minus, target, batch, gamma, W).loss) /
        (2 * h);
      assert.ok(
        Math.abs(online.params.grads[k] - fd) < 1e-4 + 1e-3 * Math.abs(fd),
        `∂L/∂θ[${k}] ${online.params.grads[k]} vs ${fd}`,
      );
    }
  });

  it("a short training against the Q-learner beats the random schedule by 10 points (seed 0, 2000 sessions)", () => {
    const adversary = trainDqnAdversary(
      { episodes: 40, games: 64, surrogate: (n) => new QLearnerSurrogate(n) },
      0,
    );
    const mean = (b: Float64Array) => b.reduce((s, x) => s + x, 0) / b.length;
    const dqn = mean(playBanditSessions(adversary, new QLearnerSurrogate(2000), Rng.derive(0, 2)));
    const random = mean(
      playBanditSessions(banditBaseline("random"), new QLearnerSurrogate(2000), Rng.derive(0, 2)),
    );
    assert.ok(dqn > random + 0.1, `dqn ${dqn} vs random ${random}`);
    assert.equal(adversary.curve.length, 40);
  });

  it("the same trainer as a MAX trustee out-earns the random trustee, and repays less in the last round than before it (seed 0)", () => {
    const investor = (n: number) => new TrustInvestor(n);
    const trustee = trainDqnTrustee({ objective: "max", episodes: 150, games: 64, investor }, 0);
    const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const dqn = playTrustGames(trustee, investor(2000), Rng.derive(0, 2));
    const random = playTrustGames(trusteeBaseline("random"), investor(2000), Rng.derive(0, 2));
    assert.ok(
      mean(dqn.trustee) > mean(random.trustee) + 40,
      `${mean(dqn.trustee)} vs ${mean(random.trustee)}`,
    );
    const lastRound = mean(dqn.repaid.subarray(9 * 2000));
    const before = mean(dqn.repaid.subarray(0, 9 * 2000));
    assert.ok(lastRound < before - 0.1, `repaid ${lastRound} in the last round, ${before} before`);
  });
});
