/**
 * The exact learners: update directions checked against finite differences of the objectives they claim to
 * ascend, and the published numbers of the LOLA and SOS papers (issue 2, §7) with fixed seeds and tolerances.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryOneGame, valuesAndGradients } from "../src/exact/derivatives.js";
import { allNear, fraction } from "../src/exact/metrics.js";
import { discountedValues, probabilities } from "../src/exact/values.js";
import { gamePreset } from "../src/games/presets.js";
import { createExactLearner, type ExactLearnerSpec } from "../src/learners/exact/index.js";
import { tandemGame } from "../src/games/tandem.js";
import { runTandem } from "../src/learners/exact/tandem.js";
import { trainExact } from "../src/learners/exact/train.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";
import { mean } from "../src/util/stats.js";

const ipd = gamePreset("ipd-lola");
const GAMMA = 0.96;

/** V_k at 10 logits. */
function value(theta: Float64Array, k: number): number {
  return discountedValues(ipd, probabilities(theta), GAMMA)[k];
}
/** ∇V_k at 10 logits, from the closed-form gradients (themselves checked against finite differences in
 * exact-derivatives.test.ts); the outer derivatives below are central differences, which checks the
 * second-order parts (Hessian-vector products, the look-ahead recursion) of each learner. */
function grad(theta: Float64Array, k: number): Float64Array {
  return valuesAndGradients(ipd, theta, GAMMA).gradients.slice(10 * k, 10 * k + 10);
}

