/**
 * Coin Game training (src/learners/neural/trainCoin.ts) and the agent replay buffer (replay.ts):
 * - a run killed after a checkpoint and resumed gives exactly the numbers and weights of an uninterrupted run
 *   (self-play with replay, so the buffer's snapshots are restored too; and a pair against a fixed agent);
 * - the replay buffer keeps the newest `size` snapshots, samples uniformly or towards recent ones at the stated
 *   rates, and round-trips through its checkpoint form;
 * - bad options are InputErrors naming the field.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentReplayBuffer, replaySchema } from "../src/learners/neural/replay.js";
import { type CheckpointSink, type TrainCoinOptions, trainCoin } from "../src/learners/neural/trainCoin.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

class Killed extends Error {}

function memorySink(): CheckpointSink & { text?: string; saves: number } {
  const sink = {
    text: undefined as string | undefined,
    saves: 0,
    load: () => sink.text,
    save(text: string) {
      sink.text = text;
      sink.saves++;
    },
    clear() {
      sink.text = undefined;
    },
  };
  return sink;
}

const tinyLearner = { width: 4, epochs: 1, minibatches: 2, criticEpochs: 1 };

function checkResume(options: TrainCoinOptions, killAfter: number): void {
  const whole = trainCoin(options);
  const sink = memorySink();
  assert.throws(
    () =>
      trainCoin(options, {
        checkpoint: sink,
        onUpdate(done) {
          if (done === killAfter) throw new Killed("killed");
        },
      }),
    Killed,
  );
  assert.ok(sink.text !== undefined, "a checkpoint was written before the kill");
  const resumed = trainCoin(options, { checkpoint: sink });
  assert.ok(
    resumed.resumedFrom > 0 && resumed.resumedFrom < killAfter,
    `resumed from ${resumed.resumedFrom}`,
  );
  assert.deepEqual(resumed.curves, whole.curves);
  assert.equal(resumed.agent, whole.agent);
  assert.deepEqual(resumed.evaluation, whole.evaluation);
  assert.equal(sink.text, undefined, "a finished run clears its checkpoint");
}

describe("trainCoin resume", () => {
  it("self-play with replay: killed after update 5 (checkpoint at 4), resumed: identical curves and weights", () => {
    checkResume(
      {
        a: { learner: "paa", config: tinyLearner },
        b: "self",
        env: { episodeSteps: 4 },
        updates: 7,
        batch: 4,
        seed: 3,
        replay: { size: 2, every: 1, fraction: 0.5, sampling: "recent" },
        checkpointEvery: 2,
        evalGames: 4,
      },
      5,
    );
  });

  it("aa against always-defect: the same", () => {
    checkResume(
      {
        a: { learner: "aa", config: { width: 4, minibatches: 2, criticEpochs: 1 } },
        b: { fixed: "always-defect" },
        env: { episodeSteps: 4 },
        updates: 5,
        batch: 4,
        seed: 8,
        checkpointEvery: 2,
        evalGames: 4,
      },
      3,
    );
  });

  it("replay fraction 1 (every game against a past self, the AA coin code's setting): resumes the same", () => {
    checkResume(
      {
        a: { learner: "ppo", config: tinyLearner },
        b: "self",
        env: { episodeSteps: 3 },
        updates: 5,
        batch: 4,
        seed: 2,
        replay: { size: 3, every: 1, fraction: 1 },
        checkpointEvery: 2,
        evalGames: 4,
      },
      3,
    );
  });

  it("a checkpoint of another config is refused, not silently mixed in", () => {
    const base: TrainCoinOptions = {
      a: { learner: "ppo", config: tinyLearner },
      b: "self",
      env: { episodeSteps: 3 },
      updates: 3,
      batch: 4,
      seed: 1,
      checkpointEvery: 1,
      evalGames: 4,
    };
    const sink = memorySink();
    assert.throws(
      () =>
        trainCoin(base, {
          checkpoint: sink,
          onUpdate: (d) => {
            if (d === 2) throw new Killed();
          },
        }),
      Killed,
    );
    assert.throws(() => trainCoin({ ...base, seed: 2 }, { checkpoint: sink }), InputError);
  });
});

describe("trainCoin input errors", () => {
  const base: TrainCoinOptions = {
    a: { learner: "aa" },
    b: "self",
    env: { episodeSteps: 3 },
    updates: 1,
    batch: 4,
    seed: 0,
  };
  const field = (options: TrainCoinOptions) => {
    try {
      trainCoin(options);
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      return error.field;
    }
    assert.fail("expected an InputError");
  };
  it("names the field", () => {
    assert.equal(field({ ...base, a: { learner: "nope" } }), "a.learner");
    assert.equal(field({ ...base, a: { learner: "aa", config: { beta: -1 } } }), "a.config.beta");
    assert.equal(field({ ...base, a: { learner: "aa", config: { betta: 1 } } }), "a.config.betta");
    assert.equal(field({ ...base, a: { fixed: "always-defect" } }), "a");
    assert.equal(field({ ...base, b: { fixed: "sometimes" } }), "b.fixed");
    assert.equal(field({ ...base, b: { fixed: "always-defect" }, replay: {} }), "replay");
    assert.equal(field({ ...base, a: { learner: "ppo", config: { minibatches: 3 } } }), "minibatches");
  });
});

describe("AgentReplayBuffer", () => {
  const snapshot = (k: number) => Float32Array.from([k, k + 0.5]);
  it("keeps the newest `size` snapshots, as copies", () => {
    const buffer = new AgentReplayBuffer(replaySchema.parse({ size: 3 }));
    const live = snapshot(0);
    buffer.add(live);
    live[0] = 99; // the buffer holds a copy
    for (let k = 1; k < 5; k++) buffer.add(snapshot(k));
    assert.equal(buffer.length, 3);
    const seen = new Set<number>();
    const rng = Rng.seeded(1);
    for (let i = 0; i < 200; i++) seen.add(buffer.sample(rng)[0]);
    assert.deepEqual([...seen].sort(), [2, 3, 4]);
  });
  it("samples uniformly, or with P(i) ∝ i + 1 for `recent` (within 4 standard errors over 20 000 draws)", () => {
    for (const sampling of ["uniform", "recent"] as const) {
      const buffer = new AgentReplayBuffer(replaySchema.parse({ size: 4, sampling }));
      for (let k = 0; k < 4; k++) buffer.add(snapshot(k));
      const counts = [0, 0, 0, 0];
      const rng = Rng.seeded(7);
      const n = 20_000;
      for (let i = 0; i < n; i++) counts[buffer.sample(rng)[0]]++;
      const expected = sampling === "uniform" ? [0.25, 0.25, 0.25, 0.25] : [0.1, 0.2, 0.3, 0.4];
      counts.forEach((c, i) => {
        const p = expected[i];
        assert.ok(
          Math.abs(c / n - p) < 4 * Math.sqrt((p * (1 - p)) / n),
          `${sampling}[${i}]: ${c / n} vs ${p}`,
        );
      });
    }
  });
  it("round-trips through its checkpoint form bit for bit", () => {
    const buffer = new AgentReplayBuffer(replaySchema.parse({ size: 2 }));
    buffer.add(Float32Array.from([0.1, -3e-8]));
    buffer.add(Float32Array.from([Math.PI, 1e30]));
    const copy = new AgentReplayBuffer(replaySchema.parse({ size: 2 }));
    copy.restore(buffer.toJSON(), 2);
    assert.deepEqual(copy.toJSON(), buffer.toJSON());
    assert.throws(() => copy.restore(["AAAA"], 2), InputError);
  });
});
