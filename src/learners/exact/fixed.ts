/**
 * Fixed policy: never updates. Used to train a learner against a given memory-one strategy (the arena's
 * "learner vs fixed strategy" matches). Give the strategy as probabilities in the spec (`probabilities`, own view
 * [start, CC, CD, DC, DD]); pure 0/1 entries become logits ±27.6 (see `ExactLearnerSpec.probabilities`).
 *
 *   θ_i ← θ_i
 */
import * as z from "../../zod.js";
import type { ExactLearner, ExactLearnerEntry } from "./learner.js";

/** No hyperparameters: the policy it plays is the seat's `probabilities`. */
export const FIXED_SCHEMA = z.strictObject({});

export function createFixed(): ExactLearner {
  return {
    name: "fixed",
    lr: 0,
    frozen: true,
    direction(_point, _theta, _offset, _agent, out) {
      out.fill(0);
    },
  };
}

export const fixedEntry: ExactLearnerEntry<z.output<typeof FIXED_SCHEMA>> = {
  name: "fixed",
  label: "fixed",
  family: "exact",
  summary: "never updates (plays its initial strategy, `probabilities`)",
  schema: FIXED_SCHEMA,
  create: createFixed,
};
