/**
 * Experiment presets (src/experiments/presets.ts): the merge rules (mappings merge, lists and scalars replace, a
 * top-level key is a `--set` path, keys inside a mapping are literal), errors that name the preset, `run
 * --preset` through the CLI (unknown name → exit 2 with the allowed names), run keys of the shipped configs
 * unchanged by the move to presets (test/fixtures/named-run-keys.json, taken before it), and a store holding a
 * small and a paper coin-train at once, each league reading its own preset's agents.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigShellSchema, validateConfig } from "../src/experiments/config.js";
import { applyPreset } from "../src/experiments/overrides.js";
import { hashText, planRuns } from "../src/experiments/plan.js";
import { PRESET_ROOTS, storedExperimentName } from "../src/experiments/presets.js";
import { resolveConfig } from "../src/node/configSources.js";
import { loadNamedExperiment, namedExperimentNames } from "../src/node/experimentFiles.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";
import { InputError } from "../src/util/errors.js";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const fixtureFile = fileURLToPath(new URL("../../test/fixtures/named-run-keys.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "shapelab-presets-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A small exact-train config with presets, as a reader would write it. */
function exactConfig(presets: Record<string, Record<string, unknown>>) {
  return validateConfig({
    name: "preset-demo",
    kind: "exact-train",
    game: "ipd-lola",
    agents: [
      { learner: "lola", lr: 1, eta: 1 },
      { learner: "naive", lr: 1 },
    ],
    budget: { steps: 10 },
    seeds: { count: 2, base: 3 },
    cases: [
      { name: "LOLA-NL", set: {} },
      { name: "NL-NL", set: { "agents.0.learner": "naive" } },
    ],
    sweep: { "agents.0.lr": [0.5, 1] },
    presets,
  });
}

const keyHash = (config: Parameters<typeof planRuns>[0]) =>
  hashText(
    planRuns(config)
      .map((u) => u.key)
      .join(","),
  );

describe("presets: merge rules", () => {
  it("mappings merge key by key; lists and numbers replace; a dotted top-level key is a --set path", () => {
    const base = exactConfig({
      paper: {
        budget: { steps: 40 },
        seeds: { count: 5 },
        "agents.1.lr": 0.25,
        sweep: { "agents.0.lr": [0.1, 0.2, 0.3] },
        cases: [{ name: "only", set: {} }],
      },
    });
    const paper = applyPreset(base, "paper");
    assert.equal(paper.preset, "paper");
    assert.equal(paper.presets, undefined);
    assert.deepEqual(paper.budget, { steps: 40 });
    assert.deepEqual(paper.seeds, { count: 5, base: 3 }, "seeds.base kept: the mapping merged");
    assert.deepEqual(paper.agents[1], { learner: "naive", lr: 0.25 });
    assert.deepEqual(paper.agents[0], base.agents[0]);
    // Keys inside a mapping are literal: the sweep key `agents.0.lr` is one key, its list replaced whole.
    assert.deepEqual(paper.sweep, { "agents.0.lr": [0.1, 0.2, 0.3] });
    assert.deepEqual(paper.cases, [{ name: "only", set: {} }]);
    assert.equal(planRuns(paper).length, 1 * 3 * 5);
    // The base is untouched and keeps its presets.
    assert.deepEqual(base.budget, { steps: 10 });
    assert.equal(base.preset, undefined);
  });

  it("a mapping at an indexed path merges into that list entry; a new key of a mapping is added", () => {
    const base = exactConfig({ x: { "agents.0": { eta: 2 }, params: { initSd: 0.5 } } });
    const x = applyPreset(base, "x");
    assert.deepEqual(x.agents[0], { learner: "lola", lr: 1, eta: 2 });
    assert.deepEqual(x.params, { initSd: 0.5 });
  });

  it("run configs, and so run keys, hold no trace of the preset: an empty preset plans the base's keys", () => {
    const base = exactConfig({ same: {}, other: { budget: { steps: 11 } } });
    assert.deepEqual(
      planRuns(applyPreset(base, "same")).map((u) => u.key),
      planRuns(base).map((u) => u.key),
    );
    const other = planRuns(applyPreset(base, "other"));
    assert.ok(other.every((u) => !planRuns(base).some((b) => b.key === u.key)));
    assert.equal(other[0].experiment, "preset-demo@other", "the store files it under name@preset");
    assert.equal(storedExperimentName(base), "preset-demo");
  });

  it("errors name the preset and the field; unknown names list the allowed ones", () => {
    assert.throws(
      () => exactConfig({ paper: { budget: { steps: -1 } } }),
      (e: unknown) => e instanceof InputError && /^presets\.paper: budget/.test(e.message),
    );
    assert.throws(
      () => exactConfig({ paper: { "agents.5.lr": 1 } }),
      (e: unknown) =>
        e instanceof InputError && /presets\.paper\["agents\.5\.lr"\].*2-entry list/.test(e.message),
    );
    for (const root of ["name", "kind", "presets", "preset"]) {
      assert.throws(
        () => exactConfig({ paper: { [root]: "x" } }),
        (e: unknown) => e instanceof InputError && /must start with one of title/.test(e.message),
        root,
      );
    }
    const base = exactConfig({ paper: {}, small: {} });
    assert.throws(
      () => applyPreset(base, "big"),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === "--preset" &&
        /no preset "big"; allowed: paper, small/.test(e.message),
    );
    assert.throws(
      () => applyPreset(exactConfig({}), "paper"),
      (e: unknown) => e instanceof InputError && /it defines no presets/.test(e.message),
    );
    assert.throws(
      () => validateConfig({ ...base, preset: "paper" }),
      (e: unknown) => e instanceof InputError && e.field === "preset",
    );
    assert.throws(
      () => exactConfig({ Paper: {} }),
      (e: unknown) => e instanceof InputError && /presets/.test(e.message),
    );
  });

  it("a preset may set every config field but name, kind and presets", () => {
    const settable = Object.keys(ConfigShellSchema.shape).filter(
      (k) => !["name", "kind", "presets", "preset"].includes(k),
    );
    assert.deepEqual([...PRESET_ROOTS].sort(), settable.sort());
  });
});

