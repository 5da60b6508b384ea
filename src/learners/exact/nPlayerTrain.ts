/**
 * N exact learners in an iterated N-player social dilemma (src/exact/nPlayer.ts), batched over seeds.
 *
 * Learners (every agent runs the same rule):
 * - `naive`:  θ_i ← θ_i + lr·∇_i V_i.
 * - `lola`, pairwise LOLA (Foerster et al. 2018, the exact form of src/learners/exact/lola.ts, summed over
 *   opponents): agent i accounts for every other agent's naive step η·∇_j V_j,
 *       θ_i ← θ_i + lr·( ∇_i V_i + η·Σ_{j≠i} (∇_i ∇_j V_j)·∇_j V_i ),
 *   with ∇_j V_i held fixed (stopgrad). Each cross term is the directional derivative of ∇_i V_j along
 *   u = ∇_j V_i placed in agent j's block, taken here by a central difference of the exact gradients with step
 *   h = 1e-5/‖u‖ (error O(h²) ≈ 1e-10 relative; test/n-player.test.ts checks it against the two-player engine's
 *   analytic LOLA term at N = 2). That is N(N − 1) opponent models per update, 2N(N − 1) extra evaluations of the
 *   chain: the O(N²) cost of pairwise shaping the seed post (§5.1, §7.4) talks about, counted in `evaluations`.
 * Updates follow the gradients of the game-scale values V (as the two-player exact learners and the LOLA paper do:
 * lr = η = 1 on V); rewards are reported per step, (1 − γ)·V (DESIGN.md). θ_i ~ N(0, initSd²) per seed
 * from `Rng.derive(seed + s, 0)`, the project's one seed rule. A seed whose chain becomes singular or whose update
 * is not finite is frozen and reported.
 */
import { type NPlayerExact, NPlayerChain } from "../../exact/nPlayer.js";
import type { NPlayerGame } from "../../games/nPlayer.js";
import { InputError } from "../../util/errors.js";
import { Rng } from "../../util/rng.js";

export const N_PLAYER_LEARNERS = ["naive", "lola"] as const;
export type NPlayerLearnerName = (typeof N_PLAYER_LEARNERS)[number];

export interface NPlayerTrainOptions {
  game: NPlayerGame;
  gamma: number;
  learner: NPlayerLearnerName;
  /** Learning rate (default 1). */
  lr?: number;
  /** LOLA's look-ahead step η (default 1). */
  eta?: number;
  steps: number;
  seeds: number;
  seed: number;
  /** Standard deviation of the logit init (default 1). */
  initSd?: number;
  /** After each update: the step, the mean reward per step over agents and running seeds. */
  onStep?: (step: number, meanReward: number) => void;
}

export interface NPlayerTrainResult {
  players: number;
  /** Final logits [seeds, N, S]. */
  theta: Float64Array;
  /** Final per-step rewards [seeds, N]. */
  rewardPerStep: Float64Array;
  /** Final expected fraction of cooperators per step, per seed. */
  cooperation: Float64Array;
  /** Mean over running seeds of (mean reward over agents, cooperation) after 0..steps updates: [steps + 1, 2]. */
  curve: Float64Array;
  /** Evaluations of the exact chain per update and seed (1 for naive, 1 + 2N(N − 1) for pairwise LOLA). */
  evaluationsPerUpdate: number;
  diverged: { seed: number; step: number; reason: string }[];
}

/** The pairwise LOLA term Σ_{j≠i} (∇_i ∇_j V_j)·∇_j V_i for every agent i, into `out` ([N, S]). */
export function pairwiseLolaTerms(
  chain: NPlayerChain,
  theta: Float64Array,
  gamma: number,
  at: NPlayerExact,
  out: Float64Array,
): boolean {
  const { players: n, states: S } = chain;
  const grad = (e: NPlayerExact, valueAgent: number, paramsAgent: number) =>
    e.gradients.subarray((valueAgent * n + paramsAgent) * S, (valueAgent * n + paramsAgent + 1) * S);
  out.fill(0);
  const shifted = Float64Array.from(theta);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const u = grad(at, i, j); // ∇_j V_i, held fixed
      let norm = 0;
      for (let a = 0; a < S; a++) norm += u[a] * u[a];
      norm = Math.sqrt(norm);
      if (norm === 0) continue;
      const h = 1e-5 / norm;
      for (let a = 0; a < S; a++) shifted[j * S + a] = theta[j * S + a] + h * u[a];
      const plus = chain.evaluate(shifted, gamma);
      for (let a = 0; a < S; a++) shifted[j * S + a] = theta[j * S + a] - h * u[a];
      const minus = chain.evaluate(shifted, gamma);
      for (let a = 0; a < S; a++) shifted[j * S + a] = theta[j * S + a];
      if (!plus || !minus) return false;
      const gp = grad(plus, j, i); // ∇_i V_j at θ + hU
      const gm = grad(minus, j, i);
      for (let a = 0; a < S; a++) out[i * S + a] += (gp[a] - gm[a]) / (2 * h);
    }
  }
  return true;
}

