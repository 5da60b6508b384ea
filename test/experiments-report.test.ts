import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { KIND_NAMES } from "../src/experiments/registry.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "shapelab-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Minimal CSV reader for the files we write (quoted cells only when they contain , " or newline). */
function readCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split("\n");
  const split = (line: string) => {
    const cells: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (c === "," && !quoted) {
        cells.push(cur);
        cur = "";
      } else {
        cur += c;
      }
    }
    cells.push(cur);
    return cells;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i], v])));
}

const CONFIG = `
name: report-test
title: "GTFT against WSLS, jittered"
kind: memory-one
game: ipd
agents:
  - {name: GTFT, pC: [1, 1, 0.3, 1, 0.3]}
  - {name: WSLS, pC: [1, 1, 0, 0, 1]}
budget: {rounds: 12}
params: {jitter: 0.7, samples: 20}
seeds: {count: 3}
cases:
  - {name: as-given, set: {}}
  - {name: vs-alld, set: {agents.1.pC: [0, 0, 0, 0, 0]}}
sweep: {gamma: [0.5, 0.9]}
figures:
  - {type: learning-curve, metric: reward.1}
  - {type: sweep-curve, x: gamma, metric: value.1}
  - {type: bars, metric: occupancy}
reproduces:
  - {metric: occupancy.DD, case: vs-alld, at: {gamma: 0.9}, published: 0.7, tolerance: 0.3, source: "test"}
  - {metric: value.1, case: vs-alld, published: 99, tolerance: 0.1, source: "a number that must not pass"}
`;

describe("report and export", () => {
  const config = join(dir, "report-test.yaml");
  writeFileSync(config, CONFIG);
  const store = join(dir, "runs");

  it("run → report: index.html with headline table, figures, and a CSV beside each figure", () => {
    const run = cli("run", config, "--store", store, "--workers", "2", "--quiet");
    assert.equal(run.status, 0, run.stderr);
    const out = join(dir, "report");
    const rep = cli("report", "report-test", "--store", store, "--out", out, "--json");
    assert.equal(rep.status, 0, rep.stderr);
    const written = JSON.parse(rep.stdout);
    assert.equal(written.figures.length, 3);
    for (const svg of written.figures as string[]) {
      for (const ext of [".svg", ".png", ".csv", ".vl.json"])
        assert.ok(existsSync(svg.replace(/\.svg$/, ext)), `${svg} ${ext}`);
    }
    const html = readFileSync(join(out, "index.html"), "utf8");
    assert.match(html, /GTFT against WSLS, jittered/);
    assert.equal((html.match(/<img /g) ?? []).length, 3);
    // One shareable file: every figure is embedded as an SVG data URI (the files beside it are the data).
    assert.equal((html.match(/<img src="data:image\/svg\+xml;base64,/g) ?? []).length, 3);
    const svg = Buffer.from(html.split('src="data:image/svg+xml;base64,')[1].split('"')[0], "base64").toString();
    assert.match(svg, /^<svg/);
    // Without --out, each target gets its own folder: a second report does not overwrite the first.
    assert.equal(cli("report", "report-test", "--store", store).status, 0);
    assert.equal(cli("report", "report-test", "1", "--store", store).status, 0);
    assert.ok(existsSync(join(dir, "shapelab-report", "report-test", "index.html")));
    assert.ok(existsSync(join(dir, "shapelab-report", "report-test+run-1", "index.html")));
    assert.match(html, /Published numbers/);
    const [first, second] = written.headlines[0].rows;
    assert.equal(first.n, 3, "the `at` filter keeps only the gamma = 0.9 runs of the case");
    assert.equal(first.pass, true);
    assert.equal(second.pass, false);
    // The learning-curve CSV: 2 cases × 2 gammas × 12 rounds, each row a mean over 3 seeds.
    const curve = readCsv(readFileSync(join(out, "report-test", "learning-curve-1.csv"), "utf8"));
    assert.equal(curve.length, 2 * 2 * 12);
    assert.ok(
      curve.every((r) => r.n === "3" && Number(r.lo) <= Number(r.mean) && Number(r.mean) <= Number(r.hi)),
    );
    const sweep = readCsv(readFileSync(join(out, "report-test", "sweep-curve-2.csv"), "utf8"));
    assert.deepEqual(
      sweep.map((r) => [r.series, r.x]),
      [
        ["as-given", "0.5"],
        ["as-given", "0.9"],
        ["vs-alld", "0.5"],
        ["vs-alld", "0.9"],
      ],
    );
  });

  it("runs export: one row per run with param and metric columns; --series in tidy long format", () => {
    const wide = readCsv(cli("runs", "export", "--format", "csv", "--store", store).stdout);
    assert.equal(wide.length, 12);
    for (const col of [
      "id",
      "experiment",
      "case",
      "seed",
      "status",
      "code_version",
      "param.gamma",
      "value.1",
      "occupancy.DD",
    ]) {
      assert.ok(col in wide[0], `column ${col}`);
    }
    assert.deepEqual([...new Set(wide.map((r) => r["param.gamma"]))].sort(), ["0.5", "0.9"]);
    const json = JSON.parse(cli("runs", "export", "--format", "json", "--store", store).stdout);
    assert.equal(json.length, 12);
    assert.equal(Object.keys(json[0]).length, Object.keys(wide[0]).length);
    const long = readCsv(cli("runs", "export", "--format", "csv", "--series", "--store", store).stdout);
    assert.equal(long.length, 12 * 2 * 12, "12 runs × 2 series × 12 rounds");
    assert.deepEqual(Object.keys(long[0]).slice(-3), ["metric", "step", "value"]);
  });

  it("runs list/show/compare print the stored runs; bad ids and formats exit 2", () => {
    assert.match(
      cli("runs", "list", "--store", store).stdout,
      /12 runs in .*: 12 complete, 0 incomplete, 0 failed/,
    );
    assert.match(
      cli("runs", "show", "1", "--store", store).stdout,
      /run 1 {2}report-test \/ as-given {2}seed 0/,
    );
    assert.match(cli("runs", "compare", "1", "7", "--store", store).stdout, /value\.1/);
    assert.equal(cli("runs", "show", "999", "--store", store).status, 2);
    assert.equal(cli("runs", "export", "--format", "xml", "--store", store).status, 2);
    assert.equal(cli("runs", "list", "--store", join(dir, "nowhere")).status, 2);
  });

  it("shapelab experiments lists the named ones with their published numbers; --kinds the kinds", () => {
    const list = JSON.parse(cli("experiments", "--json").stdout).experiments as {
      name: string;
      reproduces: unknown[];
    }[];
    const names = list.map((e) => e.name);
    for (const n of [
      "worked-example",
      "exact-ipd",
      "exact-imp",
      "lola-dice-ipd",
      "aa-tft",
      "classic-tournament",
      "catalyst",
    ]) {
      assert.ok(names.includes(n), n);
    }
    assert.ok(list.find((e) => e.name === "exact-ipd")!.reproduces.length >= 2);
    const kinds = JSON.parse(cli("experiments", "--kinds", "--json").stdout).kinds as { kind: string }[];
    // Every registered kind is listed (the registry grows; these six are the tabular core).
    assert.deepEqual(kinds.map((k) => k.kind).sort(), [...KIND_NAMES].sort());
    for (const core of [
      "arena",
      "exact-train",
      "memory-one",
      "sampled-train",
      "tournament",
      "worked-example",
      "asymmetry",
      "exact-schedule",
      "meta-shaper",
    ]) {
      assert.ok(KIND_NAMES.includes(core), core);
    }
  });
});