describe("presets: the shipped experiments", () => {
  const fixture = JSON.parse(readFileSync(fixtureFile, "utf8")) as Record<
    "base" | "paper",
    Record<string, { runs: number; keys: string; list?: string[]; note?: string }>
  >;

  it("the base configs plan the run keys they planned before presets existed", () => {
    const names = namedExperimentNames();
    for (const [name, before] of Object.entries(fixture.base)) {
      assert.ok(names.includes(name), `${name} still ships`);
      const config = loadNamedExperiment(name).config;
      assert.equal(planRuns(config).length, before.runs, name);
      assert.equal(keyHash(config), before.keys, `${name}: run keys changed`);
    }
  });

  it("each `paper` preset plans what the old <name>-paper.yaml planned (coin-train: plus LOLA-DiCE)", () => {
    for (const [name, before] of Object.entries(fixture.paper)) {
      assert.ok(!namedExperimentNames().includes(`${name}-paper`), `${name}-paper.yaml is gone`);
      const paper = applyPreset(loadNamedExperiment(name).config, "paper");
      if (name === "coin-train") {
        // The old file waited for LOLA-DiCE's entry; the preset inherits the base's five cases.
        const keys = new Set(planRuns(paper).map((u) => u.key));
        assert.ok(
          before.list?.every((k) => keys.has(k)),
          "every old paper run is planned",
        );
        assert.equal(keys.size, before.runs + 9);
        continue;
      }
      assert.equal(planRuns(paper).length, before.runs, name);
      assert.equal(keyHash(paper), before.keys, `${name}: the paper preset differs from ${name}-paper.yaml`);
    }
  });

  it("`shapelab run --preset`: an unknown name exits 2 naming the allowed presets; `experiments` lists them", () => {
    const store = join(dir, "cli");
    const bad = spawnSync(process.execPath, [cli, "run", "asymmetry", "--preset", "huge", "--store", store], {
      encoding: "utf8",
    });
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--preset: experiment asymmetry has no preset "huge"; allowed: paper/);
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, "no stack trace");
    const listed = spawnSync(process.execPath, [cli, "experiments", "--json"], { encoding: "utf8" });
    assert.equal(listed.status, 0, listed.stderr);
    const experiments = JSON.parse(listed.stdout).experiments as {
      name: string;
      presets: { name: string }[];
    }[];
    const presetsOf = (name: string) => experiments.find((e) => e.name === name)?.presets.map((p) => p.name);
    assert.deepEqual(presetsOf("coin-train"), ["small", "paper"]);
    assert.deepEqual(presetsOf("coin-league"), ["small", "paper"]);
    assert.deepEqual(presetsOf("exact-ipd"), []);
    const text = spawnSync(process.execPath, [cli, "experiments"], { encoding: "utf8" }).stdout;
    assert.match(text, /presets \(--preset\): paper \(3600 runs\)/);
  });

  it("`run --preset` stores name@preset; `report --preset` finds it, and refuses a preset the experiment lacks", () => {
    const store = join(dir, "cli-run");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, ...args, "--store", store], { encoding: "utf8" });
    const r = run(
      "run",
      "treacherous-turn-deployment",
      "--preset",
      "paper",
      "--seeds",
      "1",
      "--set",
      "budget.steps=3",
      "--workers",
      "0",
      "--quiet",
      "--json",
    );
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.experiment, "treacherous-turn-deployment@paper");
    assert.equal(summary.config.preset, "paper");
    const listed = run("runs", "list", "--experiment", "treacherous-turn-deployment@paper", "--json");
    assert.equal(JSON.parse(listed.stdout).runs.length, summary.total);
    const report = run(
      "report",
      "treacherous-turn-deployment",
      "--preset",
      "paper",
      "--out",
      join(dir, "rep"),
      "--json",
    );
    assert.equal(report.status, 0, report.stderr);
    const base = run("report", "treacherous-turn-deployment", "--out", join(dir, "rep2"));
    assert.equal(base.status, 2, "the base config has no runs in this store");
    assert.match(base.stderr, /no runs of "treacherous-turn-deployment"/);
    const wrong = run("report", "exact-ipd", "--preset", "paper", "--out", join(dir, "rep3"));
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--preset: experiment exact-ipd has no preset "paper"/);
  });
});

