/**
 * Published-number checks compare like with like: each sweep point separately, never pooled; a sweep of a field
 * the kind ignores in some case is a config error. The table of hyperparameters each exact learner reads (which
 * decides "ignores") is checked against the learners themselves by perturbing every field.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headlines, type RunRecord } from "../src/experiments/aggregate.js";
import { validateConfig } from "../src/experiments/config.js";
import { gamePreset } from "../src/games/presets.js";
import {
  EXACT_LEARNER_HYPERPARAMETERS,
  EXACT_LEARNER_NAMES,
  type ExactLearnerSpec,
} from "../src/learners/exact/index.js";
import { trainExact } from "../src/learners/exact/train.js";

const base = {
  name: "checks",
  kind: "exact-train",
  game: "ipd-lola",
  gamma: 0.96,
  agents: [
    { learner: "lola", lr: 1, eta: 1 },
    { learner: "lola", lr: 1, eta: 1 },
  ],
  budget: { steps: 5 },
  seeds: { count: 2, base: 0 },
};

describe("published-number checks and sweeps", () => {
  it("a sweep without `at` is compared at each point separately (one headline per point, not pooled)", () => {
    const config = validateConfig({
      ...base,
      sweep: { "agents.0.eta": [0.5, 1, 2] },
      reproduces: [{ metric: "reward.1", published: -1, tolerance: 0.05, source: "test" }],
    });
    // Runs whose value is the sweep point itself: pooled they would average to 1.1667 and fail for every point.
    const runs: RunRecord[] = [0.5, 1, 2].flatMap((eta) =>
      [0, 1].map((seed) => ({ caseName: null, point: { "agents.0.eta": eta }, seed, final: { "reward.1": -eta } })),
    );
    const heads = headlines(config, runs);
    assert.deepEqual(
      heads.map((h) => [h.at, h.ours, h.n, h.pass]),
      [
        [{ "agents.0.eta": 0.5 }, -0.5, 2, false],
        [{ "agents.0.eta": 1 }, -1, 2, true],
        [{ "agents.0.eta": 2 }, -2, 2, false],
      ],
    );
    assert.deepEqual(heads[1].interval, [-1, -1], "no spread over seeds: a zero-width interval");
  });

  it("`at` still picks one point; the 95 % interval is mean ± 1.96·sd/√n", () => {
    const config = validateConfig({
      ...base,
      sweep: { "agents.0.eta": [0.5, 1] },
      reproduces: [{ metric: "reward.1", at: { "agents.0.eta": 1 }, published: -1, tolerance: 0.5, source: "t" }],
    });
    const runs: RunRecord[] = [-0.9, -1.1, -1.3].map((v, seed) => ({
      caseName: null,
      point: { "agents.0.eta": 1 },
      seed,
      final: { "reward.1": v },
    }));
    const [h] = headlines(config, runs);
    assert.equal(headlines(config, runs).length, 1);
    const half = (1.96 * 0.2) / Math.sqrt(3); // sd of −0.9, −1.1, −1.3 is 0.2
    assert.ok(Math.abs(h.interval[0] - (-1.1 - half)) < 1e-12 && Math.abs(h.interval[1] - (-1.1 + half)) < 1e-12);
  });

  it("a sweep of a field a case's learner ignores is an error naming the case (NL–NL and agents.0.eta)", () => {
    assert.throws(
      () =>
        validateConfig({
          ...base,
          cases: [
            { name: "LOLA-LOLA", set: {} },
            { name: "NL-NL", set: { "agents.0.learner": "naive", "agents.1.learner": "naive" } },
          ],
          sweep: { "agents.0.eta": [0.5, 1, 2] },
        }),
      /sweep\["agents\.0\.eta"\].*in case "NL-NL".*ignores/,
    );
    // The same sweep where every case's agent 0 reads η is fine.
    validateConfig({
      ...base,
      cases: [
        { name: "LOLA-LOLA", set: {} },
        { name: "LOLA-NL", set: { "agents.1.learner": "naive" } },
      ],
      sweep: { "agents.0.eta": [0.5, 1, 2] },
    });
  });

  it("EXACT_LEARNER_HYPERPARAMETERS matches the learners: listed fields change the run, others do not", () => {
    const game = gamePreset("ipd-lola");
    const changed: Partial<Record<keyof ExactLearnerSpec, unknown>> = {
      lr: 0.37,
      eta: 0.41,
      lookahead: 3,
      beta: 2.5,
      sosA: 0.9,
      sosB: 0.9,
      includeLookAheadTerm: true,
    };
    const run = (spec: ExactLearnerSpec) =>
      Array.from(
        trainExact({ game, gamma: 0.96, learners: [spec, { name: "naive" }], steps: 20, seeds: 4, seed: 3 }).theta,
      );
    for (const name of EXACT_LEARNER_NAMES) {
      const reference = run({ name });
      for (const [key, value] of Object.entries(changed)) {
        const differs = JSON.stringify(run({ name, [key]: value } as ExactLearnerSpec)) !== JSON.stringify(reference);
        const listed = (EXACT_LEARNER_HYPERPARAMETERS[name] as readonly string[]).includes(key);
        assert.equal(differs, listed, `${name}.${key}: ${differs ? "changes" : "does not change"} the run`);
      }
    }
  });
});
