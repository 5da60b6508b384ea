import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RunStore } from "../src/node/store.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const RUNS = 48;
const ROUNDS = 200;
/** 48 runs of ~10–30 ms each: long enough to kill the sweep in the middle. */
const CONFIG = `
name: resume-test
kind: memory-one
game: ipd
gamma: 0.9
agents:
  - {pC: [0.9, 0.8, 0.2, 0.7, 0.3]}
  - {pC: [0.5, 0.6, 0.4, 0.6, 0.4]}
budget: {rounds: ${ROUNDS}}
params: {jitter: 1, samples: 1500}
seeds: {count: ${RUNS / 2}}
sweep: {gamma: [0.8, 0.9]}
`;

function setup(): { dir: string; file: string; store: string } {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-resume-"));
  dirs.push(dir);
  const file = join(dir, "resume.yaml");
  writeFileSync(file, CONFIG);
  return { dir, file, store: join(dir, "runs") };
}

function startCli(file: string, store: string): ChildProcess {
  return spawn(process.execPath, [CLI, "run", file, "--store", store, "--workers", "1", "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Poll the store (read-only, as a second process would) until `n` runs are complete. */
async function waitForComplete(store: string, n: number, child: ChildProcess): Promise<number> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the sweep finished before it could be interrupted");
    try {
      const s = RunStore.open(store, { readonly: true });
      const done = s.counts().complete;
      s.close();
      if (done >= n) return done;
    } catch {
      // the database does not exist yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting for runs to finish");
}

interface Snapshot {
  byKey: Map<string, { id: number; endedAt: string | null; final: string }>;
  counts: ReturnType<RunStore["counts"]>;
}

function snapshot(store: string): Snapshot {
  const s = RunStore.open(store, { readonly: true });
  const runs = s.listRuns();
  const byKey = new Map(
    runs.map((r) => [
      r.key,
      { id: r.id, endedAt: r.status === "complete" ? r.endedAt : null, final: JSON.stringify(r.final) },
    ]),
  );
  assert.equal(byKey.size, runs.length, "run keys are unique");
  const counts = s.counts();
  s.close();
  return { byKey, counts };
}

async function killAndResume(signal: "SIGKILL" | "SIGINT") {
  const { file, store } = setup();
  const child = startCli(file, store);
  const doneAtKill = await waitForComplete(store, 8, child);
  child.kill(signal);
  const exit = await exited(child);
  if (signal === "SIGKILL") assert.equal(exit.signal, "SIGKILL");
  else assert.equal(exit.code, 130, "SIGINT exits with 130 after saving");

  const killed = snapshot(store);
  assert.ok(
    killed.counts.complete >= doneAtKill && killed.counts.complete < RUNS,
    `complete after kill: ${killed.counts.complete}`,
  );
  assert.equal(killed.counts.failed, 0);
  // Complete runs have all their metric rows; an incomplete run has none (its write never committed).
  assert.equal(killed.counts.metricRows, killed.counts.complete * ROUNDS * 2);

  const rerun = startCli(file, store);
  const second = await exited(rerun);
  assert.equal(second.code, 0);
  const resumed = snapshot(store);
  assert.equal(resumed.counts.complete, RUNS);
  assert.equal(resumed.counts.total, RUNS, "no duplicate runs");
  assert.equal(resumed.counts.running, 0);
  assert.equal(resumed.counts.metricRows, RUNS * ROUNDS * 2, "no duplicate or missing metric rows");
  // Nothing finished was lost or redone: same row, same end time, same numbers.
  for (const [key, before] of killed.byKey) {
    if (before.endedAt === null) continue;
    const now = resumed.byKey.get(key);
    assert.ok(now, `run ${key} lost`);
    assert.equal(now.id, before.id);
    assert.equal(now.endedAt, before.endedAt, `finished run ${key} was redone`);
    assert.equal(now.final, before.final);
  }
  return killed;
}

describe("run store survives a killed sweep", () => {
  it("SIGKILL mid-sweep, rerun: finished runs skipped, unfinished redone, nothing lost or duplicated", async () => {
    await killAndResume("SIGKILL");
  });

  it("SIGINT mid-sweep: exits 130 with finished runs saved; rerun completes the rest", async () => {
    await killAndResume("SIGINT");
  });
});
