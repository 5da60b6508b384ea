/**
 * LOLA-OM: LOLA with opponent modelling (Foerster et al. 2018, "Learning with Opponent-Learning Awareness",
 * arXiv:1709.04326, §3.3 "Learning via opponent modeling"): instead of reading the opponent's parameters θ_j, the
 * agent estimates them from the opponent's observed actions by maximum likelihood,
 *
 *   θ̂_j = argmax_θ Σ_t log π_θ(u^j_t | s_t),
 *
 * and uses θ̂_j in place of θ_j everywhere in its exact LOLA update (src/learners/exact/lola.ts):
 *   θ_i ← θ_i + lr·( ∇_i V_i + η·(∇_i∇_j V_j)·∇_j V_i ) evaluated at (θ_i, θ̂_j).
 *
 * For a tabular memory-one policy the likelihood factorises over the opponent's own-view states, so the maximum is
 * per state: P̂(C | s) = c_s / N_s (c_s cooperations in N_s visits). That is infinite for c_s ∈ {0, N_s} and undefined
 * for unvisited states, so we take the posterior mean under a Beta(a, a) prior per state (a = `prior`, default 0.5,
 * the Jeffreys prior): P̂(C | s) = (c_s + a)/(N_s + 2a), θ̂_s = logit(P̂). As n grows the counts dominate and θ̂_j → the
 * maximum-likelihood estimate → θ_j.
 *
 * Observations: before each update the agent plays `trajectories` = n fresh games of `horizon` steps against the
 * opponent's CURRENT policy (both sampled from the true policies), from the start state. Fidelity = n (n → ∞ recovers
 * exact LOLA). Randomness comes from the generator passed in (the caller derives it from the run's seed).
 */
import type { DifferentiableGame } from "../../exact/differentiable.js";
import { swapView } from "../../games/game.js";
import { InputError } from "../../util/errors.js";
import { logit, sigmoid } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import type { ExactLearner, ExactLearnerSpec } from "./learner.js";
import { validateConfig, pickKeys } from "../hyperparameters.js";
import { createLola, lolaEntry } from "./lola.js";

export interface OpponentModelOptions {
  /** Games observed per update (n ≥ 1). */
  trajectories: number;
  /** Steps per observed game (T ≥ 1). */
  horizon: number;
  /** Beta(a, a) pseudo-count per action and state (a > 0). */
  prior?: number;
}

/**
 * Play `trajectories` games of `horizon` steps between memory-one policies `self` and `opponent` (5 cooperation
 * probabilities each, own view) and count, per opponent own-view state (start, CC, CD, DC, DD), its visits and
 * cooperations. `visits`, `cooperations` (5 each) are overwritten.
 */
export function observeOpponent(
  self: ArrayLike<number>,
  opponent: ArrayLike<number>,
  trajectories: number,
  horizon: number,
  rng: Rng,
  visits: Float64Array,
  cooperations: Float64Array,
): void {
  visits.fill(0);
  cooperations.fill(0);
  for (let g = 0; g < trajectories; g++) {
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < horizon; t++) {
      const a = rng.uniform() < self[s1] ? 0 : 1; // 0 = C
      const b = rng.uniform() < opponent[s2] ? 0 : 1;
      visits[s2] += 1;
      if (b === 0) cooperations[s2] += 1;
      const joint = 2 * a + b; // agent-1 view: CC, CD, DC, DD
      s1 = 1 + joint;
      s2 = 1 + swapView(joint);
    }
  }
}

/** θ̂ per state from counts: logit((c + a)/(N + 2a)). */
export function estimateLogits(
  visits: ArrayLike<number>,
  cooperations: ArrayLike<number>,
  prior: number,
  out: Float64Array,
): Float64Array {
  for (let s = 0; s < out.length; s++) out[s] = logit((cooperations[s] + prior) / (visits[s] + 2 * prior));
  return out;
}

export function validateOpponentModel(
  om: OpponentModelOptions,
  field: string,
): Required<OpponentModelOptions> {
  const { trajectories, horizon } = om;
  const prior = om.prior ?? 0.5;
  if (!(Number.isInteger(trajectories) && trajectories >= 1 && trajectories <= 1_000_000)) {
    throw new InputError(`${field}.trajectories`, `must be an integer in [1, 1000000], got ${trajectories}`);
  }
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 100_000)) {
    throw new InputError(`${field}.horizon`, `must be an integer in [1, 100000], got ${horizon}`);
  }
  if (!(Number.isFinite(prior) && prior > 0)) {
    throw new InputError(`${field}.prior`, `must be a positive number, got ${prior}`);
  }
  return { trajectories, horizon, prior };
}

/**
 * LOLA-OM for the memory-one game (`game.paramsPerAgent` = 5). `spec` carries LOLA's lr and η; `om` the model's
 * fidelity; `rng` the observation stream.
 */
export function createLolaOm(
  spec: ExactLearnerSpec,
  game: DifferentiableGame,
  om: OpponentModelOptions,
  rng: Rng,
  field = "om",
): ExactLearner {
  if (game.paramsPerAgent !== 5) {
    throw new InputError(field, "LOLA-OM observes memory-one play: it needs the memory-one game (5 logits)");
  }
  const { trajectories, horizon, prior } = validateOpponentModel(om, field);
  const lola = createLola(validateConfig(lolaEntry, pickKeys(lolaEntry.schema, spec), field), game);
  const modelPoint = game.createEvaluator();
  const joint = new Float64Array(10);
  const self = new Float64Array(5);
  const opponent = new Float64Array(5);
  const visits = new Float64Array(5);
  const cooperations = new Float64Array(5);
  const estimate = new Float64Array(5);
  return {
    name: "lola",
    lr: lola.lr,
    frozen: false,
    direction(_point, theta, offset, agent, out) {
      const o = offset + 5 * agent;
      const p = offset + 5 * (1 - agent);
      for (let a = 0; a < 5; a++) {
        self[a] = sigmoid(theta[o + a]);
        opponent[a] = sigmoid(theta[p + a]);
      }
      observeOpponent(self, opponent, trajectories, horizon, rng, visits, cooperations);
      estimateLogits(visits, cooperations, prior, estimate);
      for (let a = 0; a < 5; a++) {
        joint[5 * agent + a] = theta[o + a];
        joint[5 * (1 - agent) + a] = estimate[a];
      }
      // The estimate has finite logits (the prior keeps P̂ in (0, 1)), so the point is finite where θ_i is.
      if (!modelPoint.evaluate(joint, 0)) {
        out.fill(Number.NaN); // the trainer stops this seed and reports it (never a silent NaN)
        return;
      }
      lola.direction(modelPoint, joint, 0, agent, out);
    },
  };
}
