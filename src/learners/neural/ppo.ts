/**
 * `ppo`: Proximal Policy Optimization (Schulman, Wolski, Dhariwal, Radford, Klimov 2017, arXiv 1707.06347), laid
 * out as CleanRL's `ppo.py` (Huang et al. 2022), on the Coin Game's recurrent actor and critic (nets.ts).
 *
 *   A_t   = GAE(λ) of δ_t = r_t + γ·V(o_{t+1}) − V(o_t)                      (Schulman et al. 2016)
 *   ρ_t   = π_θ(a_t|o_≤t) / π_old(a_t|o_≤t) = exp(log π_θ − log π_old)
 *   L^CLIP = −mean_t min(ρ_t·Â_t, clip(ρ_t, 1 − ε, 1 + ε)·Â_t)             Â: A z-scored per minibatch (option)
 *   loss  = pgLoss − entropy·mean_t H(π_θ(·|o_≤t)) + vfCoef·½·mean_t (V(o_t) − (A_t + V_old(o_t)))²
 * The actor and the critic are separate networks with their own Adam (lr, lrCritic), so vfCoef only rescales the
 * critic's gradient; it is kept at 1 and the critic is stepped on its own pass over the same data.
 * ∂L^CLIP/∂log π_θ(a_n) = −ρ_n·Â_n/N where the unclipped term is the smaller one, else 0 (outside the trust region
 * the clipped term is constant in θ).
 *
 * Off-policy option (`offPolicy`, off by default; offPolicy.ts): from the second epoch on the policy is no longer
 * the one that played the batch, so each later epoch recomputes the advantages with the ratios ρ = π_θ/π_old of
 * the policy as it is then (GAE-form V-trace), and the critic regresses on the corrected targets of the final
 * policy. Diagnostics `offPolicy.meanRatio`, `offPolicy.maxRatio` (those final ratios).
 *
 * Update order (STYLE 8): advantages from the critic, then epochs × minibatches of whole games (never single
 * steps: the GRU needs each game from h_0), each an Adam step after grad-norm clipping, then the critic, then
 * diagnostics: `ppo.approxKl` (mean of (ρ − 1) − log ρ, CleanRL's unbiased estimator), `ppo.clipFrac` (share of
 * rows with |ρ − 1| > ε), `ppo.explainedVariance` (1 − Var(y − V)/Var(y)), `ppo.entropy` (mean H).
 */
import * as z from "../../zod.js";
import { clipGradNorm } from "../../nn/optim.js";
import { exp } from "../../util/elementary.js";
import {
  type Diagnostics,
  emptyEstimate,
  estimateAdvantages,
  explainedVariance,
  fitCritic,
  LEARNER_STREAM,
  makeTrainable,
  type NeuralContext,
  type NeuralLearner,
  policyPass,
  policyRatios,
  PolicyScratch,
  ratioDiagnostics,
  streamRng,
  type Trainable,
} from "./learner.js";
import { gameMinibatches, gatherTrajectory } from "./minibatches.js";
import { CoinCritic, CoinPolicy } from "./nets.js";
import { offPolicyConfig, offPolicyFields } from "./offPolicy.js";
import { emptySeatTrajectory, type SeatView } from "./rollout.js";

/** The PPO hyperparameters, each once, with its default and doc (also the proximal core of `paa`). */
export const proximalFields = {
  lr: z.number().positive().default(1e-3).describe("actor Adam learning rate"),
  lrCritic: z.number().positive().default(1e-3).describe("critic Adam learning rate"),
  gamma: z.number().min(0).max(1).default(0.96).describe("discount γ"),
  gaeLambda: z.number().min(0).max(1).default(0.95).describe("GAE λ (0: TD(0) advantages, 1: Monte Carlo)"),
  epochs: z.number().int().min(1).max(100).default(4).describe("passes over the batch per update"),
  minibatches: z.number().int().min(1).max(4096).default(4).describe("minibatches of whole games per epoch"),
  clip: z.number().positive().max(10).default(0.2).describe("PPO clip ε"),
  entropy: z.number().min(0).default(0.01).describe("entropy bonus coefficient"),
  maxGradNorm: z.number().positive().default(1).describe("global grad-norm clip per network"),
  normalizeAdvantages: z.boolean().default(true).describe("z-score the advantages per minibatch"),
  criticEpochs: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(4)
    .describe("critic passes over the batch per update"),
  width: z.number().int().min(1).max(1024).default(64).describe("dense and GRU width of every network"),
  ...offPolicyFields,
};
export const ppoSchema = z.strictObject(proximalFields);
export type PpoConfig = z.output<typeof ppoSchema>;

