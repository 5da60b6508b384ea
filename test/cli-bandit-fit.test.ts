/**
 * `shapelab bandit-fit <csv>`: a bad file, a missing file and a bad flag each exit 2 with one line naming what is
 * wrong; a small good file fits and prints NLLs whose JSON is lossless (finite, unrounded numbers).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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
});
