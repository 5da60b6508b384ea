/**
 * Seeded randomness. Every random draw in shapelab comes from an `Rng` that was passed in: never Math.random.
 *
 * The generator is pure-rand's xoroshiro128+. Independent streams are derived by hashing a seed with a list of
 * integer keys (`Rng.derive(seed, run, agent)`), so a stream depends only on what it is for, not on the order in
 * which work is scheduled: the same config and seed give identical numbers on 1 or N workers, in Node or a browser.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { xoroshiro128plus, xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";

/** 32-bit finaliser of MurmurHash3: spreads every input bit over the output. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash a seed and keys to one 32-bit seed. Keys must be integers (negative ones are fine). */
export function hashSeed(seed: number, ...keys: number[]): number {
  let h = mix32((seed | 0) ^ 0x9e3779b9);
  for (const key of keys) h = mix32(h ^ mix32((key | 0) + 0x7f4a7c15));
  return h;
}

export class Rng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  /** A generator seeded with an integer. */
  static seeded(seed: number): Rng {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    return new Rng(xoroshiro128plus(seed | 0));
  }

  /** An independent stream for (seed, ...keys): e.g. `Rng.derive(seed, runIndex, agentIndex)`. */
  static derive(seed: number, ...keys: number[]): Rng {
    return new Rng(xoroshiro128plus(hashSeed(seed, ...keys) | 0));
  }

  /** Restore a generator from `state()`, e.g. after it crossed a worker boundary. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): number[] {
    return [...this.gen.getState()];
  }

  clone(): Rng {
    return new Rng(this.gen.clone());
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Standard normal draw (Box–Muller; one draw per call keeps the state a pure function of the call count). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Fill `out` with N(mean, sd²) draws. */
  fillNormal(out: Float64Array, mean = 0, sd = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, sd);
    return out;
  }
}