/** The proximal settings `proximalPolicyUpdate` reads. */
export type ProximalSettings = Pick<
  PpoConfig,
  "epochs" | "minibatches" | "clip" | "entropy" | "maxGradNorm" | "normalizeAdvantages"
>;

/** Running sums of the PPO diagnostics over minibatches. */
export interface SurrogateStats {
  rows: number;
  approxKl: number;
  clipped: number;
}

/**
 * L^CLIP over `rows` rows: writes ∂L/∂log π(a_n) into dLogProb, adds to `stats`, returns the loss. `advantages`
 * are the (already normalised) Â_n.
 */
export function clippedSurrogate(
  logProbs: ArrayLike<number>,
  oldLogProbs: ArrayLike<number>,
  advantages: ArrayLike<number>,
  clip: number,
  rows: number,
  dLogProb: Float32Array,
  stats: SurrogateStats,
): number {
  let loss = 0;
  for (let n = 0; n < rows; n++) {
    const logRatio = logProbs[n] - oldLogProbs[n];
    const ratio = exp(logRatio);
    const a = advantages[n];
    const unclipped = ratio * a;
    const clipped = Math.min(Math.max(ratio, 1 - clip), 1 + clip) * a;
    loss -= Math.min(unclipped, clipped);
    dLogProb[n] = unclipped <= clipped ? -unclipped / rows : 0;
    stats.approxKl += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > clip) stats.clipped++;
  }
  stats.rows += rows;
  return loss / rows;
}

/** Z-score x[0 … n) in place: (x − mean) / (sd + 1e-8), CleanRL's `norm_adv`. */
function zScore(x: Float64Array, n: number): void {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  const sd = Math.sqrt(ss / Math.max(1, n - 1)); // torch's std() is the unbiased one
  for (let i = 0; i < n; i++) x[i] = (x[i] - mean) / (sd + 1e-8);
}

/**
 * The proximal policy update shared by `ppo` and `paa`: epochs × minibatches of whole games of L^CLIP with the
 * given advantages ([T, games]) and an entropy bonus. Returns `ppo.approxKl`, `ppo.clipFrac`, `ppo.entropy`.
 * `reestimate` (the off-policy option) gives the advantages anew before every epoch after the first.
 */
export function proximalPolicyUpdate(
  actor: Trainable,
  policy: CoinPolicy,
  view: SeatView,
  given: Float64Array,
  settings: ProximalSettings,
  rng: ReturnType<typeof streamRng>,
  reestimate?: () => Float64Array,
): Diagnostics {
  const { horizon: T, games, obsSize: F } = view;
  const mb = games / settings.minibatches;
  const rows = T * mb;
  const batch = emptySeatTrajectory(T, mb, F);
  const adv = new Float64Array(rows);
  const scratch = new PolicyScratch(rows, policy.actions);
  const params = policy.net.params;
  const stats: SurrogateStats = { rows: 0, approxKl: 0, clipped: 0 };
  let entropy = 0;
  let passes = 0;
  let advantages = given;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    if (epoch > 0 && reestimate) advantages = reestimate();
    for (const pick of gameMinibatches(games, settings.minibatches, rng)) {
      gatherTrajectory(view.own, F, T, games, pick, batch);
      for (let t = 0; t < T; t++)
        for (let j = 0; j < mb; j++) adv[t * mb + j] = advantages[t * games + pick[j]];
      if (settings.normalizeAdvantages) zScore(adv, rows);
      params.zeroGrad();
      policyPass(
        policy,
        batch.obs,
        batch.actions,
        T,
        mb,
        (logProbs, entropies, n, dLogProb, dEntropy) => {
          clippedSurrogate(logProbs, batch.logProbs, adv, settings.clip, n, dLogProb, stats);
          dEntropy.fill(-settings.entropy / n, 0, n);
          for (let i = 0; i < n; i++) entropy += entropies[i] / n;
        },
        scratch,
      );
      passes++;
      clipGradNorm(params.grads, settings.maxGradNorm);
      actor.optimizer.step(params.grads);
    }
  }
  return {
    "ppo.approxKl": stats.approxKl / stats.rows,
    "ppo.clipFrac": stats.clipped / stats.rows,
    "ppo.entropy": entropy / passes,
  };
}

