/**
 * LOLA-OM (src/learners/exact/lolaOm.ts): the observation counts against their exact expectation (the chain's
 * state distribution propagated step by step), the estimator against its closed form, and the update against exact
 * LOLA as the number of observed games grows.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agent2State, buildChain } from "../src/exact/chain.js";
import { memoryOneGame } from "../src/exact/derivatives.js";
import { gamePreset } from "../src/games/presets.js";
import { createExactLearner } from "../src/learners/exact/index.js";
import { createLolaOm, estimateLogits, observeOpponent } from "../src/learners/exact/lolaOm.js";
import { InputError } from "../src/util/errors.js";
import { logit } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

const ipd = gamePreset("ipd-lola");
const self = [0.7, 0.9, 0.2, 0.6, 0.4];
const opp = [0.5, 0.8, 0.3, 0.55, 0.25];

/** Expected visits of each opponent own-view state in T steps from the start. */
function expectedVisits(T: number): Float64Array {
  const p0 = new Float64Array(4);
  const P = new Float64Array(16);
  const both = Float64Array.from([...self, ...opp]);
  buildChain(both, 0, both, 5, p0, P);
  const visits = new Float64Array(5);
  visits[0] = 1;
  let dist = Float64Array.from(p0);
  for (let t = 1; t < T; t++) {
    for (let j = 0; j < 4; j++) visits[agent2State(j)] += dist[j];
    const next = new Float64Array(4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) next[j] += dist[i] * P[4 * i + j];
    dist = next;
  }
  return visits;
}

describe("LOLA-OM", () => {
  it("the observed counts match the chain's expected visits and the opponent's P(C) per state", () => {
    const n = 40_000;
    const T = 10;
    const visits = new Float64Array(5);
    const coop = new Float64Array(5);
    observeOpponent(self, opp, n, T, Rng.seeded(11), visits, coop);
    const expected = expectedVisits(T);
    for (let s = 0; s < 5; s++) {
      // Per-game visits lie in [0, T]: sd of the mean ≤ T / (2√n) = 0.025; 5 sd.
      assert.ok(
        Math.abs(visits[s] / n - expected[s]) < 0.125,
        `state ${s}: ${visits[s] / n} vs ${expected[s]}`,
      );
      const rate = coop[s] / visits[s];
      assert.ok(Math.abs(rate - opp[s]) < 5 * Math.sqrt(0.25 / visits[s]), `state ${s} rate ${rate}`);
    }
    assert.equal(
      visits.reduce((a, b) => a + b, 0),
      n * T,
    );
  });

  it("the estimate is the Beta(a, a) posterior mean's logit, finite at pure and empty counts", () => {
    const out = estimateLogits([4, 0, 10, 2, 7], [3, 0, 10, 0, 7], 0.5, new Float64Array(5));
    const want = [logit(3.5 / 5), 0, logit(10.5 / 11), logit(0.5 / 3), logit(7.5 / 8)];
    for (let s = 0; s < 5; s++) assert.ok(Math.abs(out[s] - want[s]) < 1e-12);
  });

  it("with many observed games the update approaches exact LOLA's; with one game it does not", () => {
    const diff = memoryOneGame(ipd, 0.96);
    const theta = Float64Array.from([...self, ...opp].map((p) => logit(p)));
    const point = diff.createEvaluator();
    point.evaluate(theta, 0);
    const exact = new Float64Array(5);
    createExactLearner({ name: "lola", eta: 1 }, diff).direction(point, theta, 0, 0, exact);
    const errorWith = (n: number, seed: number) => {
      const om = createLolaOm(
        { name: "lola", eta: 1 },
        diff,
        { trajectories: n, horizon: 50 },
        Rng.seeded(seed),
      );
      const d = new Float64Array(5);
      om.direction(point, theta, 0, 0, d);
      let num = 0;
      let den = 0;
      for (let a = 0; a < 5; a++) {
        num += (d[a] - exact[a]) ** 2;
        den += exact[a] ** 2;
      }
      return Math.sqrt(num / den);
    };
    const big = errorWith(20_000, 1);
    assert.ok(big < 0.05, `relative error with n = 20000: ${big}`);
    assert.ok(errorWith(1, 2) > 2 * big);
  });

  it("bad fidelity settings name the field", () => {
    const diff = memoryOneGame(ipd, 0.96);
    assert.throws(
      () =>
        createLolaOm({ name: "lola" }, diff, { trajectories: 0, horizon: 5 }, Rng.seeded(1), "agents[0].om"),
      (e: unknown) => e instanceof InputError && e.field === "agents[0].om.trajectories",
    );
  });
});
