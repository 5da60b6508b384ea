/**
 * Issue 14 on the Coin Game (kinds asymmetry-coin and sandbagging-coin, the opponent-critic fidelity options of
 * src/learners/neural/aa.ts):
 * - per-seat options reach their seat: a pair where β₁ ≠ β₂ differs from β₁ = β₂ only in seat 1's update;
 * - PAA with β = 0 is PPO bit for bit (so β₂ = 0 is the naive learner), and `alignFrom: K` is β = 0 until K;
 * - criticLag k aligns with the opponent critic of k updates ago (checked against a critic loaded with the
 *   snapshot of k updates ago), σ = 0 / width = width / lag 0 are the plain learner bit for bit, and no fidelity
 *   option changes the opponent critic's own fit; a lagged learner's checkpoint resumes exactly;
 * - the paired exploitation index and the sandbagging phase means on hand-built numbers; the kind's symmetric
 *   pair is an independent trainCoin of that pair; an interrupted sweep resumes to the same numbers.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { validateConfig } from "../src/experiments/config.js";
import { asymmetryCoinKind, exploitationIndex } from "../src/experiments/kinds/asymmetryCoin.js";
import { pairSeat } from "../src/experiments/kinds/coinPair.js";
import { phaseMean, sandbaggingMetrics } from "../src/experiments/kinds/sandbaggingCoin.js";
import type { RunConfig } from "../src/experiments/types.js";
import { AaLearner, type AaConfig, AlignmentCritics, aaSchema } from "../src/learners/neural/aa.js";
import { LEARNER_STREAM, streamRng } from "../src/learners/neural/learner.js";
import { rolloutNeuralCoin, type SeatView, seatView } from "../src/learners/neural/rollout.js";
import { type CheckpointSink, type TrainCoinOptions, trainCoin } from "../src/learners/neural/trainCoin.js";
import { loadNetwork } from "../src/nn/agentFile.js";
import { InputError } from "../src/util/errors.js";
import { assertResumeEqualsWhole } from "./resumeHarness.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Tiny networks, few games: seconds for the whole file. */
const TINY = { width: 4, epochs: 1, minibatches: 2, criticEpochs: 1 };
const pair = (a: Record<string, unknown>, b: Record<string, unknown>, updates = 2): TrainCoinOptions => ({
  a: { learner: "paa", config: { ...TINY, ...a } },
  b: { learner: "paa", config: { ...TINY, ...b } },
  env: { episodeSteps: 4 },
  updates,
  batch: 4,
  seed: 5,
  evalGames: 8,
});

/** An agent file's parameters. */
const weights = (text: string) => loadNetwork(text).network.params.values;

/** The evaluation's numbers without the players' names. */
const numbers = (evaluation: Record<string, { rewards: number[]; ownCoin: (number | null)[] }>) =>
  Object.entries(evaluation).map(([vs, m]) => [vs, m.rewards, m.ownCoin]);

describe("per-seat options", () => {
  it("β₁ ≠ β₂ differs from β₁ = β₂ only in seat 1's update (one update: same games, seat 2's weights equal)", () => {
    const symmetric = trainCoin(pair({ beta: 1 }, { beta: 1 }, 1));
    const asymmetric = trainCoin(pair({ beta: 3 }, { beta: 1 }, 1));
    assert.deepEqual(asymmetric.curves.rewards, symmetric.curves.rewards, "the same training games");
    assert.deepEqual(asymmetric.curves.diagnostics[1], symmetric.curves.diagnostics[1]);
    assert.equal(asymmetric.agentB, symmetric.agentB, "seat 2 learned the same");
    assert.notDeepEqual(
      asymmetric.curves.diagnostics[0]["ppo.approxKl"],
      symmetric.curves.diagnostics[0]["ppo.approxKl"],
      "seat 1's update saw its own β",
    );
    assert.notDeepEqual(weights(asymmetric.agent), weights(symmetric.agent));
  });

  it("PAA with β = 0 is PPO bit for bit; alignFrom K is β = 0 for the first K updates, then β", () => {
    const ppo = { ...TINY, normalizeAdvantages: false };
    const asPpo = trainCoin({ ...pair({}, { beta: 1 }, 3), a: { learner: "ppo", config: ppo } });
    const paa0 = trainCoin(pair({ beta: 0 }, { beta: 1 }, 3));
    assert.deepEqual(paa0.curves.rewards, asPpo.curves.rewards);
    assert.deepEqual(numbers(paa0.evaluation), numbers(asPpo.evaluation));
    const sandbag2 = trainCoin(pair({ beta: 3, alignFrom: 2 }, { beta: 1 }, 2));
    const beta0 = trainCoin(pair({ beta: 0 }, { beta: 1 }, 2));
    assert.deepEqual(weights(sandbag2.agent), weights(beta0.agent), "two updates, both with β = 0");
    const sandbag3 = trainCoin(pair({ beta: 3, alignFrom: 2 }, { beta: 1 }, 3));
    assert.deepEqual(sandbag3.curves.rewards[0].slice(0, 3), paa0.curves.rewards[0].slice(0, 3));
    assert.notDeepEqual(weights(sandbag3.agent), weights(paa0.agent), "the third update aligns");
  });
});

