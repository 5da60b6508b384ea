/**
 * `shapelab train --env coin` end to end (spawns the built CLI) and the `coin-train` experiment kind on a tiny
 * budget: the agent file it writes plays in `match --env coin`; the --json numbers equal an in-process
 * `trainCoin` of the same options and leave no checkpoint behind; bad input exits with code 2 and a message
 * naming the field. (Resume after a kill is pinned in-process by test/neural-train.test.ts.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { coinTrainKind } from "../src/experiments/kinds/coinTrain.js";
import { trainCoin } from "../src/learners/neural/trainCoin.js";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
const dir = mkdtempSync(join(tmpdir(), "shapelab-neural-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const tiny = ["--env", "coin", "--a", "ppo", "--set", "width=4,epochs=1,minibatches=2,criticEpochs=1"];
const budget = ["--updates", "3", "--batch", "4", "--turns", "3", "--seed", "5", "--quiet"];

describe("train --env coin", () => {
  it("--json equals an in-process trainCoin; --out writes an agent file that plays in match --env coin", () => {
    const out = join(dir, "out");
    const r = run("train", ...tiny, ...budget, "--store", join(dir, "store"), "--out", out, "--json");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const direct = trainCoin({
      a: { learner: "ppo", config: { width: 4, epochs: 1, minibatches: 2, criticEpochs: 1 } },
      b: "self",
      env: { episodeSteps: 3 },
      updates: 3,
      batch: 4,
      seed: 5,
    });
    assert.deepEqual(j.curves, JSON.parse(JSON.stringify(direct.curves)));
    const written = JSON.parse(readFileSync(join(out, "agent-a.json"), "utf8"));
    assert.deepEqual(written.parameters, JSON.parse(direct.agent).parameters);
    const m = run(
      "match",
      "--env",
      "coin",
      "--a",
      join(out, "agent-a.json"),
      "--b",
      "always-defect",
      "--turns",
      "4",
      "--games",
      "8",
      "--json",
    );
    assert.equal(m.status, 0, m.stderr);
    assert.equal(JSON.parse(m.stdout).games, 8);
    const checkpoints = join(dir, "store", "checkpoints");
    assert.ok(
      !existsSync(checkpoints) || readdirSync(checkpoints).length === 0,
      "a finished run leaves no checkpoint",
    );
    assert.ok(JSON.parse(readFileSync(join(out, "train.json"), "utf8")).evaluation["always-defect"]);
  });

  it("bad input: exit 2 naming the field and what is allowed", () => {
    const cases: [string[], RegExp][] = [
      [["--a", "nope"], /--a: unknown value "nope"; allowed: ppo, ppo-sum, aa, paa/],
      [["--a", "aa", "--set", "betta=1"], /a\.config\.betta: unknown option; allowed: .*beta/],
      [["--a", "aa", "--set", "beta=-1"], /a\.config\.beta/],
      [["--a", "aa", "--preset", "huge"], /--preset: unknown value "huge"; allowed: small, paper/],
      [["--a", "aa", "--b", "sometimes"], /--b: unknown value "sometimes"/],
    ];
    for (const [args, message] of cases) {
      const r = run(
        "train",
        "--env",
        "coin",
        ...args,
        "--updates",
        "1",
        "--batch",
        "4",
        "--turns",
        "3",
        "--quiet",
      );
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, "no stack trace");
    }
  });
});

describe("coin-train kind", () => {
  it("a run returns the learner's final metrics, curves and the actor as the `agent` artifact", async () => {
    const config = {
      name: "t",
      kind: "coin-train",
      game: "ipd",
      gamma: 0.96,
      agents: [{ learner: "paa", width: 4, epochs: 1, minibatches: 2, criticEpochs: 1 }],
      budget: { updates: 2, batch: 4, turns: 3, evalGames: 4 },
      params: { opponent: "self" },
    };
    coinTrainKind.check?.(config);
    const result = await coinTrainKind.run(config, 1);
    assert.equal(typeof result.artifacts.agent, "string");
    assert.equal(result.artifacts.learner, "paa");
    assert.ok(Number.isFinite(result.final["reward.self"]));
    assert.ok(Number.isFinite(result.final["reward.always-defect"]));
    assert.equal(result.series.values["train.reward.1"].length, 2);
    assert.ok("diag.ppo.approxKl" in result.series.values && "diag.aa.quadrant.++" in result.series.values);
    assert.throws(
      () => coinTrainKind.check?.({ ...config, agents: [{ learner: "paa", betta: 1 }] }),
      /agents\[0\]\.betta/,
    );
  });
});
