/**
 * Seeded randomness. Every random draw in shapelab comes from an `Rng` that was passed in: never Math.random.
 *
 * The generator is pure-rand's xoroshiro128+ (Blackman & Vigna 2018). Its 128-bit state is filled from the seed by
 * splitmix64, as Vigna recommends: state = (splitmix64₁(seed), splitmix64₂(seed)), where splitmix64 (Steele, Lea &
 * Flood 2014) steps x ← x + 0x9e3779b97f4a7c15 and outputs mix64(x), a bijective 64-bit avalanche mixer
 *   z ← (z ⊕ z≫30)·0xbf58476d1ce4e5b9,  z ← (z ⊕ z≫27)·0x94d049bb133111eb,  z ← z ⊕ z≫31.
 * So every seed, 0, 1, 2 included, starts a statistically independent stream (feeding the raw seed into
 * xoroshiro, as pure-rand's own constructor does, made the first draw ≈ 0.99999998 for every small seed).
 *
 * Independent streams are derived by hashing a seed with a list of integer keys (`Rng.derive(seed, run, agent)`,
 * 64-bit: h ← mix64(h + φ) ⊕ mix64(key + ψ) per key), so a stream depends only on what it is for, not on the
 * order in which work is scheduled: the same config and seed give identical numbers on 1 or N workers, in Node or
 * a browser. Seeds are integers with |seed| ≤ 2^53 − 1 (the integers a double holds exactly); 64-bit arithmetic
 * is done on pairs of 32-bit words, so seeding costs no BigInt and is the same in every engine.
 *
 * The one meaning of "seed" across shapelab: a command's `--seeds N --seed B` runs seeds B, B + 1, …, B + N − 1,
 * exactly the runs of an experiment's `seeds: {base: B, count: N}`; each run draws only from streams derived from
 * its own seed.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";
import { cosTwoPi, log } from "./elementary.js";

const TWO_TO_32 = 4294967296;

/** A 64-bit word as two unsigned 32-bit halves. */
interface Word64 {
  hi: number;
  lo: number;
}

/** The 64-bit two's complement word of a safe integer. */
function wordOf(n: number): Word64 {
  return { hi: Math.floor(n / TWO_TO_32) >>> 0, lo: (((n % TWO_TO_32) + TWO_TO_32) % TWO_TO_32) >>> 0 };
}

/** a + b mod 2^64 (b given as halves). */
function add64(a: Word64, bHi: number, bLo: number): Word64 {
  const lo = a.lo + bLo;
  return { hi: (a.hi + bHi + (lo >= TWO_TO_32 ? 1 : 0)) >>> 0, lo: lo >>> 0 };
}

/** a·b mod 2^64 (b given as halves), via 16-bit limbs of the low words so every partial product is exact. */
function mul64(a: Word64, bHi: number, bLo: number): Word64 {
  const a0 = a.lo & 0xffff;
  const a1 = a.lo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const loHigh = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16); // high word of a.lo·bLo, < 2^32
  const hi = (loHigh + Math.imul(a.hi, bLo) + Math.imul(a.lo, bHi)) >>> 0;
  return { hi, lo };
}

/** z ⊕ (z ≫ s) for 0 < s < 32. */
function xorShiftRight(z: Word64, s: number): Word64 {
  return { hi: (z.hi ^ (z.hi >>> s)) >>> 0, lo: (z.lo ^ ((z.lo >>> s) | (z.hi << (32 - s)))) >>> 0 };
}

/** splitmix64's output function (a bijection on 64-bit words). */
export function mix64(z: Word64): Word64 {
  z = mul64(xorShiftRight(z, 30), 0xbf58476d, 0x1ce4e5b9);
  z = mul64(xorShiftRight(z, 27), 0x94d049bb, 0x133111eb);
  return xorShiftRight(z, 31);
}

/** splitmix64's increment φ = 2^64/golden ratio, and a second odd constant ψ for keys. */
const PHI_HI = 0x9e3779b9;
const PHI_LO = 0x7f4a7c15;
const PSI_HI = 0xd1b54a32;
const PSI_LO = 0xd192ed03;

/** The first `count` outputs of splitmix64 started at state `x`, as 32-bit halves [hi, lo, hi, lo, …]. */
export function splitmix64(x: Word64, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x = add64(x, PHI_HI, PHI_LO);
    const z = mix64(x);
    out.push(z.hi, z.lo);
  }
  return out;
}

function checkSeed(seed: number, field = "seed"): void {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`${field} must be an integer with |${field}| ≤ 2^53 − 1, got ${seed}`);
  }
}

/** The 64-bit word of (seed, ...keys) that seeds `Rng.derive(seed, ...keys)`. */
function deriveWord(seed: number, keys: readonly number[]): Word64 {
  checkSeed(seed);
  let h = wordOf(seed);
  for (const key of keys) {
    checkSeed(key, "key");
    const a = mix64(add64(h, PHI_HI, PHI_LO));
    const b = mix64(add64(wordOf(key), PSI_HI, PSI_LO));
    h = { hi: (a.hi ^ b.hi) >>> 0, lo: (a.lo ^ b.lo) >>> 0 };
  }
  return h;
}

/** Hash a seed and keys to one 32-bit unsigned seed (for handing a sub-run a seed of its own). */
export function hashSeed(seed: number, ...keys: number[]): number {
  return mix64(deriveWord(seed, keys)).lo;
}

export class Rng {
  private constructor(private gen: JumpableRandomGenerator) {}

  /** A generator seeded with an integer (|seed| ≤ 2^53 − 1). */
  static seeded(seed: number): Rng {
    checkSeed(seed);
    return Rng.fromWord(wordOf(seed));
  }

  /** An independent stream for (seed, ...keys): e.g. `Rng.derive(seed, agentIndex, purpose)`. */
  static derive(seed: number, ...keys: number[]): Rng {
    return Rng.fromWord(deriveWord(seed, keys));
  }

  private static fromWord(x: Word64): Rng {
    const [s0hi, s0lo, s1hi, s1lo] = splitmix64(x, 2);
    // pure-rand's state order is (high, low) of s0, then of s1.
    return new Rng(xoroshiro128plusFromState([s0hi | 0, s0lo | 0, s1hi | 0, s1lo | 0]));
  }

  /** Restore a generator from `state()`, e.g. after it crossed a worker boundary. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): number[] {
    return [...this.gen.getState()];
  }

  /**
   * Continue, in place, from a `state()` stepped elsewhere: the Coin Game's WebAssembly step runs this generator
   * there (src/envs/coin/wasmStep.ts) and hands the state back, so the caller's `Rng` goes on as if it had drawn.
   */
  setState(state: readonly number[]): void {
    this.gen = xoroshiro128plusFromState(state);
  }

  clone(): Rng {
    return new Rng(this.gen.clone());
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /**
   * Standard normal draw (Box–Muller with our own log and cos, so the draw is the same in every engine; one
   * draw per call keeps the state a pure function of the call count).
   */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    return mean + sd * Math.sqrt(-2 * log(u1)) * cosTwoPi(u2);
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
