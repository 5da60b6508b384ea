/**
 * The Coin Game presets' budgets (src/learners/neural/presets.ts): a preset may give one learner its own number of
 * updates (`small`: AA 900, the others 300), and every place that trains from a preset reads it the same way:
 * `shapelab train --env coin --preset small` and the coin-train experiment's cases (whose AA case sets
 * `budget.updates` to the preset's AA budget, while its `paper` preset keeps one budget for all).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coinTrainOptions } from "../src/cli/commands/trainCoin.js";
import { applyPreset } from "../src/experiments/overrides.js";
import { planRuns } from "../src/experiments/plan.js";
import { COIN_PRESETS, presetUpdates } from "../src/learners/neural/presets.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";

const notGiven = () => false;

describe("coin presets: per-learner budgets", () => {
  it("presetUpdates: the learner's own count where the preset has one, else the preset's", () => {
    const small = COIN_PRESETS.small;
    assert.equal(presetUpdates(small, "aa"), 900);
    for (const learner of ["paa", "ppo", "ppo-sum", "lola-dice"])
      assert.equal(presetUpdates(small, learner), 300);
    assert.equal(presetUpdates(COIN_PRESETS.paper, "aa"), 25_000);
  });

  it("train --env coin --preset small: AA 900 updates, PPO 300, an explicit --updates wins", () => {
    assert.equal(coinTrainOptions({ a: "aa", preset: "small" }, notGiven).updates, 900);
    assert.equal(coinTrainOptions({ a: "ppo", preset: "small" }, notGiven).updates, 300);
    const given = (key: string) => key === "updates";
    assert.equal(coinTrainOptions({ a: "aa", preset: "small", updates: "12" }, given).updates, 12);
    assert.equal(coinTrainOptions({ a: "aa" }, notGiven).updates, 200);
  });

  it("coin-train: each case trains its learner's small budget; the paper preset 25 000 for every case", () => {
    const base = loadNamedExperiment("coin-train").config;
    const budgets = (config: typeof base) =>
      Object.fromEntries(
        planRuns(config)
          .filter((u) => u.seed === config.seeds.base)
          .map((u) => [u.caseName, (u.config.budget as { updates: number }).updates]),
      );
    const learners = { AA: "aa", PAA: "paa", PPO: "ppo", "PPO-sum": "ppo-sum", "LOLA-DiCE": "lola-dice" };
    const small = budgets(base);
    for (const [name, learner] of Object.entries(learners))
      assert.equal(small[name], presetUpdates(COIN_PRESETS.small, learner), name);
    const paper = budgets(applyPreset(base, "paper"));
    for (const name of Object.keys(learners)) assert.equal(paper[name], 25_000, name);
  });
});
