/**
 * The seed post's worked example, computed by the exact engine and the learners (nothing hard-coded):
 * the one-shot prisoner's dilemma (R, S, T, P) = (3, 0, 5, 1) with both agents at P(C) = 0.5 (logit 0).
 *
 * A one-shot game is the memory-one engine at γ = 0: V = p0ᵀ r depends only on the start logits, and
 *   V_1 = p1p2R + p1(1−p2)S + (1−p1)p2T + (1−p1)(1−p2)P.
 * Derivatives are taken with respect to the LOGITS (the learners' parameters), so each ∂/∂p gains σ'(0) = 1/4:
 *   naive gradient   ∂V_1/∂θ_1 = [p2(R−T) + (1−p2)(S−P)]·σ'      = −1.5·0.25          = −0.375
 *   post's term      (∂²V_1/∂θ_1∂θ_2)·∂V_2/∂θ_2 = (R−S−T+P)σ'²·(−0.375) = (−1/16)(−0.375) = +3/128 = 0.0234375
 *   LOLA's term      (∂²V_2/∂θ_1∂θ_2)·∂V_1/∂θ_2 = (R−T−S+P)σ'²·[p1(R−S) + (1−p1)(T−P)]σ' = (−1/16)(0.875) = −7/128
 * so the post's correction flips the sign of the update at β_flip = 0.375 / 0.0234375 = 16, while the LOLA paper's
 * term at the same point pushes further towards defection.
 * Advantage Alignment example: A* = A_1 + β·γ·A_1,past·A_2 with every advantage 0.75 = Q(D) − V, the advantage of
 * defecting at p = 0.5 (Q(D) = 3, V = 2.25), at γ = 0.96, β = 1: 0.75 + 0.96·0.5625 = 1.29.
 */
import { memoryOneGame } from "../../exact/derivatives.js";
import { symmetricGame } from "../../games/game.js";
import { createExactLearner } from "./index.js";

export interface WorkedExample {
  payoffs: { R: number; S: number; T: number; P: number };
  p: number;
  beta: number;
  /** ∂V_1/∂θ_1 at θ = 0 (logit gradient of the one-shot value). */
  naiveGradient: number;
  /** (∂²V_1/∂θ_1∂θ_2)·∂V_2/∂θ_2: the post's cross term per unit β. */
  postCrossTerm: number;
  /** β at which the post's corrected update changes sign: −naive / cross term. */
  betaFlip: number;
  /** naive + β·post's term */
  postUpdate: number;
  /** (∂²V_2/∂θ_1∂θ_2)·∂V_1/∂θ_2: the LOLA paper's correction per unit η at the same point. */
  lolaCorrectionTerm: number;
  advantageAlignment: { gamma: number; advantage: number; aStar: number };
  formulas: Record<string, string>;
}

export function computeWorkedExample(beta = 1, aaGamma = 0.96): WorkedExample {
  const [R, S, T, P] = [3, 0, 5, 1];
  const game = symmetricGame("one-shot PD", R, S, T, P);
  const oneShot = memoryOneGame(game, 0);
  const theta = new Float64Array(10); // every logit 0: P(C) = 0.5 everywhere
  const point = oneShot.createEvaluator();
  point.evaluate(theta, 0);
  const direction = (spec: Parameters<typeof createExactLearner>[0]) => {
    const out = new Float64Array(5);
    createExactLearner(spec, oneShot).direction(point, theta, 0, 0, out);
    return out[0]; // the start logit: the only one a one-shot game depends on
  };
  const naiveGradient = direction({ name: "naive" });
  const postCrossTerm = direction({ name: "cross-hessian", beta: 1 }) - naiveGradient;
  const lolaCorrectionTerm = direction({ name: "lola", eta: 1 }) - naiveGradient;
  // Advantage of defecting at p = 0.5 from the one-shot values: Q(D) − V, with V from the engine.
  const value = point.value(0); // V_1 = 2.25
  const qDefect = 0.5 * T + 0.5 * P; // agent 1 defects, agent 2 still cooperates with probability 0.5
  const advantage = qDefect - value;
  const aStar = advantage + beta * aaGamma * advantage * advantage;
  return {
    payoffs: { R, S, T, P },
    p: 0.5,
    beta,
    naiveGradient,
    postCrossTerm,
    betaFlip: -naiveGradient / postCrossTerm,
    postUpdate: naiveGradient + beta * postCrossTerm,
    lolaCorrectionTerm,
    advantageAlignment: { gamma: aaGamma, advantage, aStar },
    formulas: {
      naiveGradient: "∂V1/∂θ1 = [p2(R−T) + (1−p2)(S−P)]·σ'(θ1)",
      postCrossTerm: "(∂²V1/∂θ1∂θ2)·∂V2/∂θ2 = (R−S−T+P)·σ'(θ1)σ'(θ2)·∂V2/∂θ2",
      betaFlip: "β_flip = −naive / post's term",
      lolaCorrectionTerm: "(∂²V2/∂θ1∂θ2)·∂V1/∂θ2 (LOLA paper, per unit η)",
      aStar: "A* = A1 + β·γ·A1,past·A2, all three = Q(D) − V at p = 0.5",
    },
  };
}
