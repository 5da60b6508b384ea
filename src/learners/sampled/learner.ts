/**
 * The contract every sampled learner in this folder implements, and the small gradient-ascent optimiser they
 * share.
 *
 * A learner plays one seat (agent 0 or 1) for ALL seeds at once: its state (critic tables, optimiser moments) is
 * batched `[seeds, …]`. Each update the trainer rolls out the current policies of every seed in one batch
 * (`[T, seeds·gamesPerSeed, 2]`), asks both learners for their parameter changes from the same data
 * (simultaneous updates), then applies them.
 */
import * as z from "../../zod.js";
import type { Trajectories } from "../../envs/rollout.js";
import type { MatrixGame } from "../../games/game.js";
import { entropyGradient } from "../../policies/tabular.js";
import { LIMITS } from "../../util/limits.js";
import type { LearnerEntry } from "../entry.js";

export interface LearnerContext {
  readonly game: MatrixGame;
  readonly gamma: number;
  readonly seeds: number;
  readonly gamesPerSeed: number;
  readonly horizon: number;
  /** The seat this learner plays. */
  readonly agent: 0 | 1;
  /** Run seed of seed index 0 (index k is seed + k), for a learner's own random streams (default 0). */
  readonly seed?: number;
}

export interface LearnerStepInput {
  /** The shared rollout of the current policies. */
  readonly traj: Trajectories;
  /** Current logits of both seats, `[seeds, 2, 5]` (a fixed seat holds the logits of its probabilities). */
  readonly theta: Float64Array;
  /** Current cooperation probabilities of both seats, `[seeds, 2, 5]`. */
  readonly pC: Float64Array;
  /** Fresh rollouts of other probabilities `[seeds, 2, 5]` with the same batch shape (LOLA-DiCE's look-ahead). */
  rollout(pC: Float64Array): Trajectories;
}

export interface SampledLearner {
  readonly name: string;
  /** Write this seat's logit change for every seed into `delta` (`[seeds, 5]`). */
  step(input: LearnerStepInput, delta: Float64Array): void;
  /**
   * Diagnostics of the last step, by name: `[seeds]` arrays (a NaN entry marks that seed's step as not finite)
   * that the trainer averages per update over seeds without knowing what they mean (see ./train.ts).
   */
  diagnostics?(): SeedDiagnostics;
}

/**
 * Named per-seed diagnostics of one step, each `[seeds]`. A seed whose entry is 0 in every array of the learner
 * had nothing to measure at that update (e.g. no alignment term under deterministic play) and is left out of the
 * averages; a NaN entry marks the seed as diverged.
 */
export type SeedDiagnostics = Readonly<Record<string, Float64Array>>;

/** The sampled family's entry: a learner of this folder, created for one seat of a batched run. */
export type SampledLearnerEntry<Config extends object> = LearnerEntry<Config, LearnerContext, SampledLearner>;

export const OPTIMIZERS = ["sgd", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Hyperparameter fields several sampled learners share, declared once (each learner's schema lists them). */
export const SHARED_FIELDS = {
  optimizer: z
    .enum(OPTIMIZERS)
    .default("sgd")
    .describe("gradient-ascent optimiser: sgd, or adam (β1 0.9, β2 0.999, ε 1e-8)"),
  entropy: z
    .number()
    .min(0)
    .default(0)
    .describe("entropy bonus coefficient (every state, Bernoulli entropy)"),
  criticSweeps: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.criticSweeps)
    .default(5)
    .describe("TD(0) sweeps of the batch statistics per update"),
  gaeLambda: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe("GAE λ: advantages from V by GAE(λ) instead of TD / Q − V (absent: off)"),
} as const;

/**
 * Gradient ascent on `[seeds, 5]` logits: plain SGD (Δ = lr·g) or Adam (Kingma & Ba 2015, β1 0.9, β2 0.999,
 * ε 1e-8), with moments kept per seed and coordinate.
 */
export class GradientAscent {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  /** β1^t and β2^t after t steps, as running products (`**` is not bit-identical across engines). */
  private beta1Power = 1;
  private beta2Power = 1;

  constructor(
    readonly kind: OptimizerName,
    readonly lr: number,
    size: number,
  ) {
    this.m = new Float64Array(kind === "adam" ? size : 0);
    this.v = new Float64Array(kind === "adam" ? size : 0);
  }

  /** Bytes of the optimiser's moments (0 for SGD). */
  get bytes(): number {
    return this.m.byteLength + this.v.byteLength;
  }

  /** Write the ascent step for gradient `grad` into `delta`. */
  direction(grad: Float64Array, delta: Float64Array): void {
    if (this.kind === "sgd") {
      for (let i = 0; i < grad.length; i++) delta[i] = this.lr * grad[i];
      return;
    }
    this.beta1Power *= 0.9;
    this.beta2Power *= 0.999;
    const c1 = 1 - this.beta1Power;
    const c2 = 1 - this.beta2Power;
    for (let i = 0; i < grad.length; i++) {
      this.m[i] = 0.9 * this.m[i] + 0.1 * grad[i];
      this.v[i] = 0.999 * this.v[i] + 0.001 * grad[i] * grad[i];
      delta[i] = (this.lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + 1e-8);
    }
  }
}

/** This seat's slice of a `[seeds, 2, 5]` array, copied into `[seeds, 5]`. */
export function seatSlice(all: Float64Array, agent: 0 | 1, seeds: number, out: Float64Array): Float64Array {
  for (let k = 0; k < seeds; k++) for (let s = 0; s < 5; s++) out[k * 5 + s] = all[k * 10 + 5 * agent + s];
  return out;
}

/** Add the entropy bonus `coef · ∂H_s/∂θ_s` (every state, Bernoulli entropy) to `grad` (`[seeds, 5]`). */
export function addEntropyGradient(
  theta: Float64Array,
  agent: 0 | 1,
  seeds: number,
  coef: number,
  grad: Float64Array,
): void {
  if (coef === 0) return;
  for (let k = 0; k < seeds; k++) {
    for (let s = 0; s < 5; s++) {
      grad[k * 5 + s] += coef * entropyGradient(theta[k * 10 + 5 * agent + s]);
    }
  }
}
