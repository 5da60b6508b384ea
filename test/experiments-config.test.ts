import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { validateConfig } from "../src/experiments/config.js";
import { planRuns } from "../src/experiments/plan.js";
import { runUnit } from "../src/experiments/run.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

/** A valid config that uses every top-level feature: cases, a sweep, figures, a reproduction. */
function validConfig(): Record<string, unknown> {
  return {
    name: "prop-base",
    title: "property-test base",
    kind: "memory-one",
    game: "ipd",
    gamma: 0.9,
    agents: [
      { name: "GTFT", pC: [1, 1, 0.3, 1, 0.3] },
      { name: "WSLS", pC: [1, 1, 0, 0, 1] },
    ],
    budget: { rounds: 5 },
    params: { jitter: 0.5, samples: 3 },
    seeds: { count: 2, base: 7 },
    metrics: ["value", "reward"],
    figures: [
      { type: "sweep-curve", x: "gamma", metric: "value.1" },
      { type: "learning-curve", metric: "reward" },
    ],
    cases: [
      { name: "as-given", set: {} },
      { name: "alld", set: { "agents.1.pC": [0, 0, 0, 0, 0] } },
    ],
    sweep: { gamma: [0.5, 0.9] },
    reproduces: [
      { metric: "value.1", case: "as-given", published: 3, tolerance: 0.5, source: "closed form" },
    ],
  };
}

type Leaf = { path: (string | number)[]; cls: "number" | "int" | "prob" | "enum" | "text" };

/** Leaves of the base config that a mutation may break, with what kind of value they hold. */
const LEAVES: Leaf[] = [
  { path: ["name"], cls: "enum" },
  { path: ["kind"], cls: "enum" },
  { path: ["game"], cls: "enum" },
  { path: ["gamma"], cls: "prob" },
  { path: ["agents", 0, "name"], cls: "text" },
  ...[0, 1].flatMap((a) => [0, 1, 2, 3, 4].map((k): Leaf => ({ path: ["agents", a, "pC", k], cls: "prob" }))),
  { path: ["budget", "rounds"], cls: "int" },
  { path: ["params", "jitter"], cls: "number" },
  { path: ["params", "samples"], cls: "int" },
  { path: ["seeds", "count"], cls: "int" },
  { path: ["seeds", "base"], cls: "int" },
  { path: ["metrics", 0], cls: "enum" },
  { path: ["figures", 0, "type"], cls: "enum" },
  { path: ["figures", 0, "x"], cls: "enum" },
  { path: ["figures", 1, "metric"], cls: "enum" },
  { path: ["cases", 0, "name"], cls: "enum" },
  { path: ["cases", 1, "set", "agents.1.pC", 2], cls: "prob" },
  { path: ["sweep", "gamma", 1], cls: "prob" },
  { path: ["reproduces", 0, "published"], cls: "number" },
  { path: ["reproduces", 0, "case"], cls: "enum" },
  { path: ["reproduces", 0, "source"], cls: "text" },
];

/** Values that are invalid for every leaf of a class. */
const WRONG: Record<Leaf["cls"], unknown[]> = {
  number: ["abc", null, true, [], {}, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  int: ["3", null, false, [1], {}, Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 1e12],
  prob: ["0.5", null, true, [], { p: 1 }, Number.NaN, Number.NEGATIVE_INFINITY, -1, 1.5, 7],
  enum: ["no-such-thing-ZZ", 42, null, {}, [], true, ""],
  text: [42, null, {}, [], true],
};

/** Objects in the base config that reject unknown keys (strict schemas, or maps of paths). */
const OBJECTS: (string | number)[][] = [
  [],
  ["agents", 0],
  ["agents", 1],
  ["budget"],
  ["params"],
  ["seeds"],
  ["figures", 0],
  ["figures", 1],
  ["cases", 0],
  ["cases", 1, "set"],
  ["sweep"],
  ["reproduces", 0],
];

/** Required keys whose removal must be rejected. */
const REQUIRED: (string | number)[][] = [
  ["name"],
  ["kind"],
  ["game"],
  ["agents"],
  ["agents", 0, "pC"],
  ["agents", 1],
  ["seeds", "count"],
  ["figures", 0, "type"],
  ["figures", 0, "x"],
  ["figures", 1, "metric"],
  ["cases", 0, "name"],
  ["cases", 1, "set"],
  ["reproduces", 0, "published"],
  ["reproduces", 0, "source"],
  ["reproduces", 0, "metric"],
];

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let cur = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  return cur;
}

