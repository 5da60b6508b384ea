/**
 * The gradient shaping adversary of the bandit task (ours; the seed post's §7.2 question, the opponent-shaping
 * answer to Dezfouli et al.'s RL adversary): before each trial it plans the whole rest of the session by gradient
 * ascent through the surrogate's learning rule, then plays the plan's first step (receding horizon).
 *
 * The plan relaxes the discrete reward vectors to probabilities ρ_{τ,i} ∈ (0, 1) for the R = 100 − t remaining
 * trials τ and both options i, constrained as the task constrains the rewards: each option gets exactly what it is
 * still owed, Σ_τ ρ_{τ,i} = owed_i (25 minus those assigned). The constraint is built into the parameterisation,
 *   ρ_{τ,i} = σ(z_{τ,i} + c_i),   c_i solving Σ_τ σ(z_{τ,i} + c_i) = owed_i   (Newton; unique, Σσ is increasing),
 * so by the implicit function theorem, with v_τ = ρ_τ(1 − ρ_τ),
 *   ∂J/∂z_{τ,i} = v_{τ,i} · (∂J/∂ρ_{τ,i} − Σ_τ' v_{τ',i} ∂J/∂ρ_{τ',i} / Σ_τ' v_{τ',i}).
 * J(ρ) is the expected number of target choices still to come under the surrogate's update run on expectations
 * (`plannedTargetChoices`: qLearnerMeanField.ts for the Q-learner, gruMeanField.ts for the GRU), and ∂J/∂ρ
 * comes back through that update. `iterations` Adam-ascent steps (lr `lr`) per trial, warm-started from the
 * previous trial's plan. The trial's reward vector: option i is rewarded iff ρ_{0,i} ≥ ½ (the 25/25 rule of
 * task.ts then applies, as to any adversary). An option owed nothing has ρ = 0; one owed every remaining trial,
 * ρ = 1 (the constraint forces it).
 */
import { AdamAscent } from "../../util/adamAscent.js";
import { InputError } from "../../util/errors.js";
import { sigmoid } from "../../util/math.js";
import type { BanditAdversary } from "./adversaries.js";
import type { BanditSurrogate } from "./surrogate.js";
import { REWARDS_PER_OPTION, TRIALS } from "./task.js";

/** What the shaper needs of a surrogate: J and ∂J/∂ρ from game g's current state over the next R trials. */
export interface DifferentiableSurrogate {
  plannedTargetChoices(g: number, trial: number, rho: Float64Array, R: number, grad: Float64Array): number;
}

export interface GradientShaperOptions {
  /** Adam-ascent steps per trial (default 4) and their step size on z (default 1). */
  iterations?: number;
  lr?: number;
}

const OPTIONS = 2;

/**
 * ρ_{·,i} = σ(z_{·,i} + c) with Σ ρ = owed over R trials (column `option` of the [R, 2] arrays); returns c.
 * `c` is the previous solution (a warm start).
 */
export function projectPlan(
  z: Float64Array,
  option: number,
  R: number,
  owed: number,
  c: number,
  rho: Float64Array,
): number {
  if (owed <= 0 || owed >= R) {
    for (let tau = 0; tau < R; tau++) rho[2 * tau + option] = owed <= 0 ? 0 : 1;
    return c;
  }
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (let iteration = 0; iteration < 60; iteration++) {
    let sum = 0;
    let slope = 0;
    for (let tau = 0; tau < R; tau++) {
      const r = sigmoid(z[2 * tau + option] + c);
      sum += r;
      slope += r * (1 - r);
    }
    const f = sum - owed;
    if (Math.abs(f) < 1e-10) break;
    if (f > 0) hi = Math.min(hi, c);
    else lo = Math.max(lo, c);
    let next = c - f / Math.max(slope, 1e-12);
    // Newton within the bracket (Σσ is increasing in c); bisect when it would leave it.
    if (!(next > lo && next < hi))
      next = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : c - Math.sign(f) * 4;
    c = next;
  }
  for (let tau = 0; tau < R; tau++) rho[2 * tau + option] = sigmoid(z[2 * tau + option] + c);
  return c;
}

