/**
 * The coin-league's player labels come from the learner registry (each entry's `shortLabel`, else `label`), and
 * they are the labels the league used when it listed them by hand: stored league metrics (`reward.AA.PPO`) and
 * the docs keep their names. Labels are parts of metric names, so none holds a dot.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LEARNER_LABELS } from "../src/experiments/kinds/coinLeague.js";
import { NEURAL_LEARNER_NAMES } from "../src/learners/neural/index.js";

describe("coin-league learner labels", () => {
  it("derive from the registry and equal the hand-written list they replace", () => {
    assert.deepEqual(LEARNER_LABELS, {
      ppo: "PPO",
      "ppo-sum": "PPO-sum",
      aa: "AA",
      paa: "PAA",
      "lola-dice": "LOLA-DiCE",
    });
    assert.deepEqual(Object.keys(LEARNER_LABELS), NEURAL_LEARNER_NAMES);
    for (const label of Object.values(LEARNER_LABELS)) assert.doesNotMatch(label, /\./);
  });
});
