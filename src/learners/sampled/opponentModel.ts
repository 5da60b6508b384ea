/**
 * Two ways to make Advantage Alignment's model of its opponent worse on purpose (issue 14: opponent-model
 * fidelity and miscalculation), used by src/learners/sampled/aa.ts for its OPPONENT critic only.
 *
 * 1. Capacity: a state-aggregated TD(0) critic. The tabular critic keeps one V per own-view state
 *    (start, CC, CD, DC, DD, written from the opponent's view: its own previous action first). An aggregated
 *    critic shares one value per group of states, g(s), so it cannot tell apart the states of a group:
 *
 *      V_g ← V_g + α·( Σ_{s∈g, j} [R(s,j) + γ·n(s,j)·V_{g(1+j)}] / Σ_{s∈g, j} n(s,j) − V_g )
 *      Q_g(j) ← Q_g(j) + α·( Σ_{s∈g} R(s,j) / Σ_{s∈g} n(s,j) + γ·V_{g(1+j)} − Q_g(j) )
 *
 *    with n(s,j) the batch's visits of (state s, joint action j) and R(s,j) their summed rewards (the sufficient
 *    statistics of src/policies/critics.ts), next state 1 + j. This is tabular TD(0) on the aggregated states
 *    (linear TD with one-hot group features); its fixed point (α = 1, many sweeps) solves the projected Bellman
 *    equation  V_g = Σ_{s∈g,j} n(s,j)·(r̄(s,j) + γ V_{g(1+j)}) / Σ_{s∈g,j} n(s,j)  (tested against a direct solve).
 *    The values are stored expanded to the 5 states (V(s) = V_{g(s)}), so the advantages read them unchanged, and
 *    with one group per state the fit is exactly the table's (tested bit for bit). Levels (what the critic sees
 *    of the previous joint action; the start state keeps its own value):
 *      full           both actions (the table)
 *      opponent-last  only the opponent's own previous action      groups [start | CC CD | DC DD]
 *      own-last       only this agent's previous action            groups [start | CC DC | CD DD]
 *      none           nothing: one value for every later state     groups [start | CC CD DC DD]
 *
 * 2. The wrong reward: the opponent critic is fitted as if the opponent were paid `own` (this agent's payoff: it
 *    assumes a common interest) or `zero-sum` (minus this agent's payoff: it assumes a rival), instead of its
 *    true payoff. The game's payoffs are deterministic in the joint action, so the batch's summed rewards are
 *    relabelled exactly: R(s,j) = n(s,j)·r_model(j).
 */
import type { MatrixGame } from "../../games/game.js";
import { swapView } from "../../games/game.js";
import type { JointActionValueTable, StateValueTable, TdStatistics } from "../../policies/critics.js";

export const CRITIC_STATE_LEVELS = ["full", "opponent-last", "own-last", "none"] as const;
export type CriticStateLevel = (typeof CRITIC_STATE_LEVELS)[number];

/** Group of each own-view state [start, CC, CD, DC, DD] (critic's view: the opponent's action first). */
export const CRITIC_STATE_GROUPS: Readonly<Record<CriticStateLevel, readonly number[]>> = {
  full: [0, 1, 2, 3, 4],
  "opponent-last": [0, 1, 1, 2, 2],
  "own-last": [0, 1, 2, 1, 2],
  none: [0, 1, 1, 1, 1],
};

export const OPPONENT_REWARD_MODELS = ["opponent", "own", "zero-sum"] as const;
export type OpponentRewardModel = (typeof OPPONENT_REWARD_MODELS)[number];

const STATES = 5;
const JOINTS = 4;
const CELLS = STATES * JOINTS;

/**
 * State-aggregated batch TD(0) on V (`sweeps` synchronous sweeps of step `lr`), then one step of `lr` on Q towards
 * r + γ·V(s′), from the statistics `stats`; `groups[s]` is state s's group. Tables are `[tables, 5]` and
 * `[tables, 5, 4]`; a group without visits keeps its values.
 */
export function fitAggregatedTd0(
  v: StateValueTable,
  q: JointActionValueTable,
  stats: TdStatistics,
  groups: readonly number[],
  gamma: number,
  lr: number,
  sweeps: number,
): void {
  const V = v.values;
  const Q = q.values;
  const target = new Float64Array(STATES);
  const count = new Float64Array(STATES);
  for (let k = 0; k < v.tables; k++) {
    for (let sweep = 0; sweep < sweeps; sweep++) {
      target.fill(0);
      count.fill(0);
      for (let s = 0; s < STATES; s++) {
        const g = groups[s];
        for (let j = 0; j < JOINTS; j++) {
          const cell = k * CELLS + s * JOINTS + j;
          const c = stats.visits[cell];
          if (c === 0) continue;
          count[g] += c;
          target[g] += stats.rewardSum[cell] + gamma * c * V[k * STATES + 1 + j];
        }
      }
      for (let g = 0; g < STATES; g++) target[g] = count[g] > 0 ? target[g] / count[g] : Number.NaN;
      for (let s = 0; s < STATES; s++) {
        const t = target[groups[s]];
        if (!Number.isNaN(t)) V[k * STATES + s] += lr * (t - V[k * STATES + s]);
      }
    }
    for (let j = 0; j < JOINTS; j++) {
      // Per group: its visits and rewards of joint action j, shared by every state of the group.
      target.fill(0);
      count.fill(0);
      for (let s = 0; s < STATES; s++) {
        const cell = k * CELLS + s * JOINTS + j;
        count[groups[s]] += stats.visits[cell];
        target[groups[s]] += stats.rewardSum[cell];
      }
      const next = gamma * V[k * STATES + 1 + j];
      for (let s = 0; s < STATES; s++) {
        const c = count[groups[s]];
        if (c === 0) continue;
        const cell = k * CELLS + s * JOINTS + j;
        Q[cell] += lr * (target[groups[s]] / c + next - Q[cell]);
      }
    }
  }
}

/**
 * The payoff, per joint action in seat `viewSeat`'s own view (own action first), that the model believes that
 * seat is paid: its true payoff (`opponent`), the payoff of the other seat (`own`: the modeller's), or minus it.
 */
export function modelPayoffs(game: MatrixGame, viewSeat: 0 | 1, model: OpponentRewardModel): Float64Array {
  const modeller = viewSeat === 0 ? game.r2 : game.r1;
  const truth = viewSeat === 0 ? game.r1 : game.r2;
  const out = new Float64Array(JOINTS);
  for (let j = 0; j < JOINTS; j++) {
    const agentOneView = viewSeat === 0 ? j : swapView(j);
    out[j] =
      model === "opponent"
        ? truth[agentOneView]
        : model === "own"
          ? modeller[agentOneView]
          : -modeller[agentOneView];
  }
  return out;
}

/** Replace the summed rewards of `stats` by visits × the modelled payoff of each joint action (own view). */
export function relabelRewards(stats: TdStatistics, payoffs: Float64Array): void {
  for (let cell = 0; cell < stats.visits.length; cell++) {
    stats.rewardSum[cell] = stats.visits[cell] * payoffs[cell % JOINTS];
  }
}
