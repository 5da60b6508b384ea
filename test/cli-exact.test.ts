import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.js");

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "shapelab-cli-exact-"));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("shapelab exact", { concurrency: 4 }, () => {
  it("--json has final.theta, final.pC, rewardPerStep, summary and elapsedMs", () => {
    const r = cli("exact", "--agents", "lola,naive", "--seeds", "3", "--steps", "10", "--json", "--quiet");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.final.theta.length, 3);
    for (const key of ["theta", "pC"]) {
      for (const pair of j.final[key]) {
        assert.equal(pair.length, 2);
        assert.equal(pair[0].length, 5);
        assert.equal(pair[1].length, 5);
      }
    }
    assert.ok(j.final.pC.flat(2).every((p: number) => p > 0 && p < 1));
    assert.equal(j.rewardPerStep.length, 3);
    assert.equal(j.rewardPerStep[0].length, 2);
    assert.equal(typeof j.summary.agent1.mean, "number");
    assert.equal(typeof j.summary.agent2.sd, "number");
    assert.equal(typeof j.summary.tftFraction, "number");
    assert.equal(typeof j.elapsedMs, "number");
    assert.deepEqual(
      j.config.agents.map((a: { name: string }) => a.name),
      ["lola", "naive"],
    );
  });

  it("--init-file replaces the random init (one seed)", () => {
    const theta = [
      [1, 2, -1, 2, -2],
      [0.5, 1, -1, 1, -1],
    ];
    const path = file("init.json", JSON.stringify({ theta }));
    const r = cli("exact", "--init-file", path, "--steps", "0", "--json", "--quiet");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.config.seeds, 1);
    assert.deepEqual(j.final.theta[0], theta);
  });

  it("--json is lossless: its final.theta fed back as --init-file continues the run bit for bit", () => {
    // Exact learners keep no state besides θ, so 8 steps, then 7 more from the printed θ, equals 15 steps in one
    // run exactly (=== on every float64) only if the JSON holds every bit; 6 significant digits do not.
    const args = ["--agents", "lola,sos", "--seeds", "3", "--seed", "4", "--json", "--quiet"];
    const whole = JSON.parse(cli("exact", ...args, "--steps", "15").stdout);
    const first = cli("exact", ...args, "--steps", "8");
    assert.equal(first.code, 0, first.stderr);
    const resumed = cli("exact", ...args, "--steps", "7", "--init-file", file("first.json", first.stdout));
    assert.equal(resumed.code, 0, resumed.stderr);
    const second = JSON.parse(resumed.stdout);
    assert.equal(second.config.init.kind, "file");
    assert.deepEqual(second.config.init.theta, JSON.parse(first.stdout).final.theta);
    assert.deepEqual(second.final.theta, whole.final.theta);
    assert.deepEqual(second.final.pC, whole.final.pC);
    assert.deepEqual(second.rewardPerStep, whole.rewardPerStep);
    // And a value printed is the float64 computed: θ round-trips through the printed decimal unchanged.
    for (const v of whole.final.theta.flat(2)) assert.equal(Number(String(v)), v);
    assert.ok(whole.final.theta.flat(2).some((v: number) => String(v).replace(/^-|\.|e.*$/g, "").length > 7));
  });

  it("--json states the complete resolved config (every learner default) and the one JSON style", () => {
    const j = JSON.parse(cli("exact", "--agents", "sos,lookahead", "--seeds", "1", "--steps", "1", "--json").stdout);
    assert.equal(j.command, "exact");
    assert.equal(typeof j.version, "string");
    assert.deepEqual(j.config.agents[0], {
      name: "sos",
      lr: 1,
      eta: 1,
      lookahead: 1,
      beta: 1,
      sosA: 0.5,
      sosB: 0.1,
      includeLookAheadTerm: false,
    });
    assert.deepEqual(j.config.init, { kind: "normal", mean: 0, sd: 1 });
    for (const key of ["game", "payoffs", "gamma", "steps", "seeds", "seed"]) assert.ok(key in j.config, key);
  });

  it("prints a readable table without --json", () => {
    const r = cli("exact", "--seeds", "2", "--steps", "5", "--quiet");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reward\/step/);
    assert.match(r.stdout, /TFT-like/);
  });

  it("runs the tandem game", () => {
    const r = cli(
      "exact",
      "--game",
      "tandem",
      "--agents",
      "sos,sos",
      "--lr",
      "0.1",
      "--eta",
      "0.1",
      "--steps",
      "30",
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.final.theta.length, 100);
    assert.ok(Math.abs(j.summary.agent1.meanLoss) < 0.05);
  });

  const bad: [string, string[], RegExp][] = [
    ["γ outside [0, 1)", ["--gamma", "1.5"], /--gamma/],
    ["one learner", ["--agents", "lola"], /--agents/],
    ["unknown learner", ["--agents", "lola,bogus"], /allowed: naive, lola/],
    ["non-numeric lr", ["--lr", "fast"], /--lr/],
    ["unknown game", ["--game", "chess"], /--game/],
    ["bad payoffs", ["--payoffs", "1,2,x,4"], /--payoffs/],
    ["missing init file", ["--init-file", "/nonexistent/init.json"], /--init-file/],
    ["init file that is not JSON", ["--init-file", file("bad.json", "{theta")], /not valid JSON/],
    [
      "init file with the wrong shape",
      ["--init-file", file("short.json", '{"theta": [[1,2,3],[1,2,3,4,5]]}')],
      /5 numbers/,
    ],
    [
      "init file with a non-number",
      ["--init-file", file("nan.json", '{"theta": [[1,2,3,4,"x"],[1,2,3,4,5]]}')],
      /finite/,
    ],
    ["unknown flag", ["--bogus"], /unknown option/],
  ];
  for (const [label, args, message] of bad) {
    it(`exits 2 with a clear message: ${label}`, () => {
      const r = cli("exact", "--steps", "1", "--quiet", ...args);
      assert.equal(r.code, 2, `${label}: code ${r.code}, stderr ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // no stack trace
    });
  }
});

describe("shapelab explain", () => {
  it("reproduces the post's numbers from code", () => {
    const r = cli("explain", "--json");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(Math.abs(j.naiveGradient + 0.375) < 1e-12);
    assert.ok(Math.abs(j.postCrossTerm - 0.0234375) < 1e-12);
    assert.ok(Math.abs(j.betaFlip - 16) < 1e-9);
    assert.ok(Math.abs(j.lolaCorrectionTerm + 7 / 128) < 1e-12);
    assert.ok(Math.abs(j.advantageAlignment.aStar - 1.29) < 1e-9);
  });

  it("--beta scales the post's term; a bad --beta exits 2", () => {
    const j = JSON.parse(cli("explain", "--json", "--beta", "16").stdout);
    assert.ok(Math.abs(j.postUpdate) < 1e-12);
    assert.equal(cli("explain", "--beta", "x").code, 2);
  });
});
