/**
 * Every repro command of issue 11 ("Reliability: two runs into one store, bounded inputs, filesystem and SQLite
 * failures, and no NaN with exit 0"), one line each: the command, the exit code it must give, and what its
 * message must say. None may print a stack trace or "internal error", and none that exits 0 may print NaN or
 * Infinity. (The store cases with two processes, read-only media and a full disk are in store-concurrent and
 * store-failures; SIGTERM and the explore server in server-hardening.)
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "shapelab-issue11-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const BIG = "99999999999999999999";
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const exactConfig = (extra: string) =>
  `name: x\nkind: exact-train\ngame: ipd-lola\nagents: [{learner: naive}, {learner: naive}]\nbudget: {steps: 2}\n${extra}\n`;
const bomb = file(
  "bomb.yaml",
  `a: &a [x, x, x, x, x, x, x, x, x]\n${"bcdefgh"
    .split("")
    .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)
    .join("\n")}\n`,
);
const proto = file("proto.yaml", exactConfig("sweep: {params.__proto__.polluted: [1]}"));
const ctor = file("ctor.yaml", exactConfig('cases: [{name: c, set: {"agents.0.constructor": 1}}]'));
const seedsCount = file("seeds.yaml", exactConfig("seeds: {count: 200000}"));

/** [argv, exit code, what stderr (or stdout, for exit 0) must match] */
const CASES: [string[], number, RegExp][] = [
  // §2 bounded inputs
  [["exact", "--init-file", "/dev/zero"], 2, /--init-file: "\/dev\/zero" is not a regular file/],
  [
    ["moran", "--population", "Tit For Tat=99999999999,Defector=2", "--turns", "5", "--steps", "10"],
    2,
    /--population: at most 10000/,
  ],
  [["train", "--eval-batch", "1e20"], 2, /--eval-batch: must be ≤ 100000/],
  [["tournament", "--repetitions", "1000000000"], 2, /--repetitions: must be ≤ 100000/],
  ...["--seeds", "--steps", "--batch", "--rollout", "--eval-turns"].map(
    (flag): [string[], number, RegExp] => [
      ["arena", flag, BIG],
      2,
      new RegExp(`${flag}: must be ≤ \\d+, got ${BIG}`),
    ],
  ),
  [["moran", "--population", "Cooperator,Defector", "--turns", "1e20"], 2, /--turns: must be ≤ 1000000/],
  [
    ["moran", "--population", "Cooperator,Defector", "--ecological", "--repetitions", "1e20"],
    2,
    /--repetitions: must be ≤/,
  ],
  [["train", "--critic-sweeps", "1e20"], 2, /--critic-sweeps: must be ≤ 1000/],
  [["train", "--agents", "lola-dice,lola-dice", "--lookahead", "1e20"], 2, /--lookahead: must be ≤ 20/],
  [["arena", "--updates", "1e20"], 2, /--updates: must be ≤ 1000000/],
  [
    ["moran", "--population", "Cooperator,Defector", "--ecological", "--steps", "1e20"],
    2,
    /--steps: must be ≤ 1000000/,
  ],
  [["exact", "--seed", "9007199254740993"], 2, /--seed: must be ≤ 9007199254740991, got 9007199254740993/],
  [["train", "--seed", "1e300"], 2, /--seed: must be ≤ 9007199254740991/],
  [["exact", "--lr", "-1"], 2, /--lr: must be ≥ 0/],
  [["exact", "--eta", "-0.5"], 2, /--eta: must be ≥ 0/],
  [["exact", "--beta", "-2"], 2, /--beta: must be ≥ 0/],
  [["run", seedsCount, "--store", join(dir, "s")], 2, /seeds\.count: got 200000; allowed: ≤ 100000/],
  [["train", "--seeds", "100000", "--batch", "100000", "--rollout", "1000"], 2, /at most 33554432/],
  // §3 YAML alias bombs and prototype paths
  [["run", bomb, "--store", join(dir, "s")], 2, /Excessive alias count.*at most 100 alias/],
  [["run", proto, "--store", join(dir, "s")], 2, /"__proto__" is not a config field/],
  [["run", ctor, "--store", join(dir, "s")], 2, /"constructor" is not a config field/],
  // §4 no NaN or Infinity with exit 0
  [
    [
      "train",
      "--agents",
      "aa,aa",
      "--lr-critic",
      "100",
      "--seeds",
      "2",
      "--batch",
      "8",
      "--rollout",
      "20",
      "--updates",
      "20",
    ],
    2,
    /all 2 seed\(s\) diverged/,
  ],
  [
    ["exact", "--game", "tandem", "--agents", "naive,naive", "--lr", "1e300", "--steps", "40"],
    2,
    /all 100 run\(s\) diverged/,
  ],
  [
    ["exact", "--game", "tandem", "--agents", "naive,naive", "--lr", "0.8", "--steps", "40", "--seeds", "20"],
    0,
    /mean loss/,
  ],
  [["exact", "--payoffs", "1e300,-1e300,1e300,0"], 2, /--payoffs\[0\]: must be within ±1000000000000/],
  [
    ["arena", "--entrants", "Cooperator,pg,aa(bta=2)"],
    2,
    /unknown hyperparameter "bta" for aa; did you mean "beta"/,
  ],
  [
    ["arena", "--entrants", "Cooperator,lola(eat=1)"],
    2,
    /unknown hyperparameter "eat" for lola; did you mean "eta"/,
  ],
  [["arena", "--shapers", "Foo", "--naive", "Bar"], 2, /--shapers: unknown learner "foo"; did you mean/],
  [["arena", "--naive", "Bar"], 2, /--naive: unknown learner "bar"; did you mean/],
  // §5
  [["exact", "--game", "tandm"], 2, /--game: unknown value "tandm"; allowed: .*tandem/],
];

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      err += c;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe("issue 11 repro commands", () => {
  it("each gives its exit code and message, no stack trace, no NaN with exit 0", async () => {
    // A few at a time: 2 cores, and each is a short-lived process.
    const results: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < CASES.length; i += 4) {
      results.push(...(await Promise.all(CASES.slice(i, i + 4).map(([args]) => run(args)))));
    }
    CASES.forEach(([args, code, message], i) => {
      const r = results[i];
      const what = `shapelab ${args.join(" ")}\n${r.err}${r.out.slice(0, 400)}`;
      assert.equal(r.code, code, what);
      assert.doesNotMatch(r.err, /internal error|\n\s+at \S+ \(/, what);
      assert.match(code === 0 ? r.out : r.err, message, what);
      if (code === 0) assert.doesNotMatch(r.out, /NaN|Infinity/, what);
    });
  });
});
