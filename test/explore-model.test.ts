/**
 * The explorer's computations without a browser (web/dynamicsModel.ts, web/portraitModel.ts): the dynamics run
 * equals a plain trainExact call, its curve statistics are the per-seed mean and sd, and the phase portraits show
 * the classic pictures (matching pennies: naive learners spiral outward, LOLA converges to (0.5, 0.5); tandem:
 * LOLA overshoots past x + y = 1, SOS stays on it).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gamePreset } from "../src/games/presets.js";
import { trainExact } from "../src/learners/exact/train.js";
import { InputError } from "../src/util/errors.js";
import { mean, sd } from "../src/util/stats.js";
import { DEFAULT_DYNAMICS, runDynamics } from "../web/dynamicsModel.js";
import { defaultPortraitSettings, trajectory, vectorField } from "../web/portraitModel.js";

test("the dynamics run ends exactly where a plain trainExact call does", () => {
  for (const learners of [
    ["lola", "naive"],
    ["sos", "lookahead"],
  ] as const) {
    const settings = {
      ...DEFAULT_DYNAMICS,
      learners: [...learners] as typeof DEFAULT_DYNAMICS.learners,
      steps: 30,
    };
    settings.seeds = 6;
    const run = runDynamics(settings);
    const once = trainExact({
      game: gamePreset(settings.game),
      gamma: settings.gamma,
      learners: [
        { name: learners[0], lr: 1, eta: 1, beta: 1, lookahead: 1 },
        { name: learners[1], lr: 1, eta: 1, beta: 1, lookahead: 1 },
      ],
      steps: 30,
      seeds: 6,
      seed: 0,
    });
    assert.deepEqual(run.final.theta, once.theta);
    assert.deepEqual(run.final.rewardPerStep, once.rewardPerStep);
    assert.equal(run.final.steps, 30);
    // Its mean curve is trainExact's curve; its sd is the per-seed sd at the end.
    for (let i = 0; i < once.curve.length; i++)
      assert.ok(Math.abs(run.rewardMean[i] - once.curve[i]) < 1e-12);
    for (let agent = 0; agent < 2; agent++) {
      const last = Array.from({ length: 6 }, (_, s) => once.rewardPerStep[2 * s + agent]);
      assert.ok(Math.abs(run.rewardSd[2 * 30 + agent] - sd(last)) < 1e-12);
      assert.ok(Math.abs(run.rewardMean[2 * 30 + agent] - mean(last)) < 1e-12);
    }
  }
});

test("the dynamics defaults are the LOLA paper's headline: LOLA–LOLA ≈ −1.05, naive–naive −2", () => {
  const lola = runDynamics(DEFAULT_DYNAMICS);
  for (const agent of [0, 1]) {
    const r = lola.rewardMean[2 * 200 + agent];
    assert.ok(r > -1.15 && r < -0.95, `LOLA agent ${agent + 1}: ${r}`);
  }
  assert.ok(lola.final.tftFraction > 0.2);
  const naive = runDynamics({ ...DEFAULT_DYNAMICS, learners: ["naive", "naive"] });
  for (const agent of [0, 1]) assert.ok(Math.abs(naive.rewardMean[2 * 200 + agent] + 2) < 0.01);
  assert.throws(() => runDynamics({ ...DEFAULT_DYNAMICS, gamma: 1 }), InputError);
  assert.throws(() => runDynamics({ ...DEFAULT_DYNAMICS, game: "nope" }), InputError);
});

const distanceFromCentre = ([x, y]: [number, number]) => Math.hypot(x - 0.5, y - 0.5);

test("matching pennies: naive learners spiral outward, LOLA and SOS converge to (0.5, 0.5)", () => {
  const start: [number, number] = [0.6, 0.6];
  const naive = trajectory({ ...defaultPortraitSettings("imp"), learners: ["naive", "naive"] }, start);
  assert.equal(naive.points.length, 201);
  assert.ok(distanceFromCentre(naive.points[200]) > 0.3, `naive ends at ${naive.points[200]}`);
  for (const name of ["lola", "sos"] as const) {
    const path = trajectory({ ...defaultPortraitSettings("imp"), learners: [name, name] }, start);
    assert.ok(distanceFromCentre(path.points[200]) < 0.005, `${name} ends at ${path.points[200]}`);
  }
  // The field: one arrow per grid point, all finite, circling the centre (naive: (+, −) above-right of it).
  const field = vectorField({ ...defaultPortraitSettings("imp"), learners: ["naive", "naive"] }, 9);
  assert.equal(field.length, 81);
  assert.ok(field.every((a) => [a.x, a.y, a.dx, a.dy].every(Number.isFinite)));
  const upperRight = field.find((a) => a.x > 0.7 && a.x < 0.8 && a.y > 0.7 && a.y < 0.8)!;
  assert.ok(upperRight.dx > 0 && upperRight.dy < 0, JSON.stringify(upperRight));
});

test("tandem: LOLA overshoots past x + y = 1, SOS settles on it", () => {
  const start: [number, number] = [0.1, -0.2];
  const sum = (p: [number, number]) => p[0] + p[1];
  const lola = trajectory(defaultPortraitSettings("tandem"), start);
  assert.ok(sum(lola.points[60]) > 1.2, `LOLA ends at ${lola.points[60]}`);
  const sos = trajectory({ ...defaultPortraitSettings("tandem"), learners: ["sos", "sos"] }, start);
  assert.ok(Math.abs(sum(sos.points[60]) - 1) < 0.01, `SOS ends at ${sos.points[60]}`);
  assert.throws(() => trajectory(defaultPortraitSettings("tandem"), [Number.NaN, 0]), InputError);
});