describe("presets: a league reads its own preset's agents", () => {
  it("small and paper coin-train runs in one store do not mix, whichever ran last", async () => {
    const store = RunStore.open(join(dir, "league"));
    try {
      // coin-train's own presets, shrunk so both train in a second; they still differ in their numbers.
      const shipped = loadNamedExperiment("coin-train").config;
      const train = validateConfig({
        ...shipped,
        budget: { updates: 1, batch: 2, turns: 2, evalGames: 2 },
        seeds: { count: 1, base: 0 },
        cases: [{ name: "PPO", set: { "agents.0": { learner: "ppo", minibatches: 1 } } }],
        reproduces: [],
        presets: { small: {}, paper: { budget: { updates: 2 }, params: { preset: "paper" } } },
      });
      const league = validateConfig({
        ...loadNamedExperiment("coin-league").config,
        agents: [{ from: "coin-train" }, { fixed: "always-defect" }],
        budget: { games: 2, turns: 2 },
        seeds: { count: 1, base: 0 },
        cases: [{ name: "16-step", set: {} }],
        reproduces: [],
      });
      const agentsOf = async (preset: "small" | "paper") => {
        const summary = await runExperiment(applyPreset(train, preset), store, { workers: 0, quiet: true });
        assert.deepEqual(summary.failed, []);
        assert.equal(summary.experiment, `coin-train@${preset}`);
        return store.runsByKeys(summary.keys).map((r) => JSON.stringify(readStoredAgent(store, r)));
      };
      const small = await agentsOf("small");
      const paper = await agentsOf("paper");
      assert.notDeepEqual(small, paper);
      const entrants = async (preset: "small" | "paper") => {
        const resolved = await resolveConfig(applyPreset(league, preset), store);
        return resolved.agents.filter((a) => "agent" in a).map((a) => JSON.stringify(a.agent));
      };
      // paper ran last: without presets the league would read it; the small preset still reads small's agents.
      assert.deepEqual(await entrants("small"), small);
      assert.deepEqual(await entrants("paper"), paper);
      // The base league reads the base coin-train, which this store does not have.
      await assert.rejects(
        resolveConfig(league, store),
        (e: unknown) => e instanceof InputError && /no complete runs of "coin-train"/.test(e.message),
      );
      // A preset whose producer was never run says how to run it.
      const fresh = RunStore.open(join(dir, "league-empty"));
      try {
        await assert.rejects(
          resolveConfig(applyPreset(league, "small"), fresh),
          (e: unknown) =>
            e instanceof InputError && /run it first: shapelab run coin-train --preset small/.test(e.message),
        );
      } finally {
        fresh.close();
      }
    } finally {
      store.close();
    }
  });
});

/** The `agent` artifact of a stored run, read from its file under the store. */
function readStoredAgent(store: RunStore, run: { artifacts: Record<string, string> }): unknown {
  return JSON.parse(readFileSync(join(store.dir, run.artifacts.agent), "utf8"));
}
