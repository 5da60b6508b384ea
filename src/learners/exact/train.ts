/**
 * Training loops for exact learners: simultaneous updates of both agents from the same (θ_1, θ_2), batched over
 * seeds (one flat Float64Array, one loop over the batch).
 *
 * - `runSimultaneous` works on any differentiable two-player game (memory-one engine, tandem game).
 * - `trainExact` is the memory-one iterated game: θ ~ N(0, 1) per seed from `Rng.derive(base + seedIndex, 0)` (so a
 *   seed's run does not depend on the batch it is in), per-step rewards, P(C) per state, TFT metrics, and a curve.
 *
 * A seed whose update or value stops being finite is frozen at its last finite parameters and reported in
 * `diverged` (seed, step, learner, reason); it never turns into a silent NaN. Results are plain data.
 */
import type { DifferentiableEvaluator, DifferentiableGame, PairKernel } from "../../exact/differentiable.js";
import { memoryOneGame } from "../../exact/derivatives.js";
import { bothAgents, distanceToTft, fraction, tftLikeAgents } from "../../exact/metrics.js";
import { probabilities } from "../../exact/values.js";
import { type MatrixGame, validateGamma } from "../../games/game.js";
import { InputError } from "../../util/errors.js";
import { allFinite, logit } from "../../util/math.js";
import { Rng } from "../../util/rng.js";
import { createExactLearner, type ExactLearner, type ExactLearnerSpec } from "./index.js";

export interface DivergenceReport {
  /** Seed index within the batch (0-based). */
  seed: number;
  /** Update step (0-based) at which it happened. */
  step: number;
  /** The learner whose update was not finite ("a/b" when the joint value was). */
  learner: string;
  reason: string;
}

export interface SimultaneousRun {
  /** Game-scale values V_1, V_2 at the final parameters: [batch, 2]. */
  values: Float64Array;
  /** Mean of V_1, V_2 over the seeds still running, after each of 0..steps updates: [(steps + 1), 2]. */
  curve: Float64Array;
  diverged: DivergenceReport[];
}

/**
 * Run `steps` simultaneous updates on `theta` ([batch, 2n], changed in place). Observers:
 * - `onStep(done, meanValues)` after each update, with the mean game-scale values over running seeds;
 * - `onValues(step, values, valued)` after the values at 0..steps updates were computed: every seed's values
 *   ([batch, 2], game scale; a reused buffer) and which seeds have a value at this step ([batch] 0/1: a seed that
 *   stopped earlier keeps its last values but is 0 here).
 */
export interface SimultaneousObservers {
  onStep?: (done: number, meanValues: [number, number]) => void;
  onValues?: (step: number, values: Float64Array, valued: Uint8Array) => void;
}

export function runSimultaneous(
  game: DifferentiableGame,
  learners: [ExactLearner, ExactLearner],
  theta: Float64Array,
  steps: number,
  observers: SimultaneousObservers = {},
): SimultaneousRun {
  const { onStep, onValues } = observers;
  const batch = new SimultaneousBatch(game, learners, theta);
  const curve = new Float64Array(2 * (steps + 1));
  for (let step = 0; step <= steps; step++) {
    // Values at this step for every running seed, then (except after the last step) both updates.
    batch.step(step, step < steps);
    // With a kernel the batch works on a copy in the kernel's memory: keep the caller's θ current, so that
    // observers reading it (exactSchedule's) see each step, as without one (≈ 1 ms over a 1000-seed run).
    if (batch.theta !== theta) theta.set(batch.theta);
    const { sums } = batch;
    curve[2 * step] = sums[2] > 0 ? sums[0] / sums[2] : Number.NaN;
    curve[2 * step + 1] = sums[2] > 0 ? sums[1] / sums[2] : Number.NaN;
    onValues?.(step, batch.values, batch.valued);
    if (step > 0) onStep?.(step, [curve[2 * step], curve[2 * step + 1]]);
  }
  return { values: batch.kernel ? batch.values.slice() : batch.values, curve, diverged: batch.diverged };
}

/**
 * The batch's state and its one-step loop over the seeds. The loop is a method of its own, called once per step,
 * so that V8 optimises it as a whole function after the first calls; inside one long function it was compiled
 * on-stack mid-loop, then deoptimised at the first pass through the code after the loop (no type feedback there
 * yet), and a fresh process (`shapelab exact`) spent about 0.3 s in the interpreter and its garbage collector.
 */
class SimultaneousBatch {
  readonly n: number;
  readonly width: number;
  readonly size: number;
  readonly point: DifferentiableEvaluator;
  /** Both agents' directions side by side (agent i's block written through a view). */
  readonly joint: Float64Array;
  readonly blocks: [Float64Array, Float64Array];
  /** Each parameter's step size (0 for a frozen learner's): the update is θ += lrOf ⊙ joint. */
  readonly lrOf: Float64Array;
  readonly running: Uint8Array;
  readonly valued: Uint8Array;
  readonly values: Float64Array;
  /** Sums of V_1 and V_2 over the seeds valued at the last step, and their count. */
  readonly sums = new Float64Array(3);
  readonly diverged: DivergenceReport[] = [];
  readonly pairName: string;
  /**
   * The game's batched kernel, when both learners' rules are ones it computes: it updates pairs of seeds in its
   * own memory (`theta`, `values`, `running` are then its buffers) and this loop does only the pairs it left.
   */
  readonly kernel: PairKernel | undefined;
  /** The working logits: the caller's array, or the kernel's copy (copied back by runSimultaneous). */
  readonly theta: Float64Array;

