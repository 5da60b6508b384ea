/**
 * N-player Advantage Alignment for tabular memory-one policies (Duque et al., "Advantage Alignment Algorithms",
 * ICLR 2025), with three ways to model the other N − 1 agents, and naive policy gradient as the baseline.
 *
 * Every agent i has logits θ_i[s] over its own-view states (src/envs/nPlayer/env.ts) and its own TD critic V_i.
 * Its update, one batch of B games × T steps per seed, is the two-player tabular AA (../aa.ts) with the
 * opponent's advantage replaced by an opponent term O^i_t:
 *
 *   A*_t = A^i_t + β·γ·( Σ_{k<t} γ^{t−k} A^i_k )·O^i_t             (./alignment.ts, the two-player loop)
 *   ∇θ_i J ≈ (1/B) Σ_games Σ_t γ^t · A*_t · ∇θ_i log π_i(a^i_t | s^i_t)  + entropy · ∇θ_i Σ_s H(π_i(·|s))
 *
 * A^x_t = Q_x − V_x = δ_t of a critic fitted by batch TD(0) on the batch (./critic.ts explains why the tabular
 * Q needs no table of its own here). The opponent term, by `scheme`:
 * - `naive`: none, A*_t = A^i_t (an actor-critic; β is ignored). N critics in total.
 * - `pairwise`: agent i fits one critic per other agent j, of r^j on j's own-view state, and sums
 *   O^i_t = Σ_{j≠i} A^j_t: N − 1 opponent models per agent, N(N − 1) in total (decentralised, as pairwise LOLA
 *   keeps one look-ahead per pair). A centralised trainer could share agent j's own critic with every i
 *   (Σ_{j≠i} A^j = Σ_j A^j − A^i, O(N)); the test checks that the pairwise term equals that sum exactly.
 * - `shared`: one critic per agent of the others' summed reward R^{−i}_t = Σ_{j≠i} r^j_t on i's own-view state,
 *   O^i_t = its advantage: the AA Melting Pot code's Σ_{j≠i} A^j_t learned as one critic. 2N critics in total.
 * - `mean-field`: one critic per agent of the others' MEAN reward R^{−i}_t / (N − 1), conditioned on the mean
 *   action of the others (Yang et al. 2018, "Mean Field Multi-Agent Reinforcement Learning": Q^i(s, a^i, ā^{−i})):
 *   its state is i's last own action and the others' last fraction of defectors, the count view (2N + 1 states)
 *   whatever view the policies use, and O^i_t is its advantage. With the count view this is exactly the shared
 *   critic divided by N − 1 (same TD operator on the same states; tested), so the two differ there only in
 *   the weight of the alignment term, which stays O(β) per agent as N grows instead of growing with N − 1; with
 *   the full view it also compresses 2^N states to 2N + 1. 2N critics in total.
 * Options beside `scheme` are the two-player AA's: lr, optimizer, beta, variant, lrCritic, criticSweeps,
 * gaeLambda (GAE on the critics' TD errors through ../advantages.ts), normalize (z-score each advantage per
 * seed before forming the term), entropy, discountSteps.
 *
 * Layout: logits and probabilities `[groups, N, S]` (one group per seed), trajectories from
 * src/envs/nPlayer/rollout.ts, every scratch array `[T, batch]` and reused by agent after agent, so memory is
 * the critics' tables plus O(T·batch) whatever the scheme.
 */
import { type NPlayerView, viewStateCount } from "../../../envs/nPlayer/env.js";
import type { NPlayerTrajectories } from "../../../envs/nPlayer/rollout.js";
import { entropyGradient } from "../../../policies/tabular.js";
import { InputError } from "../../../util/errors.js";
import { generalizedAdvantages, normalizePerGroup } from "../advantages.js";
import { AA_VARIANTS, type AaVariant } from "../aa.js";
import { accumulateAlignment, normalizeQuadrantShares } from "../alignment.js";
import { GradientAscent, OPTIMIZERS, type OptimizerName } from "../learner.js";
import { SampledValueCritic } from "./critic.js";

export const N_PLAYER_SCHEMES = ["naive", "pairwise", "shared", "mean-field"] as const;
export type NPlayerScheme = (typeof N_PLAYER_SCHEMES)[number];

