/**
 * An exact learner (naive, LOLA, look-ahead, SOS, cross-Hessian of src/learners/exact/) in a seat of
 * `trainSampled`, so that an exact learner can train together with a sampled one (pg, a2c, aa, lola-dice).
 *
 * Why: the two families have different trainers (`trainExact` differentiates the exact values of two memory-one
 * policies; `trainSampled` learns from rollouts). Both parameterise a seat the same way (5 logits of P(C) per
 * own-view state [start, CC, CD, DC, DD]) and `trainSampled` keeps both seats' logits as `[seeds, 2, 5]`, which is
 * exactly the joint vector [θ_1, θ_2] of the memory-one engine (`memoryOneGame`, src/exact/derivatives.ts). So
 * each update, for every seed, this seat
 *   1. evaluates the exact engine at the current joint logits (its own and the opponent's: the exact learner sees
 *      the opponent's parameters exactly, as in the LOLA paper's exact setting — no rollouts),
 *   2. asks the exact learner itself for its direction (`ExactLearner.direction`, the same code `trainExact` runs:
 *      no rule is re-derived here), and
 *   3. returns Δθ_i = lr · direction as its logit change,
 * while the sampled learner in the other seat keeps learning from the shared rollouts. Both changes are applied
 * together (simultaneous updates), as in both trainers. Values are discounted sums V (not per step), as in
 * `trainExact`, so an exact learner's `lr` means the same in both trainers. One difference: `trainSampled` clamps
 * logits to ±LOGIT_LIMIT (30) after every update, `trainExact` does not.
 *
 * Divergence, as `trainExact`: a seed whose exact value or update stops being finite is frozen (its Δθ is 0 from
 * then on, so its last finite parameters stay) and reported in `diverged` (seed, update, learner, reason); it never
 * turns into a silent NaN.
 *
 * The opponent must have memory-one parameters (a learner or a `fixed` probability vector): a `strategy` seat
 * (longer memory) has no chain to differentiate; `trainSampled` rejects that pairing.
 */
import { memoryOneGame } from "../../exact/derivatives.js";
import type { DifferentiableEvaluator } from "../../exact/differentiable.js";
import { createExactLearner, type ExactLearner, type ExactLearnerSpec } from "../exact/index.js";
import type { DivergenceReport } from "../exact/train.js";
import type { LearnerContext, LearnerStepInput, SampledLearner } from "./learner.js";

export class ExactSeat implements SampledLearner {
  readonly name: string;
  /** Seeds whose exact value or update stopped being finite (frozen from then on). */
  readonly diverged: DivergenceReport[] = [];
  private readonly learner: ExactLearner;
  private readonly point: DifferentiableEvaluator;
  private readonly direction = new Float64Array(5);
  private readonly frozen: Uint8Array;
  private updates = 0;

  constructor(
    private readonly ctx: LearnerContext,
    spec: ExactLearnerSpec,
    field = `learners[${ctx.agent}].exact`,
  ) {
    const game = memoryOneGame(ctx.game, ctx.gamma);
    this.learner = createExactLearner(spec, game, field);
    this.point = game.createEvaluator();
    this.name = this.learner.name;
    this.frozen = new Uint8Array(ctx.seeds);
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    const { seeds, agent } = this.ctx;
    const { learner, point, direction } = this;
    const update = this.updates++;
    delta.fill(0);
    if (learner.frozen) return;
    for (let k = 0; k < seeds; k++) {
      if (this.frozen[k]) continue;
      const offset = 10 * k; // `[seeds, 2, 5]` = the engine's joint vector [θ_1, θ_2] per seed
      if (!this.point.evaluate(input.theta, offset)) {
        this.freeze(k, update, "value is not finite at these parameters");
        continue;
      }
      learner.direction(point, input.theta, offset, agent, direction);
      let finite = true;
      for (let s = 0; s < 5; s++) {
        delta[5 * k + s] = learner.lr * direction[s];
        if (!Number.isFinite(delta[5 * k + s])) finite = false;
      }
      if (!finite) {
        for (let s = 0; s < 5; s++) delta[5 * k + s] = 0;
        this.freeze(k, update, "update is not finite; stopped at the last finite parameters");
      }
    }
  }

  private freeze(seed: number, step: number, reason: string): void {
    this.frozen[seed] = 1;
    this.diverged.push({ seed, step, learner: this.name, reason: `agent ${this.ctx.agent + 1}'s ${reason}` });
  }
}
