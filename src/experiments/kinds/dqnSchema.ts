/**
 * The config of a DQN adversary (src/envs/rl/dqn.ts), one schema for the bandit's and the trust task's: the
 * paper's settings are in dqn.ts's header and the experiment pages; defaults here are our scaled-down ones.
 */
import * as z from "../../zod.js";
import { DQN_DEFAULTS } from "../../envs/rl/dqn.js";

/** Each field's type and bounds, declared once (with defaults in `dqnSchema`, without in `dqnOverridesSchema`). */
const FIELDS = {
  /** Episodes per training game, and games played in lockstep (the paper: 1000 games). */
  episodes: z.number().int().min(1).max(100_000),
  games: z.number().int().min(1).max(10_000),
  hidden: z.number().int().min(1).max(1024),
  lr: z.number().gt(0).max(1),
  epsilon: z.number().min(0).max(1),
  minibatch: z.number().int().min(1).max(100_000),
  buffer: z.number().int().min(1).max(10_000_000),
  targetEvery: z.number().int().min(1).max(1_000_000),
};

export function dqnSchema(defaults: { episodes: number; games: number }) {
  const schema = z.strictObject({
    episodes: FIELDS.episodes.default(defaults.episodes),
    games: FIELDS.games.default(defaults.games),
    hidden: FIELDS.hidden.default(DQN_DEFAULTS.hidden),
    lr: FIELDS.lr.default(DQN_DEFAULTS.lr),
    epsilon: FIELDS.epsilon.default(DQN_DEFAULTS.epsilon),
    minibatch: FIELDS.minibatch.default(DQN_DEFAULTS.minibatch),
    buffer: FIELDS.buffer.default(DQN_DEFAULTS.buffer),
    targetEvery: FIELDS.targetEvery.default(DQN_DEFAULTS.targetEvery),
  });
  return schema.default(schema.parse({}));
}

/** The same fields, each optional and without a default: overrides of a DQN config (e.g. a selection's configs). */
export function dqnOverridesSchema() {
  return z.strictObject(FIELDS).partial();
}