export interface NPlayerAaOptions {
  scheme: NPlayerScheme;
  /** Actor learning rate (default 0.1). */
  lr?: number;
  optimizer?: OptimizerName;
  /** Alignment weight β (default 1). */
  beta?: number;
  variant?: AaVariant;
  /** Critic step size (default 1). */
  lrCritic?: number;
  /** TD(0) sweeps of V per update (default 5). */
  criticSweeps?: number;
  gaeLambda?: number;
  normalize?: boolean;
  entropy?: number;
  discountSteps?: boolean;
}

export interface NPlayerLearnerContext {
  readonly players: number;
  readonly view: NPlayerView;
  readonly gamma: number;
  /** Independent seeds, each with its own policies and critics. */
  readonly groups: number;
  readonly gamesPerGroup: number;
  readonly horizon: number;
}

/** Critic tables one agent fits per update under each scheme (its own critic included). */
export function criticsPerAgent(scheme: NPlayerScheme, players: number): number {
  if (scheme === "naive") return 1;
  if (scheme === "pairwise") return players;
  return 2;
}

/** Critic tables fitted per update when all N agents follow `scheme`: N, 2N or N². */
export function criticCount(scheme: NPlayerScheme, players: number): number {
  return players * criticsPerAgent(scheme, players);
}

const NO_MASK = new Uint8Array(4);

export class NPlayerAaLearner {
  readonly scheme: NPlayerScheme;
  /** Own-view states of the policies. */
  readonly states: number;
  private readonly lr: number;
  private readonly beta: number;
  private readonly variant: AaVariant;
  private readonly lrCritic: number;
  private readonly criticSweeps: number;
  private readonly gaeLambda: number | undefined;
  private readonly normalize: boolean;
  private readonly entropy: number;
  private readonly discountSteps: boolean;
  private readonly own: SampledValueCritic[];
  /** pairwise: [i·N + j] agent i's model of j (j ≠ i); shared / mean-field: [i]. */
  private readonly opponents: (SampledValueCritic | undefined)[];
  private readonly optimizer: GradientAscent;
  private readonly stateScratch: Int32Array;
  private readonly rewardScratch: Float64Array;
  private readonly deltas: Float64Array;
  private readonly ownAdv: Float64Array;
  private readonly oppTerm: Float64Array;
  private readonly oneAdv: Float64Array;
  private readonly aligned: Float64Array;
  /** Σ_i r^i per step and the number of defectors per step, `[T, batch]`. */
  private readonly rewardTotals: Float64Array;
  private readonly defectors: Int32Array;
  private readonly grad: Float64Array;
  /** Quadrant shares of |alignment term| over all agents, `[groups, 4]`. */
  readonly shares: Float64Array;

  constructor(
    private readonly ctx: NPlayerLearnerContext,
    options: NPlayerAaOptions,
  ) {
    const { players: n, groups, gamesPerGroup, horizon, view } = ctx;
    this.scheme = requireScheme(options.scheme);
    this.lr = positive("lr", options.lr ?? 0.1);
    this.beta = finiteAtLeastZero("beta", options.beta ?? 1);
    this.variant = options.variant ?? "discounted";
    if (!(AA_VARIANTS as readonly string[]).includes(this.variant)) {
      throw new InputError("variant", `must be one of ${AA_VARIANTS.join(", ")}, got ${this.variant}`);
    }
    const optimizer = options.optimizer ?? "sgd";
    if (!(OPTIMIZERS as readonly string[]).includes(optimizer)) {
      throw new InputError("optimizer", `must be one of ${OPTIMIZERS.join(", ")}, got ${optimizer}`);
    }
    this.lrCritic = positive("lrCritic", options.lrCritic ?? 1);
    this.criticSweeps = options.criticSweeps ?? 5;
    if (!(Number.isInteger(this.criticSweeps) && this.criticSweeps >= 1 && this.criticSweeps <= 10_000)) {
      throw new InputError("criticSweeps", `must be an integer in [1, 10000], got ${this.criticSweeps}`);
    }
    this.gaeLambda = options.gaeLambda;
    if (this.gaeLambda !== undefined && !(this.gaeLambda >= 0 && this.gaeLambda <= 1)) {
      throw new InputError("gaeLambda", `must be in [0, 1], got ${this.gaeLambda}`);
    }
    this.normalize = options.normalize ?? false;
    this.entropy = finiteAtLeastZero("entropy", options.entropy ?? 0);
    this.discountSteps = options.discountSteps ?? true;
    this.states = viewStateCount(view, n);
    const S = this.states;
    this.own = Array.from({ length: n }, () => new SampledValueCritic(groups, S));
    const countStates = viewStateCount("count", n);
    this.opponents =
      this.scheme === "pairwise"
        ? Array.from({ length: n * n }, (_, ij) =>
            ((ij / n) | 0) === ij % n ? undefined : new SampledValueCritic(groups, S),
          )
        : this.scheme === "naive"
          ? []
          : Array.from(
              { length: n },
              () => new SampledValueCritic(groups, this.scheme === "mean-field" ? countStates : S),
            );
    this.optimizer = new GradientAscent(optimizer, this.lr, groups * n * S);
    const batch = groups * gamesPerGroup;
    const steps = horizon * batch;
    this.stateScratch = new Int32Array(steps + batch);
    this.rewardScratch = new Float64Array(steps);
    this.deltas = new Float64Array(steps);
    this.ownAdv = new Float64Array(steps);
    this.oppTerm = new Float64Array(steps);
    this.oneAdv = new Float64Array(steps);
    this.aligned = new Float64Array(steps);
    this.rewardTotals = new Float64Array(steps);
    this.defectors = new Int32Array(steps);
    this.grad = new Float64Array(groups * n * S);
    this.shares = new Float64Array(groups * 4);
  }

