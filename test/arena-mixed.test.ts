/**
 * Exact learners training together with sampled learners (src/learners/sampled/exactSeat.ts, src/arena/learners.ts):
 * the exact seat's update is the exact learner's own rule at both seats' logits, mixed arena cells are filled and
 * deterministic, and LOLA in an exact seat behaves differently from a naive learner.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runArena } from "../src/arena/learners.js";
import { memoryOneGame } from "../src/exact/derivatives.js";
import { gamePreset, parsePayoffs } from "../src/games/presets.js";
import { trainExact } from "../src/learners/exact/train.js";
import { ExactSeat } from "../src/learners/sampled/exactSeat.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import { InputError } from "../src/util/errors.js";
import { logit, sigmoid } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");
const gamma = 0.9;

function randomLogits(seeds: number, seed: number): Float64Array {
  const theta = new Float64Array(10 * seeds);
  Rng.seeded(seed).fillNormal(theta, 0, 1);
  return theta;
}

test("exact naive seat: Δθ_i = lr·∇_iV_i of the exact engine (both seats), same as one trainExact step", () => {
  const seeds = 3;
  const lr = 0.3;
  const theta = randomLogits(seeds, 11);
  const evaluator = memoryOneGame(game, gamma).createEvaluator();
  const grad = new Float64Array(5);
  for (const agent of [0, 1] as const) {
    const seat = new ExactSeat(
      { game, gamma, seeds, gamesPerSeed: 1, horizon: 1, agent },
      { name: "naive", lr },
    );
    const delta = new Float64Array(5 * seeds);
    // The exact seat reads only the logits: no rollout is needed.
    seat.step(
      { traj: undefined as never, theta, pC: new Float64Array(0), rollout: () => undefined as never },
      delta,
    );
    const stepped = trainExact({
      game,
      gamma,
      learners:
        agent === 0 ? [{ name: "naive", lr }, { name: "fixed" }] : [{ name: "fixed" }, { name: "naive", lr }],
      steps: 1,
      seeds,
      init: theta,
    }).theta;
    for (let k = 0; k < seeds; k++) {
      assert.ok(evaluator.evaluate(theta, 10 * k));
      evaluator.gradientBlock(agent, agent, grad);
      for (let s = 0; s < 5; s++) {
        const i = 10 * k + 5 * agent + s;
        assert.ok(Math.abs(delta[5 * k + s] - lr * grad[s]) <= 1e-12, `agent ${agent} seed ${k} state ${s}`);
        assert.ok(Math.abs(delta[5 * k + s] - (stepped[i] - theta[i])) <= 1e-12);
        assert.notEqual(delta[5 * k + s], 0);
      }
    }
    assert.deepEqual(seat.diverged, []);
  }
});

test("exact LOLA seat vs pg: one update applies LOLA's rule exactly, and differs from naive", () => {
  const theta = Array.from(randomLogits(1, 5));
  const lr = 0.2;
  const eta = 2;
  const run = (exact: { name: "naive" | "lola"; lr: number; eta?: number }) =>
    trainSampled({
      game,
      gamma,
      learners: [
        { name: "exact", exact },
        { name: "pg", lr: 0.5 },
      ],
      batch: 8,
      rollout: 10,
      updates: 1,
      seeds: 1,
      seed: 3,
      init: { kind: "logits", theta },
    });
  const lola = run({ name: "lola", lr, eta });
  const naive = run({ name: "naive", lr });
  const evaluator = memoryOneGame(game, gamma).createEvaluator();
  assert.ok(evaluator.evaluate(theta, 0));
  const grad = new Float64Array(5);
  const term = new Float64Array(5);
  evaluator.gradientBlock(0, 0, grad);
  evaluator.lolaTerm(0, term);
  let differs = 0;
  for (let s = 0; s < 5; s++) {
    const lolaLogit = logit(lola.finalPC[0][0][s]);
    const expected = theta[s] + lr * (grad[s] + eta * term[s]);
    assert.ok(Math.abs(sigmoid(expected) - lola.finalPC[0][0][s]) <= 1e-12, `state ${s}`);
    assert.ok(Math.abs(sigmoid(theta[s] + lr * grad[s]) - naive.finalPC[0][0][s]) <= 1e-12, `state ${s}`);
    differs = Math.max(differs, Math.abs(lolaLogit - logit(naive.finalPC[0][0][s])));
  }
  assert.ok(differs > 1e-3, `LOLA and naive seats moved alike (max logit gap ${differs})`);
  // Same rollouts for the pg seat in both runs: its first update sees the same data.
  assert.deepEqual(lola.finalPC[0][1], naive.finalPC[0][1]);
});

test("arena: naive (exact) vs pg (sampled) cell is filled, finite, deterministic; LOLA's cell differs", () => {
  const options = { seeds: 2, updates: 40, batch: 16, rollout: 20, steps: 40, evalTurns: 60, gamma };
  const names = ["naive(lr=0.1)", "lola(lr=0.1)", "pg"];
  const first = runArena(names, game, options);
  const second = runArena(names, game, options);
  assert.deepEqual(first, second);
  for (const row of [0, 1]) {
    for (const [r, c] of [
      [row, 2],
      [2, row],
    ]) {
      assert.ok(Number.isFinite(first.rowReward[r][c]), `cell ${r},${c}`);
      assert.ok(Number.isFinite(first.colReward[r][c]), `cell ${r},${c}`);
      assert.ok(first.exactRowReward[r][c] !== null && Number.isFinite(first.exactRowReward[r][c]));
      assert.equal(first.perSeed[r][c]?.length, 2);
    }
  }
  assert.deepEqual(first.notes, []);
  assert.notDeepEqual(first.policies[0][2], first.policies[1][2]);
});

test("exact seat: divergence is frozen and reported, never NaN; a strategy opponent is refused", () => {
  // Payoffs of order 1e6 make every gradient entry ≫ 1, so lr·gradient overflows on the first update of every seed.
  const r = trainSampled({
    game: parsePayoffs("3e6,0,5e6,1e6"),
    gamma,
    learners: [{ name: "exact", exact: { name: "naive", lr: 1.7e308 } }, { name: "pg" }],
    batch: 4,
    rollout: 5,
    updates: 3,
    seeds: 2,
    seed: 1,
  });
  assert.ok(r.diverged.length > 0);
  assert.equal(r.diverged[0].step, 0);
  for (const seed of r.finalPC) for (const seat of seed) for (const p of seat) assert.ok(Number.isFinite(p));
  assert.throws(
    () =>
      trainSampled({
        game,
        gamma,
        learners: [
          { name: "exact", exact: { name: "lola" } },
          { name: "strategy", strategy: "Grudger" },
        ],
        batch: 4,
        rollout: 5,
        updates: 1,
        seeds: 1,
        seed: 1,
      }),
    InputError,
  );
});
