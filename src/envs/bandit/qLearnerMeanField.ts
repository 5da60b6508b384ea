/**
 * The Q-learner's update (qLearner.ts) run on expectations, and differentiated: what the gradient shaping
 * adversary (gradientShaper.ts) ascends. Given a plan of reward probabilities ρ_τ = (ρ_{τ,0}, ρ_{τ,1}) for the
 * remaining trials τ = 0 … R − 1 (the discrete reward vectors relaxed to probabilities), the state
 * (Q̄_0, Q̄_1, s̄_0, s̄_1) (Q values and the probabilities that each option has been sampled) moves by the
 * learner's update averaged over its choice a ~ π_τ and the reward r ~ Bernoulli(ρ_{τ,a}):
 *
 *   p_τ  = (1 − 2ε)·σ(β(Q̄_0 − Q̄_1)) + ε   (0.5 on the session's first two trials),   w_0 = p_τ, w_1 = 1 − p_τ
 *   k_a  = w_a·(s̄_a·α + (1 − s̄_a))       (the expected step: α once sampled, 1 on the first visit, Q_a ← r)
 *   Q̄_a ← Q̄_a + k_a(ρ_{τ,a} − Q̄_a),      s̄_a ← s̄_a + w_a(1 − s̄_a)
 *   J(ρ) = Σ_τ p_τ                           (the expected number of target choices still to come)
 *
 * This is a mean-field model: the learner's update, which is linear in r, is taken exactly in expectation over
 * the rewards, but the state's spread across choice histories is replaced by its mean (the exact expectation
 * branches 4^R ways). ∂J/∂ρ is by reverse mode through the recursion, written out below (tested by finite
 * differences in test/bandit-shaper.test.ts). `beta` may be lowered for planning (a temperature): at the
 * paper's β = 257 the logistic is a step and its gradient vanishes away from Q̄_0 = Q̄_1.
 */
import { sigmoid } from "../../util/math.js";
import type { DifferentiableSurrogate } from "./gradientShaper.js";
import type { QLearnerParams, QLearnerSurrogate } from "./qLearner.js";
import { TRIALS } from "./task.js";

/** Per-trial values kept by the forward pass for the backward one, [R] each. */
export class MeanFieldTape {
  readonly q0: Float64Array;
  readonly q1: Float64Array;
  readonly s0: Float64Array;
  readonly s1: Float64Array;
  readonly p: Float64Array;
  readonly slope: Float64Array;

  constructor(readonly capacity: number) {
    this.q0 = new Float64Array(capacity);
    this.q1 = new Float64Array(capacity);
    this.s0 = new Float64Array(capacity);
    this.s1 = new Float64Array(capacity);
    this.p = new Float64Array(capacity);
    this.slope = new Float64Array(capacity);
  }
}

export interface QMeanFieldStart {
  q0: number;
  q1: number;
  s0: number;
  s1: number;
  /** The session's 0-based trial of τ = 0 (trials 0 and 1 are played at 0.5). */
  trial: number;
}

/**
 * J(ρ) over R trials of the plan rho [R, 2] (trial-major: ρ_{τ,0}, ρ_{τ,1}), with ∂J/∂ρ written into grad [R, 2].
 */
export function qMeanFieldTargetChoices(
  params: QLearnerParams,
  start: QMeanFieldStart,
  rho: Float64Array,
  R: number,
  grad: Float64Array,
  tape: MeanFieldTape,
): number {
  const { alpha, beta, epsilon } = params;
  let { q0, q1, s0, s1 } = start;
  let J = 0;
  // ---- forward
  for (let tau = 0; tau < R; tau++) {
    tape.q0[tau] = q0;
    tape.q1[tau] = q1;
    tape.s0[tau] = s0;
    tape.s1[tau] = s1;
    let p = 0.5;
    let slope = 0; // ∂p/∂(Q̄_0 − Q̄_1)
    if (start.trial + tau >= 2) {
      const s = sigmoid(beta * (q0 - q1));
      p = (1 - 2 * epsilon) * s + epsilon;
      slope = (1 - 2 * epsilon) * s * (1 - s) * beta;
    }
    tape.p[tau] = p;
    tape.slope[tau] = slope;
    J += p;
    const w0 = p;
    const w1 = 1 - p;
    const k0 = w0 * (1 - s0 * (1 - alpha));
    const k1 = w1 * (1 - s1 * (1 - alpha));
    q0 += k0 * (rho[2 * tau] - q0);
    q1 += k1 * (rho[2 * tau + 1] - q1);
    s0 += w0 * (1 - s0);
    s1 += w1 * (1 - s1);
  }
  // ---- backward: gX are ∂J/∂X of the state after trial τ, carried down to the state before it
  let gQ0 = 0;
  let gQ1 = 0;
  let gS0 = 0;
  let gS1 = 0;
  for (let tau = R - 1; tau >= 0; tau--) {
    const q0b = tape.q0[tau];
    const q1b = tape.q1[tau];
    const s0b = tape.s0[tau];
    const s1b = tape.s1[tau];
    const p = tape.p[tau];
    const w0 = p;
    const w1 = 1 - p;
    const k0 = w0 * (1 - s0b * (1 - alpha));
    const k1 = w1 * (1 - s1b * (1 - alpha));
    // Q̄_a' = Q̄_a + k_a(ρ_a − Q̄_a)
    grad[2 * tau] = gQ0 * k0;
    grad[2 * tau + 1] = gQ1 * k1;
    const gk0 = gQ0 * (rho[2 * tau] - q0b);
    const gk1 = gQ1 * (rho[2 * tau + 1] - q1b);
    let nQ0 = gQ0 * (1 - k0);
    let nQ1 = gQ1 * (1 - k1);
    // s̄_a' = s̄_a + w_a(1 − s̄_a);  k_a = w_a(1 − s̄_a(1 − α))
    const gw0 = gS0 * (1 - s0b) + gk0 * (1 - s0b * (1 - alpha));
    const gw1 = gS1 * (1 - s1b) + gk1 * (1 - s1b * (1 - alpha));
    const nS0 = gS0 * (1 - w0) - gk0 * w0 * (1 - alpha);
    const nS1 = gS1 * (1 - w1) - gk1 * w1 * (1 - alpha);
    // w_0 = p, w_1 = 1 − p; J gains p directly
    const gp = 1 + gw0 - gw1;
    const gd = gp * tape.slope[tau];
    nQ0 += gd;
    nQ1 -= gd;
    gQ0 = nQ0;
    gQ1 = nQ1;
    gS0 = nS0;
    gS1 = nS1;
  }
  return J;
}

/** The shaper's view (gradientShaper.ts) of a Q-learner surrogate, planning at β = `planningBeta`. */
export function qLearnerDifferentiable(
  learner: QLearnerSurrogate,
  planningBeta = learner.params.beta,
): DifferentiableSurrogate {
  const params = { ...learner.params, beta: planningBeta };
  const tape = new MeanFieldTape(TRIALS);
  return {
    plannedTargetChoices(g, trial, rho, R, grad) {
      const start = {
        q0: learner.q[2 * g],
        q1: learner.q[2 * g + 1],
        s0: learner.sampled[2 * g],
        s1: learner.sampled[2 * g + 1],
        trial,
      };
      return qMeanFieldTargetChoices(params, start, rho, R, grad, tape);
    },
  };
}
