/**
 * The CLI's front door, end to end on the built CLI: `--version`, a top-level help that fits a screen, examples in
 * every command's help, `run --set` overrides (checked against the same config edited in a file), `runs export`'s
 * default format, `runs compare` headers with the sweep point, the ranking `run` prints for a tournament, and
 * `moran --out`'s figure (its rows checked against the population size / shares summing to 1).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { registerCommands } from "../src/cli/commands/index.js";
import { parseSetOverride } from "../src/experiments/overrides.js";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const packageJson = fileURLToPath(new URL("../../package.json", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

/** A two-seed exact-train config with a two-point sweep: 4 runs of 3 updates each (milliseconds). */
const SWEEP_YAML = `name: frontdoor-sweep
kind: exact-train
game: ipd-lola
agents:
  - {learner: lola, lr: 1, eta: 1}
  - {learner: naive, lr: 1}
budget: {steps: 3}
seeds: {count: 2, base: 0}
sweep: {agents.0.eta: [0.5, 1]}
`;

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "shapelab-frontdoor-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("top-level CLI", () => {
  it("--version prints the package version", () => {
    const version = JSON.parse(readFileSync(packageJson, "utf8")).version as string;
    for (const flag of ["--version", "-V"]) {
      const r = run(flag);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`^shapelab ${version.replace(/\./g, "\\.")}(\\+[0-9a-f]+(-dirty)?)?\\n$`),
      );
    }
  });

  it("--help fits a screen: one line of at most 80 columns per command", () => {
    const r = run("--help");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.ok(lines.length <= 40, `${lines.length} lines`);
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`);
    const commands = lines.slice(lines.indexOf("Commands:") + 1).filter((l) => /^ {2}\S/.test(l));
    const names = commands.map((l) => l.trim().split(/\s+/)[0]);
    for (const name of [
      "games",
      "exact",
      "train",
      "run",
      "runs",
      "report",
      "match",
      "tournament",
      "moran",
      "arena",
    ])
      assert.ok(names.includes(name), `${name} listed`);
    // A command's line is followed by the next command's line, not by wrapped text.
    const block = lines.slice(lines.indexOf("Commands:") + 1);
    const end = block.findIndex((l) => l.trim() === "");
    for (const l of block.slice(0, end)) assert.match(l, /^ {2}\S/, `wrapped summary line: "${l}"`);
  });

  it("every command's help (in process, walking the whole tree) has examples that start with its own name", async () => {
    const program = new Command().name("shapelab");
    await registerCommands(program);
    const walk = (cmd: Command, path: string[]): void => {
      for (const sub of cmd.commands) {
        const full = [...path, sub.name()];
        let text = "";
        sub.configureOutput({ writeOut: (t) => (text += t), writeErr: (t) => (text += t) });
        sub.outputHelp();
        const examples = text.split("\nExamples:\n")[1];
        assert.ok(examples, `${full.join(" ")}: no Examples section`);
        assert.ok(
          examples.includes(`  shapelab ${full.join(" ")}`),
          `${full.join(" ")}: no example of itself`,
        );
        walk(sub, full);
      }
    };
    walk(program, []);
    assert.ok(program.commands.length >= 15);
  });
});

describe("run --set", () => {
  it("parses values as YAML scalars (and flow lists), splitting at the first =", () => {
    assert.deepEqual(parseSetOverride("agents.0.lr=0.5"), {
      text: "agents.0.lr=0.5",
      path: "agents.0.lr",
      value: 0.5,
    });
    assert.equal(parseSetOverride("params.x=true").value, true);
    assert.equal(parseSetOverride("params.x=null").value, null);
    assert.equal(parseSetOverride("agents.1.learner=naive").value, "naive");
    assert.equal(parseSetOverride("agents.1.learner='1'").value, "1");
    assert.deepEqual(parseSetOverride("sweep.x=[0.5, 1]").value, [0.5, 1]);
    assert.deepEqual(parseSetOverride("name=a=b"), { text: "name=a=b", path: "name", value: "a=b" });
  });

  it("gives the same stored runs as the config file edited the same way", () => {
    const base = join(dir, "set-base.yaml");
    const edited = join(dir, "set-edited.yaml");
    writeFileSync(base, SWEEP_YAML);
    writeFileSync(
      edited,
      SWEEP_YAML.replace("budget: {steps: 3}", "budget: {steps: 5}")
        .replace("{learner: naive, lr: 1}", "{learner: naive, lr: 0.5}")
        .replace("count: 2", "count: 1"),
    );
    const viaSet = run(
      "run",
      base,
      "--store",
      join(dir, "store-set"),
      "--workers",
      "0",
      "--quiet",
      "--json",
      "--set",
      "budget.steps=5",
      "--set",
      "agents.1.lr=0.5",
      "--set",
      "seeds.count=1",
    );
    assert.equal(viaSet.status, 0, viaSet.stderr);
    const viaFile = run(
      "run",
      edited,
      "--store",
      join(dir, "store-file"),
      "--workers",
      "0",
      "--quiet",
      "--json",
    );
    assert.equal(viaFile.status, 0, viaFile.stderr);
    const a = JSON.parse(viaSet.stdout);
    const b = JSON.parse(viaFile.stdout);
    assert.equal(a.total, 2);
    assert.deepEqual(a.groups, b.groups);
    const shown = run("runs", "show", "1", "--store", join(dir, "store-set"), "--json");
    const stored = JSON.parse(shown.stdout);
    assert.equal(stored.config.budget.steps, 5);
    assert.equal(stored.config.agents[1].lr, 0.5);
  });

  it("refuses prototype segments, unknown roots, bad values and a missing =, naming --set (exit 2)", () => {
    const base = join(dir, "set-errors.yaml");
    writeFileSync(base, SWEEP_YAML);
    const cases: [string, RegExp][] = [
      ["__proto__.polluted=1", /--set __proto__\.polluted=1: .*"__proto__" is not a config field/],
      ["agents.0.constructor=1", /"constructor" is not a config field/],
      ["params.prototype.x=1", /"prototype" is not a config field/],
      ["nonsense.x=1", /a path must start with one of name, .*agents/],
      ["gamma=abc", /--set gamma=abc: the config no longer validates: gamma/],
      ["agents.7.lr=1", /"7" is not an index of a 2-entry list/],
      ["gamma", /--set: expected path=value/],
    ];
    for (const [text, pattern] of cases) {
      const r = run("run", base, "--store", join(dir, "store-errors"), "--quiet", "--set", text);
      assert.equal(r.status, 2, `${text}: ${r.stderr}`);
      assert.match(r.stderr, pattern, text);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe("runs export and compare", () => {
  it("export defaults to CSV (JSON for --out *.json); compare headers show the sweep point", () => {
    const config = join(dir, "sweep.yaml");
    writeFileSync(config, SWEEP_YAML);
    const store = join(dir, "store-sweep");
    const r = run("run", config, "--store", store, "--workers", "0", "--quiet");
    assert.equal(r.status, 0, r.stderr);
    const csv = run("runs", "export", "--store", store);
    assert.equal(csv.status, 0, csv.stderr);
    const [header, ...rows] = csv.stdout.trimEnd().split("\n");
    assert.match(header, /^id,experiment,case,seed,status,/);
    assert.ok(header.includes("param.agents.0.eta"));
    assert.equal(rows.length, 4);
    const jsonFile = join(dir, "runs.json");
    const json = run("runs", "export", "--store", store, "--out", jsonFile);
    assert.equal(json.status, 0, json.stderr);
    assert.equal(JSON.parse(readFileSync(jsonFile, "utf8")).length, 4, "--out *.json defaults to JSON");
    const compare = run("runs", "compare", "1", "3", "--store", store);
    assert.equal(compare.status, 0, compare.stderr);
    const first = compare.stdout.split("\n")[0];
    assert.match(first, /#1 frontdoor-sweep agents\.0\.eta=0\.5 s0/);
    assert.match(first, /#3 frontdoor-sweep agents\.0\.eta=1 s0/);
  });
});

describe("run of a tournament, and moran --out", () => {
  it("run classic-tournament prints the ranking (Axelrod docs order) and points to shapelab report", () => {
    const r = run(
      "run",
      "classic-tournament",
      "--store",
      join(dir, "store-tournament"),
      "--workers",
      "0",
      "--quiet",
    );
    assert.equal(r.status, 0, r.stderr);
    const docs = r.stdout.slice(r.stdout.indexOf("axelrod-docs (n=1)"));
    // Axelrod's "Summarising tournaments": Defector 2.6, Tit For Tat 2.3, Grudger 2.3, Cooperator 2.0.
    assert.match(
      docs,
      /1\. Defector +2\.600\n +2\. (Tit For Tat|Grudger) +2\.300\n +3\. (Tit For Tat|Grudger) +2\.300\n +4\. Cooperator +2\.000/,
    );
    assert.match(r.stdout, /shapelab report classic-tournament --store /);
  });

  it("moran --out writes the population figure; each step's counts sum to the population", () => {
    const out = join(dir, "moran");
    const r = run(
      "moran",
      "--population",
      "Tit For Tat=3, Defector=2, Cooperator=2",
      "--turns",
      "20",
      "--out",
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    for (const f of [
      "population.svg",
      "population.png",
      "population.csv",
      "population.vl.json",
      "moran.json",
    ])
      assert.ok(existsSync(join(out, f)), f);
    assert.match(readFileSync(join(out, "population.svg"), "utf8"), /<svg/);
    const json = JSON.parse(readFileSync(join(out, "moran.json"), "utf8"));
    const [header, ...lines] = readFileSync(join(out, "population.csv"), "utf8").trimEnd().split("\n");
    assert.equal(header, "step,type,order,value");
    assert.equal(lines.length, json.populations.length * 3);
    const perStep = new Map<number, number>();
    for (const line of lines) {
      const cells = line.split(",");
      perStep.set(Number(cells[0]), (perStep.get(Number(cells[0])) ?? 0) + Number(cells[3]));
    }
    for (const total of perStep.values()) assert.equal(total, 7);
  });

  it("moran --ecological --out plots shares that sum to 1", () => {
    const out = join(dir, "eco");
    const r = run(
      "moran",
      "--population",
      "Tit For Tat, Defector, Cooperator",
      "--ecological",
      "--steps",
      "20",
      "--out",
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(join(out, "population.csv"), "utf8").trimEnd().split("\n").slice(1);
    assert.equal(rows.length, 21 * 3);
    const perStep = new Map<number, number>();
    for (const line of rows) {
      const cells = line.split(",");
      perStep.set(Number(cells[0]), (perStep.get(Number(cells[0])) ?? 0) + Number(cells[3]));
    }
    for (const total of perStep.values()) assert.ok(Math.abs(total - 1) < 1e-12, String(total));
  });
});