function randomJson(rng: Rng, depth: number): unknown {
  const pick = rng.int(depth > 2 ? 5 : 7);
  if (pick === 0) return rng.normal() * 10;
  if (pick === 1) return ["", "x", "ipd", "memory-one", "🙃"][rng.int(5)];
  if (pick === 2) return null;
  if (pick === 3) return rng.bernoulli(0.5);
  if (pick === 4) return rng.int(100);
  if (pick === 5) return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = rng.int(4); i > 0; i--)
    obj[["name", "kind", "agents", "zz", "seeds", "game"][rng.int(6)]] = randomJson(rng, depth + 1);
  return obj;
}

/** One mutation that makes any config invalid. */
function mutate(config: Record<string, unknown>, rng: Rng): string {
  const op = rng.int(5);
  if (op === 0) {
    const leaf = LEAVES[rng.int(LEAVES.length)];
    const wrong = WRONG[leaf.cls];
    const value = wrong[rng.int(wrong.length)];
    parentOf(config, leaf.path)[leaf.path[leaf.path.length - 1]] = value;
    return `set ${leaf.path.join(".")} = ${String(value)}`;
  }
  if (op === 1) {
    const path = OBJECTS[rng.int(OBJECTS.length)];
    let target = config as Record<string, unknown>;
    for (const key of path) target = target[key] as Record<string, unknown>;
    target[`zz_unknown_${rng.int(1000)}`] = rng.int(3);
    return `add key under ${path.join(".")}`;
  }
  if (op === 2) {
    const path = REQUIRED[rng.int(REQUIRED.length)];
    const parent = parentOf(config, path);
    const key = path[path.length - 1];
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return `delete ${path.join(".")}`;
  }
  if (op === 3) {
    const pc = (config.agents as { pC: number[] }[])[rng.int(2)].pC;
    pc.length = rng.int(5); // 0..4 entries: too short
    return "truncate a pC vector";
  }
  return "replace with random JSON";
}