  constructor(
    game: DifferentiableGame,
    readonly learners: [ExactLearner, ExactLearner],
    theta: Float64Array,
  ) {
    this.n = game.paramsPerAgent;
    this.width = 2 * this.n;
    this.size = theta.length / this.width;
    this.point = game.createEvaluator();
    this.joint = new Float64Array(this.width);
    this.blocks = [this.joint.subarray(0, this.n), this.joint.subarray(this.n, this.width)];
    this.lrOf = new Float64Array(this.width);
    for (let i = 0; i < 2; i++)
      this.lrOf.fill(learners[i].frozen ? 0 : learners[i].lr, i * this.n, (i + 1) * this.n);
    const [a, b] = learners;
    this.kernel =
      a.pairRule && b.pairRule && !a.frozen && !b.frozen
        ? game.createPairKernel?.([a.pairRule, b.pairRule], [a.lr, b.lr], this.size)
        : undefined;
    if (this.kernel) this.kernel.theta.set(theta);
    this.theta = this.kernel?.theta ?? theta;
    this.running = (this.kernel?.running ?? new Uint8Array(this.size)).fill(1);
    this.valued = new Uint8Array(this.size);
    this.values = this.kernel?.values ?? new Float64Array(2 * this.size);
    this.pairName = `${learners[0].name}/${learners[1].name}`;
  }

  /**
   * Evaluate every running seed at step `step` and, when `update`, apply both agents' updates.
   *
   * Nothing runs after the loop: the sums go straight into `sums`. V8 compiles this loop on-stack during the first
   * call, before any code after the loop has run; code there (it was `this.sums[0] = sum1`, …) had no type
   * feedback, so every exit from the loop deoptimised the function (11 times in a fresh `shapelab exact` run,
   * until the regular compile landed).
   */
  step(step: number, update: boolean): void {
    const { point, learners, theta, joint, blocks, lrOf, running, valued, values, width, n, sums, kernel } =
      this;
    sums[0] = 0;
    sums[1] = 0;
    sums[2] = 0;
    valued.fill(0);
    kernel?.step(update);
    const kernelSeeds = kernel ? 2 * kernel.pairs : 0;
    for (let b = 0; b < this.size; b++) {
      if (!running[b]) continue;
      if (b < kernelSeeds && kernel?.pairDone(b >> 1)) {
        // The kernel evaluated (and updated) this seed.
        valued[b] = 1;
        sums[0] += values[2 * b];
        sums[1] += values[2 * b + 1];
        sums[2]++;
        continue;
      }
      const offset = b * width;
      if (!point.evaluate(theta, offset)) {
        running[b] = 0;
        this.diverged.push({
          seed: b,
          step,
          learner: this.pairName,
          reason: "value is not finite at these parameters",
        });
        continue;
      }
      values[2 * b] = point.value(0);
      values[2 * b + 1] = point.value(1);
      valued[b] = 1;
      sums[0] += values[2 * b];
      sums[1] += values[2 * b + 1];
      sums[2]++;
      if (!update) continue; // final evaluation only
      // Both directions from the same point, then both updates (simultaneous).
      for (let i = 0; i < 2; i++) {
        const learner = learners[i];
        if (!learner.frozen) learner.direction(point, theta, offset, i as 0 | 1, blocks[i]);
      }
      // Update in place, keeping the old parameters (in place of the directions) to roll back to if any new one
      // is not finite.
      let finite = true;
      for (let a = 0; a < width; a++) {
        const old = theta[offset + a];
        const next = old + lrOf[a] * joint[a];
        joint[a] = old;
        theta[offset + a] = next;
        if (!Number.isFinite(next)) finite = false;
      }
      if (!finite) {
        const failed = allFinite(theta.subarray(offset, offset + n)) ? 1 : 0;
        theta.set(joint, offset);
        running[b] = 0;
        this.diverged.push({
          seed: b,
          step,
          learner: learners[failed].name,
          reason: `agent ${failed + 1}'s update is not finite; stopped at the last finite parameters`,
        });
      }
    }
  }
}

