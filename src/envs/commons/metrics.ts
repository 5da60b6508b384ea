/**
 * Sequential-social-dilemma metrics of one Commons Harvest episode (Perolat et al. 2017, "A multi-agent
 * reinforcement learning model of common-pool resource appropriation"; as implemented in the public SSD repos),
 * plus the commons' own health. With R_i agent i's episode return, T the episode length, N agents:
 *
 *   utilitarian     U = Σ_i R_i / T
 *   equality        E = 1 − Σ_{i,j} |R_i − R_j| / (2N·Σ_i R_i)           (1 − Gini; 1 when nobody earned)
 *   sustainability  S = (1/N) Σ_i mean{ t : r_{i,t} > 0 }                 (later = the resource lasted; an agent
 *                                                                         that never earned counts T)
 *   peace           P = (N·T − Σ_{i,t} 1[i removed at t]) / T             (agents not zapped, per step)
 *   live apples and live patches (patches with at least one live apple: ./map.ts) per step, and the time of
 *   collapse: the first step after which no apple is live (−1 if never).
 *
 * `EpisodeRecorder` follows one game: call `record` after every `stepInto` with that game's rewards (with
 * `autoReset` false, so that the last step is read before the game restarts).
 */
import type { CommonsHarvestEnv, CommonsState } from "./env.js";

export interface EpisodeMetrics {
  returns: number[];
  utilitarian: number;
  equality: number;
  sustainability: number;
  peace: number;
  liveApples: number[];
  livePatches: number[];
  collapseStep: number;
}

export class EpisodeRecorder {
  private readonly returns: Float64Array;
  private readonly rewardTimeSums: Float64Array;
  private readonly rewardSteps: Float64Array;
  private removed = 0;
  private steps = 0;
  private readonly live: number[] = [];
  private readonly patches: number[] = [];
  private readonly patchSeen: Uint8Array;

  constructor(
    private readonly env: CommonsHarvestEnv,
    private readonly game: number,
  ) {
    const n = env.params.players;
    this.returns = new Float64Array(n);
    this.rewardTimeSums = new Float64Array(n);
    this.rewardSteps = new Float64Array(n);
    this.patchSeen = new Uint8Array(env.map.patches);
  }

  /** Record the step just taken (`rewards` `[batch, N]` from `stepInto`, `state` after it). */
  record(state: CommonsState, rewards: Float64Array): void {
    const n = this.env.params.players;
    const g = this.game;
    for (let i = 0; i < n; i++) {
      const r = rewards[g * n + i];
      this.returns[i] += r;
      if (r > 0) {
        this.rewardTimeSums[i] += this.steps;
        this.rewardSteps[i] += 1;
      }
      if (state.position[g * n + i] < 0) this.removed += 1;
    }
    this.live.push(this.env.liveApples(state, g));
    this.patches.push(this.livePatches(state));
    this.steps += 1;
  }

  private livePatches(state: CommonsState): number {
    const { patch, appleCells } = this.env.map;
    const base = this.game * appleCells.length;
    this.patchSeen.fill(0);
    let live = 0;
    for (let a = 0; a < appleCells.length; a++) {
      if (state.apples[base + a] && !this.patchSeen[patch[a]]) {
        this.patchSeen[patch[a]] = 1;
        live++;
      }
    }
    return live;
  }

  metrics(): EpisodeMetrics {
    const n = this.env.params.players;
    const T = this.steps;
    const returns = Array.from(this.returns);
    const total = returns.reduce((a, b) => a + b, 0);
    let pairGaps = 0;
    for (const a of returns) for (const b of returns) pairGaps += Math.abs(a - b);
    let sustainability = 0;
    for (let i = 0; i < n; i++) {
      sustainability += this.rewardSteps[i] > 0 ? this.rewardTimeSums[i] / this.rewardSteps[i] : T;
    }
    let collapseStep = -1;
    for (let t = this.live.length - 1; t >= 0 && this.live[t] === 0; t--) collapseStep = t;
    return {
      returns,
      utilitarian: T > 0 ? total / T : 0,
      equality: total > 0 ? 1 - pairGaps / (2 * n * total) : 1,
      sustainability: sustainability / n,
      peace: T > 0 ? (n * T - this.removed) / T : n,
      liveApples: [...this.live],
      livePatches: [...this.patches],
      collapseStep,
    };
  }
}
