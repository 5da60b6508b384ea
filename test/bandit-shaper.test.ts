/**
 * The gradient shaping adversary (src/envs/bandit/gradientShaper.ts) and the differentiable learner updates it
 * ascends: the Q-learner's mean-field recursion against a hand-worked three-trial case, ∂J/∂ρ against central
 * finite differences (at the planning β and at the paper's 257, from a fresh and a mid-session state), the
 * budget projection (Σρ = owed exactly; ∂J/∂z through it against finite differences of J(ρ(z))), and a short
 * session against the Q-learner that must beat greedy target-first by 10 points.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { banditBaseline, playBanditSessions } from "../src/envs/bandit/adversaries.js";
import { gradientShaper, projectGradient, projectPlan } from "../src/envs/bandit/gradientShaper.js";
import { DEZFOULI_Q_PARAMS, QLearnerSurrogate } from "../src/envs/bandit/qLearner.js";
import {
  MeanFieldTape,
  qLearnerDifferentiable,
  qMeanFieldTargetChoices,
  type QMeanFieldStart,
} from "../src/envs/bandit/qLearnerMeanField.js";
import { GruChoiceModel } from "../src/envs/bandit/gruChoiceModel.js";
import { GruMeanField } from "../src/envs/bandit/gruMeanField.js";
import { GruSurrogate } from "../src/envs/bandit/gruSurrogate.js";
import { Rng } from "../src/util/rng.js";

const tape = new MeanFieldTape(100);

function J(params: typeof DEZFOULI_Q_PARAMS, start: QMeanFieldStart, rho: Float64Array, R: number): number {
  return qMeanFieldTargetChoices(params, start, rho, R, new Float64Array(2 * R), tape);
}

describe("gradient shaper", () => {
  it("the Q-learner's mean-field recursion matches a hand-worked three trials", () => {
    // Trial 0 and 1 at p = ½. After trial 0 with ρ = (1, 0): Q̄_0 = ½·1 = 0.5 (first visit, step w_0 = ½),
    // s̄ = (½, ½). After trial 1: k_0 = ½(1 − ½·0.6) = 0.35, Q̄_0 = 0.5 + 0.35·0.5 = 0.675, Q̄_1 stays 0.
    // Trial 2: p = 0.6·σ(257·0.675) + 0.2.
    const rho = Float64Array.from([1, 0, 1, 0, 1, 0]);
    const start = { q0: 0, q1: 0, s0: 0, s1: 0, trial: 0 };
    const expected = 0.5 + 0.5 + (0.6 / (1 + Math.exp(-257 * 0.675)) + 0.2);
    assert.ok(Math.abs(J(DEZFOULI_Q_PARAMS, start, rho, 3) - expected) < 1e-12);
    assert.equal(J(DEZFOULI_Q_PARAMS, start, rho, 1), 0.5);
  });

  for (const [beta, start] of [
    [20, { q0: 0, q1: 0, s0: 0, s1: 0, trial: 0 }],
    [20, { q0: 0.7, q1: 0.4, s0: 1, s1: 1, trial: 37 }],
    [257, { q0: 0.52, q1: 0.5, s0: 1, s1: 0.3, trial: 10 }],
  ] as const) {
    it(`∂J/∂ρ of the mean-field Q-learner matches finite differences (β ${beta}, trial ${start.trial})`, () => {
      const params = { ...DEZFOULI_Q_PARAMS, beta };
      const R = 30;
      const rng = Rng.seeded(3);
      const rho = Float64Array.from({ length: 2 * R }, () => rng.uniform());
      const grad = new Float64Array(2 * R);
      qMeanFieldTargetChoices(params, start, rho, R, grad, tape);
      const h = 1e-6;
      let norm = 0;
      for (let k = 0; k < 2 * R; k++) {
        const plus = Float64Array.from(rho);
        const minus = Float64Array.from(rho);
        plus[k] += h;
        minus[k] -= h;
        const fd = (J(params, start, plus, R) - J(params, start, minus, R)) / (2 * h);
        norm += Math.abs(fd);
        assert.ok(Math.abs(grad[k] - fd) < 1e-6 + 1e-5 * Math.abs(fd), `∂J/∂ρ[${k}] ${grad[k]} vs ${fd}`);
      }
      assert.ok(norm > 1e-3, "the gradient is not trivially zero");
    });
  }

  it("the budget projection gives Σρ = owed exactly, and ∂J/∂z through it matches finite differences", () => {
    const params = { ...DEZFOULI_Q_PARAMS, beta: 20 };
    const start = { q0: 0.6, q1: 0.3, s0: 1, s1: 1, trial: 60 };
    const R = 40;
    const owed = [11, 7];
    const rng = Rng.seeded(5);
    const z = Float64Array.from({ length: 2 * R }, () => rng.normal());
    const plan = (zz: Float64Array) => {
      const rho = new Float64Array(2 * R);
      projectPlan(zz, 0, R, owed[0], 0, rho);
      projectPlan(zz, 1, R, owed[1], 0, rho);
      return rho;
    };
    const rho = plan(z);
    for (const i of [0, 1]) {
      let sum = 0;
      for (let tau = 0; tau < R; tau++) sum += rho[2 * tau + i];
      assert.ok(Math.abs(sum - owed[i]) < 1e-8, `option ${i}: Σρ = ${sum}`);
    }
    const gradRho = new Float64Array(2 * R);
    qMeanFieldTargetChoices(params, start, rho, R, gradRho, tape);
    const gradZ = new Float64Array(2 * R);
    projectGradient(rho, gradRho, 0, R, owed[0], gradZ);
    projectGradient(rho, gradRho, 1, R, owed[1], gradZ);
    const h = 1e-5;
    for (let k = 0; k < 2 * R; k++) {
      const plus = Float64Array.from(z);
      const minus = Float64Array.from(z);
      plus[k] += h;
      minus[k] -= h;
      const fd = (J(params, start, plan(plus), R) - J(params, start, plan(minus), R)) / (2 * h);
      assert.ok(Math.abs(gradZ[k] - fd) < 1e-6 + 1e-4 * Math.abs(fd), `∂J/∂z[${k}] ${gradZ[k]} vs ${fd}`);
    }
    // Owed nothing or every remaining trial: the plan is fixed, its gradient zero.
    const fixed = new Float64Array(2 * R);
    projectPlan(z, 0, R, 0, 0, fixed);
    projectPlan(z, 1, R, R, 0, fixed);
    for (let tau = 0; tau < R; tau++) assert.deepEqual([fixed[2 * tau], fixed[2 * tau + 1]], [0, 1]);
  });

  it("against the Q-learner it beats greedy target-first by 10 points (seed 0, 200 sessions)", () => {
    const mean = (b: Float64Array) => b.reduce((s, x) => s + x, 0) / b.length;
    const shaper = gradientShaper((learner) => qLearnerDifferentiable(learner as QLearnerSurrogate, 20));
    const shaped = mean(playBanditSessions(shaper, new QLearnerSurrogate(200), Rng.derive(0, 2)));
    const greedy = mean(
      playBanditSessions(banditBaseline("greedy"), new QLearnerSurrogate(200), Rng.derive(0, 2)),
    );
    assert.ok(shaped > greedy + 0.1, `shaper ${shaped} vs greedy ${greedy}`);
    assert.equal(shaper.plannedCurve.length, 100);
  });

  describe("the GRU's mean-field recurrence", () => {
    const model = new GruChoiceModel(10).init(Rng.seeded(11));
    // Larger weights than the default init, so the gradient has something to show.
    for (let i = 0; i < model.params.size; i++) model.params.values[i] *= 3;
    const learner = new GruSurrogate(model, 1);
    learner.learn([0], [1, 0]);
    learner.learn([1], [0, 0]);
    const h0 = Float64Array.from(learner.h);
    const R = 12;
    const rng = Rng.seeded(2);
    const rho = Float64Array.from({ length: 2 * R }, () => rng.uniform());

    it("runs the engine's GRU: each outcome's next state is src/nn's GRUCell on that input, h_τ+1 their mean", () => {
      const field = new GruMeanField(model);
      field.targetChoices(h0, rho, R, new Float64Array(2 * R));
      const ws = model.gru.workspace(1, 1);
      const logits = new Float32Array(2);
      const inputs = [
        [0, 1, 0],
        [1, 1, 0],
        [0, 0, 1],
        [1, 0, 1],
      ];
      for (let tau = 0; tau < R - 1; tau++) {
        const h = Float32Array.from(field.hiddenAt(tau));
        model.head.forward(h, logits, 1);
        const p = 1 / (1 + Math.exp(logits[1] - logits[0]));
        const w = [
          p * (1 - rho[2 * tau]),
          p * rho[2 * tau],
          (1 - p) * (1 - rho[2 * tau + 1]),
          (1 - p) * rho[2 * tau + 1],
        ];
        const mean = new Float64Array(10);
        inputs.forEach((x, b) => {
          ws.hs.set(h);
          model.gru.forward(Float32Array.from(x), ws);
          const mine = field.branchAt(tau, b);
          for (let j = 0; j < 10; j++) {
            assert.ok(Math.abs(mine[j] - ws.outputs[j]) < 1e-5, `τ ${tau}, outcome ${b}, h[${j}]`);
            mean[j] += w[b] * ws.outputs[j];
          }
        });
        const next = field.hiddenAt(tau + 1);
        for (let j = 0; j < 10; j++) assert.ok(Math.abs(next[j] - mean[j]) < 1e-5, `h_${tau + 1}[${j}]`);
      }
    });

    it("∂J/∂ρ through the recurrence matches finite differences", () => {
      const field = new GruMeanField(model);
      const grad = new Float64Array(2 * R);
      field.targetChoices(h0, rho, R, grad);
      const J = (r: Float64Array) => field.targetChoices(h0, r, R, new Float64Array(2 * R));
      const h = 1e-6;
      let norm = 0;
      for (let k = 0; k < 2 * R; k++) {
        const plus = Float64Array.from(rho);
        const minus = Float64Array.from(rho);
        plus[k] += h;
        minus[k] -= h;
        const fd = (J(plus) - J(minus)) / (2 * h);
        norm += Math.abs(fd);
        assert.ok(Math.abs(grad[k] - fd) < 1e-7 + 1e-5 * Math.abs(fd), `∂J/∂ρ[${k}] ${grad[k]} vs ${fd}`);
      }
      assert.ok(norm > 1e-3, `the gradient is not trivially zero (Σ|∂J/∂ρ| = ${norm})`);
      assert.equal(grad[2 * (R - 1)], 0, "the last trial's rewards come after the last choice counted");
    });
  });
});
