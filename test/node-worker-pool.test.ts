/**
 * The shared worker pool (src/node/workerPool.ts): results in task order whatever the worker count and start
 * order, InputError across the thread boundary, failures reported or fatal, abort, --workers checks, and no thread
 * left to keep the process alive. The job is a module written to a temporary folder, as a worker loads it by URL.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { checkWorkers, runTasks, streamTasks, type WorkerJob } from "../src/node/workerPool.js";
import { InputError } from "../src/util/errors.js";

interface Task {
  n: number;
  fail?: "input" | "plain";
}

const dir = mkdtempSync(join(tmpdir(), "shapelab-pool-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const errorsModule = JSON.stringify(new URL("../src/util/errors.js", import.meta.url).href);
const poolModule = JSON.stringify(new URL("../src/node/workerPool.js", import.meta.url).href);
const jobFile = join(dir, "job.mjs");
writeFileSync(
  jobFile,
  `import { InputError } from ${errorsModule};
export default {
  url: import.meta.url,
  run(shared, task) {
    if (task.fail === "input") throw new InputError("--x", "task " + task.n + " is bad");
    if (task.fail === "plain") throw new Error("task " + task.n + " broke");
    return new Float64Array([task.n * shared.scale, task.n + 0.5]);
  },
};
`,
);
const job = (await import(pathToFileURL(jobFile).href)).default as WorkerJob<
  { scale: number },
  Task,
  Float64Array
>;
const shared = { scale: 3 };
const tasks: Task[] = Array.from({ length: 10 }, (_, n) => ({ n }));

describe("workerPool", () => {
  it("returns results in task order on 0, 1 and 2 workers, whatever the start order", async () => {
    const expected = tasks.map(({ n }) => new Float64Array([3 * n, n + 0.5]));
    for (const workers of [0, 1, 2]) {
      const reversed = tasks.map((_, k) => tasks.length - 1 - k);
      for (const order of [undefined, reversed]) {
        const dones: number[] = [];
        const results = await runTasks(job, shared, tasks, {
          workers,
          order,
          onResult: (_index, _result, done) => dones.push(done),
        });
        assert.deepEqual(results, expected, `workers ${workers}, order ${order ? "reversed" : "as given"}`);
        assert.deepEqual(dones, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
    }
  });

  it("an InputError thrown in a worker arrives as an InputError; the first failure rejects", async () => {
    const bad = [...tasks.slice(0, 3), { n: 3, fail: "input" as const }, ...tasks.slice(4)];
    for (const workers of [0, 2]) {
      await assert.rejects(runTasks(job, shared, bad, { workers }), (e: unknown) => {
        assert.ok(e instanceof InputError, `workers ${workers}: ${String(e)}`);
        assert.equal(e.field, "--x");
        assert.equal(e.message, "--x: task 3 is bad");
        return true;
      });
      await assert.rejects(runTasks(job, shared, [{ n: 1, fail: "plain" }], { workers }), /task 1 broke/);
    }
  });

  it("with onError, failures are reported by task index and the other tasks go on", async () => {
    const mixed: Task[] = [{ n: 0 }, { n: 1, fail: "input" }, { n: 2, fail: "plain" }, { n: 3 }];
    for (const workers of [0, 2]) {
      const ok: number[] = [];
      const failed: [number, string, string][] = [];
      await streamTasks(job, shared, mixed, {
        workers,
        onResult: (index) => ok.push(index),
        onError: (index, error) => failed.push([index, (error as Error).name, (error as Error).message]),
      });
      assert.deepEqual(
        ok.sort((a, b) => a - b),
        [0, 3],
      );
      assert.deepEqual(
        failed.sort((a, b) => a[0] - b[0]),
        [
          [1, "InputError", "--x: task 1 is bad"],
          [2, "Error", "task 2 broke"],
        ],
      );
    }
  });

  it("an aborted signal starts no task and resolves", async () => {
    const abort = new AbortController();
    abort.abort();
    for (const workers of [0, 2]) {
      const started: number[] = [];
      await streamTasks(job, shared, tasks, {
        workers,
        signal: abort.signal,
        onStart: (index) => started.push(index),
      });
      assert.deepEqual(started, []);
    }
  });

  it("an abort while tasks run stops starting tasks and resolves (repeated: cancelling races with results)", async () => {
    for (let round = 0; round < 5; round++) {
      for (const workers of [0, 2]) {
        const abort = new AbortController();
        const started: number[] = [];
        await streamTasks(job, shared, tasks, {
          workers,
          signal: abort.signal,
          onStart: (index) => started.push(index),
          onResult: () => abort.abort(),
        });
        // In this thread the first result stops the loop; on 2 threads at most 2 lanes each had a task.
        assert.ok(started.length <= (workers === 0 ? 1 : 4), `workers ${workers}: started ${started}`);
      }
    }
  });

  it("--workers must be an integer in [0, 64]", () => {
    assert.equal(checkWorkers(0), 0);
    assert.equal(checkWorkers(64), 64);
    for (const bad of [-1, 1.5, 65, Number.NaN]) {
      assert.throws(() => checkWorkers(bad), /--workers: must be an integer in \[0, 64\]/);
    }
  });

  it("leaves no thread running: a process that used 2 workers exits by itself", () => {
    const script = join(dir, "exit.mjs");
    writeFileSync(
      script,
      `import { runTasks } from ${poolModule};
import job from ${JSON.stringify(pathToFileURL(jobFile).href)};
const results = await runTasks(job, { scale: 1 }, [{ n: 1 }, { n: 2 }, { n: 3 }], { workers: 2 });
await runTasks(job, { scale: 1 }, [{ n: 1, fail: "plain" }, { n: 2 }], { workers: 2 }).catch(() => {});
process.stdout.write(String(results.length));
`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 20_000 });
    assert.equal(child.signal, null, "the process had to be killed: a worker kept it alive");
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, "3");
  });
});
