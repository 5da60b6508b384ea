/**
 * Several processes on one run store (issue 11 §1): runs are claimed with leases (src/node/store.ts), so two or
 * three `shapelab run` processes on one store, one of them SIGKILLed mid-sweep, leave every run complete exactly
 * once, with the same numbers a single process computes. The lease rules themselves (claim, skip, expiry
 * takeover, a complete row never overwritten) are checked in-process on the RunStore API.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import type { RunResult } from "../src/experiments/types.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shapelab-concurrent-"));
  dirs.push(dir);
  return dir;
}

const RUNS = 30;
const ROUNDS = 100;
/** 40 memory-one runs of a few tens of ms each: long enough for processes to overlap and to kill one. */
const CONFIG = `
name: concurrent-test
kind: memory-one
game: ipd
gamma: 0.9
agents:
  - {pC: [0.9, 0.8, 0.2, 0.7, 0.3]}
  - {pC: [0.5, 0.6, 0.4, 0.6, 0.4]}
budget: {rounds: ${ROUNDS}}
params: {jitter: 1, samples: 2500}
seeds: {count: ${RUNS / 2}}
sweep: {gamma: [0.8, 0.9]}
`;
const config = validateConfig(YAML.parse(CONFIG));

function startCli(file: string, store: string): ChildProcess {
  return spawn(process.execPath, [CLI, "run", file, "--store", store, "--workers", "1", "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, out })));
}

async function waitForComplete(store: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const s = RunStore.open(store, { readonly: true });
      const done = s.counts().complete;
      s.close();
      if (done >= n) return;
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting for runs");
}

/** The final numbers of every run, by key, from a single in-process run (the reference). */
async function reference(): Promise<Map<string, string>> {
  const store = RunStore.open(join(tempDir(), "ref"));
  await runExperiment(config, store, { workers: 0, quiet: true });
  const out = new Map(store.listRuns().map((r) => [r.key, JSON.stringify(r.final)]));
  store.close();
  return out;
}

function checkStore(store: string, expected: Map<string, string>): void {
  const s = RunStore.open(store, { readonly: true });
  const counts = s.counts();
  const runs = s.listRuns();
  s.close();
  assert.equal(counts.total, RUNS, "one row per run");
  assert.equal(counts.complete, RUNS, `every run complete (${JSON.stringify(counts)})`);
  assert.equal(counts.metricRows, RUNS * ROUNDS * 2, "no duplicate or missing metric rows");
  assert.equal(new Set(runs.map((r) => r.key)).size, RUNS);
  for (const r of runs) assert.equal(JSON.stringify(r.final), expected.get(r.key), `run ${r.key} differs`);
}

async function processesOnOneStore(count: number, killOne: boolean): Promise<string[]> {
  const dir = tempDir();
  const file = join(dir, "c.yaml");
  writeFileSync(file, CONFIG);
  const store = join(dir, "runs");
  const children = Array.from({ length: count }, () => startCli(file, store));
  const exits = children.map(exited);
  if (killOne) {
    await waitForComplete(store, 6);
    children[0].kill("SIGKILL");
  }
  const results = await Promise.all(exits);
  results.forEach((r, i) => {
    if (killOne && i === 0) assert.equal(r.signal, "SIGKILL");
    else assert.equal(r.code, 0, `process ${i} exit ${r.code}: ${r.out}`);
    assert.doesNotMatch(r.out, /internal error|at .*\.js:\d+/, "no crash, no stack trace");
  });
  checkStore(store, await reference());
  return results.map((r) => r.out);
}

describe("several processes on one run store", () => {
  it("two processes at once: every run complete exactly once, numbers identical to one process", async () => {
    const outs = await processesOnOneStore(2, false);
    // Each process reports what the other did (the runs it skipped because the other held or finished them).
    assert.ok(
      outs.some((o) => /another process on this store: \d+ run\(s\) completed by it/.test(o)),
      outs.join("\n"),
    );
  });

  it("three processes, one SIGKILLed mid-sweep: the survivors take over its runs", async () => {
    await processesOnOneStore(3, true);
  });
});

describe("lease rules (RunStore)", () => {
  const units = planRuns(config).slice(0, 2);
  const result: RunResult = {
    final: { x: 1 },
    series: { steps: [0], values: { x: [1] } },
    artifacts: {},
    elapsedMs: 1,
  };

  it("a claim is exclusive while the lease lives, taken over after it expires; complete rows are final", async () => {
    const store = RunStore.open(join(tempDir(), "s"));
    const id = store.registerExperiment(config);
    const a = store.claimRun(units[0], id, "v", "hostA:1:a", 60_000);
    assert.equal(a.kind, "claimed");
    const b = store.claimRun(units[0], id, "v", "hostB:1:b", 60_000);
    assert.deepEqual(b, { kind: "leased", id: a.id, owner: "hostA:1:a" });
    // With a 1 ms lease, A's heartbeat is stale after a few ms: B takes the run over.
    await new Promise((r) => setTimeout(r, 10));
    const taken = store.claimRun(units[0], id, "v", "hostB:1:b", 1);
    assert.deepEqual(taken, { kind: "claimed", id: a.id });
    // A lost its lease: its result and its failure are both refused, nothing is written.
    assert.equal(store.completeRun(a.id, units[0], result, "hostA:1:a"), false);
    assert.equal(store.failRun(a.id, "boom", "hostA:1:a"), false);
    assert.equal(store.completeRun(a.id, units[0], result, "hostB:1:b"), true);
    // A complete row is never overwritten: not by a failure, not by a late completion, not by a new claim.
    assert.equal(store.failRun(a.id, "late failure", "hostB:1:b"), false);
    assert.equal(store.getRun(a.id)?.status, "complete");
    assert.deepEqual(store.claimRun(units[0], id, "v", "hostC:1:c", 1), { kind: "complete", id: a.id });
    // A lease of a process of this host that no longer exists is taken over at once, whatever its age.
    const dead = `${(await import("node:os")).hostname()}:2147483646:x`;
    assert.equal(store.claimRun(units[1], id, "v", dead, 60_000).kind, "claimed");
    assert.equal(store.claimRun(units[1], id, "v", "hostB:1:b", 60_000).kind, "claimed");
    store.close();
  });
});
