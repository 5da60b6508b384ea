/**
 * Small uniform integers from the bits of an `Rng`, many per draw: the Coin Game's hot loops need one integer
 * below 4..1024 per respawn and per random move, and one `rng.uniform()` (53 uniform bits: pure-rand's
 * uniformFloat64 returns a multiple of 2^-53) holds a dozen of them.
 *
 * `int(k)` takes ⌈log₂ k⌉ bits and rejects values ≥ k (exactly uniform, every draw independent); powers of two
 * never reject. Bits are used low first; a refill splits one uniform() into a 30-bit and a 23-bit word (30 bits,
 * not 32, so that every word is a small integer to V8 and the fields stay untagged: 5× faster here).
 * `attach(rng)` drops leftover bits, so what a caller draws depends only on the generator's state when it
 * attached: call it at the start of each batch step and the result is a pure function of (state, rng).
 */
import type { Rng } from "../../util/rng.js";

const TWO_30 = 2 ** 30;
const TWO_53 = 2 ** 53;

export class RandomBits {
  private rng: Rng | undefined;
  private word = 0;
  private left = 0;
  private spare = 0;
  private spareLeft = 0;

  attach(rng: Rng): this {
    this.rng = rng;
    this.left = 0;
    this.spareLeft = 0;
    return this;
  }

  /** `n` uniform bits (1 ≤ n ≤ 23: a refill may hold only the 23-bit word) as an integer in [0, 2^n). */
  take(n: number): number {
    if (this.left < n) this.refill();
    const v = this.word & ((1 << n) - 1);
    this.word >>>= n;
    this.left -= n;
    return v;
  }

  /** Uniform integer in [0, k), 1 ≤ k ≤ 2^23. */
  int(k: number): number {
    if (k <= 1) return 0;
    const n = 32 - Math.clz32(k - 1);
    for (;;) {
      const v = this.take(n);
      if (v < k) return v;
    }
  }

  private refill(): void {
    if (this.spareLeft > 0) {
      this.word = this.spare;
      this.left = this.spareLeft;
      this.spareLeft = 0;
      return;
    }
    if (!this.rng) throw new Error("RandomBits: attach(rng) before drawing");
    const x = this.rng.uniform() * TWO_53;
    const hi = Math.floor(x / TWO_30) | 0; // "| 0": integer-typed, so the fields stay small integers
    this.word = (x - hi * TWO_30) | 0;
    this.left = 30;
    this.spare = hi;
    this.spareLeft = 23;
  }
}