/** ∂J/∂z from ∂J/∂ρ (both [R, 2]) for column `option`, through the projection (see the header). */
export function projectGradient(
  rho: Float64Array,
  gradRho: Float64Array,
  option: number,
  R: number,
  owed: number,
  gradZ: Float64Array,
): void {
  if (owed <= 0 || owed >= R) {
    for (let tau = 0; tau < R; tau++) gradZ[2 * tau + option] = 0;
    return;
  }
  let vSum = 0;
  let vg = 0;
  for (let tau = 0; tau < R; tau++) {
    const k = 2 * tau + option;
    const v = rho[k] * (1 - rho[k]);
    vSum += v;
    vg += v * gradRho[k];
  }
  const lambda = vSum > 0 ? vg / vSum : 0;
  for (let tau = 0; tau < R; tau++) {
    const k = 2 * tau + option;
    gradZ[k] = rho[k] * (1 - rho[k]) * (gradRho[k] - lambda);
  }
}

export interface GradientShaper extends BanditAdversary {
  /** Mean planned J (expected target choices to come) at each trial of the last session, averaged over games. */
  readonly plannedCurve: number[];
}

export function gradientShaper(
  differentiable: (learner: BanditSurrogate) => DifferentiableSurrogate,
  options: GradientShaperOptions = {},
): GradientShaper {
  const iterations = options.iterations ?? 4;
  const lr = options.lr ?? 1;
  if (!(iterations >= 1)) throw new InputError("iterations", `must be at least 1, got ${iterations}`);
  // Per game: z over the absolute trials [games, 100, 2] (so the warm start is the same slots), c per option.
  let z = new Float64Array(0);
  let c = new Float64Array(0);
  const rho = new Float64Array(TRIALS * OPTIONS);
  const gradRho = new Float64Array(TRIALS * OPTIONS);
  const gradZ = new Float64Array(TRIALS * OPTIONS);
  const plannedCurve: number[] = [];
  return {
    name: "gradient-shaper",
    plannedCurve,
    reset(games) {
      z = new Float64Array(games * TRIALS * OPTIONS);
      c = new Float64Array(games * OPTIONS);
      plannedCurve.length = 0;
    },
    act(state, learner, out) {
      const model = differentiable(learner);
      const t = state.trial;
      const R = TRIALS - t;
      let plannedSum = 0;
      for (let g = 0; g < state.games; g++) {
        // This game's plan from trial t on: a view of its slots.
        const zg = z.subarray((g * TRIALS + t) * OPTIONS, (g + 1) * TRIALS * OPTIONS);
        const owed0 = REWARDS_PER_OPTION - state.assigned[2 * g];
        const owed1 = REWARDS_PER_OPTION - state.assigned[2 * g + 1];
        const adam = new AdamAscent(lr, R * OPTIONS); // fresh moments each trial: the plan's length changes
        let J = 0;
        for (let iteration = 0; iteration <= iterations; iteration++) {
          c[2 * g] = projectPlan(zg, 0, R, owed0, c[2 * g], rho);
          c[2 * g + 1] = projectPlan(zg, 1, R, owed1, c[2 * g + 1], rho);
          if (iteration === iterations) break; // the final plan, projected
          J = model.plannedTargetChoices(g, t, rho, R, gradRho);
          projectGradient(rho, gradRho, 0, R, owed0, gradZ);
          projectGradient(rho, gradRho, 1, R, owed1, gradZ);
          adam.step(zg, gradZ);
        }
        plannedSum += J;
        out[g] = (rho[0] >= 0.5 ? 1 : 0) + (rho[1] >= 0.5 ? 2 : 0);
      }
      plannedCurve.push(plannedSum / state.games);
    },
  };
}