  /** Bytes of the critics' tables (own and opponent critics). */
  get criticBytes(): number {
    let total = 0;
    for (const c of this.own) total += c.bytes;
    for (const c of this.opponents) total += c?.bytes ?? 0;
    return total;
  }

  /** Bytes held by the learner: critic tables, optimiser moments, gradient and scratch arrays. */
  get bytes(): number {
    let total = this.criticBytes;
    for (const a of [
      this.stateScratch,
      this.rewardScratch,
      this.deltas,
      this.ownAdv,
      this.oppTerm,
      this.oneAdv,
      this.aligned,
      this.rewardTotals,
      this.defectors,
      this.grad,
      this.shares,
    ])
      total += a.byteLength;
    return total + this.optimizer.bytes;
  }

  /**
   * Write every agent's logit change (`[groups, N, S]`) for the batch `traj` played at `theta` / `pC`. With
   * `learns`, only agents with `learns[i] = 1` are updated (their critics fitted, their change written); the
   * others (fixed strategies, or agents another learner updates) get no change but are still modelled.
   */
  step(
    traj: NPlayerTrajectories,
    theta: Float64Array,
    pC: Float64Array,
    delta: Float64Array,
    learns?: Uint8Array,
  ): void {
    const { players: n, horizon: T, gamesPerGroup, gamma } = this.ctx;
    const batch = traj.batch;
    this.summarise(traj);
    this.shares.fill(0);
    this.grad.fill(0);
    const settings = {
      beta: this.beta,
      gamma,
      variant: this.variant,
    };
    for (let i = 0; i < n; i++) {
      if (learns && !learns[i]) continue;
      this.gatherOwn(traj, i);
      this.advantage(this.own[i], this.ownAdv);
      if (this.scheme === "naive") {
        this.aligned.set(this.ownAdv);
      } else {
        this.opponentTerm(traj, i);
        accumulateAlignment(
          this.ownAdv,
          this.oppTerm,
          this.ownAdv,
          T,
          batch,
          gamesPerGroup,
          settings,
          NO_MASK,
          this.shares,
          this.aligned,
        );
      }
      this.accumulateGradient(traj, i, pC, theta);
    }
    normalizeQuadrantShares(this.shares);
    this.optimizer.direction(this.grad, delta);
  }

  /** Per-step Σ_i r^i and number of defectors, for the shared and mean-field targets. */
  private summarise(traj: NPlayerTrajectories): void {
    const { players: n } = this.ctx;
    const { actions, rewards } = traj;
    for (let s = 0; s < this.rewardTotals.length; s++) {
      let total = 0;
      let d = 0;
      for (let i = 0; i < n; i++) {
        total += rewards[s * n + i];
        d += actions[s * n + i];
      }
      this.rewardTotals[s] = total;
      this.defectors[s] = d;
    }
  }

  /** Agent j's own states and rewards into the scratch arrays. */
  private gatherOwn(traj: NPlayerTrajectories, j: number): void {
    const n = this.ctx.players;
    const { obs, rewards } = traj;
    const steps = this.rewardScratch.length;
    for (let s = 0; s < steps; s++) {
      this.stateScratch[s] = obs[s * n + j];
      this.rewardScratch[s] = rewards[s * n + j];
    }
    for (let s = steps; s < this.stateScratch.length; s++) this.stateScratch[s] = obs[s * n + j];
  }

