/**
 * Off-policy correction (src/learners/neural/offPolicy.ts) against answers known exactly:
 * - a V-trace batch worked by hand (also checked against Espeholt et al.'s explicit sum);
 * - on-policy data (ρ ≡ 1): V-trace is GAE(λ) of the shared `generalizedAdvantages`;
 * - a tiny MDP (2 states, 2 actions, 3 steps) whose every path is enumerated: untruncated V-trace has exactly the
 *   on-policy n-step target as its expectation; truncated V-trace has the fixed point V^{π_ρ̄}, not V^π;
 * - sampling from the behaviour policy over many seeds: per-decision importance sampling is unbiased (within
 *   4 standard errors of the exact value), and truncating its weights is detectably biased (the check has power).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  allocateVtrace,
  cumulativeRatios,
  importanceRatios,
  offPolicyEstimates,
  offPolicySchema,
  truncateRatios,
  vtrace,
} from "../src/learners/neural/offPolicy.js";
import { generalizedAdvantages } from "../src/learners/sampled/advantages.js";
import { Rng } from "../src/util/rng.js";

const INF = Number.POSITIVE_INFINITY;

describe("V-trace by hand", () => {
  it("a 3-step batch of 2 games: targets and advantages as worked in the comment", () => {
    // Game 0: γ = 0.5, r = (1, 0, 2), V = (0.5, 1, 0.25), V_3 = 1, ρ = (2, 0.5, 1), ρ̄ = 1.5, c̄ = 1:
    //   ρ̃ = (1.5, 0.5, 1), c = (1, 0.5, 1)
    //   t=2: δ = 1·(2 + 0.5·1 − 0.25) = 2.25;        v_2 = 0.25 + 2.25 = 2.5;              A_2 = 2.25
    //   t=1: δ = 0.5·(0 + 0.5·0.25 − 1) = −0.4375;   v_1 = 1 − 0.4375 + 0.5·0.5·(2.5 − 0.25) = 1.125
    //        A_1 = 0.5·(0 + 0.5·2.5 − 1) = 0.125
    //   t=0: δ = 1.5·(1 + 0.5·1 − 0.5) = 1.5;        v_0 = 0.5 + 1.5 + 0.5·1·(1.125 − 1) = 2.0625
    //        A_0 = 1.5·(1 + 0.5·1.125 − 0.5) = 1.59375
    //   Espeholt's sum: v_0 = V_0 + δ_0 + γc_0δ_1 + γ²c_0c_1δ_2 = 0.5 + 1.5 − 0.21875 + 0.28125 = 2.0625.
    // Game 1: ρ ≡ 1, V ≡ 0, r = (0, 1, 0), V_3 = 0: the Monte-Carlo returns v = (0.5, 1, 0), A = v.
    const T = 3;
    const B = 2;
    const interleave = (a: number[], b: number[]) => a.flatMap((x, t) => [x, b[t]]);
    const out = vtrace(
      {
        horizon: T,
        batch: B,
        rewards: interleave([1, 0, 2], [0, 1, 0]),
        values: interleave([0.5, 1, 0.25], [0, 0, 0]),
        bootstrap: [1, 0],
        ratios: interleave([2, 0.5, 1], [1, 1, 1]),
        gamma: 0.5,
        rhoBar: 1.5,
        cBar: 1,
      },
      allocateVtrace(T, B),
    );
    assert.deepEqual(Array.from(out.targets), interleave([2.0625, 1.125, 2.5], [0.5, 1, 0]));
    assert.deepEqual(Array.from(out.advantages), interleave([1.59375, 0.125, 2.25], [0.5, 1, 0]));
  });

  it("on-policy data (every ρ = 1): v_t − V_t is GAE(λ) of the TD errors, for several λ", () => {
    const T = 6;
    const B = 3;
    const rng = Rng.seeded(11);
    const rewards = Float64Array.from({ length: T * B }, () => rng.normal());
    const values = Float64Array.from({ length: T * B }, () => rng.normal());
    const bootstrap = Float64Array.from({ length: B }, () => rng.normal());
    const gamma = 0.9;
    for (const lambda of [0, 0.5, 0.95, 1]) {
      const out = vtrace(
        {
          horizon: T,
          batch: B,
          rewards,
          values,
          bootstrap,
          ratios: new Float64Array(T * B).fill(1),
          gamma,
          rhoBar: 1,
          cBar: 1,
          lambda,
        },
        allocateVtrace(T, B),
      );
      const deltas = new Float64Array(T * B);
      for (let t = 0; t < T; t++) {
        for (let g = 0; g < B; g++) {
          const next = t + 1 < T ? values[(t + 1) * B + g] : bootstrap[g];
          deltas[t * B + g] = rewards[t * B + g] + gamma * next - values[t * B + g];
        }
      }
      const gae = generalizedAdvantages(deltas, T, B, gamma, lambda, new Float64Array(T * B));
      for (let i = 0; i < T * B; i++) {
        assert.ok(Math.abs(out.targets[i] - values[i] - gae[i]) < 1e-12, `λ = ${lambda}, i = ${i}`);
      }
    }
    // The learners' entry point with mode "none" ignores the log-probs: the same λ-returns.
    const off = offPolicyEstimates(
      offPolicySchema.parse({}),
      {
        horizon: T,
        batch: B,
        rewards,
        values,
        bootstrap,
        gamma,
        lambda: 0.5,
        targetLogProbs: new Float64Array(T * B).fill(-1),
        behaviourLogProbs: new Float64Array(T * B).fill(-3),
      },
      new Float64Array(T * B),
      allocateVtrace(T, B),
    );
    const on = vtrace(
      {
        horizon: T,
        batch: B,
        rewards,
        values,
        bootstrap,
        ratios: new Float64Array(T * B).fill(1),
        gamma,
        rhoBar: 1,
        cBar: 1,
        lambda: 0.5,
      },
      allocateVtrace(T, B),
    );
    assert.deepEqual(off.targets, on.targets);
  });

  it("the schema: off by default, c̄ ≤ ρ̄, unknown keys and bad modes rejected with the field named", () => {
    assert.deepEqual(offPolicySchema.parse({}), { mode: "none", rhoBar: 1, cBar: 1 });
    assert.throws(() => offPolicySchema.parse({ mode: "vtrace", rhoBar: 1, cBar: 2 }), /cBar/);
    assert.throws(() => offPolicySchema.parse({ mode: "retrace" }), /mode|none|importance|vtrace/);
    assert.throws(() => offPolicySchema.parse({ rhobar: 2 }), /rhobar/);
  });
});

/**
 * The tiny MDP: states {0, 1}, actions {0, 1}, 3 steps, start in state 0, γ = 0.9.
 * Moving: action a leads to state a with probability 0.8, to the other state with 0.2. Rewards r(x, a) below.
 * Behaviour μ prefers action 1; target π prefers action 0 (ratios up to 3, so truncation matters).
 */
