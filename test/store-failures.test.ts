/**
 * Filesystem and SQLite failures are input errors (issue 11 §3): each names the path and what is wrong, exits 2,
 * and comes before any computation. Read-only commands work on a read-only store; a damaged store is reported
 * with the way to recover, and `runs repair` keeps every intact row. A full disk stops a run at the first
 * "database or disk is full". The read-only and full-disk cases mount a small tmpfs and are skipped where the
 * test cannot mount (not root, or no mount capability).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { validateConfig } from "../src/experiments/config.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import { checkStore, repairStore, storeIsIntact } from "../src/node/storeRepair.js";
import { InputError } from "../src/util/errors.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "shapelab-failures-"));
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync("umount", [m]);
  rmSync(root, { recursive: true, force: true });
});

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: root, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** An input error: exit 2, one `shapelab: error:` line naming `path`, no stack trace. */
function assertInputError(r: ReturnType<typeof cli>, path: string, what: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.err}${r.out}`);
  assert.match(r.err, /^shapelab: error: /);
  assert.ok(r.err.includes(path), `names ${path}: ${r.err}`);
  assert.match(r.err, what);
  assert.doesNotMatch(r.err, /internal error|\n\s+at /);
}

const RUNS = 12;
const CONFIG = `
name: failures-test
kind: memory-one
game: ipd
agents:
  - {pC: [0.9, 0.8, 0.2, 0.7, 0.3]}
  - {pC: [0.5, 0.6, 0.4, 0.6, 0.4]}
