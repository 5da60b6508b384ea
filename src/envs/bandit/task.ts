/**
 * The bandit task of Dezfouli, Nock & Dayan (2020, PNAS; Experiment 1, "choice engineering"), after Dan &
 * Loewenstein's Choice Engineering Competition (Nat. Commun. 2019), batched over games.
 *
 * 100 trials, two options; option 0 is the target. Before each choice the adversary assigns a reward vector,
 * action 0 → (0, 0), 1 → (1, 0), 2 → (0, 1), 3 → (1, 1), under the constraint that each option receives exactly
 * 25 rewards per session (the released code, `nc/learner_env.py`), applied per option i with T_i the rewards
 * already assigned to it and t the 0-based trial:
 *     r_i ← r_i·[T_i < 25],   then   r_i ← max(r_i, [T_i + (100 − t) < 26]),
 * i.e. an option that has had 25 gets no more, and one is forced to get a reward once the remaining trials equal
 * the rewards it is still owed. The learner sees only the reward of the option it chose; an unchosen assigned
 * reward is lost but counts toward the 25. The adversary's return is the number of target choices ("bias").
 *
 * State is plain data over typed arrays, one entry per game; the learner (src/envs/bandit/qLearner.ts) is a
 * separate object so that other surrogates plug in.
 */

export const TRIALS = 100;
export const REWARDS_PER_OPTION = 25;
/** Reward vectors of the adversary's four actions: [option 0, option 1]. */
export const REWARD_VECTORS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];

export interface BanditState {
  readonly games: number;
  /** 0-based trial about to be played (the same in every game). */
  trial: number;
  /** Rewards assigned so far, [games, 2]. */
  readonly assigned: Int32Array;
  /** Choices so far, [games, 2]. */
  readonly choices: Int32Array;
}

export function resetBandit(games: number): BanditState {
  return { games, trial: 0, assigned: new Int32Array(2 * games), choices: new Int32Array(2 * games) };
}

/** The reward option `option` gets in game `g` this trial when the adversary asks for `wanted` (0 or 1). */
export function constrainedReward(state: BanditState, g: number, option: number, wanted: number): number {
  const given = state.assigned[2 * g + option];
  let r = given < REWARDS_PER_OPTION ? wanted : 0;
  if (given + (TRIALS - state.trial) < REWARDS_PER_OPTION + 1) r = 1;
  return r;
}

/**
 * Apply the adversary's actions ([games], 0..3) under the constraint, write the rewards actually assigned into
 * `rewards` ([games, 2]); the learner's choices ([games], 0/1) are then recorded with `recordChoices`.
 */
export function assignRewards(state: BanditState, actions: ArrayLike<number>, rewards: Int32Array): void {
  if (state.trial >= TRIALS) throw new RangeError(`the session has ${TRIALS} trials`);
  for (let g = 0; g < state.games; g++) {
    const [w0, w1] = REWARD_VECTORS[actions[g]];
    const r0 = constrainedReward(state, g, 0, w0);
    const r1 = constrainedReward(state, g, 1, w1);
    rewards[2 * g] = r0;
    rewards[2 * g + 1] = r1;
    state.assigned[2 * g] += r0;
    state.assigned[2 * g + 1] += r1;
  }
}

export function recordChoices(state: BanditState, choices: ArrayLike<number>): void {
  for (let g = 0; g < state.games; g++) state.choices[2 * g + choices[g]]++;
  state.trial++;
}

/** Fraction of target choices per game after a full session ([games]). */
export function bias(state: BanditState): Float64Array {
  const out = new Float64Array(state.games);
  for (let g = 0; g < state.games; g++) out[g] = state.choices[2 * g] / TRIALS;
  return out;
}
