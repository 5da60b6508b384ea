/**
 * A seat that changes its update rule once: it learns by `before` for its first `at` updates and by `after` from
 * then on (the seed post's sandbagging, §7.3/§8.3: play weaker than you are, e.g. Advantage Alignment with β = 0
 * or a naive learner, then switch to full strength). The sampled counterpart of the `exact-schedule` kind's
 * `switchAt`/`after`.
 *
 * While `before` plays, `after` watches: it takes every step too, on the same batch, into a scratch buffer that is
 * thrown away, so its models (critics fitted by TD, a lagged oracle's past policies) are current when it takes
 * over, as a sandbagger's hidden full-strength self would be. Only `before`'s change moves the parameters.
 * (With Adam, `after`'s moments see those unapplied gradients too. A watching `lola-dice` draws its look-ahead
 * rollouts from the shared streams, so it changes the later batches; AA, PG and A2C read only the given batch.)
 *
 * Diagnostics are `after`'s names: zeros while `before` plays (the trainer leaves an all-zero seed out of its
 * averages), `after`'s values after the switch.
 */
import type { LearnerContext, LearnerStepInput, SampledLearner, SeedDiagnostics } from "./learner.js";

export class SwitchingLearner implements SampledLearner {
  readonly name: string;
  private updates = 0;
  private readonly scratch: Float64Array;
  private readonly silent: Record<string, Float64Array>;

  constructor(
    ctx: LearnerContext,
    private readonly before: SampledLearner,
    private readonly after: SampledLearner,
    private readonly at: number,
  ) {
    this.name = `${before.name}→${after.name}`;
    this.scratch = new Float64Array(ctx.seeds * 5);
    const names = Object.keys(after.diagnostics?.() ?? {});
    this.silent = Object.fromEntries(names.map((n) => [n, new Float64Array(ctx.seeds)]));
  }

  /** True once `after` has taken over (from update `at` on). */
  get switched(): boolean {
    return this.updates >= this.at;
  }

  step(input: LearnerStepInput, delta: Float64Array): void {
    if (this.switched) {
      this.after.step(input, delta);
    } else {
      this.before.step(input, delta);
      this.after.step(input, this.scratch);
    }
    this.updates += 1;
  }

  diagnostics(): SeedDiagnostics {
    // `updates` has already counted the step these diagnostics describe.
    if (this.updates > this.at && this.after.diagnostics) return this.after.diagnostics();
    return this.silent;
  }
}