budget: {rounds: 200}
params: {jitter: 1, samples: 20}
seeds: {count: ${RUNS}}
`;
const config = validateConfig(YAML.parse(CONFIG));
const configFile = join(root, "f.yaml");
const aFile = join(root, "a-file");
before(() => {
  writeFileSync(configFile, CONFIG);
  writeFileSync(aFile, "not a folder\n");
});

async function filledStore(dir: string): Promise<void> {
  const store = RunStore.open(dir);
  await runExperiment(config, store, { workers: 0, quiet: true });
  store.close();
}

function tryMount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  if (r.status !== 0) return false;
  mounts.push(dir);
  return true;
}

describe("store paths that cannot be a store", () => {
  it("empty, /dev/null, a file, a path through a file: InputError naming the path (in process)", () => {
    for (const [dir, what] of [
      ["", /empty/],
      ["/dev/null", /is a file, not a folder/],
      [aFile, /is a file, not a folder/],
      [join(aFile, "sub"), /part of the path is a file/],
    ] as const) {
      assert.throws(
        () => RunStore.open(dir),
        (e: unknown) => e instanceof InputError && e.message.includes(dir) && what.test(e.message),
        dir,
      );
    }
  });

  it("run --store <a file> and --out <a file> fail with exit 2 before any computation", () => {
    assertInputError(cli("run", configFile, "--store", aFile), aFile, /not a folder/);
    // 10⁶ updates would run for hours: an error that comes back at once came before the computation.
    for (const command of ["train", "arena"]) {
      assertInputError(
        cli(command, "--updates", "1000000", "--out", join(aFile, "figs"), "--quiet"),
        aFile,
        /part of the path is a file/,
      );
    }
    assertInputError(cli("runs", "export", "--format", "csv", "--store", aFile), aFile, /not a folder/);
    assertInputError(
      cli("runs", "export", "--format", "csv", "--out", root),
      root,
      /is a folder, not a file/,
    );
  });
});

describe("a damaged store", () => {
  it("'file is not a database': run and runs list say so with the way to recover", () => {
    const dir = join(root, "garbage");
    mkdirSync(dir);
    writeFileSync(join(dir, "runs.sqlite"), "x".repeat(8192));
    for (const args of [
      ["run", configFile, "--store", dir, "--quiet"],
      ["runs", "list", "--store", dir],
    ]) {
      const r = cli(...args);
      assertInputError(r, join(dir, "runs.sqlite"), /damaged \(file is not a database\)/);
      assert.match(r.err, /runs check --store .*runs repair --store/);
    }
  });

  it("runs check finds a damaged page; runs repair keeps every intact row and a rerun completes the rest", async () => {
    const dir = join(root, "damaged");
    await filledStore(dir);
    const before = RunStore.open(dir, { readonly: true });
    const original = new Map(before.listRuns().map((r) => [r.id, r]));
    const originalMetrics = new Map([...original.keys()].map((id) => [id, before.metrics(id)]));
    before.close();
    assert.ok(storeIsIntact(checkStore(dir)));
    // Overwrite the middle of a page near the end of the file (metric rows) with garbage.
    const file = join(dir, "runs.sqlite");
    const pages = statSync(file).size / 4096;
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(3000, 0xa5), 0, 3000, (pages - 2) * 4096 + 800);
    closeSync(fd);

    const check = cli("runs", "check", "--store", dir, "--json");
    assert.equal(check.code, 1, "damage found → exit 1");
    const found = JSON.parse(check.out);
    assert.equal(found.intact, false);
    const repaired = repairStore(dir);
    assert.ok(statSync(repaired.damagedFile).size > 0, "the damaged file is kept");
    assert.ok(storeIsIntact(checkStore(dir)), "the repaired store is intact");
    const after = RunStore.open(dir, { readonly: true });
    const kept = after.listRuns();
    // Every row that read back intact is kept as it was; every run is still there (damaged ones incomplete).
    assert.equal(kept.length, RUNS);
    assert.equal(repaired.kept.complete + repaired.kept.incomplete, RUNS);
    for (const run of kept) {
      if (run.status !== "complete") continue;
      assert.deepEqual({ ...run, owner: null }, { ...original.get(run.id), owner: null });
      assert.deepEqual(after.metrics(run.id), originalMetrics.get(run.id));
    }
    after.close();
    const rerun = cli("run", configFile, "--store", dir, "--quiet", "--json");
    assert.equal(rerun.code, 0, rerun.err);
    assert.equal(
      JSON.parse(rerun.out).completed,
      repaired.kept.incomplete,
      "only the damaged runs are redone",
    );
    const final = RunStore.open(dir, { readonly: true });
    for (const run of final.listRuns()) assert.deepEqual(run.final, original.get(run.id)?.final);
    final.close();
  });
});

describe("read-only media and a full disk (tmpfs)", () => {
  it("a read-only store: runs list and report read it, run says it is read-only (exit 2)", async (t) => {
    const mount = join(root, "ro");
    if (!tryMount(mount, "size=4m")) return t.skip("cannot mount a tmpfs here");
    const dir = join(mount, "store");
    await filledStore(dir);
    assert.equal(spawnSync("mount", ["-o", "remount,ro", mount]).status, 0);
    const list = cli("runs", "list", "--store", dir);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`${RUNS} runs in .*: ${RUNS} complete`));
    const report = cli("report", "failures-test", "--store", dir, "--out", join(root, "report"));
    assert.equal(report.code, 0, report.err);
    assertInputError(cli("run", configFile, "--store", dir, "--quiet"), dir, /read-only file system/);
  });

  it("a full disk stops the run at the first 'database or disk is full' (exit 2), not after every unit", async (t) => {
    const mount = join(root, "full");
    if (!tryMount(mount, "size=160k")) return t.skip("cannot mount a tmpfs here");
    const dir = join(mount, "store");
    const big = CONFIG.replace(`count: ${RUNS}`, "count: 200");
    const file = join(root, "big.yaml");
    writeFileSync(file, big);
    const r = cli("run", file, "--store", dir, "--workers", "0", "--quiet");
    assertInputError(r, dir, /database or disk is full/);
    // Stopped at once: no unit after the failing one was started.
    const s = RunStore.open(dir, { readonly: true });
    const c = s.counts();
    s.close();
    assert.ok(c.total <= c.complete + 1, `rows ${JSON.stringify(c)}`);
    assert.ok(c.total < 200);
  });
});
