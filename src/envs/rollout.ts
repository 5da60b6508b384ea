/**
 * Sampled play of tabular memory-one policies in a batched iterated game: the one rollout loop every sampled
 * learner shares.
 *
 * Policies: `pC` holds cooperation probabilities `[nPolicies, 2 agents, 5 own-view states]`; game g is played by
 * policy pair ⌊g / gamesPerPolicy⌋, so many seeds (each with its own policies) roll out in one batch.
 * Trajectories are `[T, batch, 2]` typed arrays: obs (the state each agent acted in), actions, rewards.
 *
 * `rng` is one generator for the whole batch, or one generator per policy pair: then pair p's games draw only from
 * `rng[p]`, so a seed's play does not depend on how many other seeds share the batch.
 *
 * Opponents: a seat can instead be played by a `RolloutOpponent` (`opponents[agent]`), any rule that picks its
 * action from the game's history (e.g. a fixed strategy of src/strategies with unbounded memory: Grudger,
 * Prober, …; see src/learners/sampled/opponents.ts). It keeps its own state per game, is asked for its action in
 * the same place the memory-one draw would happen (agent 0 first, then agent 1, game by game) with the game's
 * generator, and is told the realised joint action after every step. `memoryOneOpponent` is the same interface
 * over fixed probabilities: it draws exactly as the built-in memory-one seat does.
 */
import type { Rng } from "../util/rng.js";
import type { IteratedGameEnv } from "./iterated.js";

export interface Trajectories {
  readonly horizon: number;
  readonly batch: number;
  /** State each agent acted in (0 = start, 1..4 = CC, CD, DC, DD own view), `[T, batch, 2]`. */
  readonly obs: Uint8Array;
  /** 0 = C, 1 = D, `[T, batch, 2]`. */
  readonly actions: Uint8Array;
  /** `[T, batch, 2]`. */
  readonly rewards: Float64Array;
}

/** A seat played by a fixed rule instead of the memory-one probabilities in `pC`. */
export interface RolloutOpponent {
  /** Start `batch` fresh games of at most `horizon` steps (one independent state per game). */
  reset(batch: number, horizon: number): void;
  /** This seat's action (0 = C, 1 = D) in game `game`, acting in own-view state `obs`; draw only from `rng`. */
  act(game: number, obs: number, rng: Rng): number;
  /** The realised step of game `game`: this seat's action `own` and the other seat's `opp`. */
  observe(game: number, own: number, opp: number): void;
}

/**
 * Fixed memory-one probabilities `[start, CC, CD, DC, DD]` (own view) as a `RolloutOpponent`: one uniform draw
 * per step, the same draw the built-in memory-one seat makes.
 */
export function memoryOneOpponent(pC: readonly number[]): RolloutOpponent {
  if (pC.length !== 5) throw new RangeError(`expected 5 probabilities, got ${pC.length}`);
  const p = Float64Array.from(pC);
  return {
    reset() {},
    act: (_game, obs, rng) => (rng.uniform() < p[obs] ? 0 : 1),
    observe() {},
  };
}

export function rolloutMemoryOne(
  env: IteratedGameEnv,
  pC: Float64Array,
  gamesPerPolicy: number,
  rng: Rng | readonly Rng[],
  opponents?: readonly [RolloutOpponent | undefined, RolloutOpponent | undefined],
): Trajectories {
  const nPolicies = pC.length / 10;
  const batch = nPolicies * gamesPerPolicy;
  const T = env.horizon;
  const obsOut = new Uint8Array(T * batch * 2);
  const actOut = new Uint8Array(T * batch * 2);
  const rewOut = new Float64Array(T * batch * 2);
  const perPolicy = Array.isArray(rng);
  if (perPolicy && rng.length !== nPolicies) {
    throw new RangeError(`expected ${nPolicies} generators (one per policy pair), got ${rng.length}`);
  }
  const shared = perPolicy ? undefined : (rng as Rng);
  const rngs = perPolicy ? (rng as readonly Rng[]) : undefined;
  // Reset through the env, then advance with its allocation-free transition (the same rule as `env.step`).
  const { state, obs } = env.reset(shared, batch);
  const lastJoint = Int8Array.from(state.lastJoint);
  const actions = new Uint8Array(2 * batch);
  const first = opponents?.[0];
  const second = opponents?.[1];
  first?.reset(batch, T);
  second?.reset(batch, T);
  for (let t = 0; t < T; t++) {
    const base = t * batch * 2;
    // Policy-major so the generator and the policy offset stay fixed in the inner loop (same draw order).
    for (let policy = 0, g = 0; policy < nPolicies; policy++) {
      const p = policy * 10;
      const draw = rngs ? rngs[policy] : (shared as Rng);
      if (!first && !second) {
        for (const end = g + gamesPerPolicy; g < end; g++) {
          actions[2 * g] = draw.uniform() < pC[p + obs[2 * g]] ? 0 : 1;
          actions[2 * g + 1] = draw.uniform() < pC[p + 5 + obs[2 * g + 1]] ? 0 : 1;
        }
        continue;
      }
      for (const end = g + gamesPerPolicy; g < end; g++) {
        actions[2 * g] = first ? first.act(g, obs[2 * g], draw) : draw.uniform() < pC[p + obs[2 * g]] ? 0 : 1;
        actions[2 * g + 1] = second
          ? second.act(g, obs[2 * g + 1], draw)
          : draw.uniform() < pC[p + 5 + obs[2 * g + 1]]
            ? 0
            : 1;
      }
    }
    if (first || second) {
      for (let g = 0; g < batch; g++) {
        first?.observe(g, actions[2 * g], actions[2 * g + 1]);
        second?.observe(g, actions[2 * g + 1], actions[2 * g]);
      }
    }
    obsOut.set(obs, base);
    actOut.set(actions, base);
    env.transitionInto(actions, lastJoint, obs, rewOut, base);
  }
  return { horizon: T, batch, obs: obsOut, actions: actOut, rewards: rewOut };
}
