/**
 * A fixed strategy of src/strategies (any memory: Grudger, Prober, Tit For 2 Tats, Alternator, Soft Go By
 * Majority, Cycler CCD, …) as a seat of the shared sampled rollout (`RolloutOpponent`, src/envs/rollout.ts).
 *
 * Each game of the batch gets its own fresh `Player` (`strategy.create()`) and its own history buffers; the player
 * sees the realised moves exactly as in an arena match (src/arena/match.ts: `view.turn`, `own`, `opp`, defection
 * counts) and draws its randomness from the game's generator (the seed's stream), so training is deterministic
 * and does not depend on how many seeds or workers share the batch. The other seat's memory-one learner only
 * ever sees the own-view state (the last joint action), as against any opponent.
 */
import type { RolloutOpponent } from "../../envs/rollout.js";
import { HistoryView, type Player, type Strategy } from "../../strategies/types.js";
import type { Rng } from "../../util/rng.js";

export class StrategyOpponent implements RolloutOpponent {
  private players: Player[] = [];
  private views: HistoryView[] = [];
  private own = new Uint8Array(0);
  private opp = new Uint8Array(0);

  constructor(readonly strategy: Strategy) {}

  reset(batch: number, horizon: number): void {
    if (this.own.length !== batch * horizon || this.views.length !== batch) {
      this.own = new Uint8Array(batch * horizon);
      this.opp = new Uint8Array(batch * horizon);
      this.views = Array.from(
        { length: batch },
        (_, g) =>
          new HistoryView(
            this.own.subarray(g * horizon, (g + 1) * horizon),
            this.opp.subarray(g * horizon, (g + 1) * horizon),
          ),
      );
      this.players = Array.from({ length: batch }, () => this.strategy.create());
    }
    for (let g = 0; g < batch; g++) {
      const v = this.views[g];
      v.turn = 0;
      v.ownDefections = 0;
      v.oppDefections = 0;
      this.players[g].reset();
    }
  }

  act(game: number, _obs: number, rng: Rng): number {
    return this.players[game].act(this.views[game], rng);
  }

  observe(game: number, own: number, opp: number): void {
    const v = this.views[game];
    v.own[v.turn] = own;
    v.opp[v.turn] = opp;
    v.ownDefections += own;
    v.oppDefections += opp;
    v.turn++;
  }
}
