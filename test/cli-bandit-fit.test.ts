/**
 * `shapelab bandit-fit <csv>`: a bad file, a missing file and a bad flag each exit 2 with one line naming what is
 * wrong; a small good file fits and prints NLLs whose JSON is lossless (finite, unrounded numbers).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.js");
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), "shapelab-bandit-fit-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("shapelab bandit-fit", () => {
  it("exits 2 naming the line and column of a bad value, a missing file, a bad flag", () => {
    const bad = file("bad.csv", "id,action,reward\na,0,1\na,3,0\n");
    for (const [args, message] of [
      [[bad], /bad\.csv:3 action: must be 0 or 1/],
      [[join(dir, "missing.csv")], /missing\.csv: cannot read the choice file \(ENOENT\)/],
      [[file("nohead.csv", "a,0,1\n")], /nohead\.csv:1: the header has no column "id"/],
      [[bad, "--cells", "0"], /--cells: must be an integer in \[1, 64\]/],
    ] as [string[], RegExp][]) {
      const r = cli("bandit-fit", ...args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });

  it("fits a small file and prints lossless JSON", () => {
    const rows = ["id,action,reward"];
    for (let s = 0; s < 6; s++)
      for (let t = 0; t < 20; t++) rows.push(`s${s},${(s + t) % 2},${t % 3 === 0 ? 1 : 0}`);
    const r = cli(
      "bandit-fit",
      file("good.csv", `${rows.join("\n")}\n`),
      "--steps",
      "5",
      "--held-out",
      "0.34",
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.subjects, { train: 4, heldOut: 2 });
    assert.ok(Number.isFinite(out.nll.heldOut) && out.nll.heldOut > 0);
    assert.equal(out.parameters.length, 3 * 10 * (3 + 10 + 2) + 2 * 10 + 2);
  });

  it("--out writes a GRU file that choice-engineering runs against; a wrong file exits 2 naming it", () => {
    const rows = ["id,action,reward"];
    for (let s = 0; s < 6; s++)
      for (let t = 0; t < 20; t++) rows.push(`s${s},${(s + t) % 2},${t % 3 === 0 ? 1 : 0}`);
    const gru = join(dir, "gru.json");
    const fit = cli(
      "bandit-fit",
      file("fit.csv", `${rows.join("\n")}\n`),
      "--cells",
      "4",
      "--steps",
      "5",
      "--out",
      gru,
    );
    assert.equal(fit.code, 0, fit.stderr);
    const saved = JSON.parse(readFileSync(gru, "utf8"));
    assert.equal(saved.format, "shapelab-bandit-gru");
    assert.equal(saved.parameters.length, 3 * 4 * (3 + 4 + 2) + 2 * 4 + 2);
    const experiment = (name: string, gruFile: string) =>
      file(
        `${name}.yaml`,
        `name: ${name}\nkind: choice-engineering\ngame: ipd\nagents: [{adversary: lookahead}]\n` +
          `params: {sessions: 20, surrogate: {model: gru, gru: {file: ${JSON.stringify(gruFile)}}}}\nseeds: {count: 1, base: 0}\n`,
      );
    const store = join(dir, "store");
    const ok = cli(
      "run",
      experiment("user-gru", gru),
      "--store",
      store,
      "--workers",
      "0",
      "--quiet",
      "--json",
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).completed, 1);
    for (const [bad, message] of [
      [join(dir, "none.json"), /params\.surrogate\.gru\.file: cannot read .*none\.json/],
      [
        file("notgru.json", '{"format": "shapelab-agent"}'),
        /notgru\.json\.format: must be "shapelab-bandit-gru"/,
      ],
      [
        file("short.json", JSON.stringify({ ...saved, parameters: [1, 2] })),
        /short\.json\.parameters: must be a list of 118 numbers for 4 cells/,
      ],
    ] as [string, RegExp][]) {
      const r = cli("run", experiment("bad-gru", bad), "--store", store, "--workers", "0", "--quiet");
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });
});
