/**
 * Coin Game metrics per agent, as the AA / LOQA leagues report them (MiladInk/loqa `coin_game.py::episode_stats`):
 * - reward per step: Σ rewards ÷ (games · steps)  (`mean_rewards`);
 * - own-coin fraction: own-colour pickups ÷ all of that agent's pickups  (1 − `adversarial_pickup_div_all_pickup`);
 *   `null` when the agent picked up nothing (no fraction to report, rather than a NaN);
 * - pickups per step: that agent's pickups ÷ (games · steps)  (`any_pickup_div_timesteps`).
 * All are means over every step of every game; sums are kept exactly (integers and halves in float64).
 */
import { PICKED_OTHER, PICKED_OWN } from "./coinGame.js";

export interface CoinMetrics {
  /** Steps counted per agent (games × steps). */
  steps: number;
  rewards: [number, number];
  ownCoin: [number | null, number | null];
  pickupsPerStep: [number, number];
  /** own-colour and other-colour pickups per step, for the breakdown. */
  ownPickupsPerStep: [number, number];
  otherPickupsPerStep: [number, number];
}

export class CoinMetricsAccumulator {
  private readonly reward = [0, 0];
  private readonly own = [0, 0];
  private readonly other = [0, 0];
  private steps = 0;

  /** One step of a batch: `rewards` and `pickups` are `[batch, 2]`. */
  add(rewards: Float64Array, pickups: Uint8Array): void {
    const batch = rewards.length >> 1;
    let r0 = 0;
    let r1 = 0;
    for (let g = 0; g < batch; g++) {
      r0 += rewards[2 * g];
      r1 += rewards[2 * g + 1];
      const k0 = pickups[2 * g];
      const k1 = pickups[2 * g + 1];
      if (k0 | k1) {
        this.own[0] += k0 & PICKED_OWN;
        this.other[0] += (k0 & PICKED_OTHER) >> 1;
        this.own[1] += k1 & PICKED_OWN;
        this.other[1] += (k1 & PICKED_OTHER) >> 1;
      }
    }
    this.reward[0] += r0;
    this.reward[1] += r1;
    this.steps += batch;
  }

  result(): CoinMetrics {
    const n = this.steps;
    const frac = (i: number) => {
      const all = this.own[i] + this.other[i];
      return all === 0 ? null : this.own[i] / all;
    };
    return {
      steps: n,
      rewards: [this.reward[0] / n, this.reward[1] / n],
      ownCoin: [frac(0), frac(1)],
      pickupsPerStep: [(this.own[0] + this.other[0]) / n, (this.own[1] + this.other[1]) / n],
      ownPickupsPerStep: [this.own[0] / n, this.own[1] / n],
      otherPickupsPerStep: [this.other[0] / n, this.other[1] / n],
    };
  }
}