export interface TrainExactOptions {
  game: MatrixGame;
  /** Discount γ ∈ [0, 1) (default 0.96). */
  gamma?: number;
  /** Agent 1's and agent 2's learner with hyperparameters. */
  learners: [ExactLearnerSpec, ExactLearnerSpec];
  steps: number;
  seeds: number;
  /** Base seed B (default 0): seed index s is run seed B + s and draws θ from Rng.derive(B + s, 0). */
  seed?: number;
  /** Standard deviation of the N(0, sd²) logit init (default 1). */
  initSd?: number;
  /** Initial logits [seeds, 2, 5], replacing the random init. */
  init?: Float64Array;
  /** Called after every update with the mean per-step reward of each agent over running seeds. */
  onStep?: (step: number, meanRewards: [number, number]) => void;
  /**
   * Called with every seed's per-step rewards at 0..steps updates ([seeds, 2], a reused buffer) and which seeds
   * have a value at that step ([seeds] 0/1; a diverged seed drops out), e.g. for the spread over seeds.
   */
  onStepRewards?: (step: number, rewardPerStep: Float64Array, valued: Uint8Array) => void;
}

export interface TrainExactResult {
  game: string;
  gamma: number;
  learners: [string, string];
  seeds: number;
  steps: number;
  /** Final logits [seeds, 2, 5]. */
  theta: Float64Array;
  /** Final cooperation probabilities [seeds, 2, 5] (own view: start, CC, CD, DC, DD). */
  pC: Float64Array;
  /** Per-step reward (1 − γ)·V of each agent at the end: [seeds, 2]. */
  rewardPerStep: Float64Array;
  /** 1 where an agent's policy is TFT-like (every probability within 0.5 of TFT): [seeds, 2]. */
  tftAgents: Uint8Array;
  /** Fraction of seeds in which agent 1's, and agent 2's, policy is TFT-like. */
  tftFractionPerAgent: [number, number];
  /** 1 where both agents are TFT-like: [seeds]. */
  tft: Uint8Array;
  /** Fraction of seeds in which both agents are TFT-like. */
  tftFraction: number;
  /** Euclidean distance of each agent's probabilities to TFT: [seeds, 2]. */
  distanceToTft: Float64Array;
  /** Mean per-step reward per agent after 0..steps updates: [(steps + 1), 2]. */
  curve: Float64Array;
  diverged: DivergenceReport[];
}

/** The initial logits of a run: seeded N(0, sd²) per seed, or `init`, with per-agent `probabilities` overrides. */
export function initialTheta(options: TrainExactOptions): Float64Array {
  const { seeds } = options;
  let theta: Float64Array;
  if (options.init) {
    if (options.init.length !== 10 * seeds) {
      throw new InputError("init", `must hold ${seeds} seeds × 2 agents × 5 logits = ${10 * seeds} numbers`);
    }
    options.init.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new InputError(`init[${i}]`, `must be a finite number, got ${v}`);
    });
    theta = Float64Array.from(options.init);
  } else {
    theta = new Float64Array(10 * seeds);
    const sd = options.initSd ?? 1;
    for (let s = 0; s < seeds; s++) {
      Rng.derive((options.seed ?? 0) + s, 0).fillNormal(theta.subarray(10 * s, 10 * s + 10), 0, sd);
    }
  }
  options.learners.forEach((spec, i) => {
    if (!spec.probabilities) return;
    for (let s = 0; s < seeds; s++) {
      for (let k = 0; k < 5; k++) theta[10 * s + 5 * i + k] = logit(spec.probabilities[k]);
    }
  });
  return theta;
}

export function trainExact(options: TrainExactOptions): TrainExactResult {
  const gamma = validateGamma(options.gamma ?? 0.96, "gamma");
  const { game, steps, seeds } = options;
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new InputError("steps", `must be an integer ≥ 0, got ${steps}`);
  if (!(Number.isInteger(seeds) && seeds >= 1))
    throw new InputError("seeds", `must be an integer ≥ 1, got ${seeds}`);
  const diffGame = memoryOneGame(game, gamma);
  const learners: [ExactLearner, ExactLearner] = [
    createExactLearner(options.learners[0], diffGame, "agents[0]"),
    createExactLearner(options.learners[1], diffGame, "agents[1]"),
  ];
  const theta = initialTheta(options);
  const scale = 1 - gamma;
  const { onStep, onStepRewards } = options;
  const rewards = new Float64Array(2 * seeds);
  const run = runSimultaneous(diffGame, learners, theta, steps, {
    onStep: onStep && ((done, [v1, v2]) => onStep(done, [scale * v1, scale * v2])),
    onValues:
      onStepRewards &&
      ((step, values, valued) => {
        for (let a = 0; a < values.length; a++) rewards[a] = scale * values[a];
        onStepRewards(step, rewards, valued);
      }),
  });
  const rewardPerStep = run.values.map((v) => scale * v);
  const curve = run.curve.map((v) => scale * v);
  const pC = probabilities(theta);
  const tftAgents = tftLikeAgents(pC);
  const tft = bothAgents(tftAgents);
  return {
    game: game.name,
    gamma,
    learners: [learners[0].name, learners[1].name],
    seeds,
    steps,
    theta,
    pC,
    rewardPerStep,
    tftAgents,
    tftFractionPerAgent: [
      fraction(tftAgents.filter((_, p) => p % 2 === 0)),
      fraction(tftAgents.filter((_, p) => p % 2 === 1)),
    ],
    tft,
    tftFraction: fraction(tft),
    distanceToTft: distanceToTft(pC),
    curve,
    diverged: run.diverged,
  };
}
