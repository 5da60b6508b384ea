/**
 * Kind `asymmetry` (src/experiments/kinds/asymmetry.ts): with fidelity "exact" it is `trainExact`; the symmetric
 * cell has exploitation index 0 exactly; LOLA-OM cells are reproducible from the seed and differ from exact LOLA.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { asymmetryKind } from "../src/experiments/kinds/asymmetry.js";
import type { RunConfig } from "../src/experiments/types.js";
import { gamePreset } from "../src/games/presets.js";
import { trainExact } from "../src/learners/exact/train.js";

const config = (agent0: Record<string, unknown>, agent1: Record<string, unknown>): RunConfig => ({
  name: "t",
  kind: "asymmetry",
  game: "ipd-lola",
  gamma: 0.96,
  agents: [agent0, agent1],
  budget: { steps: 40 },
  params: {},
});
type Out = Awaited<ReturnType<typeof asymmetryKind.run>>;

describe("asymmetry", () => {
  it("exact fidelity is trainExact, and its symmetric pair is trainExact of agent 2's rule on both sides", () => {
    const r = asymmetryKind.run(config({ learner: "lola", eta: 3 }, { learner: "naive" }), 4) as Out;
    const ipd = gamePreset("ipd-lola");
    const main = trainExact({
      game: ipd,
      learners: [{ name: "lola", eta: 3 }, { name: "naive" }],
      steps: 40,
      seeds: 1,
      seed: 4,
    });
    const sym = trainExact({
      game: ipd,
      learners: [{ name: "naive" }, { name: "naive" }],
      steps: 40,
      seeds: 1,
      seed: 4,
    });
    assert.equal(r.final["reward.1"], main.rewardPerStep[0]);
    assert.equal(r.final["sym.reward.2"], sym.rewardPerStep[1]);
    const index =
      main.rewardPerStep[0] - main.rewardPerStep[1] - (sym.rewardPerStep[0] - sym.rewardPerStep[1]);
    assert.equal(r.final.exploit, index);
  });

  it("the symmetric cell has index 0; LOLA-OM is reproducible and differs from reading the parameters", () => {
    const same = asymmetryKind.run(config({ learner: "lola" }, { learner: "lola" }), 1) as Out;
    assert.equal(same.final.exploit, 0);
    const om = config({ learner: "lola", fidelity: 2, omHorizon: 10 }, { learner: "lola" });
    const a = asymmetryKind.run(om, 1) as Out;
    const b = asymmetryKind.run(om, 1) as Out;
    assert.deepEqual(a.final, b.final);
    assert.notEqual(a.final["reward.1"], same.final["reward.1"]);
  });
});
