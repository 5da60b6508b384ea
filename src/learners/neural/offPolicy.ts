/**
 * Off-policy correction for batches played by an older or replayed policy μ while the learner's policy is π
 * (issue 13 §1; footnote 7 of the seed post). Importance sampling, and V-trace (Espeholt, Soyer, Munos et al.,
 * "IMPALA: Scalable Distributed Deep-RL with Importance Weighted Actor-Learner Architectures", ICML 2018, §4.1).
 * OFF by default (`mode: "none"`): an on-policy learner never pays for it.
 *
 * Every per-step array is time-major `[T, batch]`, step t of game g at `i = t·batch + g` (CleanRL's layout, as in
 * src/learners/sampled/advantages.ts). A rollout is one episode of fixed length T per game; the caller gives the
 * value of the state after the last step (`bootstrap`, `[batch]`; 0 when the episode ends there).
 *
 *   ratio                 ρ_t = π(a_t | h_t) / μ(a_t | h_t) = exp(log π − log μ)
 *   cumulative weight     W_t = Π_{u ≤ t} ρ_u                  (W_{−1} = 1; per game)
 *   per-decision IS       Ĝ = Σ_t γ^t W_t r_t                  (E_μ[Ĝ] = E_π[Σ_t γ^t r_t], no truncation)
 *
 * V-trace, with truncation levels ρ̄ ≥ c̄ (both may be ∞) and trace decay λ:
 *   ρ̃_t = min(ρ̄, ρ_t),   c_t = λ·min(c̄, ρ_t),   δ_t = ρ̃_t (r_t + γ V_{t+1} − V_t),   V_T = bootstrap
 *   v_t = V_t + δ_t + γ c_t (v_{t+1} − V_{t+1}),   v_T = V_T          (Espeholt et al. Remark 1, recursively)
 *   policy-gradient advantage   A_t = ρ̃_t (r_t + γ v_{t+1} − V_t)
 *
 * In the learners' shared advantage path (learner.ts's `estimateAdvantages`, used by ppo, ppo-sum, aa, paa), the
 * same recursion in GAE form, with δ_t = r_t + γ V_{t+1} − V_t and c_t = min(c̄, ρ_t), one backward pass:
 *   a_t = ρ̃_t δ_t + γλ c_t a_{t+1},   a_T = 0          v_t = V_t + a_t, the critic's target (= V-trace's v_t)
 *   Â_t = δ_t + γλ a_{t+1}                             the policy's advantage of the action a_t it was given
 * Â_t carries no leading ρ̃_t: PPO's surrogate already weighs a_t by π_θ/π_old, and the REINFORCE step of aa
 * reads it as the advantage of the action taken. With ρ ≡ 1 (and c̄ ≥ 1) both are GAE(λ), bit for bit: the
 * same operations in the same order (test/neural-off-policy-correction.test.ts). When the data are off-policy
 * there: `offPolicyFields` below, used when the policy has moved since the batch was played (ppo/paa: every
 * epoch after the first, and the critic's targets after the policy phase; aa: each actor minibatch after the
 * first, and the critics' targets).
 *
 * What the estimates converge to (pinned in test/neural-off-policy.test.ts):
 * - ρ̄ = c̄ = ∞, λ = 1: E_μ[v_t] is the on-policy n-step target E_π[Σ_{u ≥ t} γ^{u−t} r_u + γ^{T−t} V_T], for
 *   any V (per-decision importance sampling with V as a control variate).
 * - ρ = 1 everywhere (on-policy data) and c̄ ≥ 1: v_t − V_t is GAE(λ) of the TD errors, the shared
 *   `generalizedAdvantages`, so V-trace with π = μ is the λ-return critic target the on-policy learners use.
 * - finite ρ̄: the fixed point of the V-trace operator is not V^π but V^{π_ρ̄} of the policy
 *   π_ρ̄(a|x) = min(ρ̄·μ(a|x), π(a|x)) / Σ_b min(ρ̄·μ(b|x), π(b|x))   (Espeholt et al. Theorem 1):
 *   truncation trades this documented bias for bounded variance. c̄ changes only the speed of contraction.
 */
import * as z from "../../zod.js";
import { exp } from "../../util/elementary.js";

export const OFF_POLICY_MODES = ["none", "importance", "vtrace"] as const;
export type OffPolicyMode = (typeof OFF_POLICY_MODES)[number];

