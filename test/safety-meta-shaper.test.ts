/**
 * The meta-shaper's unrolled gradient (src/learners/exact/metaShaper.ts) against central finite differences of an
 * objective recomputed independently here (values from `discountedValues`, the opponent's steps from the batch
 * `valuesAndGradients`, not the evaluator the adjoint uses).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { valuesAndGradients } from "../src/exact/derivatives.js";
import { discountedValues, probabilities } from "../src/exact/values.js";
import { gamePreset } from "../src/games/presets.js";
import {
  type MetaShaperProblem,
  optimiseMetaShaper,
  unrolledObjective,
} from "../src/learners/exact/metaShaper.js";
import { turnOf } from "../src/experiments/kinds/treacherousTurn.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const ipd = gamePreset("ipd-lola");

/** L = Σ_k γm^k V₁(θ_k, φ_k) with φ_{k+1} = φ_k + α∇_φV₂, from the batch APIs. */
function independentObjective(p: MetaShaperProblem, thetas: Float64Array): number {
  const phi = Float64Array.from(p.phi0);
  let total = 0;
  let w = 1;
  for (let k = 0; k <= p.steps; k++) {
    const joint = new Float64Array(10);
    joint.set(thetas.subarray(5 * k, 5 * k + 5), 0);
    joint.set(phi, 5);
    total += w * discountedValues(p.game, probabilities(joint), p.gamma)[0];
    w *= p.gammaMeta;
    const { gradients } = valuesAndGradients(p.game, joint, p.gamma);
    for (let a = 0; a < 5; a++) phi[a] += p.alpha * gradients[10 + 5 + a];
  }
  return total;
}

describe("meta-shaper", () => {
  const rng = Rng.seeded(7);
  const K = 6;
  const problem: MetaShaperProblem = {
    game: ipd,
    gamma: 0.9,
    alpha: 0.7,
    gammaMeta: 0.95,
    phi0: Array.from({ length: 5 }, () => rng.normal()),
    steps: K,
  };
  const thetas = new Float64Array(5 * (K + 1));
  rng.fillNormal(thetas);

  it("the forward objective equals the independent recomputation", () => {
    const { objective } = unrolledObjective(problem, thetas);
    assert.ok(Math.abs(objective - independentObjective(problem, thetas)) < 1e-10);
  });

  it("the adjoint gradient matches central finite differences in every coordinate of the plan", () => {
    const grad = new Float64Array(thetas.length);
    unrolledObjective(problem, thetas, grad);
    const h = 1e-5;
    let worst = 0;
    for (let a = 0; a < thetas.length; a++) {
      const plus = Float64Array.from(thetas);
      const minus = Float64Array.from(thetas);
      plus[a] += h;
      minus[a] -= h;
      const fd = (independentObjective(problem, plus) - independentObjective(problem, minus)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - grad[a]) / Math.max(1, Math.abs(fd)));
    }
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
    // The late steps' policies must also shape: θ_0's gradient differs from the myopic ∇_θV₁.
    const myopic = new Float64Array(5 * (K + 1));
    unrolledObjective({ ...problem, alpha: 0 }, thetas, myopic);
    assert.ok(Math.abs(myopic[0] - grad[0]) > 1e-6, "the opponent's response enters dL/dθ_0");
  });

  it("with K = 0 the gradient is the shaper's own ∇_θV₁", () => {
    const p0 = { ...problem, steps: 0 };
    const g = new Float64Array(5);
    const th = thetas.slice(0, 5);
    unrolledObjective(p0, th, g);
    const joint = new Float64Array(10);
    joint.set(th, 0);
    joint.set(Float64Array.from(problem.phi0), 5);
    const ref = valuesAndGradients(ipd, joint, problem.gamma).gradients;
    for (let a = 0; a < 5; a++) assert.ok(Math.abs(g[a] - ref[a]) < 1e-12);
  });

  it("Adam on the plan increases the objective", () => {
    const r = optimiseMetaShaper(problem, thetas, { iterations: 40, lr: 0.1 });
    assert.ok(r.objectiveCurve[40] > r.objectiveCurve[0] + 1e-3);
  });

  it("bad input names the field", () => {
    assert.throws(() => unrolledObjective({ ...problem, gammaMeta: 1.5 }, thetas), InputError);
    assert.throws(() => unrolledObjective(problem, thetas.slice(0, 5)), /thetas/);
  });
});

describe("treacherous-turn metrics", () => {
  it("the turn is the first step from which the shaper is above and the learner below R at every later step", () => {
    const r1 = [-1.5, -0.8, -1.2, -0.9, -0.7];
    const r2 = [-1.5, -1.2, -0.9, -1.1, -1.3];
    const t = turnOf(r1, r2, -1, -1);
    assert.equal(t.step, 3);
    assert.equal(t.happened, 1);
    assert.ok(Math.abs(t.gain - (0.1 + 0.3) / 2) < 1e-12);
    assert.ok(Math.abs(t.loss - (0.1 + 0.3) / 2) < 1e-12);
    assert.deepEqual(turnOf([-2, -0.5, -2], [-0.5, -2, -0.5], -1, -1), {
      happened: 0,
      step: 3,
      gain: 0,
      loss: 0,
    });
  });
});
