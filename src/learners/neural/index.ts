/**
 * The neural Coin Game learners, one entry each (issue 13 §1's learner-entry contract: name, label, family,
 * summary, reference, a zod schema holding every hyperparameter once with its default and doc, and `create`).
 * CLI flags, help, experiment schemas and validation derive from these entries; the registry
 * (src/learners/registry.ts) lists them beside the tabular ones (wiring them in is the coordinator's merge step).
 */
import type * as z from "../../zod.js";
import type { LearnerEntry } from "../entry.js";
import { AaLearner, aaSchema } from "./aa.js";
import type { NeuralContext, NeuralLearner } from "./learner.js";
import { lolaDiceEntry } from "./lolaDice.js";
import { PaaLearner, paaSchema } from "./paa.js";
import { PpoLearner, ppoSchema } from "./ppo.js";
import { createPpoSum } from "./ppoSum.js";

/** src/learners/entry.ts's `LearnerEntry` (issue 13 §1) for the neural family. */
export type NeuralLearnerEntry<Config extends object> = LearnerEntry<Config, NeuralContext, NeuralLearner> & {
  readonly family: "neural";
};

export const ppoEntry: NeuralLearnerEntry<z.output<typeof ppoSchema>> = {
  name: "ppo",
  label: "PPO",
  family: "neural",
  summary: "PPO on its own reward (GAE, clipped surrogate, GRU actor and critic): the selfish baseline",
  reference: "Schulman et al. 2017, arXiv 1707.06347; CleanRL ppo.py",
  schema: ppoSchema,
  create: (config, ctx) => new PpoLearner(config, ctx),
};

export const ppoSumEntry: NeuralLearnerEntry<z.output<typeof ppoSchema>> = {
  name: "ppo-sum",
  label: "PPO (sum of rewards)",
  shortLabel: "PPO-sum",
  family: "neural",
  summary: "PPO on the sum of both agents' rewards: the prosocial baseline",
  reference: "Duque et al., ICLR 2025 (the ppo_p baseline)",
  schema: ppoSchema,
  create: (config, ctx) => createPpoSum(config, ctx),
};

export const aaEntry: NeuralLearnerEntry<z.output<typeof aaSchema>> = {
  name: "aa",
  label: "Advantage Alignment",
  shortLabel: "AA",
  family: "neural",
  summary: "REINFORCE with A* = A + β·γ·(Σ γ^{t−k} A_k)·A^opp, own and opponent GRU critics",
  reference: "Duque et al., Advantage Alignment Algorithms, ICLR 2025 (Algorithm 1)",
  schema: aaSchema,
  create: (config, ctx) => new AaLearner(config, ctx),
};

export const paaEntry: NeuralLearnerEntry<z.output<typeof paaSchema>> = {
  name: "paa",
  label: "Proximal Advantage Alignment",
  shortLabel: "PAA",
  family: "neural",
  summary: "PPO's clipped update with its advantages replaced by A*",
  reference: "Duque et al., Advantage Alignment Algorithms, ICLR 2025 (Algorithm 2)",
  schema: paaSchema,
  create: (config, ctx) => new PaaLearner(config, ctx),
};

// biome-ignore lint/suspicious/noExplicitAny: a list of entries with different config types
export const NEURAL_LEARNERS: readonly NeuralLearnerEntry<any>[] = [
  ppoEntry,
  ppoSumEntry,
  aaEntry,
  paaEntry,
  lolaDiceEntry,
];
export const NEURAL_LEARNER_NAMES = NEURAL_LEARNERS.map((e) => e.name);

/** The entry called `name`, or undefined. */
export function neuralLearnerEntry(name: string): NeuralLearnerEntry<object> | undefined {
  return NEURAL_LEARNERS.find((e) => e.name === name);
}
