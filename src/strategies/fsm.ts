/**
 * Finite-state-machine player: a table of transitions (state, opponent's last move) → (next state, move).
 * The first move is `initialAction`; afterwards the machine reads the opponent's last realised move, moves to
 * the next state and plays that transition's move.
 * Axelrod: axelrod/strategies/finite_state_machines.py (FSMPlayer, SimpleFSM) [Miller1989, Ashlock2006].
 * Axelrod's default machine ((1, C, 1, C), (1, D, 1, D)) is Tit For Tat.
 */
import { InputError } from "../util/errors.js";
import { type Action, C, D, type Strategy } from "./types.js";

/** One row of the table: in `state`, after the opponent played `opponentAction`, go to `nextState` and play `action`. */
export type FsmTransition = readonly [
  state: number,
  opponentAction: "C" | "D",
  nextState: number,
  action: "C" | "D",
];

export const TIT_FOR_TAT_MACHINE: readonly FsmTransition[] = [
  [1, "C", 1, "C"],
  [1, "D", 1, "D"],
];

export function fsmPlayer(
  transitions: readonly FsmTransition[] = TIT_FOR_TAT_MACHINE,
  initialState = 1,
  initialAction: "C" | "D" = "C",
  name = "FSM Player",
  about: { memoryDepth?: number; source?: string } = {},
): Strategy {
  const table = new Map<string, { next: number; action: Action }>();
  for (const [state, opp, next, action] of transitions) {
    const key = `${state}${opp}`;
    if (table.has(key))
      throw new InputError("transitions", `state ${state} has two transitions for opponent move ${opp}`);
    table.set(key, { next, action: action === "C" ? C : D });
  }
  // Every state the machine can reach must say what to do after C and after D.
  const reachable = new Set<number>([initialState]);
  for (const [, , next] of transitions) reachable.add(next);
  for (const state of reachable) {
    for (const opp of ["C", "D"]) {
      if (!table.has(`${state}${opp}`)) {
        throw new InputError("transitions", `state ${state} has no transition for opponent move ${opp}`);
      }
    }
  }
  const first: Action = initialAction === "C" ? C : D;
  return {
    name,
    classifier: { memoryDepth: about.memoryDepth ?? Number.POSITIVE_INFINITY, stochastic: false },
    source: about.source ?? "Axelrod FSMPlayer [Miller1989; Ashlock2006]",
    create() {
      let state = initialState;
      return {
        reset() {
          state = initialState;
        },
        act(v) {
          if (v.turn === 0) {
            state = initialState;
            return first;
          }
          const t = table.get(`${state}${v.opp[v.turn - 1] === C ? "C" : "D"}`)!;
          state = t.next;
          return t.action;
        },
      };
    },
  };
}
