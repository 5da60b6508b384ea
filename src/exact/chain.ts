/**
 * The Markov chain of two memory-one policies in a 2x2 game.
 *
 * A memory-one policy is 5 cooperation probabilities, written from the agent's OWN view:
 * `[start, CC, CD, DC, DD]` (own previous action first). The chain lives on the 4 joint actions indexed from
 * agent 1's view (CC, CD, DC, DD); the start state is never revisited, so it only shapes the initial distribution:
 *
 *   p0 = [q1·q2, q1·(1−q2), (1−q1)·q2, (1−q1)·(1−q2)],           qi = P_i(C | start)
 *   P[s, :] = [p1·p2, p1·(1−p2), (1−p1)·p2, (1−p1)·(1−p2)],      p1 = P_1(C | s), p2 = P_2(C | swap(s))
 *
 * where agent 2 reads state s from its own view (CD ↔ DC swapped).
 */
import { swapView } from "../games/game.js";

/** Own-view memory-one state (1..4) in which agent 2 sees agent-1-view joint state `s` (0..3). */
export function agent2State(s: number): number {
  return 1 + swapView(s);
}

/**
 * Fill `p0` (4) and `P` (16, row-major) from two own-view policies `q1`, `q2` (5 each), read at offsets
 * `o1`, `o2` so a batch can be walked without copying.
 */
export function buildChain(
  q1: ArrayLike<number>,
  o1: number,
  q2: ArrayLike<number>,
  o2: number,
  p0: Float64Array,
  P: Float64Array,
): void {
  const a = q1[o1];
  const b = q2[o2];
  p0[0] = a * b;
  p0[1] = a * (1 - b);
  p0[2] = (1 - a) * b;
  p0[3] = (1 - a) * (1 - b);
  for (let s = 0; s < 4; s++) {
    const x = q1[o1 + 1 + s];
    const y = q2[o2 + agent2State(s)];
    P[4 * s] = x * y;
    P[4 * s + 1] = x * (1 - y);
    P[4 * s + 2] = (1 - x) * y;
    P[4 * s + 3] = (1 - x) * (1 - y);
  }
}
