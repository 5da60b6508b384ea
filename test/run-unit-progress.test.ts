/**
 * Progress inside a run unit: a long unit (a coin-train seed trains for minutes) reports its own (done, total)
 * through `RunContext.progress`, and the thread running it passes the reports to the runner's bar
 * (runWorker.ts's `watchUnitProgress`): directly in the runner's own thread (workers 0), over a BroadcastChannel
 * from a worker thread. Reports are throttled, but the last one (done = total) always arrives.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import { runUnit } from "../src/experiments/run.js";
import { partsProgress } from "../src/experiments/unitProgress.js";
import runJob, { type UnitProgressMessage, watchUnitProgress } from "../src/node/runWorker.js";
import { streamTasks } from "../src/node/workerPool.js";

const UPDATES = 12;
const config = validateConfig({
  name: "coin-train-progress",
  kind: "coin-train",
  game: "ipd",
  agents: [{ learner: "ppo", width: 4, epochs: 1, minibatches: 1, criticEpochs: 1 }],
  budget: { updates: UPDATES, batch: 4, turns: 4, evalGames: 4 },
  seeds: { count: 1, base: 0 },
});
const [unit] = planRuns(config);

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("progress inside a run unit", () => {
  it("coin-train reports every update, ending at done = total", async () => {
    const reports: [number, number][] = [];
    await runUnit(unit, { progress: (done, total) => reports.push([done, total]) });
    assert.deepEqual(
      reports,
      Array.from({ length: UPDATES }, (_, u) => [u + 1, UPDATES]),
    );
  });

  it("partsProgress maps part i's (done, total) onto the unit's whole", () => {
    const seen: [number, number][] = [];
    const part = partsProgress((done, total) => seen.push([done, total]), 3);
    part(0)?.(5, 10);
    part(2)?.(10, 10);
    assert.deepEqual(seen, [
      [5, 30],
      [30, 30],
    ]);
    assert.equal(partsProgress(undefined, 3)(1), undefined);
  });

  it("a unit run in the watching thread reports straight to the listener, while it runs", async () => {
    const name = `progress-test-local-${process.pid}`;
    const messages: UnitProgressMessage[] = [];
    const stop = watchUnitProgress(name, (m) => messages.push(m));
    try {
      await runJob.run({ progressChannel: name }, unit);
      // Delivered synchronously (the unit blocks this thread; a channel's messages would come only after it).
      assert.ok(messages.length >= 1);
      assert.deepEqual(messages.at(-1), { key: unit.key, done: UPDATES, total: UPDATES });
      assert.ok(messages.every((m) => m.key === unit.key && m.done <= m.total));
    } finally {
      stop();
    }
  });

  it("a unit run on a worker thread reports over the channel, the last report included", async () => {
    const name = `progress-test-worker-${process.pid}`;
    const messages: UnitProgressMessage[] = [];
    const stop = watchUnitProgress(name, (m) => messages.push(m));
    try {
      // The watcher's direct path is for this thread only: the worker thread must use the channel.
      await streamTasks(runJob, { progressChannel: name }, [unit], { workers: 1 });
      await until(() => messages.at(-1)?.done === UPDATES);
      assert.deepEqual(messages.at(-1), { key: unit.key, done: UPDATES, total: UPDATES });
    } finally {
      stop();
    }
  });

  it("without a progress channel a unit gets no progress callback and runs as before", async () => {
    const [a, b] = await Promise.all([runJob.run(undefined, unit), runUnit(unit)]);
    assert.deepEqual(a.final, b.final);
  });
});
