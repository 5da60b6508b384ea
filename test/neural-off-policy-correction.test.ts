/**
 * The off-policy option of ppo, ppo-sum, aa and paa (offPolicy.ts's GAE form of V-trace, applied in learner.ts's
 * shared `estimateAdvantages`):
 * - with ratios ≡ 1 the corrected estimate is today's GAE(λ) advantages and λ-returns, bit for bit;
 * - a hand-worked 3-step batch, truncated (vtrace) and untruncated (importance);
 * - the corrected targets V + a equal offPolicy.ts's V-trace targets, an independent recursion;
 * - each learner reads the option: off by default; on, its critic (and, for ppo/paa with 2 epochs and aa with 2
 *   actor minibatches, its actor) ends elsewhere than with the option off, and it reports the ratios.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { AaLearner, aaSchema } from "../src/learners/neural/aa.js";
import {
  emptyEstimate,
  estimateAdvantages,
  type NeuralLearner,
  policyRatios,
} from "../src/learners/neural/learner.js";
import { CoinCritic, CoinPolicy } from "../src/learners/neural/nets.js";
import { correctedAdvantages, type OffPolicyConfig, vtrace } from "../src/learners/neural/offPolicy.js";
import { PaaLearner, paaSchema } from "../src/learners/neural/paa.js";
import { PpoLearner, ppoSchema } from "../src/learners/neural/ppo.js";
import { rolloutNeuralCoin, type SeatView, seatView } from "../src/learners/neural/rollout.js";
import { valueTdErrors } from "../src/learners/sampled/advantages.js";
import { Rng } from "../src/util/rng.js";

const T = 4;
const GAMES = 2;
const env = new CoinGameEnv({ episodeSteps: T });

function view(policy: CoinPolicy, seed: number): SeatView {
  const rollout = rolloutNeuralCoin(env, [{ policy }, { agent: fixedCoinAgent("always-defect", env) }], {
    games: GAMES,
    seed,
  });
  return seatView(rollout, 0);
}

const bits = (x: Float64Array | Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);

describe("off-policy correction in the shared advantage path", () => {
  it("with ratios ≡ 1 it gives today's GAE advantages and λ-returns bit for bit", () => {
    const rng = Rng.seeded(3);
    const policy = new CoinPolicy(env.obsSize, 5, env.nActions);
    policy.init(rng);
    const critic = new CoinCritic(env.obsSize, 5);
    critic.init(rng);
    const v = view(policy, 8);
    const ones = new Float64Array(T * GAMES).fill(1);
    const plain = estimateAdvantages(
      critic,
      v.own.obs,
      v.own.rewards,
      v,
      0.96,
      0.95,
      emptyEstimate(T * GAMES),
    );
    const settings: OffPolicyConfig[] = [
      { mode: "importance", rhoBar: 1, cBar: 1 },
      { mode: "vtrace", rhoBar: 1, cBar: 1 },
      { mode: "vtrace", rhoBar: 2, cBar: 1.5 },
    ];
    for (const config of settings) {
      const corrected = estimateAdvantages(
        critic,
        v.own.obs,
        v.own.rewards,
        v,
        0.96,
        0.95,
        emptyEstimate(T * GAMES),
        { config, ratios: ones },
      );
      assert.ok(bits(corrected.advantages).equals(bits(plain.advantages)), `${config.mode} advantages`);
      assert.ok(bits(corrected.returns).equals(bits(plain.returns)), `${config.mode} returns`);
      assert.ok(bits(corrected.values).equals(bits(plain.values)));
    }
    // The policy that played the batch gives ratios of 1 (to float32 rounding of the recorded log π).
    const ratios = policyRatios(policy, v.own, T, GAMES, new Float64Array(T * GAMES));
    for (const r of ratios) assert.ok(Math.abs(r - 1) < 1e-6, `ratio ${r}`);
  });

  it("a hand-worked batch: T = 3, γ = 0.9, λ = 0.5, δ = (1, −2, 0.5), ρ = (2, 0.5, 1.5)", () => {
    const deltas = () => Float64Array.of(1, -2, 0.5);
    const ratios = [2, 0.5, 1.5];
    const run = (rhoBar: number, cBar: number) => {
      const advantages = new Float64Array(3);
      const traces = deltas();
      correctedAdvantages(traces, ratios, 3, 1, 0.9, 0.5, rhoBar, cBar, advantages, traces);
      return { advantages: [...advantages], traces: [...traces] };
    };
    const close = (a: number[], b: number[]) =>
      a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-12, `${x} vs ${b[i]} at ${i}`));
    // vtrace ρ̄ = c̄ = 1: ρ̃ = c = (1, 0.5, 1), γλ = 0.45.
    //   t = 2: Â = 0.5,                       a = 1·0.5 = 0.5
    //   t = 1: Â = −2 + 0.45·0.5 = −1.775,    a = 0.5·(−2) + 0.45·0.5·0.5 = −0.8875
    //   t = 0: Â = 1 + 0.45·(−0.8875) = 0.600625,  a = 1·1 + 0.45·1·(−0.8875) = 0.600625
    const truncated = run(1, 1);
    close(truncated.advantages, [0.600625, -1.775, 0.5]);
    close(truncated.traces, [0.600625, -0.8875, 0.5]);
    // importance (ρ̄ = c̄ = ∞): ρ̃ = c = ρ.
    //   t = 2: Â = 0.5,                        a = 1.5·0.5 = 0.75
    //   t = 1: Â = −2 + 0.45·0.75 = −1.6625,   a = 0.5·(−2) + 0.45·0.5·0.75 = −0.83125
    //   t = 0: Â = 1 + 0.45·(−0.83125) = 0.6259375,  a = 2·1 + 0.45·2·(−0.83125) = 1.251875
    const untruncated = run(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    close(untruncated.advantages, [0.6259375, -1.6625, 0.5]);
    close(untruncated.traces, [1.251875, -0.83125, 0.75]);
  });

  it("the corrected targets V + a are V-trace's targets (offPolicy.ts's own recursion)", () => {
    const rng = Rng.seeded(11);
    const rows = T * GAMES;
    for (const [rhoBar, cBar, lambda] of [
      [1, 1, 1],
      [2, 1, 0.95],
      [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0.7],
    ]) {
      const rewards = Float64Array.from({ length: rows }, () => rng.normal());
      const values = Float64Array.from({ length: rows }, () => rng.normal());
      const ratios = Float64Array.from({ length: rows }, () => 0.2 + 2 * rng.uniform());
      const traces = valueTdErrors(rewards, values, T, GAMES, 0.9, new Float64Array(rows));
      correctedAdvantages(
        traces,
        ratios,
        T,
        GAMES,
        0.9,
        lambda,
        rhoBar,
        cBar,
        new Float64Array(rows),
        traces,
      );
      const reference = vtrace(
        {
          horizon: T,
          batch: GAMES,
          rewards,
          values,
          bootstrap: null,
          ratios,
          gamma: 0.9,
          rhoBar,
          cBar,
          lambda,
        },
        { targets: new Float64Array(rows), advantages: new Float64Array(rows) },
      );
      for (let i = 0; i < rows; i++)
        assert.ok(Math.abs(values[i] + traces[i] - reference.targets[i]) < 1e-12, `target ${i}`);
    }
  });
});

describe("the learners read the option", () => {
  const tiny = { width: 3, criticEpochs: 1, minibatches: 1, maxGradNorm: 1e9, lr: 0.05 };

  it("is off by default in ppo, paa and aa", () => {
    for (const schema of [ppoSchema, paaSchema, aaSchema]) assert.equal(schema.parse({}).offPolicy, "none");
  });

  const cases: { name: string; make: (offPolicy: string) => NeuralLearner; actorMoves: boolean }[] = [
    {
      name: "ppo, 2 epochs",
      make: (offPolicy) =>
        new PpoLearner(ppoSchema.parse({ ...tiny, epochs: 2, offPolicy }), { env, seed: 4 }),
      actorMoves: true,
    },
    {
      name: "paa, 2 epochs",
      make: (offPolicy) =>
        new PaaLearner(paaSchema.parse({ ...tiny, epochs: 2, offPolicy }), { env, seed: 4 }),
      actorMoves: true,
    },
    {
      name: "aa, 2 actor minibatches",
      make: (offPolicy) =>
        new AaLearner(aaSchema.parse({ ...tiny, actorMinibatches: 2, offPolicy }), { env, seed: 4 }),
      actorMoves: true,
    },
    {
      name: "aa, 1 actor step (only the critics' targets change)",
      make: (offPolicy) => new AaLearner(aaSchema.parse({ ...tiny, offPolicy }), { env, seed: 4 }),
      actorMoves: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: with the option on, the update differs where the policy has moved`, () => {
      const off = c.make("none");
      const on = c.make("importance");
      const batch = view(off.policy, 21);
      const dOff = off.update(batch, 0);
      const dOn = on.update(batch, 0);
      assert.equal(dOff["offPolicy.meanRatio"], undefined);
      assert.ok(Number.isFinite(dOn["offPolicy.meanRatio"]) && dOn["offPolicy.maxRatio"] !== 1);
      const [actorOff, ...criticsOff] = off.trainables();
      const [actorOn, ...criticsOn] = on.trainables();
      const same = bits(actorOff.net.params.values).equals(bits(actorOn.net.params.values));
      assert.equal(same, !c.actorMoves, "the actor");
      assert.ok(
        !bits(criticsOff[0].net.params.values).equals(bits(criticsOn[0].net.params.values)),
        "the critic's targets are corrected",
      );
    });
  }
});