/** The off-policy options of a neural learner: declared once, defaults and docs inside (the learner-entry contract). */
export const offPolicySchema = z
  .object({
    mode: z
      .enum(OFF_POLICY_MODES)
      .default("none")
      .describe(
        "correction for data from an older or replayed policy: none (on-policy), importance (untruncated ratios), vtrace",
      ),
    rhoBar: z
      .number()
      .positive()
      .default(1)
      .describe("V-trace ρ̄: truncation of the ratio in the TD error and the policy-gradient advantage"),
    cBar: z
      .number()
      .positive()
      .default(1)
      .describe("V-trace c̄: truncation of the trace coefficients (c̄ ≤ ρ̄)"),
  })
  .strict()
  .refine((o) => o.cBar <= o.rhoBar, { message: "cBar must not exceed rhoBar", path: ["cBar"] });

export type OffPolicyConfig = z.infer<typeof offPolicySchema>;

/**
 * The same options as flat learner hyperparameters (flags `--off-policy`, `--rho-bar`, `--c-bar`), declared once
 * for ppo, ppo-sum, paa (ppo.ts's proximalFields) and aa. Off by default.
 */
export const offPolicyFields = {
  offPolicy: z
    .enum(OFF_POLICY_MODES)
    .default("none")
    .describe(
      "correct advantages and value targets for data the policy has moved away from (epochs, minibatch steps): " +
        "none, importance (untruncated ratios) or vtrace (truncated at rhoBar, cBar)",
    ),
  rhoBar: z
    .number()
    .positive()
    .default(1)
    .describe("with offPolicy vtrace: truncation ρ̄ of the TD errors' ratio"),
  cBar: z
    .number()
    .positive()
    .default(1)
    .describe("with offPolicy vtrace: truncation c̄ of the trace coefficients"),
};

/** A learner's flat off-policy options as an OffPolicyConfig. */
export function offPolicyConfig(options: {
  offPolicy: OffPolicyMode;
  rhoBar: number;
  cBar: number;
}): OffPolicyConfig {
  return { mode: options.offPolicy, rhoBar: options.rhoBar, cBar: options.cBar };
}

/**
 * The header's GAE-form correction. Reads the TD errors δ (`[T, batch]`) and the untruncated ratios ρ; writes the
 * policy advantages Â into `advantages` and the corrections a_t = v_t − V_t into `traces` (which may be `deltas`:
 * each δ_t is read before a_t overwrites it). ρ̄ = c̄ = ∞ is the untruncated ("importance") form.
 */
export function correctedAdvantages(
  deltas: Float64Array,
  ratios: ArrayLike<number>,
  horizon: number,
  batch: number,
  gamma: number,
  lambda: number,
  rhoBar: number,
  cBar: number,
  advantages: Float64Array,
  traces: Float64Array,
): void {
  const decay = gamma * lambda;
  for (let g = 0; g < batch; g++) {
    let next = 0; // a_{t+1}
    for (let t = horizon - 1; t >= 0; t--) {
      const i = t * batch + g;
      const delta = deltas[i];
      const rho = Math.min(ratios[i], rhoBar);
      const c = Math.min(ratios[i], cBar);
      advantages[i] = delta + decay * next;
      next = rho * delta + decay * c * next;
      traces[i] = next;
    }
  }
}

/** The truncation levels ρ̄, c̄ of the configured mode: ∞ for "importance" (untruncated), the options for "vtrace". */
export function truncationLevels(config: OffPolicyConfig): { rhoBar: number; cBar: number } {
  return config.mode === "vtrace"
    ? { rhoBar: config.rhoBar, cBar: config.cBar }
    : { rhoBar: Number.POSITIVE_INFINITY, cBar: Number.POSITIVE_INFINITY };
}

/** ρ = exp(log π − log μ), elementwise over any layout. */
export function importanceRatios(
  targetLogProbs: ArrayLike<number>,
  behaviourLogProbs: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = exp(targetLogProbs[i] - behaviourLogProbs[i]);
  return out;
}

/** min(cap, ρ) elementwise (cap = ∞ copies). `out` may be `ratios`. */
export function truncateRatios(ratios: ArrayLike<number>, cap: number, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = Math.min(ratios[i], cap);
  return out;
}

