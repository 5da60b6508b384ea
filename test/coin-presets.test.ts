/**
 * The Coin Game presets' budgets (src/learners/neural/presets.ts): a preset may give one learner its own number of
 * updates and batch (`small`: AA 900 updates of 256 games, the others 300 of 128), and every place that trains
 * from a preset reads it the same way: `shapelab train --env coin --preset small` and the coin-train experiment's
 * cases (whose AA case sets `budget.updates` and `budget.batch` to the preset's AA budget, while its `paper`
 * preset keeps one budget for all).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coinTrainOptions } from "../src/cli/commands/trainCoin.js";
import { applyPreset } from "../src/experiments/overrides.js";
import { planRuns } from "../src/experiments/plan.js";
import { COIN_PRESETS, presetBudget } from "../src/learners/neural/presets.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";

const notGiven = () => false;

describe("coin presets: per-learner budgets", () => {
  it("presetBudget: the learner's own updates and batch where the preset has them, else the preset's", () => {
    const small = COIN_PRESETS.small;
    assert.deepEqual(presetBudget(small, "aa"), { updates: 900, batch: 256 });
    for (const learner of ["paa", "ppo", "ppo-sum", "lola-dice"])
      assert.deepEqual(presetBudget(small, learner), { updates: 300, batch: 128 });
    assert.deepEqual(presetBudget(COIN_PRESETS.paper, "aa"), { updates: 25_000, batch: 512 });
  });

  it("train --env coin --preset small: AA 900 × 256, PPO 300 × 128, an explicit --updates or --batch wins", () => {
    const budget = (o: { updates: number; batch: number }) => ({ updates: o.updates, batch: o.batch });
    assert.deepEqual(budget(coinTrainOptions({ a: "aa", preset: "small" }, notGiven)), {
      updates: 900,
      batch: 256,
    });
    assert.deepEqual(budget(coinTrainOptions({ a: "ppo", preset: "small" }, notGiven)), {
      updates: 300,
      batch: 128,
    });
    const given = (key: string) => key === "updates" || key === "batch";
    assert.deepEqual(
      budget(coinTrainOptions({ a: "aa", preset: "small", updates: "12", batch: "8" }, given)),
      {
        updates: 12,
        batch: 8,
      },
    );
    assert.deepEqual(budget(coinTrainOptions({ a: "aa" }, notGiven)), { updates: 200, batch: 128 });
  });

  it("coin-train: each case trains its learner's small budget; the paper preset 25 000 × 512 for every case", () => {
    const base = loadNamedExperiment("coin-train").config;
    const budgets = (config: typeof base) =>
      Object.fromEntries(
        planRuns(config)
          .filter((u) => u.seed === config.seeds.base)
          .map((u) => {
            const { updates, batch } = u.config.budget as { updates: number; batch: number };
            return [u.caseName, { updates, batch }];
          }),
      );
    const learners = { AA: "aa", PAA: "paa", PPO: "ppo", "PPO-sum": "ppo-sum", "LOLA-DiCE": "lola-dice" };
    const small = budgets(base);
    for (const [name, learner] of Object.entries(learners))
      assert.deepEqual(small[name], presetBudget(COIN_PRESETS.small, learner), name);
    const paper = budgets(applyPreset(base, "paper"));
    for (const name of Object.keys(learners))
      assert.deepEqual(paper[name], { updates: 25_000, batch: 512 }, name);
  });
});
