/**
 * Kind `exact-schedule` (src/experiments/kinds/exactSchedule.ts) against independent computations: without a
 * switch it is `trainExact`; with one it is `trainExact` for K updates, then `trainExact` of the new rules from
 * those logits; its mutual-defection share is the truncated power series Σ_t γ^t p0ᵀPᵗ e_DD.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildChain } from "../src/exact/chain.js";
import { probabilities } from "../src/exact/values.js";
import { exactScheduleKind } from "../src/experiments/kinds/exactSchedule.js";
import type { RunConfig } from "../src/experiments/types.js";
import { gamePreset } from "../src/games/presets.js";
import { trainExact } from "../src/learners/exact/train.js";

const ipd = gamePreset("ipd-lola");
const base: RunConfig = {
  name: "t",
  kind: "exact-schedule",
  game: "ipd-lola",
  gamma: 0.96,
  agents: [
    { learner: "lola", lr: 1, eta: 1 },
    { learner: "naive", lr: 1 },
  ],
  budget: { steps: 30 },
  params: {},
};

/** (1 − γ) Σ_{t<T} γ^t p0ᵀ Pᵗ e_DD for the pair of logits `theta` (10). */
function ddSeries(theta: Float64Array, gamma: number): number {
  const pc = probabilities(theta);
  const p0 = new Float64Array(4);
  const P = new Float64Array(16);
  buildChain(pc, 0, pc, 5, p0, P);
  let dist = Float64Array.from(p0);
  let total = 0;
  let w = 1;
  for (let t = 0; t < 3000; t++) {
    total += w * dist[3];
    w *= gamma;
    const next = new Float64Array(4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) next[j] += dist[i] * P[4 * i + j];
    dist = next;
  }
  return (1 - gamma) * total;
}

describe("exact-schedule", () => {
  it("without a switch equals trainExact (rewards and P(C), every update), and P(DD) is the power series", () => {
    const r = exactScheduleKind.run(base, 3) as Awaited<ReturnType<typeof exactScheduleKind.run>>;
    const ref = trainExact({
      game: ipd,
      learners: [{ name: "lola", eta: 1 }, { name: "naive" }],
      steps: 30,
      seeds: 1,
      seed: 3,
    });
    assert.equal(r.final["reward.1"], ref.rewardPerStep[0]);
    assert.equal(r.final["reward.2"], ref.rewardPerStep[1]);
    assert.equal(r.final["pC.1.CC"], ref.pC[1]);
    r.series.values["reward.1"].forEach((v, i) => assert.equal(v, ref.curve[2 * r.series.steps[i]]));
    assert.ok(Math.abs(r.final["dd.final"] - ddSeries(ref.theta, 0.96)) < 1e-9);
  });

  it("a switch at K is trainExact for K updates, then the new rules from those logits", () => {
    const config: RunConfig = {
      ...base,
      agents: [
        { learner: "naive", lr: 1, switchAt: 12, after: { learner: "lola", lr: 1, eta: 2 } },
        { learner: "lola", lr: 1, eta: 1 },
      ],
    };
    const r = exactScheduleKind.run(config, 5) as Awaited<ReturnType<typeof exactScheduleKind.run>>;
    const first = trainExact({
      game: ipd,
      learners: [{ name: "naive" }, { name: "lola", eta: 1 }],
      steps: 12,
      seeds: 1,
      seed: 5,
    });
    const second = trainExact({
      game: ipd,
      learners: [
        { name: "lola", eta: 2 },
        { name: "lola", eta: 1 },
      ],
      steps: 18,
      seeds: 1,
      init: first.theta,
    });
    assert.equal(r.final["reward.1"], second.rewardPerStep[0]);
    assert.equal(r.final["pC.2.DD"], second.pC[9]);
    const series = r.series.values["reward.2"];
    assert.equal(series[12], first.curve[2 * 12 + 1]);
    assert.equal(series[20], second.curve[2 * 8 + 1]);
    let lure = 0;
    for (let t = 0; t < 12; t++) lure += first.curve[2 * t + 1] - first.curve[2 * t];
    assert.ok(Math.abs(r.final["lure.gap"] - lure / 12) < 1e-12);
  });

  it("a reference equal to the pair itself costs nothing; switchAt without after is an input error", () => {
    const r = exactScheduleKind.run({ ...base, params: { reference: base.agents } }, 1) as Awaited<
      ReturnType<typeof exactScheduleKind.run>
    >;
    assert.equal(r.final["ref.welfareLoss"], 0);
    assert.throws(
      () =>
        exactScheduleKind.check?.({ ...base, agents: [{ learner: "naive", switchAt: 3 }, base.agents[1]] }),
      /agents\[0\].*switchAt and after/,
    );
  });
});