/** W_t = Π_{u ≤ t} ρ_u within each game, `[T, batch]`. `out` may be `ratios`. */
export function cumulativeRatios(
  ratios: ArrayLike<number>,
  horizon: number,
  batch: number,
  out: Float64Array,
): Float64Array {
  for (let g = 0; g < batch; g++) {
    let w = 1;
    for (let t = 0; t < horizon; t++) {
      w *= ratios[t * batch + g];
      out[t * batch + g] = w;
    }
  }
  return out;
}

export interface VtraceInput {
  readonly horizon: number;
  readonly batch: number;
  /** r_t, `[T, batch]`. */
  readonly rewards: ArrayLike<number>;
  /** V(x_t) of the critic, `[T, batch]`. */
  readonly values: ArrayLike<number>;
  /** V(x_T) after the last step, `[batch]`; null = 0 (the episode ends). */
  readonly bootstrap: ArrayLike<number> | null;
  /** π/μ of the actions taken, `[T, batch]` (all 1 for on-policy data). */
  readonly ratios: ArrayLike<number>;
  readonly gamma: number;
  /** ρ̄ (∞ = untruncated). */
  readonly rhoBar: number;
  /** c̄ (∞ = untruncated). */
  readonly cBar: number;
  /** Trace decay λ (default 1, as IMPALA). */
  readonly lambda?: number;
}

export interface VtraceOutput {
  /** v_t, the critic's regression targets, `[T, batch]`. */
  readonly targets: Float64Array;
  /** ρ̃_t (r_t + γ v_{t+1} − V_t), the policy-gradient advantages, `[T, batch]`. */
  readonly advantages: Float64Array;
}

export function allocateVtrace(horizon: number, batch: number): VtraceOutput {
  return { targets: new Float64Array(horizon * batch), advantages: new Float64Array(horizon * batch) };
}

/** V-trace targets and advantages (header), one backward pass per game. */
export function vtrace(input: VtraceInput, out: VtraceOutput): VtraceOutput {
  const { horizon: T, batch, rewards, values, bootstrap, ratios, gamma, rhoBar, cBar } = input;
  const lambda = input.lambda ?? 1;
  for (let g = 0; g < batch; g++) {
    const last = bootstrap ? bootstrap[g] : 0;
    let nextValue = last; // V_{t+1}
    let nextTarget = last; // v_{t+1}
    for (let t = T - 1; t >= 0; t--) {
      const i = t * batch + g;
      const rho = Math.min(ratios[i], rhoBar);
      const c = lambda * Math.min(ratios[i], cBar);
      const delta = rho * (rewards[i] + gamma * nextValue - values[i]);
      const target = values[i] + delta + gamma * c * (nextTarget - nextValue);
      out.advantages[i] = rho * (rewards[i] + gamma * nextTarget - values[i]);
      out.targets[i] = target;
      nextValue = values[i];
      nextTarget = target;
    }
  }
  return out;
}

export interface OffPolicyBatch extends Omit<VtraceInput, "ratios" | "rhoBar" | "cBar"> {
  /** log π(a_t | h_t) under the policy being trained, `[T, batch]`. */
  readonly targetLogProbs: ArrayLike<number>;
  /** log μ(a_t | h_t) under the policy that played, recorded at rollout time, `[T, batch]`. */
  readonly behaviourLogProbs: ArrayLike<number>;
}

/**
 * Critic targets and policy-gradient advantages under a learner's off-policy option: "none" treats every ratio
 * as 1 (the on-policy λ-return and GAE(λ) advantages), "importance" is V-trace with ρ̄ = c̄ = ∞, "vtrace" uses
 * the configured ρ̄, c̄. `ratios` (`[T, batch]`) receives the untruncated ρ_t (all 1 for "none").
 */
export function offPolicyEstimates(
  config: OffPolicyConfig,
  batch: OffPolicyBatch,
  ratios: Float64Array,
  out: VtraceOutput,
): VtraceOutput {
  if (config.mode === "none") ratios.fill(1);
  else importanceRatios(batch.targetLogProbs, batch.behaviourLogProbs, ratios);
  const untruncated = config.mode !== "vtrace";
  return vtrace(
    {
      ...batch,
      ratios,
      rhoBar: untruncated ? Number.POSITIVE_INFINITY : config.rhoBar,
      cBar: untruncated ? Number.POSITIVE_INFINITY : config.cBar,
    },
    out,
  );
}
