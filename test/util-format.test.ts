/** `fixed`: toFixed for people, never "-0.00"; real negatives keep their sign. Independent reference: toFixed. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixed } from "../src/util/format.js";

describe("fixed", () => {
  it('writes a negative number that rounds to zero without its sign ("0.00", never "-0.00")', () => {
    assert.equal((-0.001).toFixed(2), "-0.00"); // the behaviour being corrected
    for (const [x, d, want] of [
      [-0.001, 2, "0.00"],
      [-0.0049, 2, "0.00"],
      [-0, 3, "0.000"],
      [-0.4, 0, "0"],
      [-1e-300, 5, "0.00000"],
    ] as const)
      assert.equal(fixed(x, d), want, `${x} to ${d}`);
  });
  it("agrees with toFixed everywhere else", () => {
    for (const x of [-2.345, -0.051, -0.006, 0, 0.001, 1.005, 12345.678, -1e21, Number.NaN, Number.POSITIVE_INFINITY])
      for (const d of [0, 1, 2, 3]) {
        const reference = x.toFixed(d);
        if (!/^-0(\.0*)?$/.test(reference)) assert.equal(fixed(x, d), reference, `${x} to ${d}`);
      }
  });
});