const MDP = {
  T: 3,
  gamma: 0.9,
  reward: [
    [1, 0],
    [2, -1],
  ],
  stay: 0.8,
  mu: [
    [0.3, 0.7],
    [0.4, 0.6],
  ],
  pi: [
    [0.9, 0.1],
    [0.7, 0.3],
  ],
};

function nextStateProbability(a: number, next: number): number {
  return next === a ? MDP.stay : 1 - MDP.stay;
}

/** V_t(x) of a policy by backward induction, `[T + 1][2]` with V_T = terminal. */
function valuesOf(policy: number[][], terminal: [number, number]): number[][] {
  const V: number[][] = Array.from({ length: MDP.T + 1 }, () => [0, 0]);
  V[MDP.T] = [...terminal];
  for (let t = MDP.T - 1; t >= 0; t--) {
    for (let x = 0; x < 2; x++) {
      let v = 0;
      for (let a = 0; a < 2; a++) {
        const cont = nextStateProbability(a, 0) * V[t + 1][0] + nextStateProbability(a, 1) * V[t + 1][1];
        v += policy[x][a] * (MDP.reward[x][a] + MDP.gamma * cont);
      }
      V[t][x] = v;
    }
  }
  return V;
}

/** Every path from state 0 (actions and states of 3 steps plus the final state), with its probability under μ. */
function paths(): { p: number; states: number[]; actions: number[] }[] {
  const out: { p: number; states: number[]; actions: number[] }[] = [];
  const walk = (t: number, x: number, p: number, states: number[], actions: number[]) => {
    if (t === MDP.T) {
      out.push({ p, states: [...states, x], actions: [...actions] });
      return;
    }
    for (let a = 0; a < 2; a++) {
      for (let next = 0; next < 2; next++) {
        walk(t + 1, next, p * MDP.mu[x][a] * nextStateProbability(a, next), [...states, x], [...actions, a]);
      }
    }
  };
  walk(0, 0, 1, [], []);
  return out;
}

/** E_μ[v_0] of V-trace under critic V (time-indexed), by summing over every path. */
function expectedVtraceTarget(V: number[][], rhoBar: number, cBar: number): number {
  const T = MDP.T;
  let expectation = 0;
  let total = 0;
  for (const path of paths()) {
    const rewards = path.actions.map((a, t) => MDP.reward[path.states[t]][a]);
    const values = path.actions.map((_, t) => V[t][path.states[t]]);
    const ratios = path.actions.map((a, t) => MDP.pi[path.states[t]][a] / MDP.mu[path.states[t]][a]);
    const out = vtrace(
      {
        horizon: T,
        batch: 1,
        rewards,
        values,
        bootstrap: [V[T][path.states[T]]],
        ratios,
        gamma: MDP.gamma,
        rhoBar,
        cBar,
      },
      allocateVtrace(T, 1),
    );
    expectation += path.p * out.targets[0];
    total += path.p;
  }
  assert.ok(Math.abs(total - 1) < 1e-12, "the enumeration covers every path");
  return expectation;
}