/** A fixed sequence of views (random agents), the same for every learner fed with it. */
function views(env: CoinGameEnv, count: number): SeatView[] {
  const random = { agent: fixedCoinAgent("random", env) };
  return Array.from({ length: count }, (_, u) =>
    seatView(rolloutNeuralCoin(env, [random, random], { games: 4, seed: 9, keys: [u] }), 0),
  );
}

const aaConfig = (options: Record<string, unknown>): AaConfig =>
  aaSchema.parse({ width: 4, minibatches: 2, criticEpochs: 1, beta: 2, ...options });

describe("opponent-critic fidelity", () => {
  const env = new CoinGameEnv({ episodeSteps: 4 });
  const ctx = { env, seed: 2 };
  const seen = views(env, 6);

  for (const mode of ["gae", "monte-carlo"] as const) {
    it(`criticLag k aligns with the opponent critic of k updates ago (A^opp: ${mode}); its own fit is unchanged`, () => {
      const k = 2;
      const plain = new AaLearner(aaConfig({ opponentAdvantage: mode }), ctx);
      const lagged = new AaLearner(aaConfig({ criticLag: k, opponentAdvantage: mode }), ctx);
      const snapshots: Float32Array[] = []; // the plain learner's opponent critic at the start of each update
      seen.forEach((view, u) => {
        snapshots.push(plain.critics.opponent.net.params.values.slice());
        const ownBefore = lagged.critics.own.net.params.values.slice();
        plain.update(view, u);
        lagged.update(view, u);
        // The independent computation: fresh critics holding seat 1's own critic and the snapshot of u − k.
        const check = new AlignmentCritics(
          aaConfig({ opponentAdvantage: mode }),
          ctx,
          streamRng(0, LEARNER_STREAM.init, 0),
        );
        check.own.net.params.values.set(ownBefore);
        check.opponent.net.params.values.set(snapshots[Math.max(0, u - k)]);
        check.align(view, undefined, u);
        assert.deepEqual(lagged.critics.aligned, check.aligned, `A* at update ${u}`);
        assert.deepEqual(lagged.critics.opponent.net.params.values, plain.critics.opponent.net.params.values);
      });
      assert.notDeepEqual(lagged.critics.aligned, plain.critics.aligned, "the lag changed A*");
    });
  }

  it("σ = 0, width = width and lag 0 are the plain learner bit for bit; σ > 0 changes A* only", () => {
    const run = (options: Record<string, unknown>) => {
      const learner = new AaLearner(aaConfig(options), ctx);
      seen.forEach((view, u) => learner.update(view, u));
      return learner;
    };
    const plain = run({});
    for (const options of [{ criticNoise: 0 }, { opponentCriticWidth: 4 }, { criticLag: 0 }]) {
      const same = run(options);
      assert.deepEqual(
        same.policy.net.params.values,
        plain.policy.net.params.values,
        JSON.stringify(options),
      );
      assert.deepEqual(same.critics.aligned, plain.critics.aligned);
    }
    const noisy = run({ criticNoise: 0.5 });
    assert.notDeepEqual(noisy.policy.net.params.values, plain.policy.net.params.values);
    assert.deepEqual(noisy.critics.opponent.net.params.values, plain.critics.opponent.net.params.values);
    assert.deepEqual(run({ criticNoise: 0.5 }).policy.net.params.values, noisy.policy.net.params.values);
    const small = run({ opponentCriticWidth: 2 });
    assert.equal(small.critics.opponent.net.architecture.hidden, 2);
    assert.equal(small.critics.own.net.architecture.hidden, 4);
  });

  it("a lagged pair killed after a checkpoint resumes to the numbers of an uninterrupted run", () => {
    const options = {
      ...pair({ beta: 3, criticLag: 2, criticNoise: 0.3 }, { beta: 1 }, 5),
      checkpointEvery: 2,
    };
    const whole = trainCoin(options);
    let text: string | undefined;
    const sink: CheckpointSink = {
      load: () => text,
      save: (t) => (text = t),
      clear: () => (text = undefined),
    };
    class Killed extends Error {}
    assert.throws(
      () =>
        trainCoin(options, {
          checkpoint: sink,
          onUpdate(done) {
            if (done === 3) throw new Killed();
          },
        }),
      Killed,
    );
    const resumed = trainCoin(options, { checkpoint: sink });
    assert.equal(resumed.resumedFrom, 2);
    assert.deepEqual(resumed.curves, whole.curves);
    assert.equal(resumed.agent, whole.agent);
  });
});

const kindConfig = (agent0: Record<string, unknown>, agent1: Record<string, unknown>): RunConfig => ({
  name: "t",
  kind: "asymmetry-coin",
  game: "ipd",
  gamma: 0.96,
  agents: [
    { learner: "paa", ...TINY, ...agent0 },
    { learner: "paa", ...TINY, ...agent1 },
  ],
  budget: { updates: 2, batch: 4, turns: 4, evalGames: 8 },
  params: {},
});
type Out = Awaited<ReturnType<typeof asymmetryCoinKind.run>>;