describe("experiment config validation", () => {
  it("accepts the base config and expands cases × sweep × seeds", () => {
    const config = validateConfig(validConfig());
    const units = planRuns(config);
    assert.equal(units.length, 2 * 2 * 2);
    assert.deepEqual(
      units.map((u) => [u.caseName, u.point.gamma, u.seed]),
      [
        ["as-given", 0.5, 7],
        ["as-given", 0.5, 8],
        ["as-given", 0.9, 7],
        ["as-given", 0.9, 8],
        ["alld", 0.5, 7],
        ["alld", 0.5, 8],
        ["alld", 0.9, 7],
        ["alld", 0.9, 8],
      ],
    );
    assert.equal(new Set(units.map((u) => u.key)).size, units.length, "run keys are distinct");
    assert.deepEqual(units[4].config.agents[1], { name: "WSLS", pC: [0, 0, 0, 0, 0] });
    assert.equal(planRuns(validateConfig(validConfig()))[3].key, units[3].key, "keys are stable");
  });

  it("names the field, the value and what is allowed", () => {
    const cases: [(c: Record<string, unknown>) => void, RegExp][] = [
      [
        (c) => ((c.agents as { pC: number[] }[])[1].pC[2] = 1.5),
        /^agents\[1\]\.pC\[2\]: got 1\.5; allowed: ≤ 1$/,
      ],
      [
        (c) => (c.kind = "exakt"),
        /^kind: got "exakt"; allowed: "worked-example", "memory-one", "exact-train"/,
      ],
      [(c) => (c.game = "ipdd"), /^game: got "ipdd"; allowed: "ipd", "ipd-lola", "imp"/],
      [(c) => ((c.params as Record<string, unknown>).lr = 1), /^params\.lr: unknown field/],
      [
        (c) => ((c.budget as Record<string, unknown>).rounds = 2.5),
        /^budget\.rounds: got 2\.5; expected int/,
      ],
      [(c) => (c.sweep = { gamma: [0.5, 1] }), /^gamma: got 1 \(from sweep\["gamma"\]\[1\]\)/],
      [(c) => (c.sweep = { "agents.4.pC": [[1, 1, 1, 1, 1]] }), /^sweep\["agents\.4\.pC"\]\[0\]: cannot set/],
      [(c) => (c.figures = [{ type: "pie" }]), /^figures\[0\]\.type: got "pie"; allowed: "learning-curve"/],
      [
        (c) => (c.metrics = ["reward", "tft"]),
        /^metrics\[1\]: got "tft"; allowed metric families for kind memory-one/,
      ],
    ];
    for (const [edit, pattern] of cases) {
      const c = validConfig();
      edit(c);
      assert.throws(
        () => validateConfig(c),
        (e: unknown) => e instanceof InputError && pattern.test(e.message),
        String(pattern),
      );
    }
  });

  it("property: 3000 random malformed configs all fail with an InputError that has a field path", () => {
    const rng = Rng.seeded(20261125);
    for (let trial = 0; trial < 3000; trial++) {
      const config = validConfig();
      const applied: string[] = [];
      let raw: unknown = config;
      for (let m = 1 + rng.int(3); m > 0; m--) {
        let what: string;
        try {
          what = mutate(config, rng);
        } catch {
          continue; // an earlier mutation removed this mutation's target; the config is already invalid
        }
        applied.push(what);
        if (what === "replace with random JSON") {
          raw = randomJson(rng, 0);
          break;
        }
      }
      try {
        validateConfig(raw);
      } catch (error) {
        assert.ok(
          error instanceof InputError,
          `trial ${trial} (${applied.join("; ")}): not an InputError: ${String(error)}`,
        );
        assert.ok(error.field.length > 0, `trial ${trial}: empty field`);
        assert.ok(error.message.startsWith(`${error.field}: `));
        continue;
      }
      assert.fail(
        `trial ${trial}: accepted a malformed config (${applied.join("; ")}): ${JSON.stringify(raw)}`,
      );
    }
  });

  it("a run unit is plain data: after a JSON round trip it gives the same results", async () => {
    const [unit] = planRuns(validateConfig(validConfig()));
    const copy = JSON.parse(JSON.stringify(unit));
    assert.deepEqual(copy, unit);
    const a = await runUnit(unit);
    const b = await runUnit(copy);
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(b)).final), JSON.stringify(a.final));
    assert.deepEqual(b.series, a.series);
  });

  it("sampled-train seats any strategy by name: memory-one by its probabilities, others played as themselves", async () => {
    const config = (strategy: string) =>
      validateConfig({
        name: "pg-vs-strategy",
        kind: "sampled-train",
        game: "ipd",
        gamma: 0.96,
        agents: [
          { learner: "pg", lr: 0.2 },
          { learner: "strategy", strategy },
        ],
        budget: { batch: 32, rollout: 30, updates: 100 },
        params: { init: "zeros" },
        seeds: { count: 1, base: 5 },
      });
    // Cycler CCD is not memory-one: no P(C) per state for it, sampled rewards; pg's best reply is to defect (11/3).
    const cycler = await runUnit(planRuns(config("Cycler CCD"))[0]);
    assert.ok(
      Math.abs(cycler.final["reward.1"] - 11 / 3) < 0.08,
      `pg vs Cycler CCD ${cycler.final["reward.1"]}`,
    );
    assert.ok(!("pC.2.CC" in cycler.final) && !("tft" in cycler.final) && "tft.1" in cycler.final);
    assert.equal(cycler.series.values["reward.1"].length, cycler.series.steps.length);
    assert.ok(Object.values(cycler.final).every(Number.isFinite));
    // Tit For Tat is memory-one: a fixed seat with exact values and its own probabilities.
    const tft = await runUnit(planRuns(config("Tit For Tat"))[0]);
    assert.deepEqual(
      ["start", "CC", "CD", "DC", "DD"].map((s) => Math.round(tft.final[`pC.2.${s}`])),
      [1, 1, 0, 1, 0],
    );
    assert.ok(tft.final["reward.1"] > 2.9, `pg vs TFT ${tft.final["reward.1"]}`);
    // An unknown name is a config error naming the field.
    assert.throws(
      () => config("Grudgr"),
      (e: unknown) =>
        e instanceof InputError && /agents\[1\]\.strategy/.test(e.message) && /Grudger/.test(e.message),
    );
  });

  it("src/experiments and src/report stay isomorphic: no Node-only imports", () => {
    // dist/test/… → the TypeScript sources at the repository root.
    const root = fileURLToPath(new URL("../../src/", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
      );
    const sources = ["experiments", "report"]
      .flatMap((d) => files(join(root, d)))
      .filter((f) => f.endsWith(".ts"));
    assert.ok(sources.length > 10);
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      const bad = text.match(
        /from "(node:[^"]+|fs|path|os|worker_threads|child_process|better-sqlite3|piscina|[^"]*\/node\/[^"]*)"/,
      );
      assert.equal(bad, null, `${file} imports ${bad?.[1]}`);
    }
  });
});