  /** Fit `critic` on the scratch data and write its advantages into `out` (normalised if asked). */
  private advantage(critic: SampledValueCritic, out: Float64Array): void {
    const { horizon: T, gamesPerGroup, gamma } = this.ctx;
    const batch = this.rewardScratch.length / T;
    const { stateScratch: states, rewardScratch: rewards } = this;
    critic.fit(states, rewards, T, batch, gamesPerGroup, gamma, this.lrCritic, this.criticSweeps);
    if (this.gaeLambda === undefined) {
      critic.tdErrors(states, rewards, T, batch, gamesPerGroup, gamma, out);
    } else {
      critic.tdErrors(states, rewards, T, batch, gamesPerGroup, gamma, this.deltas);
      generalizedAdvantages(this.deltas, T, batch, gamma, this.gaeLambda, out);
    }
    if (this.normalize) normalizePerGroup(out, T, batch, gamesPerGroup);
  }

  /** Agent i's opponent term O^i_t into `oppTerm`, by scheme. */
  private opponentTerm(traj: NPlayerTrajectories, i: number): void {
    const n = this.ctx.players;
    const steps = this.rewardScratch.length;
    if (this.scheme === "pairwise") {
      this.oppTerm.fill(0);
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        this.gatherOwn(traj, j);
        this.advantage(this.opponents[i * n + j] as SampledValueCritic, this.oneAdv);
        for (let s = 0; s < steps; s++) this.oppTerm[s] += this.oneAdv[s];
      }
      return;
    }
    const { obs, actions, rewards } = traj;
    const scale = this.scheme === "mean-field" ? 1 / (n - 1) : 1;
    for (let s = 0; s < steps; s++)
      this.rewardScratch[s] = (this.rewardTotals[s] - rewards[s * n + i]) * scale;
    if (this.scheme === "shared" || this.ctx.view === "count") {
      for (let s = 0; s < this.stateScratch.length; s++) this.stateScratch[s] = obs[s * n + i];
    } else {
      // Mean-field state from the full view: 1 + own action·N + other defectors of the previous step.
      const batch = steps / this.ctx.horizon;
      for (let g = 0; g < batch; g++) this.stateScratch[g] = 0;
      for (let s = 0; s < steps; s++) {
        const own = actions[s * n + i];
        this.stateScratch[s + batch] = 1 + own * n + (this.defectors[s] - own);
      }
    }
    this.advantage(this.opponents[i] as SampledValueCritic, this.oppTerm);
  }

  /** grad_i[s] += (1/B) Σ_t γ^t·A*_t·(1[a^i_t = C] − p_i(s_t)), plus the entropy bonus. */
  private accumulateGradient(
    traj: NPlayerTrajectories,
    i: number,
    pC: Float64Array,
    theta: Float64Array,
  ): void {
    const { players: n, horizon: T, gamesPerGroup, gamma, groups } = this.ctx;
    const S = this.states;
    const { obs, actions } = traj;
    const batch = traj.batch;
    const scale = 1 / gamesPerGroup;
    let discount = 1;
    for (let t = 0; t < T; t++) {
      const w0 = discount * scale;
      for (let g = 0; g < batch; g++) {
        const s = t * batch + g;
        const cell = (((g / gamesPerGroup) | 0) * n + i) * S + obs[s * n + i];
        this.grad[cell] += w0 * this.aligned[s] * ((actions[s * n + i] === 0 ? 1 : 0) - pC[cell]);
      }
      if (this.discountSteps) discount *= gamma;
    }
    if (this.entropy === 0) return;
    for (let k = 0; k < groups; k++) {
      for (let s = 0; s < S; s++) {
        const cell = (k * n + i) * S + s;
        this.grad[cell] += this.entropy * entropyGradient(theta[cell]);
      }
    }
  }
}

function requireScheme(scheme: string): NPlayerScheme {
  if (!(N_PLAYER_SCHEMES as readonly string[]).includes(scheme)) {
    throw new InputError("scheme", `must be one of ${N_PLAYER_SCHEMES.join(", ")}, got ${scheme}`);
  }
  return scheme as NPlayerScheme;
}

function positive(field: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new InputError(field, `must be a number > 0, got ${value}`);
  return value;
}

function finiteAtLeastZero(field: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new InputError(field, `must be a number ≥ 0, got ${value}`);
  return value;
}