export function trainNPlayerExact(options: NPlayerTrainOptions): NPlayerTrainResult {
  const { game, gamma, learner, steps, seeds, seed } = options;
  if (!(N_PLAYER_LEARNERS as readonly string[]).includes(learner)) {
    throw new InputError("learner", `unknown value "${learner}"; allowed: ${N_PLAYER_LEARNERS.join(", ")}`);
  }
  const lr = options.lr ?? 1;
  const eta = options.eta ?? 1;
  for (const [field, value] of Object.entries({ lr, eta, initSd: options.initSd ?? 1 })) {
    if (!(Number.isFinite(value) && value >= 0))
      throw new InputError(field, `must be a finite number ≥ 0, got ${value}`);
  }
  const chain = new NPlayerChain(game);
  const { players: n, states: S } = chain;
  const size = n * S;
  const theta = new Float64Array(seeds * size);
  for (let s = 0; s < seeds; s++) {
    Rng.derive(seed + s, 0).fillNormal(theta.subarray(s * size, (s + 1) * size), 0, options.initSd ?? 1);
  }
  const rewardPerStep = new Float64Array(seeds * n);
  const cooperation = new Float64Array(seeds);
  const curve = new Float64Array(2 * (steps + 1));
  const running = new Uint8Array(seeds).fill(1);
  const diverged: NPlayerTrainResult["diverged"] = [];
  const term = new Float64Array(size);
  const next = new Float64Array(size);
  const perStep = 1 - gamma;
  const freeze = (s: number, step: number, reason: string) => {
    running[s] = 0;
    diverged.push({ seed: seed + s, step, reason });
  };

  for (let step = 0; step <= steps; step++) {
    let rewardSum = 0;
    let cooperationSum = 0;
    let count = 0;
    for (let s = 0; s < seeds; s++) {
      if (!running[s]) continue;
      const th = theta.subarray(s * size, (s + 1) * size);
      const at = chain.evaluate(th, gamma);
      if (!at?.perStep.every(Number.isFinite)) {
        freeze(s, step, "the chain is singular or its value is not finite at these parameters");
        continue;
      }
      rewardPerStep.set(at.perStep, s * n);
      cooperation[s] = chain.cooperationRate(at.occupancy);
      for (let k = 0; k < n; k++) rewardSum += at.perStep[k] / n;
      cooperationSum += cooperation[s];
      count++;
      if (step === steps) continue;
      if (learner === "lola" && !pairwiseLolaTerms(chain, th, gamma, at, term)) {
        freeze(s, step, "the chain became singular while taking the LOLA term");
        continue;
      }
      for (let i = 0; i < n; i++) {
        const own = at.gradients.subarray((i * n + i) * S, (i * n + i + 1) * S);
        for (let a = 0; a < S; a++) {
          // The chain's gradients are of per-step values: ∇V = ∇((1 − γ)V)/(1 − γ), and the LOLA term is bilinear.
          const shaping = learner === "lola" ? (eta * term[i * S + a]) / (perStep * perStep) : 0;
          next[i * S + a] = th[i * S + a] + lr * (own[a] / perStep + shaping);
        }
      }
      if (!next.every(Number.isFinite)) {
        freeze(s, step, "the update is not finite; stopped at the last finite parameters");
        continue;
      }
      th.set(next);
    }
    curve[2 * step] = count > 0 ? rewardSum / count : Number.NaN;
    curve[2 * step + 1] = count > 0 ? cooperationSum / count : Number.NaN;
    if (step > 0) options.onStep?.(step, curve[2 * step]);
  }
  return {
    players: n,
    theta,
    rewardPerStep,
    cooperation,
    curve,
    evaluationsPerUpdate: learner === "lola" ? 1 + 2 * n * (n - 1) : 1,
    diverged,
  };
}
