/**
 * `paa`: Proximal Advantage Alignment (Duque et al., ICLR 2025, Algorithm 2): PPO with its advantages replaced by
 * Advantage Alignment's A* — "a change to the advantages of PPO" (the paper's poster).
 *
 *   A*_t  = A_t + β·γ·( Σ_{k<t} γ^{t−k} A_k )·A^opp_t          (aa.ts's AlignmentCritics: own and opponent critic)
 *   ρ_t   = π_θ(a_t|o_≤t) / π_old(a_t|o_≤t)
 *   loss  = −mean_t min(ρ_t·A*_t, clip(ρ_t, 1 − ε, 1 + ε)·A*_t) − entropy·mean_t H      (ppo.ts's update)
 *
 * No second PPO: the clipped update is ppo.ts's `proximalPolicyUpdate`, the critics and the alignment term are
 * aa.ts's. Its options are the union of ppo's and aa's alignment options; `normalizeAdvantages` (ppo's per-
 * minibatch z-score, here of A*) defaults to off, as in the authors' code, which normalises A before aligning
 * (`normalize`) and not A* after.
 */
import * as z from "../../zod.js";
import { AlignmentCritics, alignmentFields } from "./aa.js";
import {
  type AdvantageCorrection,
  type Diagnostics,
  LEARNER_STREAM,
  makeTrainable,
  type NeuralContext,
  type NeuralLearner,
  policyRatios,
  ratioDiagnostics,
  streamRng,
  type Trainable,
} from "./learner.js";
import { CoinPolicy } from "./nets.js";
import { offPolicyConfig } from "./offPolicy.js";
import { proximalFields, proximalPolicyUpdate } from "./ppo.js";
import type { SeatView } from "./rollout.js";

export const paaSchema = z.strictObject({
  ...proximalFields,
  normalizeAdvantages: proximalFields.normalizeAdvantages.removeDefault().default(false),
  ...alignmentFields,
});
export type PaaConfig = z.output<typeof paaSchema>;

export class PaaLearner implements NeuralLearner {
  readonly name = "paa";
  readonly policy: CoinPolicy;
  readonly critics: AlignmentCritics;
  private readonly actor: Trainable;
  private ratios = new Float64Array(0);

  constructor(
    readonly config: PaaConfig,
    private readonly ctx: NeuralContext,
  ) {
    const { env, seed } = ctx;
    const init = streamRng(seed, LEARNER_STREAM.init, 0);
    this.policy = new CoinPolicy(env.obsSize, config.width, env.nActions);
    this.policy.init(init);
    this.critics = new AlignmentCritics(config, ctx, init);
    this.actor = makeTrainable("actor", this.policy.net, config.lr);
  }

  trainables(): readonly Trainable[] {
    return [this.actor, ...this.critics.trainables];
  }

  update(view: SeatView, update: number): Diagnostics {
    const { horizon: T, games } = view;
    // --- advantages: A* from the two critics
    const diagnostics = this.critics.align(view, undefined, update);
    // The off-policy option (as ppo's): later epochs re-align with the ratios of the policy as it is then.
    if (this.ratios.length !== T * games) this.ratios = new Float64Array(T * games);
    const c = this.config;
    const correction =
      c.offPolicy === "none" ? undefined : { config: offPolicyConfig(c), ratios: this.ratios };
    const realign = (corrected: AdvantageCorrection) => {
      policyRatios(this.policy, view.own, T, games, this.ratios);
      this.critics.align(view, corrected, update);
      return this.critics.aligned;
    };
    // --- policy: ppo.ts's clipped update with A* in place of A
    const policyStats = proximalPolicyUpdate(
      this.actor,
      this.policy,
      view,
      this.critics.aligned,
      this.config,
      streamRng(this.ctx.seed, LEARNER_STREAM.actorBatches, update),
      correction && (() => realign(correction)),
    );
    // --- critics (on the corrected targets of the updated policy, with the off-policy option)
    if (correction) realign(correction);
    return {
      ...diagnostics,
      ...policyStats,
      ...this.critics.fit(view, update),
      ...(correction ? ratioDiagnostics(this.ratios, T * games) : {}),
    };
  }
}
