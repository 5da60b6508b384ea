import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exp } from "../src/util/exp.js";
import { Rng } from "../src/util/rng.js";

const ULP = 2 ** -52;

/** Relative difference to Math.exp, in units of 2^-52. */
function ulps(x: number): number {
  const want = Math.exp(x);
  return Math.abs(exp(x) - want) / want / ULP;
}

describe("util/exp", () => {
  it("is within 2 ulp of Math.exp over the fast range, seeded uniform points", () => {
    const rng = Rng.seeded(7);
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (rng.uniform() * 2 - 1) * 700;
      const e = ulps(x);
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    assert.ok(worst <= 2, `worst ${worst.toFixed(2)} ulp at x = ${worstAt}`);
  });

  it("is within 2 ulp where the exact engine uses it (|x| < 40) and near the table and reduction edges", () => {
    const rng = Rng.seeded(8);
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.uniform() * 2 - 1) * 40;
      assert.ok(ulps(x) <= 2, `x = ${x}`);
    }
    // Points where the rounding of 64x/ln2 switches (|r| at its largest), multiples of ln2/64, tiny arguments.
    for (let k = -3000; k <= 3000; k++) {
      for (const x of [((k + 0.5) * Math.LN2) / 64, (k * Math.LN2) / 64]) {
        assert.ok(ulps(x) <= 2, `x = ${x}`);
      }
    }
    for (const x of [1e-300, -1e-300, 1e-17, -1e-17, 1e-9, -1e-9]) assert.ok(ulps(x) <= 2, `x = ${x}`);
  });

  it("equals Math.exp exactly at the special values and outside the fast range", () => {
    assert.equal(exp(0), 1);
    assert.equal(exp(-0), 1);
    assert.ok(Number.isNaN(exp(Number.NaN)));
    assert.equal(exp(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(exp(Number.NEGATIVE_INFINITY), 0);
    for (const x of [700, -700, 709.7, 710, -745, -746, 1e6, -1e6])
      assert.equal(exp(x), Math.exp(x), `x = ${x}`);
    assert.ok(ulps(699.99) <= 2 && ulps(-699.99) <= 2);
  });
});
