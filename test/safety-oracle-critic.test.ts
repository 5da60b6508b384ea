/**
 * The oracle critic (src/learners/sampled/oracleCritic.ts) and Advantage Alignment's opponent-model fidelity
 * options: V(start) is the exact engine's discounted value, and V, Q satisfy the Bellman equation of the pair's
 * policies in every own-view state (together these determine the values uniquely); AA with the oracle,
 * a lagged or a noisy oracle runs reproducibly and differs from the TD-fitted critic.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discountedValues } from "../src/exact/values.js";
import { gamePreset } from "../src/games/presets.js";
import { fillOracleCritic } from "../src/learners/sampled/oracleCritic.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import { InputError } from "../src/util/errors.js";

const ipd = gamePreset("ipd-lola");
const gamma = 0.9;
const pC = Float64Array.from([0.7, 0.9, 0.2, 0.6, 0.4, 0.5, 0.8, 0.3, 0.55, 0.25]);

describe("oracle critic", () => {
  for (const seat of [0, 1] as const) {
    it(`seat ${seat + 1}: V(start) = the exact value, and V(s) = Σ π(own|s)·π(other|s′)·Q(s, own, other)`, () => {
      const q = new Float64Array(20);
      const v = new Float64Array(5);
      assert.ok(fillOracleCritic(ipd, gamma, pC, seat, q, v));
      const exact = discountedValues(ipd, pC, gamma)[seat];
      assert.ok(Math.abs(v[0] - exact) < 1e-10, `${v[0]} vs ${exact}`);
      const own = pC.subarray(5 * seat, 5 * seat + 5);
      const other = pC.subarray(5 - 5 * seat, 10 - 5 * seat);
      // The opponent reads the same joint state from its own view: CD ↔ DC.
      const otherState = [0, 1, 3, 2, 4];
      for (let s = 0; s < 5; s++) {
        let expected = 0;
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) {
            const pa = a === 0 ? own[s] : 1 - own[s];
            const pb = b === 0 ? other[otherState[s]] : 1 - other[otherState[s]];
            expected += pa * pb * q[4 * s + 2 * a + b];
          }
        }
        assert.ok(Math.abs(expected - v[s]) < 1e-10, `state ${s}`);
        // Q(s, a, b) = r + γ V(next state), next = the joint action (a, b) from this seat's view.
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) {
            const joint = seat === 0 ? 2 * a + b : 2 * b + a;
            const r = (seat === 0 ? ipd.r1 : ipd.r2)[joint];
            assert.ok(Math.abs(q[4 * s + 2 * a + b] - (r + gamma * v[1 + 2 * a + b])) < 1e-10);
          }
        }
      }
    });
  }

  it("AA with an oracle, lagged or noisy opponent critic: reproducible, and each differs from TD", () => {
    const run = (extra: Record<string, unknown>) =>
      trainSampled({
        game: ipd,
        gamma: 0.96,
        learners: [
          { name: "aa", beta: 1, lr: 0.5, ...extra },
          { name: "aa", beta: 1, lr: 0.5 },
        ],
        batch: 8,
        rollout: 20,
        updates: 6,
        seeds: 1,
        seed: 3,
      }).finalPC[0][0];
    const td = run({});
    const oracle = run({ opponentCritic: "oracle" });
    const lagged = run({ opponentCritic: "oracle", criticLag: 3 });
    const noisy = run({ opponentCritic: "oracle", criticNoise: 1 });
    assert.deepEqual(run({ opponentCritic: "oracle", criticNoise: 1 }), noisy);
    for (const other of [oracle, lagged, noisy]) assert.notDeepEqual(other, td);
    assert.notDeepEqual(lagged, oracle);
    assert.notDeepEqual(noisy, oracle);
    assert.throws(
      () => run({ opponentCritic: "perfect" }),
      (e: unknown) => e instanceof InputError && e.field === "learners[0].opponentCritic",
    );
  });
});