/** π_ρ̄(a|x) ∝ min(ρ̄ μ(a|x), π(a|x)), Espeholt et al. Theorem 1. */
function truncatedTargetPolicy(rhoBar: number): number[][] {
  return MDP.pi.map((row, x) => {
    const m = row.map((p, a) => Math.min(rhoBar * MDP.mu[x][a], p));
    const z = m[0] + m[1];
    return m.map((q) => q / z);
  });
}

describe("V-trace on an enumerated MDP", () => {
  const terminal: [number, number] = [0.5, -0.25];
  const Vpi = valuesOf(MDP.pi, terminal);

  it("ρ̄ = c̄ = ∞: E_μ[v_0] is the on-policy n-step target V^π_0, whatever critic V it bootstraps from", () => {
    const critics = [
      Vpi,
      valuesOf(MDP.mu, terminal),
      Array.from({ length: MDP.T + 1 }, (_, t) => (t === MDP.T ? [...terminal] : [3, -2])),
    ];
    for (const V of critics) {
      assert.ok(Math.abs(expectedVtraceTarget(V, INF, INF) - Vpi[0][0]) < 1e-12);
    }
  });

  it("ρ̄ = 1: the fixed point is V^{π_ρ̄} (E_μ[v_0] = V_0 there, for any c̄), which is not V^π (the documented bias)", () => {
    const rhoBar = 1;
    const Vtrunc = valuesOf(truncatedTargetPolicy(rhoBar), terminal);
    for (const cBar of [0.5, 1]) {
      assert.ok(Math.abs(expectedVtraceTarget(Vtrunc, rhoBar, cBar) - Vtrunc[0][0]) < 1e-12, `c̄ = ${cBar}`);
    }
    // V^π is not a fixed point of the truncated operator, and the two values differ by a visible amount.
    assert.ok(Math.abs(expectedVtraceTarget(Vpi, rhoBar, 1) - Vpi[0][0]) > 0.05);
    assert.ok(Math.abs(Vtrunc[0][0] - Vpi[0][0]) > 0.1);
  });
});

describe("importance sampling from the behaviour policy, many seeds", () => {
  const SEEDS = 40;
  const EPISODES = 500;
  const exact = valuesOf(MDP.pi, [0, 0])[0][0];

  /** Per-seed estimates of E_π[Σ_t γ^t r_t] from μ's episodes; `cap` truncates every per-step ratio. */
  function estimates(cap: number): number[] {
    const T = MDP.T;
    const out: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = Rng.derive(seed, 7);
      const rewards = new Float64Array(T * EPISODES);
      const logPi = new Float64Array(T * EPISODES);
      const logMu = new Float64Array(T * EPISODES);
      for (let g = 0; g < EPISODES; g++) {
        let x = 0;
        for (let t = 0; t < T; t++) {
          const a = rng.uniform() < MDP.mu[x][0] ? 0 : 1;
          const i = t * EPISODES + g;
          rewards[i] = MDP.reward[x][a];
          logPi[i] = Math.log(MDP.pi[x][a]);
          logMu[i] = Math.log(MDP.mu[x][a]);
          x = rng.uniform() < MDP.stay ? a : 1 - a;
        }
      }
      const ratios = importanceRatios(logPi, logMu, new Float64Array(T * EPISODES));
      truncateRatios(ratios, cap, ratios);
      const W = cumulativeRatios(ratios, T, EPISODES, new Float64Array(T * EPISODES));
      let sum = 0;
      for (let t = 0, d = 1; t < T; t++, d *= MDP.gamma) {
        for (let g = 0; g < EPISODES; g++) sum += d * W[t * EPISODES + g] * rewards[t * EPISODES + g];
      }
      out.push(sum / EPISODES);
    }
    return out;
  }

  function meanAndStandardError(xs: number[]): [number, number] {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1);
    return [m, Math.sqrt(v / xs.length)];
  }

  it("untruncated per-decision IS: the mean over 40 seeds is within 4 SE of the exact V^π", () => {
    const [m, se] = meanAndStandardError(estimates(INF));
    assert.ok(se > 0 && se < 0.05, `SE ${se}`);
    assert.ok(Math.abs(m - exact) < 4 * se, `IS ${m} ± ${se}, exact ${exact}`);
  });

  it("weights truncated at 1 are biased by more than 4 SE (so the unbiasedness check can fail)", () => {
    const [m, se] = meanAndStandardError(estimates(1));
    assert.ok(Math.abs(m - exact) > 4 * se, `truncated ${m} ± ${se}, exact ${exact}`);
  });
});