/** Which rewards a PPO seat maximises: its own (`ppo`) or the sum of both seats' (`ppo-sum`). */
export type RewardSignal = (view: SeatView) => ArrayLike<number>;
export const ownRewards: RewardSignal = (view) => view.own.rewards;

export class PpoLearner implements NeuralLearner {
  readonly policy: CoinPolicy;
  readonly critic: CoinCritic;
  private readonly actor: Trainable;
  private readonly criticTrainable: Trainable;
  private estimate = emptyEstimate(0);
  private ratios = new Float64Array(0);

  constructor(
    readonly config: PpoConfig,
    private readonly ctx: NeuralContext,
    readonly name = "ppo",
    private readonly rewards: RewardSignal = ownRewards,
  ) {
    const { env, seed } = ctx;
    this.policy = new CoinPolicy(env.obsSize, config.width, env.nActions);
    this.critic = new CoinCritic(env.obsSize, config.width);
    const init = streamRng(seed, LEARNER_STREAM.init, 0);
    this.policy.init(init);
    this.critic.init(init);
    this.actor = makeTrainable("actor", this.policy.net, config.lr);
    this.criticTrainable = makeTrainable("critic", this.critic.net, config.lrCritic);
  }

  trainables(): readonly Trainable[] {
    return [this.actor, this.criticTrainable];
  }

  update(view: SeatView, update: number): Diagnostics {
    const c = this.config;
    const rows = view.horizon * view.games;
    if (this.estimate.values.length !== rows) {
      this.estimate = emptyEstimate(rows);
      this.ratios = new Float64Array(rows);
    }
    // --- advantages: GAE(λ) from the critic, on this seat's reward signal (corrected for the policy's moves
    // since the batch was played, with the off-policy option)
    const correction =
      c.offPolicy === "none" ? undefined : { config: offPolicyConfig(c), ratios: this.ratios };
    const estimate = (corrected: boolean) => {
      if (corrected) policyRatios(this.policy, view.own, view.horizon, view.games, this.ratios);
      return estimateAdvantages(
        this.critic,
        view.own.obs,
        this.rewards(view),
        view,
        c.gamma,
        c.gaeLambda,
        this.estimate,
        corrected ? correction : undefined,
      );
    };
    let est = estimate(false);
    // --- policy: epochs × minibatches of the clipped surrogate
    const policyStats = proximalPolicyUpdate(
      this.actor,
      this.policy,
      view,
      est.advantages,
      c,
      streamRng(this.ctx.seed, LEARNER_STREAM.actorBatches, update),
      correction && (() => estimate(true).advantages),
    );
    if (correction) est = estimate(true);
    // --- critic: regress V on the λ-returns
    const criticLoss = fitCritic(
      this.criticTrainable,
      this.critic,
      view.own,
      est.returns,
      view,
      { epochs: c.criticEpochs, minibatches: c.minibatches, maxGradNorm: c.maxGradNorm },
      streamRng(this.ctx.seed, LEARNER_STREAM.criticBatches, update),
    );
    // --- diagnostics
    return {
      ...policyStats,
      "ppo.explainedVariance": explainedVariance(est.values, est.returns),
      "critic.loss": criticLoss,
      ...(correction ? ratioDiagnostics(this.ratios, rows) : {}),
    };
  }
}
