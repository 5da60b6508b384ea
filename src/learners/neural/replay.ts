/**
 * A replay buffer of past agents, as the LOQA and Advantage Alignment coin code keep one (LOQA `coin_train.py`:
 * `agent_replay_buffer` capacity 10000, a snapshot every 10 updates; AA's checkpoints: `cur_agent_frac 0`, every
 * trajectory's opponent a past copy; Melting Pot PAA: `uniform-from-history`). Training against a league of
 * one's past selves keeps a self-play learner from chasing only its current reflection.
 *
 * Snapshots are flat parameter vectors (src/nn/params.ts), copied on `add`. With `size` full, the oldest is
 * dropped. Sampling:
 *   uniform   P(i) = 1/n                       over the n snapshots held
 *   recent    P(i) = (i + 1) / Σ_j (j + 1)    i = 0 oldest … n−1 newest: newer opponents more often
 * The trainer (trainCoin.ts) plays `fraction` of each update's games against one sampled snapshot and the rest
 * in self-play; a snapshot of the current actor is added every `every` updates.
 */
import * as z from "../../zod.js";
import { decodeBase64, encodeBase64 } from "../../nn/agentFile.js";
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";

export const REPLAY_SAMPLING = ["uniform", "recent"] as const;

export const replaySchema = z.strictObject({
  size: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(1000)
    .describe("past agents kept (the oldest is dropped)"),
  sampling: z
    .enum(REPLAY_SAMPLING)
    .default("uniform")
    .describe("uniform, or weighted towards recent snapshots"),
  every: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe("add a snapshot of the current actor every this many updates"),
  fraction: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("share of each update's games played against a past agent"),
});
export type ReplayConfig = z.output<typeof replaySchema>;

export class AgentReplayBuffer {
  private snapshots: Float32Array[] = [];

  constructor(readonly config: ReplayConfig) {}

  get length(): number {
    return this.snapshots.length;
  }

  add(parameters: Float32Array): void {
    this.snapshots.push(parameters.slice());
    if (this.snapshots.length > this.config.size) this.snapshots.shift();
  }

  /** One snapshot, drawn with the configured sampling (one `rng.uniform()`). */
  sample(rng: Rng): Float32Array {
    const n = this.snapshots.length;
    if (n === 0) throw new Error("replay buffer is empty");
    const u = rng.uniform();
    if (this.config.sampling === "uniform") return this.snapshots[Math.min(n - 1, Math.floor(u * n))];
    // recent: the first i with u·n(n+1)/2 < Σ_{j ≤ i} (j + 1)
    let mass = (u * n * (n + 1)) / 2;
    for (let i = 0; i < n; i++) {
      mass -= i + 1;
      if (mass < 0) return this.snapshots[i];
    }
    return this.snapshots[n - 1];
  }

  /** Plain JSON (base64 little-endian float32 per snapshot) for a checkpoint. */
  toJSON(): string[] {
    return this.snapshots.map((s) => encodeBase64(new Uint8Array(s.buffer, s.byteOffset, s.byteLength)));
  }

  restore(encoded: readonly string[], parameterCount: number): void {
    this.snapshots = encoded.map((text, i) => {
      const bytes = decodeBase64(text);
      if (bytes === undefined || bytes.length !== 4 * parameterCount) {
        throw new InputError(`checkpoint.replay[${i}]`, `not ${parameterCount} base64 float32 parameters`);
      }
      return new Float32Array(bytes.buffer, bytes.byteOffset, parameterCount).slice();
    });
  }
}