function direction(spec: ExactLearnerSpec, theta: Float64Array, agent: 0 | 1): Float64Array {
  const game = memoryOneGame(ipd, GAMMA);
  const learner = createExactLearner(spec, game);
  const point = game.createEvaluator();
  assert.ok(point.evaluate(theta, 0));
  const out = new Float64Array(5);
  learner.direction(point, theta, 0, agent, out);
  return out;
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  for (let i = 0; i < a.length; i++) {
    assert.ok(
      Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
  }
}

const rewards = (r: Float64Array, agent: number) => r.filter((_, i) => i % 2 === agent);

describe("exact learner directions vs finite differences", () => {
  const theta = Rng.seeded(11).fillNormal(new Float64Array(10));

  it("lola = ∇_i of V_i + η·stopgrad(∇_j V_i)·∇_j V_j, for both agents", () => {
    const eta = 0.7;
    for (const i of [0, 1] as const) {
      const j = 1 - i;
      const fixed = grad(theta, i).slice(5 * j, 5 * j + 5); // ∇_j V_i, held constant
      const objective = (t: Float64Array) => {
        const gj = grad(t, j).slice(5 * j, 5 * j + 5);
        let dot = 0;
        for (let a = 0; a < 5; a++) dot += fixed[a] * gj[a];
        return value(t, i) + eta * dot;
      };
      const fd = new Float64Array(5);
      for (let a = 0; a < 5; a++) {
        const p = Float64Array.from(theta);
        const m = Float64Array.from(theta);
        p[5 * i + a] += 1e-4;
        m[5 * i + a] -= 1e-4;
        fd[a] = (objective(p) - objective(m)) / 2e-4;
      }
      assertClose(direction({ name: "lola", eta }, theta, i), fd, 1e-5, `lola agent ${i + 1}`);
    }
  });

  it("lookahead (k = 2) = d/dθ_i V_i(θ_i, θ_j after two naive steps)", () => {
    const eta = 0.5;
    for (const i of [0, 1] as const) {
      const j = 1 - i;
      const objective = (t: Float64Array) => {
        const u = Float64Array.from(t);
        for (let step = 0; step < 2; step++) {
          const g = grad(u, j);
          for (let a = 0; a < 5; a++) u[5 * j + a] += eta * g[5 * j + a];
        }
        return value(u, i);
      };
      const fd = new Float64Array(5);
      for (let a = 0; a < 5; a++) {
        const p = Float64Array.from(theta);
        const m = Float64Array.from(theta);
        p[5 * i + a] += 1e-4;
        m[5 * i + a] -= 1e-4;
        fd[a] = (objective(p) - objective(m)) / 2e-4;
      }
      assertClose(
        direction({ name: "lookahead", eta, lookahead: 2 }, theta, i),
        fd,
        1e-5,
        `lookahead agent ${i + 1}`,
      );
    }
  });

  it("cross-hessian = ∇_i V_i + β·(∇_i∇_j V_i)·∇_j V_j", () => {
    const beta = 0.3;
    const i = 0;
    const gjj = grad(theta, 1).slice(5, 10);
    const objective = (t: Float64Array) => {
      const gi = grad(t, 0).slice(5, 10); // ∇_j V_i at t
      let dot = 0;
      for (let a = 0; a < 5; a++) dot += gi[a] * gjj[a];
      return value(t, 0) + beta * dot;
    };
    const fd = new Float64Array(5);
    for (let a = 0; a < 5; a++) {
      const p = Float64Array.from(theta);
      const m = Float64Array.from(theta);
      p[a] += 1e-4;
      m[a] -= 1e-4;
      fd[a] = (objective(p) - objective(m)) / 2e-4;
    }
    assertClose(direction({ name: "cross-hessian", beta }, theta, i), fd, 1e-5, "cross-hessian");
  });

  it("sos = look-ahead + p·(LOLA shaping term) with one p ∈ [0, 1]", () => {
    // p2 = 1 whenever ‖ξ‖ ≥ b; p1 = 1 when ⟨−αχ, ξ0⟩ ≥ 0; otherwise SOS scales χ down, never up.
    const eta = 0.2;
    for (const i of [0, 1] as const) {
      const sos = direction({ name: "sos", eta }, theta, i);
      const la = direction({ name: "cross-hessian", beta: eta }, theta, i);
      const lola = direction({ name: "lola", eta }, theta, i);
      const naive = direction({ name: "naive" }, theta, i);
      // sos = la + p·(lola − naive) for one p in [0, 1] shared by both agents' blocks.
      let num = 0;
      let den = 0;
      for (let a = 0; a < 5; a++) {
        const chi = lola[a] - naive[a];
        num += (sos[a] - la[a]) * chi;
        den += chi * chi;
      }
      const p = num / den;
      assert.ok(p >= -1e-9 && p <= 1 + 1e-9, `p = ${p}`);
      for (let a = 0; a < 5; a++) assert.ok(Math.abs(sos[a] - la[a] - p * (lola[a] - naive[a])) < 1e-9);
    }
  });

  it("rejects unknown learners and bad hyperparameters with the field named", () => {
    const game = memoryOneGame(ipd, GAMMA);
    assert.throws(
      () => createExactLearner({ name: "lolaa" as never }, game, "agents[0]"),
      (e: unknown) => e instanceof InputError && /agents\[0\]\.name/.test(e.message),
    );
    assert.throws(() => createExactLearner({ name: "lookahead", lookahead: 1.5 }, game), InputError);
    assert.throws(() => createExactLearner({ name: "sos", sosA: 2 }, game), InputError);
  });
});

describe("published numbers (issue 2 §7): ipd-lola, γ = 0.96, lr = η = 1, 200 steps, 50 seeds, seed 0", () => {
  const base = { game: ipd, gamma: GAMMA, steps: 200, seeds: 50, seed: 0 };

  it("NL–NL: both agents ≈ −2.0 per step (LOLA paper: −1.98)", () => {
    const r = trainExact({ ...base, learners: [{ name: "naive" }, { name: "naive" }] });
    assert.ok(Math.abs(mean(rewards(r.rewardPerStep, 0)) + 2) < 0.02);
    assert.ok(Math.abs(mean(rewards(r.rewardPerStep, 1)) + 2) < 0.02);
    assert.equal(r.tftFraction, 0);
  });

  it("LOLA–LOLA: mean reward in [−1.15, −0.95], TFT-like seeds (LOLA paper: −1.06, 81 % by its criterion)", () => {
    const r = trainExact({ ...base, learners: [{ name: "lola" }, { name: "lola" }] });
    const m = mean(r.rewardPerStep);
    assert.ok(m >= -1.15 && m <= -0.95, `mean ${m}`);
    // TFT-like policies (every probability within 0.5 of TFT): 62 % of agent 1's and 68 % of agent 2's on seeds
    // 0..49; both agents of the same seed: 46 %.
    assert.ok(r.tftFraction >= 0.3 && r.tftFraction <= 0.6, `tft ${r.tftFraction}`);
    assert.deepEqual(
      r.tftFractionPerAgent.map((f) => Math.round(50 * f)),
      [31, 34],
      `per agent ${r.tftFractionPerAgent}`,
    );
    // Mean policy is TFT-like: C after CC and DC, D after CD and DD (agent 1, own view).
    const p = [1, 2, 3, 4].map((k) => mean(r.pC.filter((_, i) => i % 10 === k)));
    assert.ok(p[0] > 0.8 && p[1] < 0.3 && p[2] > 0.8 && p[3] < 0.3, `P(C) ${p}`);
    assert.equal(r.diverged.length, 0);
  });

  it("LOLA–LOLA over 200 seeds: most learned policies are TFT-like (61 % on seeds 0..199), a minority of pairs (38.5 %)", () => {
    const r = trainExact({ ...base, seeds: 200, learners: [{ name: "lola" }, { name: "lola" }] });
    const perPolicy = (r.tftFractionPerAgent[0] + r.tftFractionPerAgent[1]) / 2;
    assert.ok(perPolicy > 0.55 && perPolicy < 0.65, `per policy ${perPolicy}`);
    assert.ok(r.tftFraction > 0.3 && r.tftFraction < 0.45, `pairs ${r.tftFraction}`);
    // The pair flag is exactly "both policies are".
    r.tft.forEach((both, b) => assert.equal(both, r.tftAgents[2 * b] & r.tftAgents[2 * b + 1]));
  });

  it("LOLA vs NL: LOLA earns more than NL, on average and in most seeds", () => {
    const r = trainExact({ ...base, learners: [{ name: "lola" }, { name: "naive" }] });
    const lola = rewards(r.rewardPerStep, 0);
    const nl = rewards(r.rewardPerStep, 1);
    assert.ok(mean(lola) > mean(nl), `${mean(lola)} vs ${mean(nl)}`);
    assert.ok(lola.filter((v, s) => v > nl[s]).length >= 35);
  });

  it("IMP γ = 0.9, 200 seeds: LOLA–LOLA ends within 0.1 of 0.5 in ≥ 85 % of seeds, NL–NL almost never", () => {
    const imp = gamePreset("imp");
    const run = (name: "lola" | "naive") =>
      trainExact({ game: imp, gamma: 0.9, steps: 200, seeds: 200, seed: 0, learners: [{ name }, { name }] });
    const lola = fraction(allNear(run("lola").pC, 0.5, 0.1));
    const nl = fraction(allNear(run("naive").pC, 0.5, 0.1));
    assert.ok(lola >= 0.85, `LOLA ${lola}`); // 0.92 on seed 0; a PyTorch reference gives ≈ 0.93
    assert.ok(nl <= 0.05, `NL ${nl}`);
  });

  it("seeds do not depend on the batch: seed index s alone fixes its run", () => {
    const big = trainExact({ ...base, steps: 20, seeds: 5, learners: [{ name: "lola" }, { name: "naive" }] });
    const small = trainExact({
      ...base,
      steps: 20,
      seeds: 2,
      learners: [{ name: "lola" }, { name: "naive" }],
    });
    assert.deepEqual(Array.from(small.theta), Array.from(big.theta.subarray(0, 20)));
  });

  it("a fixed strategy never moves and a diverging seed is reported, not returned as NaN", () => {
    const tft = [1, 1, 0, 1, 0];
    const r = trainExact({
      ...base,
      steps: 50,
      seeds: 3,
      learners: [{ name: "naive" }, { name: "fixed", probabilities: tft }],
    });
    for (let s = 0; s < 3; s++)
      for (let k = 0; k < 5; k++) assert.ok(Math.abs(r.pC[10 * s + 5 + k] - tft[k]) < 1e-11);
    const wild = trainExact({
      ...base,
      steps: 5,
      seeds: 2,
      learners: [{ name: "naive", lr: 1e308 }, { name: "naive" }],
    });
    assert.ok(wild.diverged.length > 0);
    assert.equal(wild.diverged[0].learner, "naive");
    assert.ok(Array.from(wild.theta).every(Number.isFinite));
    assert.ok(Array.from(wild.rewardPerStep).every(Number.isFinite));
  });

  it("onStepRewards gives every seed's rewards per update; the mean over valued seeds is the curve", () => {
    const steps = 6;
    const seen: number[] = [];
    const check = (opts: Parameters<typeof trainExact>[0]) => {
      const means: number[][] = [];
      const r = trainExact({
        ...opts,
        onStepRewards: (step, rewards, valued) => {
          seen.push(step);
          means[step] = [0, 1].map((a) => {
            const xs = Array.from(valued.keys())
              .filter((s) => valued[s])
              .map((s) => rewards[2 * s + a]);
            return xs.reduce((x, y) => x + y, 0) / xs.length;
          });
        },
      });
      // Both NaN once no seed is left (as the curve says), else equal.
      const same = (x: number, y: number) => (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) < 1e-12;
      for (let t = 0; t <= opts.steps; t++)
        for (const a of [0, 1]) assert.ok(same(means[t][a], r.curve[2 * t + a]), `step ${t}`);
      return r;
    };
    check({ ...base, steps, seeds: 4, learners: [{ name: "lola" }, { name: "naive" }] });
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
    // Diverging seeds still count at step 0 and drop out afterwards (all three are gone by step 2).
    const wild = check({
      ...base,
      steps: 3,
      seeds: 3,
      learners: [{ name: "naive", lr: 1e308 }, { name: "naive" }],
    });
    assert.equal(wild.diverged.length, 3);
    assert.ok(Number.isFinite(wild.curve[0]) && Number.isNaN(wild.curve[6]));
  });
});

describe("SOS on the tandem game by hand (α = 0.1, a = 0.5, b = 0.1)", () => {
  // L1 = (x+y)² − 2x, L2 = (x+y)² − 2y, s = x + y: ξ = (2s−2, 2s−2), H_o = [[0, 2], [2, 0]], χ = (4s, 4s).
  const cases: [string, number, number, number][] = [
    // p1 = 1 (shaping agrees with look-ahead), p2 = 1: ξ_p = 0.8ξ − αχ = (−0.64, −0.64)
    ["far below the fixed line", 0.3, 0.5, 0.64],
    // ⟨−αχ, ξ0⟩ = −0.96 < 0: p1 = 0.5·1.28/0.96 = 2/3, ξ_p = 0.8 − (2/3)·0.6 = 0.4
    ["above it, shaping scaled by p1 = 2/3", 0.8, 0.7, -0.4],
    // ‖ξ‖ = 0.0566 < b: p2 = ‖ξ‖² = 0.0032 < p1 = 0.0392, ξ_p = 0.032 − 0.0032·0.408 = 0.0306944
    ["near it, shaping scaled by p2 = ‖ξ‖²", 0.5, 0.52, -0.0306944],
  ];
  for (const [label, x, y, expected] of cases) {
    it(label, () => {
      const learner = createExactLearner({ name: "sos", eta: 0.1 }, tandemGame);
      const point = tandemGame.createEvaluator();
      const theta = Float64Array.from([x, y]);
      assert.ok(point.evaluate(theta, 0));
      const out = new Float64Array(1);
      for (const agent of [0, 1] as const) {
        learner.direction(point, theta, 0, agent, out);
        assert.ok(Math.abs(out[0] - expected) < 1e-12, `${out[0]} vs ${expected}`);
      }
    });
  }
});

describe("SOS tandem game: 100 runs, 30 steps, lr = η = 0.1, init N(0, 0.1²), seed 0", () => {
  it("SOS settles at mean loss ≈ 0 (SOS paper ≈ 0)", () => {
    const r = runTandem({ learners: [{ name: "sos" }, { name: "sos" }] });
    assert.ok(Math.abs(r.meanLoss[0]) < 0.05 && Math.abs(r.meanLoss[1]) < 0.05, `${r.meanLoss}`);
  });

  it("LOLA overshoots: SOS paper's LOLA ≈ +0.44 (fixed point 4/9); LOLA-paper exact form → 5/16", () => {
    const full = runTandem({
      learners: [
        { name: "lola", includeLookAheadTerm: true },
        { name: "lola", includeLookAheadTerm: true },
      ],
    });
    assert.ok(Math.abs(mean(full.meanLoss) - 4 / 9) < 0.02, `${full.meanLoss}`);
    const exact = runTandem({ learners: [{ name: "lola" }, { name: "lola" }] });
    assert.ok(Math.abs(mean(exact.meanLoss) - 5 / 16) < 0.02, `${exact.meanLoss}`);
  });
});
