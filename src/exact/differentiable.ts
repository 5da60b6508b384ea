/**
 * A differentiable two-player game, as the exact learners see it: two agents with `paramsPerAgent` parameters each
 * (a joint vector θ = [θ1, θ2] of length 2n), values V_1(θ), V_2(θ) that each agent MAXIMISES, their gradients
 * with respect to the whole joint vector, and Hessian-vector products ∇²V_k · d.
 *
 * The memory-one iterated game (`src/exact/derivatives.ts`, n = 5 logits) and the SOS tandem game
 * (`src/games/tandem.ts`, n = 1) both implement it, so every update rule (naive, LOLA, look-ahead, SOS,
 * cross-Hessian) is written once. A game written for losses L_k exposes V_k = −L_k.
 *
 * The evaluator is a reusable workspace: `evaluate` once at a point, then ask for values, gradients and any number
 * of Hessian-vector products at that point without recomputing the shared pieces.
 */
export interface DifferentiableEvaluator {
  /** Parameters per agent (n); the joint vector has 2n entries, agent 1 first. */
  readonly paramsPerAgent: number;
  /**
   * Evaluate at the joint vector `theta[offset .. offset + 2n)`. Returns false when the point has no finite value
   * (non-finite parameters, or a singular system); the other methods are then undefined.
   */
  evaluate(theta: ArrayLike<number>, offset: number): boolean;
  /** V_k at the evaluated point (k = 0 for agent 1, 1 for agent 2), in the game's own scale. */
  value(k: 0 | 1): number;
  /** ∇V_k with respect to the whole joint vector (2n entries) into `out`. */
  gradient(k: 0 | 1, out: Float64Array): void;
  /** ∇_i V_k, agent i's (`agent`'s) block of ∇V_k (n entries), into `out`. */
  gradientBlock(k: 0 | 1, agent: 0 | 1, out: Float64Array): void;
  /** (∇²V_k)·direction with respect to the whole joint vector (2n entries) into `out`. */
  hessianVectorProduct(k: 0 | 1, direction: ArrayLike<number>, out: Float64Array): void;
  /**
   * A cross block times a vector, (∇_i ∇_j V_k)·u: u (n) lives on the other agent j's parameters, the result (n)
   * on agent i's (`agent`). Equal to agent i's block of `hessianVectorProduct` with u placed on j's block.
   */
  crossHessianVectorProduct(k: 0 | 1, agent: 0 | 1, u: ArrayLike<number>, out: Float64Array): void;
  /**
   * LOLA's shaping term for agent i = `agent` (n entries into `out`): χ_i = (∇_i∇_j V_j)·∇_j V_i, j the opponent.
   * Equal to `crossHessianVectorProduct(j, i, ∇_j V_i)`; an evaluator may compute it without copying ∇_j V_i.
   */
  lolaTerm(agent: 0 | 1, out: Float64Array): void;
}

/** An update rule a batched kernel can compute in place of a learner's `direction` (the same bits). */
export type PairRule = { kind: "naive" } | { kind: "lola"; eta: number };

/**
 * A batched kernel for one simultaneous update of many seeds (src/exact/wasmPairStep.ts): `theta` [size, 2n],
 * `values` [size, 2] and `running` [size] are its buffers, which the trainer reads and writes as its own. `step`
 * updates every pair of seeds (2p, 2p + 1) it can; `pairDone(p)` says which, and the trainer does the others.
 */
export interface PairKernel {
  readonly theta: Float64Array;
  readonly values: Float64Array;
  readonly running: Uint8Array;
  readonly pairs: number;
  step(update: boolean): void;
  pairDone(p: number): boolean;
}

/** Something that can make evaluators: one per learner that needs to look at other points. */
export interface DifferentiableGame {
  readonly name: string;
  readonly paramsPerAgent: number;
  createEvaluator(): DifferentiableEvaluator;
  /** A batched kernel for `size` seeds of these two rules and step sizes, where the game has one. */
  createPairKernel?(
    rules: readonly [PairRule, PairRule],
    lrs: readonly [number, number],
    size: number,
  ): PairKernel | undefined;
}
