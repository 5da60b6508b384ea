/**
 * The multi-round trust task (src/envs/trust): the bins and the ⌊3If⌋ repayment as the released code defines them,
 * the conservation of earnings (investor + trustee = 20 + 2I per round, whatever the trustee does), the investor's
 * update and policy against a hand computation, the shaping trustee's last-round betrayal (exact), and the claims
 * the experiment tests, as properties: MAX trustees earn more than random, FAIR trustees shrink |gap|.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { investorPolicy, TrustInvestor, updatedTrust } from "../src/envs/trust/investor.js";
import { trainPolicyGradientTrustee } from "../src/envs/trust/policyGradientTrustee.js";
import { BIN_INVESTMENTS, gapIncrement, repayment, ROUNDS } from "../src/envs/trust/task.js";
import { playTrustGames, shapingValue, trusteeBaseline } from "../src/envs/trust/trustees.js";
import { Rng } from "../src/util/rng.js";

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;

describe("trust task", () => {
  it("has the released code's bins and rounded-down repayment", () => {
    assert.deepEqual(
      BIN_INVESTMENTS.map((b) => [b[0], b[b.length - 1]]),
      [
        [0, 4],
        [5, 8],
        [9, 12],
        [13, 16],
        [17, 20],
      ],
    );
    assert.equal(repayment(7, 1), 5); // ⌊3·7·¼⌋ = ⌊5.25⌋
    assert.equal(repayment(20, 4), 60);
    assert.equal(gapIncrement(10, 2), 40 - 20 - 30); // 4I − 20 − 2R with R = 15
  });

  it("conserves earnings: investor + trustee = 20 + 2I every round, for any trustee", () => {
    for (const name of ["random", "equaliser", "shaping"] as const) {
      const state = playTrustGames(trusteeBaseline(name), new TrustInvestor(500), Rng.seeded(4));
      for (let g = 0; g < 500; g++) {
        let invested = 0;
        for (let t = 0; t < ROUNDS; t++) invested += state.investments[t * 500 + g];
        assert.equal(state.trustee[g] + state.investor[g], 20 * ROUNDS + 2 * invested, `${name}, game ${g}`);
      }
    }
  });

  it("the investor's trust update and softmax policy match a hand computation", () => {
    const params = { alpha: 0.3, beta: 8, trust0: 0.5 };
    assert.ok(Math.abs(updatedTrust(params, 0.5, 10, 1) - 0.65) < 1e-15);
    assert.equal(updatedTrust(params, 0.5, 0, 1), 0.5); // nothing invested, nothing learned
    const pi = new Float64Array(5);
    investorPolicy(params, 0.5, pi);
    const means = [2, 6.5, 10.5, 14.5, 18.5];
    const w = means.map((m) => Math.exp((8 * 0.5 * m) / 20));
    const z = w.reduce((s, x) => s + x, 0);
    for (let b = 0; b < 5; b++) assert.ok(Math.abs(pi[b] - w[b] / z) < 1e-12, `bin ${b}`);
  });

  it("the MAX shaper repays nothing in the last round, and its value there is the round's earnings", () => {
    const investor = new TrustInvestor(200);
    const state = playTrustGames(trusteeBaseline("shaping", "max"), investor, Rng.seeded(5));
    for (let g = 0; g < 200; g++) assert.equal(state.repaid[(ROUNDS - 1) * 200 + g], 0);
    const last = { ...state, round: ROUNDS - 1 };
    assert.equal(shapingValue("max", last, investor, 0, 12, 2, new Float64Array(5)), 36 - 18);
  });

  it("MAX trustees earn more than random; FAIR trustees shrink |gap| below random and MAX", () => {
    const play = (trustee: ReturnType<typeof trusteeBaseline>) =>
      playTrustGames(trustee, new TrustInvestor(3000), Rng.seeded(6));
    const gap = (s: ReturnType<typeof play>) => mean(s.trustee.map((x, g) => Math.abs(x - s.investor[g])));
    const random = play(trusteeBaseline("random"));
    const shapingMax = play(trusteeBaseline("shaping", "max"));
    const shapingFair = play(trusteeBaseline("shaping", "fair"));
    const pgMax = trainPolicyGradientTrustee(
      { objective: "max", updates: 80, batch: 200, investor: (n) => new TrustInvestor(n) },
      Rng.seeded(7),
    );
    const rlMax = play(pgMax);
    // Trustee earnings have sd ≈ 40 per game: a 3000-game mean is within ±3 (4 se); the margins are ≥ 20.
    assert.ok(
      mean(shapingMax.trustee) > mean(random.trustee) + 20,
      `shaping MAX ${mean(shapingMax.trustee)}`,
    );
    assert.ok(mean(rlMax.trustee) > mean(random.trustee) + 20, `RL MAX ${mean(rlMax.trustee)}`);
    assert.ok(
      gap(shapingFair) < gap(random) / 4,
      `shaping FAIR |gap| ${gap(shapingFair)} vs random ${gap(random)}`,
    );
    assert.ok(gap(shapingFair) < gap(shapingMax), "FAIR below MAX");
  });
});
