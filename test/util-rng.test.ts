/**
 * Seeding (src/util/rng.ts): splitmix64 on 32-bit words equals a BigInt implementation of Steele, Lea & Flood's
 * splitmix64 (and its published first output for seed 0), and every small seed starts an independent stream:
 * the first draws of seeds 0..n−1 are uniform by a Kolmogorov–Smirnov bound that the old seeding (raw seed into
 * xoroshiro128+, first draw ≈ 0.99999998) fails by a wide margin.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { playMatch } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { strategyByName } from "../src/strategies/registry.js";
import { hashSeed, Rng, splitmix64 } from "../src/util/rng.js";

const MASK = (1n << 64n) - 1n;

/** splitmix64 in BigInt, straight from the paper's definition. */
function splitmixReference(seed: bigint, count: number): bigint[] {
  let x = BigInt.asUintN(64, seed);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

function word(seed: number) {
  const big = BigInt.asUintN(64, BigInt(seed));
  return { hi: Number(big >> 32n), lo: Number(big & 0xffffffffn) };
}

function asBigInts(halves: number[]): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < halves.length; i += 2) out.push((BigInt(halves[i]) << 32n) | BigInt(halves[i + 1]));
  return out;
}

/** Kolmogorov–Smirnov distance of a sample to U(0, 1). */
function ksUniform(sample: number[]): number {
  const xs = [...sample].sort((a, b) => a - b);
  let d = 0;
  xs.forEach((x, i) => {
    d = Math.max(d, (i + 1) / xs.length - x, x - i / xs.length);
  });
  return d;
}

/** The KS critical value at significance 0.001 (asymptotic, 1.95/√n). */
const ksBound = (n: number) => 1.95 / Math.sqrt(n);

describe("util/rng seeding", () => {
  it("splitmix64 on 32-bit words equals the BigInt definition (and its known first output for seed 0)", () => {
    assert.equal(splitmixReference(0n, 1)[0], 0xe220a8397b1dcdafn);
    const seeds = [
      0,
      1,
      2,
      3,
      7,
      42,
      -1,
      -2,
      2 ** 31 - 1,
      2 ** 32,
      2 ** 32 + 5,
      -(2 ** 40),
      2 ** 53 - 1,
      -(2 ** 53 - 1),
    ];
    const rng = Rng.seeded(99);
    for (let i = 0; i < 200; i++) seeds.push(Math.floor((rng.uniform() - 0.5) * 2 ** 54));
    for (const seed of seeds) {
      assert.deepEqual(
        asBigInts(splitmix64(word(seed), 3)),
        splitmixReference(BigInt(seed), 3),
        `seed ${seed}`,
      );
    }
  });

  it("the first draws of seeds 0..1999 are uniform (KS), for seeded and for derived streams", () => {
    const n = 2000;
    const first = Array.from({ length: n }, (_, s) => Rng.seeded(s).uniform());
    const second = Array.from({ length: n }, (_, s) => {
      const r = Rng.seeded(s);
      r.uniform();
      return r.uniform();
    });
    const derived = Array.from({ length: n }, (_, k) => Rng.derive(0, k).uniform());
    const derivedAgent = Array.from({ length: n }, (_, k) => Rng.derive(k, 1, 2).uniform());
    for (const [name, sample] of Object.entries({ first, second, derived, derivedAgent })) {
      const d = ksUniform(sample);
      assert.ok(d < ksBound(n), `${name}: KS distance ${d.toFixed(4)} ≥ ${ksBound(n).toFixed(4)}`);
    }
    // Consecutive seeds are not correlated: the first draws of seeds s and s + 1.
    let sxy = 0;
    for (let s = 0; s + 1 < n; s++) sxy += (first[s] - 0.5) * (first[s + 1] - 0.5);
    const correlation = sxy / (n - 1) / (1 / 12);
    assert.ok(Math.abs(correlation) < 4 / Math.sqrt(n), `lag-1 correlation across seeds ${correlation}`);
  });

  it("normal draws of small seeds are N(0, 1) (KS on Φ of the first draw)", () => {
    const n = 2000;
    // Φ(x) by the complementary error function's continued fraction is overkill: use a 1e-7 accurate formula.
    const phi = (x: number) => {
      const t = 1 / (1 + 0.2316419 * Math.abs(x));
      const poly =
        t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
      const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
      return x >= 0 ? 1 - tail : tail;
    };
    const sample = Array.from({ length: n }, (_, s) => phi(Rng.seeded(s).normal()));
    const d = ksUniform(sample);
    assert.ok(d < ksBound(n), `KS distance ${d.toFixed(4)}`);
  });

  it("seeds beyond 2^53 − 1 and non-integers are refused; derive and hashSeed are deterministic", () => {
    assert.throws(() => Rng.seeded(2 ** 53), /seed must be an integer/);
    assert.throws(() => Rng.seeded(0.5), /seed must be an integer/);
    assert.throws(() => Rng.derive(1, Number.NaN), /key must be an integer/);
    assert.deepEqual(Rng.derive(5, 1, 2).state(), Rng.derive(5, 1, 2).state());
    assert.notDeepEqual(Rng.derive(5, 1, 2).state(), Rng.derive(5, 2, 1).state());
    assert.deepEqual(Rng.derive(5).state(), Rng.seeded(5).state());
    assert.equal(hashSeed(3, 4, 5), hashSeed(3, 4, 5));
    assert.ok(Number.isInteger(hashSeed(3, 4, 5)) && hashSeed(3, 4, 5) >= 0 && hashSeed(3, 4, 5) < 2 ** 32);
  });

  it("the issue's repros: Random: 0.5 opens with C about half the time; Grudger vs Random: 0.9 lasts ~20 turns", () => {
    const game = gamePreset("ipd");
    let opensWithC = 0;
    for (let seed = 0; seed < 200; seed++) {
      const m = playMatch(strategyByName("Random: 0.5", game), strategyByName("Cooperator", game), game, {
        turns: 1,
        seed,
      });
      if (m.actions[0][0] === "C") opensWithC++;
    }
    // Binomial(200, 0.5): 100 ± 7; the old seeding gave 0.
    assert.ok(opensWithC > 70 && opensWithC < 130, `${opensWithC} of 200 open with C`);
    let total = 0;
    for (let seed = 1; seed <= 200; seed++) {
      total += playMatch(strategyByName("Grudger", game), strategyByName("Random: 0.9", game), game, {
        probEnd: 0.05,
        seed,
      }).turns;
    }
    // Geometric(0.05): mean 20, sd ≈ 19.5, so the mean of 200 is 20 ± 1.4 (the old seeding gave 315–350 each).
    assert.ok(Math.abs(total / 200 - 20) < 5, `mean length ${total / 200}`);
  });
});
