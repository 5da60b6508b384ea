/**
 * The sampled schedule and paired reference (src/learners/sampled/switching.ts, `sampled-train`'s `switchAt`/`after`
 * and `params.reference`) against independent computations:
 * - a switch at 0 is the `after` learner alone, a switch after the last update is the `before` learner alone (the
 *   watching `after` moves nothing), and a switch at K plays exactly `before`'s policies up to update K and
 *   differs from then on;
 * - the trace's summaries are the means of trainSampled's own exact values (plus the final policies' value);
 * - a symmetric reference of a symmetric cell is the run itself (exploit = 0 exactly), and of an asymmetric cell
 *   it is the run with agent 1's β set to agent 2's, from the same seed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { perStepValues } from "../src/exact/values.js";
import { sampledTrainKind } from "../src/experiments/kinds/sampledTrain.js";
import type { RunConfig } from "../src/experiments/types.js";
import { gamePreset } from "../src/games/presets.js";
import { type LearnerSpec, trainSampled } from "../src/learners/sampled/train.js";
import { InputError } from "../src/util/errors.js";

const ipd = gamePreset("ipd-lola");
const UPDATES = 8;
const weak: LearnerSpec = { name: "aa", beta: 0, lr: 0.5 };
const strong: LearnerSpec = { name: "aa", beta: 4, lr: 0.5 };
const opponent: LearnerSpec = { name: "aa", beta: 2, lr: 0.5 };

function train(first: LearnerSpec) {
  const played: number[][] = [];
  const result = trainSampled({
    game: ipd,
    gamma: 0.96,
    learners: [first, opponent],
    batch: 6,
    rollout: 20,
    updates: UPDATES,
    seeds: 1,
    seed: 4,
    onPlayed: (_, pC) => played.push([...pC]),
  });
  return { result, played };
}

type RunOutput = Awaited<ReturnType<typeof sampledTrainKind.run>>;
const runKind = (config: RunConfig, seed: number) => sampledTrainKind.run(config, seed) as RunOutput;

const base: RunConfig = {
  name: "t",
  kind: "sampled-train",
  game: "ipd-lola",
  gamma: 0.96,
  agents: [
    { learner: "aa", beta: 4, lr: 0.5 },
    { learner: "aa", beta: 2, lr: 0.5 },
  ],
  budget: { batch: 6, rollout: 20, updates: UPDATES },
  params: { init: "zeros" },
};

describe("switching seat", () => {
  it("at 0 is `after` alone; after the last update it is `before` alone", () => {
    const atZero = train({ name: "switch", at: 0, before: weak, after: strong });
    assert.deepEqual(atZero.result.finalPC, train(strong).result.finalPC);
    const never = train({ name: "switch", at: UPDATES, before: weak, after: strong });
    assert.deepEqual(never.result.finalPC, train(weak).result.finalPC);
    assert.deepEqual(never.played, train(weak).played);
  });

  it("at K plays `before`'s policies through update K, then differs", () => {
    const K = 4;
    const switched = train({ name: "switch", at: K, before: weak, after: strong });
    const weakOnly = train(weak);
    // The policy of update u is the result of updates 0..u−1: the first K + 1 are before's.
    assert.deepEqual(switched.played.slice(0, K + 1), weakOnly.played.slice(0, K + 1));
    assert.notDeepEqual(switched.played[K + 1], weakOnly.played[K + 1]);
    assert.equal(switched.result.learners[0], "aa→aa");
  });

  it("rejects a fixed seat inside a switch, naming the field", () => {
    assert.throws(
      () => train({ name: "switch", at: 2, before: { name: "fixed", pC: [1, 1, 1, 1, 1] }, after: strong }),
      (e: unknown) => e instanceof InputError && e.field === "learners[0].before.name",
    );
  });
});

describe("sampled-train schedule and reference", () => {
  it("a switch gives exact-schedule's summaries over trainSampled's own exact values", () => {
    const config: RunConfig = {
      ...base,
      agents: [
        { learner: "aa", beta: 0, lr: 0.5, switchAt: 3, after: { learner: "aa", beta: 4, lr: 0.5 } },
        { learner: "aa", beta: 2, lr: 0.5 },
      ],
    };
    const r = runKind(config, 7);
    const direct = trainSampled({
      game: ipd,
      gamma: 0.96,
      learners: [{ name: "switch", at: 3, before: weak, after: strong }, opponent],
      batch: 6,
      rollout: 20,
      updates: UPDATES,
      seeds: 1,
      seed: 7,
      init: { kind: "zeros" },
    });
    const finalValues = perStepValues(ipd, Float64Array.from(direct.finalPC[0].flat()), 0.96);
    const r1 = [...direct.exactPerStep.map((u) => u[0][0]), finalValues[0]];
    const r2 = [...direct.exactPerStep.map((u) => u[0][1]), finalValues[1]];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(r.final["mean.reward.1"] - mean(r1)) < 1e-12);
    assert.ok(Math.abs(r.final["mean.reward.2"] - mean(r2)) < 1e-12);
    let lure = 0;
    for (let t = 0; t < 3; t++) lure += r2[t] - r1[t];
    assert.ok(Math.abs(r.final["lure.gap"] - lure / 3) < 1e-12);
    assert.equal(r.final["reward.1"], finalValues[0]);
    assert.equal(r.series.steps.length, UPDATES + 1);
    assert.ok(r.final["dd.mean"] > 0 && r.final["dd.mean"] < 1);
  });

  it("symmetric reference: 0 on the symmetric cell; otherwise the same seed with β₁ := β₂", () => {
    const symmetricCell: RunConfig = {
      ...base,
      agents: [base.agents[1], base.agents[1]],
      params: { init: "zeros", reference: { symmetric: ["beta"] } },
    };
    const same = runKind(symmetricCell, 2);
    assert.equal(same.final.exploit, 0);
    assert.equal(same.final["ref.welfareLoss"], 0);

    const asymmetric = runKind({ ...base, params: { init: "zeros", reference: { symmetric: ["beta"] } } }, 2);
    const plain = runKind(base, 2);
    const sym = runKind({ ...base, agents: [base.agents[1], base.agents[1]] }, 2);
    assert.equal(asymmetric.final.gap, plain.final.gap);
    assert.equal(asymmetric.final["ref.gap"], sym.final.gap);
    assert.equal(asymmetric.final.exploit, plain.final.gap - sym.final.gap);
    assert.equal(asymmetric.final["exploit.taken"], sym.final["reward.2"] - plain.final["reward.2"]);
  });

  it("rejects a symmetric field that is not both learners' hyperparameter, naming it", () => {
    const config: RunConfig = {
      ...base,
      agents: [base.agents[0], { learner: "pg", lr: 0.5 }],
      params: { reference: { symmetric: ["beta"] } },
    };
    assert.throws(
      () => sampledTrainKind.check?.(config),
      (e: unknown) => e instanceof InputError && e.field === "params.reference.symmetric[0]",
    );
  });
});
