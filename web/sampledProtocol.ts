/** The messages the sampled learners' worker (./sampledWorker.ts) posts to the page. */
import type { TrainSampledResult } from "../src/learners/sampled/train.js";

export type WorkerMessage =
  /** `update` updates done; the mean sampled reward per step of the last one, per agent. */
  | { kind: "progress"; update: number; rewards: [number, number] }
  | { kind: "done"; result: TrainSampledResult; ms: number }
  /** `input`: the settings were rejected (the message names the field), else an internal error. */
  | { kind: "error"; message: string; input: boolean };
