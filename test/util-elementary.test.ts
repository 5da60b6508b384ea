/**
 * Our own elementary functions (src/util/elementary.ts) against the engine's `Math.*`, which is itself within
 * 1 ulp of the true value: at most 2 ulp apart over the ranges shapelab uses and at the edges of each reduction,
 * and exact at the special values. The bit-identity across engines is checked in Chromium by
 * test/numerics-browser.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cosTwoPi, exp, expm1, log, log1p, sigmoid, tanh } from "../src/util/elementary.js";
import { Rng } from "../src/util/rng.js";

const EPS = 2 ** -52;

/** |ours − want| in units of the spacing of doubles at `want` (ulps). */
function ulps(ours: number, want: number): number {
  if (ours === want) return 0;
  const a = Math.abs(want);
  const spacing = a < 2.2250738585072014e-308 ? 2 ** -1074 : 2 ** Math.floor(Math.log2(a)) * EPS;
  return Math.abs(ours - want) / spacing;
}

/** Worst ulp distance of `f` to `reference` over `xs`, with the argument where it happens. */
function worst(f: (x: number) => number, reference: (x: number) => number, xs: Iterable<number>) {
  let max = 0;
  let at = Number.NaN;
  for (const x of xs) {
    const e = ulps(f(x), reference(x));
    if (e > max) {
      max = e;
      at = x;
    }
  }
  return { max, at };
}

function* uniformPoints(seed: number, n: number, lo: number, hi: number) {
  const rng = Rng.seeded(seed);
  for (let i = 0; i < n; i++) yield lo + (hi - lo) * rng.uniform();
}

function* logUniformPoints(seed: number, n: number, lo: number, hi: number) {
  for (const e of uniformPoints(seed, n, lo, hi)) yield 2 ** e;
}

function assertWithin(name: string, result: { max: number; at: number }, bound: number) {
  assert.ok(result.max <= bound, `${name}: ${result.max.toFixed(2)} ulp at x = ${result.at}`);
}

describe("util/elementary", () => {
  it("exp is within 2 ulp of Math.exp over its whole finite range and at the reduction edges", () => {
    assertWithin("exp", worst(exp, Math.exp, uniformPoints(1, 200_000, -745, 709.78)), 2);
    assertWithin("exp |x|<40", worst(exp, Math.exp, uniformPoints(2, 100_000, -40, 40)), 2);
    const edges: number[] = [];
    for (let k = -3000; k <= 3000; k++) edges.push(((k + 0.5) * Math.LN2) / 64, (k * Math.LN2) / 64);
    assertWithin("exp edges", worst(exp, Math.exp, edges), 2);
    assertWithin("exp tiny", worst(exp, Math.exp, [1e-300, -1e-300, 1e-17, -1e-17, 1e-9, -1e-9]), 2);
    // Near overflow and in the subnormal range (results there have fewer bits: compare absolutely).
    for (const x of [709.78, 709.782712893384, 709.5, -708.5, -720, -740, -745.1]) {
      assert.ok(ulps(exp(x), Math.exp(x)) <= 2, `exp(${x}) = ${exp(x)} vs ${Math.exp(x)}`);
    }
  });

  it("exp at the special values", () => {
    assert.equal(exp(0), 1);
    assert.equal(exp(-0), 1);
    assert.ok(Number.isNaN(exp(Number.NaN)));
    assert.equal(exp(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(exp(Number.NEGATIVE_INFINITY), 0);
    assert.equal(exp(710), Number.POSITIVE_INFINITY);
    assert.equal(exp(-746), 0);
    assert.equal(exp(1), Math.E);
  });

  it("log is within 1 ulp of Math.log from subnormals to the largest double", () => {
    assertWithin("log", worst(log, Math.log, logUniformPoints(3, 200_000, -1074, 1024)), 1);
    assertWithin("log near 1", worst(log, Math.log, uniformPoints(4, 100_000, 0.5, 2)), 1);
    assertWithin("log very near 1", worst(log, Math.log, uniformPoints(5, 20_000, 1 - 1e-5, 1 + 1e-5)), 1);
    assert.equal(log(1), 0);
    assert.equal(log(0), Number.NEGATIVE_INFINITY);
    assert.equal(log(-0), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(log(-1)));
    assert.ok(Number.isNaN(log(Number.NaN)));
    assert.equal(log(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(log(Math.E), 1);
  });

  it("log1p, expm1 and tanh are within a few ulp of Math's, including tiny arguments", () => {
    const small = [...uniformPoints(6, 50_000, -1, 1), ...logUniformPoints(7, 20_000, -60, -1)];
    assertWithin("log1p", worst(log1p, Math.log1p, [...small, ...uniformPoints(8, 20_000, -0.999, 1e6)]), 3);
    assertWithin("expm1", worst(expm1, Math.expm1, [...small, ...uniformPoints(9, 20_000, -50, 50)]), 3);
    assertWithin("tanh", worst(tanh, Math.tanh, [...small, ...uniformPoints(10, 20_000, -30, 30)]), 3);
    assert.equal(log1p(-1), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(log1p(-2)));
    assert.equal(log1p(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.ok(Object.is(log1p(-0), -0) && Object.is(expm1(-0), -0) && Object.is(tanh(-0), -0));
    assert.equal(tanh(100), 1);
    assert.equal(tanh(-100), -1);
    assert.equal(tanh(Number.NEGATIVE_INFINITY), -1);
    assert.ok(Number.isNaN(tanh(Number.NaN)));
  });

  it("sigmoid is 1/(1 + e^−x) within 2 ulp and stays finite and in [0, 1]", () => {
    const reference = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    assertWithin("sigmoid", worst(sigmoid, reference, uniformPoints(11, 100_000, -700, 700)), 3);
    assert.equal(sigmoid(0), 0.5);
    assert.equal(sigmoid(1000), 1);
    assert.equal(sigmoid(-1000), 0);
  });

  it("cosTwoPi(u) is cos(2πu) within 1e-15 on [0, 1) and exact at the quarter turns", () => {
    let maxError = 0;
    for (const u of uniformPoints(12, 100_000, 0, 1)) {
      maxError = Math.max(maxError, Math.abs(cosTwoPi(u) - Math.cos(2 * Math.PI * u)));
    }
    assert.ok(maxError < 1e-15, `max |error| ${maxError}`);
    assert.equal(cosTwoPi(0), 1);
    assert.equal(cosTwoPi(0.5), -1);
    assert.ok(Math.abs(cosTwoPi(0.25)) === 0 && Math.abs(cosTwoPi(0.75)) === 0);
  });
});
