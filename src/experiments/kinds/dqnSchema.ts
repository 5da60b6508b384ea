/**
 * The config of a DQN adversary (src/envs/rl/dqn.ts), one schema for the bandit's and the trust task's: the
 * paper's settings are in dqn.ts's header and the experiment pages; defaults here are our scaled-down ones.
 */
import { z } from "zod";
import { DQN_DEFAULTS } from "../../envs/rl/dqn.js";

export function dqnSchema(defaults: { episodes: number; games: number }) {
  const schema = z.strictObject({
    /** Episodes per training game, and games played in lockstep (the paper: 1000 games). */
    episodes: z.number().int().min(1).max(100_000).default(defaults.episodes),
    games: z.number().int().min(1).max(10_000).default(defaults.games),
    hidden: z.number().int().min(1).max(1024).default(DQN_DEFAULTS.hidden),
    lr: z.number().gt(0).max(1).default(DQN_DEFAULTS.lr),
    epsilon: z.number().min(0).max(1).default(DQN_DEFAULTS.epsilon),
    minibatch: z.number().int().min(1).max(100_000).default(DQN_DEFAULTS.minibatch),
    buffer: z.number().int().min(1).max(10_000_000).default(DQN_DEFAULTS.buffer),
    targetEvery: z.number().int().min(1).max(1_000_000).default(DQN_DEFAULTS.targetEvery),
  });
  return schema.default(schema.parse({}));
}
