/**
 * One JSON style for every command (src/cli/jsonOutput.ts): `{command, version, config, …results}` on one line,
 * numbers at full float64, and a config complete enough to reproduce the run (every default resolved).
 * Independent checks: the train output's P(C) must equal sigmoid(printed logits) to the last bit, and a config
 * field list is compared with the learner's own resolver.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { toJsonText } from "../src/cli/jsonOutput.js";
import { resolveAaOptions } from "../src/learners/sampled/aa.js";
import { resolveLolaDiceOptions } from "../src/learners/sampled/lolaDice.js";
import { sigmoid } from "../src/util/math.js";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.js");
const cli = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });

function json(...args: string[]) {
  const r = cli(...args, "--json");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split("\n").length, 1, `${args[0]}: one line`);
  return JSON.parse(r.stdout);
}

/** A decimal with more than 7 significant digits: the output was not rounded to 4–6 digits. */
const longDigits = (v: number) =>
  String(v)
    .replace(/^-|\.|e.*$/g, "")
    .replace(/^0+/, "").length > 7;

describe("--json: one style, lossless, complete config", { concurrency: 4 }, () => {
  const commands: [string, string[]][] = [
    ["exact", ["exact", "--seeds", "1", "--steps", "2", "--quiet"]],
    ["train", ["train", "--seeds", "1", "--updates", "2", "--batch", "4", "--rollout", "5", "--quiet"]],
    ["match", ["match", "--a", "Tit For Tat", "--b", "Random: 0.5", "--turns", "5"]],
    ["tournament", ["tournament", "--players", "Cooperator,Defector", "--turns", "5", "--repetitions", "1"]],
    ["moran", ["moran", "--population", "Cooperator=2,Defector=1", "--turns", "5"]],
    [
      "arena",
      [
        "arena",
        "--entrants",
        "Defector,pg",
        "--seeds",
        "1",
        "--updates",
        "2",
        "--batch",
        "4",
        "--rollout",
        "5",
      ],
    ],
    ["games", ["games"]],
    ["strategies", ["strategies"]],
    ["experiments", ["experiments"]],
    ["explain", ["explain"]],
  ];
  for (const [command, args] of commands) {
    it(`${command} --json: {command, version, config, …}`, () => {
      const j = json(...args);
      assert.equal(j.command, command);
      assert.match(j.version, /^\d+\.\d+\.\d+/);
      assert.equal(typeof j.config, "object");
    });
  }

  it("train --json: final logits, P(C) = sigmoid(logits) bit for bit, every learner default resolved", () => {
    const j = json(
      "train",
      "--agents",
      "aa,lola-dice",
      "--seeds",
      "2",
      "--updates",
      "3",
      "--batch",
      "8",
      "--rollout",
      "10",
      "--quiet",
    );
    assert.equal(j.final.theta.length, 2);
    const theta: number[] = j.final.theta.flat(2);
    const pC: number[] = j.final.pC.flat(2);
    assert.equal(theta.length, 20);
    theta.forEach((t, i) => assert.equal(pC[i], sigmoid(t), `P(C)[${i}]`));
    assert.ok(pC.some(longDigits), "P(C) at full precision");
    assert.ok(j.rewardPerStep.exact.flat(2).some(longDigits), "rewards at full precision");
    const [aa, dice] = j.config.agents;
    assert.deepEqual(
      Object.keys(aa).sort(),
      [...new Set(["name", "gaeLambda", ...Object.keys(resolveAaOptions())])].sort(),
    );
    assert.equal(aa.variant, "discounted");
    assert.equal(aa.pastAdvantage, "joint");
    assert.equal(aa.lrCritic, 1);
    assert.equal(aa.gaeLambda, null);
    assert.deepEqual(dice, { name: "lola-dice", ...resolveLolaDiceOptions() });
    for (const key of [
      "game",
      "payoffs",
      "gamma",
      "batch",
      "rollout",
      "updates",
      "seeds",
      "seed",
      "init",
      "evalBatch",
    ])
      assert.ok(key in j.config, key);
  });

  it("arena --json: entrants with resolved hyperparameters and the catalyst's naive learner", () => {
    const j = json(
      "arena",
      "--entrants",
      "Defector,pg,aa(beta=2)",
      "--seeds",
      "1",
      "--updates",
      "2",
      "--batch",
      "4",
      "--rollout",
      "5",
      "--workers",
      "0",
    );
    const aa = j.config.entrants.find((e: { spec?: { name: string } }) => e.spec?.name === "aa");
    assert.equal(aa.spec.beta, 2);
    assert.equal(aa.spec.lr, resolveAaOptions().lr);
    assert.equal(j.config.naive, "pg");
    assert.deepEqual(j.config.budget, j.budget);
    // Final logits of the learning sides: sigmoid(logits) is the learned policy, bit for bit.
    const d = j.config.entrants.findIndex((e: { name?: string }) => e.name === "Defector");
    const p = j.config.entrants.findIndex((e: { spec?: { name: string } }) => e.spec?.name === "pg");
    const [[pgLogits, defectorLogits]] = j.logits[p][d];
    assert.equal(defectorLogits, null);
    assert.deepEqual(j.policies[p][d][0][0], pgLogits.map(sigmoid));
  });
});

describe("toJsonText", () => {
  /** What it wrote before the walk of its own: JSON.stringify with a replacer turning typed arrays into arrays. */
  const withReplacer = (value: unknown) =>
    `${JSON.stringify(value, (_key, v: unknown) =>
      ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float64Array) : v,
    )}\n`;

  it("writes typed arrays as arrays, anywhere, and everything else as JSON.stringify does", () => {
    const value = {
      theta: Float64Array.of(0.1, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e-310),
      flags: [Uint8Array.of(1, 0), { deep: [Int32Array.of(-3)] }],
      view: new DataView(new ArrayBuffer(2)),
      when: new Date(0),
      custom: { toJSON: () => ({ inner: Float32Array.of(0.5) }) },
      plain: [1, "two", null, true, { three: [3] }],
      skipped: undefined,
    };
    assert.equal(toJsonText(value), withReplacer(value));
    assert.deepEqual(JSON.parse(toJsonText(value)).theta, [0.1, 0, null, null, 1e-310]);
  });

  it("leaves its input untouched", () => {
    const inner = Float64Array.of(1, 2);
    const value = { a: [inner], b: { c: inner } };
    toJsonText(value);
    assert.equal(value.a[0], inner);
    assert.equal(value.b.c, inner);
  });
});
