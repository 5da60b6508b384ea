/**
 * Fixed policy: never updates. Used to train a learner against a given memory-one strategy (the arena's
 * "learner vs fixed strategy" matches). Give the strategy as probabilities in the spec (`probabilities`, own view
 * [start, CC, CD, DC, DD]); pure 0/1 entries become logits ±27.6 (see `ExactLearnerSpec.probabilities`).
 *
 *   θ_i ← θ_i
 */
import type { ExactLearner, ExactLearnerSpec } from "./learner.js";

export function createFixed(_spec: ExactLearnerSpec): ExactLearner {
  return {
    name: "fixed",
    lr: 0,
    frozen: true,
    direction(_point, _theta, _offset, _agent, out) {
      out.fill(0);
    },
  };
}