describe("asymmetry-coin and sandbagging-coin", () => {
  it("the exploitation index and the phase means on hand-built numbers", () => {
    const index = exploitationIndex({ reward: [0.3, -0.1] }, { reward: [0.2, 0.15] });
    assert.ok(Math.abs(index.exploit - (0.4 - 0.05)) < 1e-15);
    assert.ok(Math.abs(index.gain - 0.1) < 1e-15);
    assert.ok(Math.abs(index.taken - 0.25) < 1e-15);
    assert.deepEqual(exploitationIndex({ reward: [0.2, 0.15] }, { reward: [0.2, 0.15] }), {
      exploit: 0,
      gain: 0,
      taken: 0,
    });
    assert.equal(phaseMean([1, null, 3, 5], 0, 3), 2);
    assert.equal(phaseMean([1, 2], 2, 9), undefined);
    const m = sandbaggingMetrics(
      [
        [0, 0.1, 0.4, 0.5],
        [0.2, 0.3, 0.1, 0],
      ],
      [
        [0.5, null, 1, 1],
        [0.5, 0.5, 0.25, 0.75],
      ],
      2,
    );
    assert.deepEqual(m, {
      "before.reward.1": 0.05,
      "after.reward.1": 0.45,
      "before.ownCoin.1": 0.5,
      "after.ownCoin.1": 1,
      "mean.reward.1": 0.25,
      "before.reward.2": 0.25,
      "after.reward.2": 0.05,
      "before.ownCoin.2": 0.5,
      "after.ownCoin.2": 0.5,
      "mean.reward.2": 0.15,
      "lure.gap": 0.2,
    });
    const never = sandbaggingMetrics([[1], [2]], [[null], [1]], 5);
    assert.equal(never["after.reward.1"], undefined);
    assert.equal(never["lure.gap"], 1);
  });

  it("a run's symmetric pair is trainCoin of seat 1 with seat 2's β; β₁ = β₂ gives index 0", () => {
    const config = kindConfig({ beta: 3, criticLag: 1 }, { beta: 1 });
    const r = asymmetryCoinKind.run(config, 4) as Out;
    // The independent computation: trainCoin of the symmetric pair, options as the kind resolves them.
    const [seat1, seat2] = [pairSeat(config, 0), pairSeat(config, 1)];
    assert.equal(seat1.options.lr, 3e-3, "the small preset filled what the config does not give");
    const sym = trainCoin({
      a: { learner: "paa", config: { ...seat1.options, beta: 1 } },
      b: { learner: "paa", config: seat2.options },
      env: { episodeSteps: 4 },
      updates: 2,
      batch: 4,
      seed: 4,
      evalGames: 8,
    }).evaluation.opponent.rewards;
    assert.equal(r.final["sym.reward.1"], sym[0]);
    assert.equal(r.final["sym.reward.2"], sym[1]);
    assert.equal(r.final.exploit, r.final["reward.1"] - r.final["reward.2"] - (sym[0] - sym[1]));
    assert.notEqual(r.final.exploit, 0);
    const same = asymmetryCoinKind.run(kindConfig({ beta: 1, criticLag: 1 }, { beta: 1 }), 4) as Out;
    assert.equal(same.final.exploit, 0);
    assert.equal(same.final["sym.reward.1"], sym[0], "β₁ = β₂: the configured pair is the symmetric one");
  });

  it("refuses a seat 1 without β, and unknown options, naming the field", () => {
    const bad = kindConfig({}, {});
    bad.agents[0] = { learner: "ppo" };
    assert.throws(
      () => asymmetryCoinKind.check?.(bad),
      (e: unknown) => e instanceof InputError && /agents\[0\]/.test(e.message),
    );
    const typo = kindConfig({ betta: 2 }, {});
    assert.throws(
      () => asymmetryCoinKind.check?.(typo),
      (e: unknown) => e instanceof InputError && /agents\[0\]\.betta/.test(e.message),
    );
  });

  it("resumes: an interrupted sandbagging sweep, rerun, stores the numbers of an uninterrupted one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-coinsafety-"));
    dirs.push(dir);
    const config = validateConfig({
      name: "sandbag-resume",
      kind: "sandbagging-coin",
      game: "ipd",
      agents: [
        { learner: "paa", ...TINY, beta: 3 },
        { learner: "paa", ...TINY, beta: 1 },
      ],
      budget: { updates: 3, batch: 4, turns: 4, evalGames: 8 },
      seeds: { count: 2, base: 0 },
      sweep: { "agents.0.alignFrom": [0, 2] },
    });
    const { finals } = await assertResumeEqualsWhole(config, dir);
    const switched = finals.find((f) => f["lure.gap"] !== undefined);
    assert.ok(switched && Number.isFinite(switched["before.reward.2"]), "K = 2 has a before phase");
  });
});
