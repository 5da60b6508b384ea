/**
 * Minibatches by whole games (STYLE point 9; CleanRL's LSTM PPO, `mb_inds = flatinds[:, mbenvinds].ravel()`): a
 * recurrent policy needs each game's steps in order from h_0, so the games, never single time steps, are
 * shuffled and split. `gatherGames` copies the chosen games' columns of a [T, games, width] block into a
 * contiguous [T, mb, width] block the networks run over.
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import type { SeatTrajectory } from "./rollout.js";

/** `count` disjoint lists of games of equal size, a uniform random split of 0 … games−1 (Fisher–Yates). */
export function gameMinibatches(games: number, count: number, rng: Rng): Int32Array[] {
  if (!Number.isInteger(count) || count < 1 || games % count !== 0) {
    throw new InputError(
      "minibatches",
      `must be a positive integer that divides the games per update (${games}), got ${count}`,
    );
  }
  const order = new Int32Array(games);
  for (let g = 0; g < games; g++) order[g] = g;
  for (let g = games - 1; g > 0; g--) {
    const j = rng.int(g + 1);
    const tmp = order[g];
    order[g] = order[j];
    order[j] = tmp;
  }
  const size = games / count;
  return Array.from({ length: count }, (_, m) => order.subarray(m * size, (m + 1) * size));
}

/** out[t, j, :] = src[t, pick[j], :] for a [T, games, width] block. */
export function gatherGames<A extends Float32Array | Float64Array | Uint8Array>(
  src: A,
  width: number,
  steps: number,
  games: number,
  pick: Int32Array,
  out: A,
): A {
  const mb = pick.length;
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < mb; j++) {
      const from = (t * games + pick[j]) * width;
      const to = (t * mb + j) * width;
      if (width === 1) out[to] = src[from];
      else out.set(src.subarray(from, from + width), to);
    }
  }
  return out;
}

/** The minibatch's columns of a whole seat record, into a preallocated record of `pick.length` games. */
export function gatherTrajectory(
  src: SeatTrajectory,
  obsSize: number,
  steps: number,
  games: number,
  pick: Int32Array,
  out: SeatTrajectory,
): SeatTrajectory {
  gatherGames(src.obs, obsSize, steps, games, pick, out.obs);
  gatherGames(src.actions, 1, steps, games, pick, out.actions);
  gatherGames(src.logProbs, 1, steps, games, pick, out.logProbs);
  gatherGames(src.rewards, 1, steps, games, pick, out.rewards);
  gatherGames(src.pickups, 1, steps, games, pick, out.pickups);
  return out;
}
