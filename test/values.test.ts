import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gamePreset } from "../src/games/presets.js";
import { perStepValues } from "../src/exact/values.js";

const TFT = [1, 1, 0, 1, 0];
const ALLD = [0, 0, 0, 0, 0];
const ALLC = [1, 1, 1, 1, 1];

function pair(a: number[], b: number[]): Float64Array {
  return Float64Array.from([...a, ...b]);
}

describe("exact values", () => {
  it("mutual cooperation and mutual defection give R and P per step", () => {
    const g = gamePreset("ipd-lola");
    const v = perStepValues(g, Float64Array.from([...pair(ALLC, ALLC), ...pair(ALLD, ALLD)]), 0.96);
    assert.ok(Math.abs(v[0] + 1) < 1e-12 && Math.abs(v[1] + 1) < 1e-12);
    assert.ok(Math.abs(v[2] + 2) < 1e-12 && Math.abs(v[3] + 2) < 1e-12);
  });

  it("TFT vs always-defect: sucker once, then mutual defection", () => {
    const g = gamePreset("ipd");
    const gamma = 0.9;
    const [v1, v2] = perStepValues(g, pair(TFT, ALLD), gamma);
    // Discounted sum S + γP/(1 − γ), per step (1 − γ)S + γP.
    assert.ok(Math.abs(v1 - ((1 - gamma) * 0 + gamma * 1)) < 1e-12);
    assert.ok(Math.abs(v2 - ((1 - gamma) * 5 + gamma * 1)) < 1e-12);
  });
});
