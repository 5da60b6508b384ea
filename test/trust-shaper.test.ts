/**
 * The gradient-shaper trustee (src/envs/trust/gradientShaperTrustee.ts) and the mean-field investor it ascends
 * (src/envs/trust/investorMeanField.ts): J against a hand computation over two rounds (where the mean field is
 * exact: the second round's trust is known once the first is repaid), ∂J/∂f against central finite differences
 * on a four-round plan for MAX and FAIR, the last-round decisions (exact), and the claims as properties.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gradientShaperTrustee } from "../src/envs/trust/gradientShaperTrustee.js";
import { investorPolicy, TrustInvestor } from "../src/envs/trust/investor.js";
import { plannedTrusteeObjective, TrustPlanTape } from "../src/envs/trust/investorMeanField.js";
import { gapIncrement, resetTrust, ROUNDS } from "../src/envs/trust/task.js";
import { trustMaxFairKind } from "../src/experiments/kinds/trustMaxFair.js";
import type { RunConfig } from "../src/experiments/types.js";
import { playTrustGames, trusteeBaseline } from "../src/envs/trust/trustees.js";
import { Rng } from "../src/util/rng.js";

const PARAMS = { alpha: 0.3, beta: 8, trust0: 0.5 };
const BIN_MEANS = [2, 6.5, 10.5, 14.5, 18.5];
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;

describe("mean-field investor (what the gradient-shaper trustee ascends)", () => {
  it("J over two rounds equals a hand computation, for MAX and FAIR", () => {
    const trust = 0.4;
    const I0 = 7;
    const gapSoFar = -12;
    const f = [0.25, 0.6];
    // Round 0: I₀ = 7 is drawn; trust moves to T₁ = 0.4 + 0.3·(0.25 − 0.4) = 0.355.
    const T1 = trust + 0.3 * (f[0] - trust);
    const pi = new Float64Array(5);
    investorPolicy(PARAMS, T1, pi);
    const I1 = BIN_MEANS.reduce((s, m, b) => s + pi[b] * m, 0);
    const maxHand = 3 * I0 * (1 - f[0]) + 3 * I1 * (1 - f[1]);
    const gapHand = gapSoFar + (4 * I0 - 20 - 6 * f[0] * I0) + (4 * I1 - 20 - 6 * f[1] * I1);
    const tape = new TrustPlanTape();
    const start = { trust, investment: I0, gapSoFar };
    const jMax = plannedTrusteeObjective(PARAMS, { ...start, objective: "max" }, f, 2, tape);
    const jFair = plannedTrusteeObjective(PARAMS, { ...start, objective: "fair" }, f, 2, tape);
    assert.ok(Math.abs(jMax - maxHand) < 1e-12, `MAX ${jMax} vs ${maxHand}`);
    assert.ok(Math.abs(jFair + gapHand * gapHand) < 1e-10, `FAIR ${jFair} vs ${-gapHand * gapHand}`);
    // An investment of 0 teaches the investor nothing: round 1 is then played at the old trust.
    investorPolicy(PARAMS, trust, pi);
    const I1still = BIN_MEANS.reduce((s, m, b) => s + pi[b] * m, 0);
    const jZero = plannedTrusteeObjective(PARAMS, { ...start, investment: 0, objective: "max" }, f, 2, tape);
    assert.ok(Math.abs(jZero - 3 * I1still * (1 - f[1])) < 1e-12);
  });

  for (const objective of ["max", "fair"] as const) {
    for (const firstRepayment of [undefined, 9]) {
      it(`∂J/∂f matches central finite differences (${objective}, first repayment ${firstRepayment ?? "relaxed"})`, () => {
        const start = { objective, trust: 0.45, investment: 11, gapSoFar: 8, firstRepayment };
        const f = new Float64Array([0.3, 0.7, 0.15, 0.55]);
        const R = f.length;
        const tape = new TrustPlanTape();
        const grad = new Float64Array(R);
        plannedTrusteeObjective(PARAMS, start, f, R, tape, grad);
        const h = 1e-6;
        for (let tau = 0; tau < R; tau++) {
          const up = Float64Array.from(f);
          const down = Float64Array.from(f);
          up[tau] += h;
          down[tau] -= h;
          const fd =
            (plannedTrusteeObjective(PARAMS, start, up, R, tape) -
              plannedTrusteeObjective(PARAMS, start, down, R, tape)) /
            (2 * h);
          const scale = Math.max(1, Math.abs(fd));
          assert.ok(Math.abs(grad[tau] - fd) < 1e-6 * scale, `τ = ${tau}: ${grad[tau]} vs ${fd}`);
        }
        // The gradient is not trivially zero anywhere: every round's fraction matters.
        for (let tau = 1; tau < R; tau++) assert.ok(Math.abs(grad[tau]) > 1e-3, `τ = ${tau}`);
      });
    }
  }
});

describe("gradient-shaper trustee", () => {
  it("in the last round MAX repays nothing and FAIR picks the level whose final gap is closest to 0", () => {
    const games = 21;
    const investor = new TrustInvestor(games);
    const state = resetTrust(games);
    state.round = ROUNDS - 1;
    const investments = new Float64Array(games);
    for (let g = 0; g < games; g++) {
      investments[g] = g; // I = 0 … 20
      state.trustee[g] = 150 + 3 * g;
      state.investor[g] = 160;
    }
    const levels = new Int32Array(games);
    const max = gradientShaperTrustee("max");
    max.reset(games, Rng.seeded(0));
    max.act(state, investor, investments, levels);
    assert.deepEqual(Array.from(levels), new Array(games).fill(0));
    const fair = gradientShaperTrustee("fair");
    fair.reset(games, Rng.seeded(0));
    fair.act(state, investor, investments, levels);
    for (let g = 0; g < games; g++) {
      const gap = (k: number) => Math.abs(state.trustee[g] - state.investor[g] + gapIncrement(g, k));
      let best = 0;
      for (let k = 1; k < 5; k++) if (gap(k) < gap(best) - 1e-9) best = k;
      assert.equal(levels[g], best, `I = ${g}`);
    }
  });

  it("MAX earns more than random and the one-step shaper; FAIR shrinks |gap| to a fraction of random's", () => {
    const games = 1500;
    const play = (trustee: Parameters<typeof playTrustGames>[0]) =>
      playTrustGames(trustee, new TrustInvestor(games), Rng.seeded(11));
    const gap = (s: ReturnType<typeof play>) => mean(s.trustee.map((x, g) => Math.abs(x - s.investor[g])));
    const random = play(trusteeBaseline("random"));
    const lookahead = play(trusteeBaseline("shaping", "max"));
    const max = play(gradientShaperTrustee("max", { iterations: 10 }));
    const fair = play(gradientShaperTrustee("fair", { iterations: 10 }));
    // Trustee earnings have sd ≈ 40 per game, so a 1500-game mean is within ±4 (4 se); margins are ≥ 20.
    assert.ok(mean(max.trustee) > mean(random.trustee) + 40, `MAX ${mean(max.trustee)}`);
    assert.ok(mean(max.trustee) > mean(lookahead.trustee) + 20, `MAX ${mean(max.trustee)}`);
    assert.ok(gap(fair) < gap(random) / 4, `FAIR |gap| ${gap(fair)} vs random ${gap(random)}`);
  });

  it("runs as trust-max-fair's gradient-shaper trustee (shaper settings from agents.0.shaper)", async () => {
    const config = (objective: string, iterations: number) =>
      ({
        agents: [{ trustee: "gradient-shaper", objective, shaper: { iterations } }],
        params: { sessions: 300 },
      }) as unknown as RunConfig;
    const max = await trustMaxFairKind.run(config("max", 5), 0);
    const again = await trustMaxFairKind.run(config("max", 5), 0);
    const fair = await trustMaxFairKind.run(config("fair", 5), 0);
    assert.deepEqual(max.final, again.final, "a function of config and seed");
    assert.equal(max.series.values.repay[ROUNDS - 1], 0, "MAX repays nothing in the last round");
    assert.ok(max.final["earnings.trustee"] > fair.final["earnings.trustee"]);
    assert.ok(fair.final["earnings.gap.abs"] < max.final["earnings.gap.abs"] / 4);
    const unplanned = await trustMaxFairKind.run(config("max", 0), 0);
    assert.notDeepEqual(unplanned.final, max.final, "iterations reach the trustee");
  });
});
