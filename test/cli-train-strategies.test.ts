/**
 * `shapelab train` against any named strategy (spawns the built CLI): --agents entries that are not learner names
 * are strategy names; memory-one strategies train as `fixed` seats (exact values, P(C) defined), longer-memory ones
 * are played as themselves (sampled rewards only, no P(C) per state). Budget and thresholds as in
 * test/arena-strategies.test.ts (IPD R,S,T,P = 3,0,5,1, γ 0.96, 32 games × 30 steps, 100 updates, seed 5).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const budget = ["--game", "ipd", "--batch", "32", "--rollout", "30", "--updates", "100", "--seed", "5"];
const train = (...args: string[]) =>
  spawnSync(process.execPath, [cli, "train", ...budget, "--seeds", "2", "--quiet", ...args], {
    encoding: "utf8",
  });

function trainJson(agents: string, ...args: string[]) {
  const r = train("--agents", agents, "--json", ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** Mean over seeds of one agent's final reward per step (last 10 updates). */
const finalReward = (json: { final: { rewardPerStep: number[][] } }, agent: 0 | 1) =>
  json.final.rewardPerStep.reduce((s, seed) => s + seed[agent], 0) / json.final.rewardPerStep.length;

describe("shapelab train --agents with strategy names", () => {
  it("pg,Grudger: pg keeps cooperating (≈ 3 per step); Grudger is played as itself, without P(C) per state", () => {
    const j = trainJson("pg,Grudger");
    assert.deepEqual(j.config.names, ["pg", "Grudger"]);
    assert.deepEqual(j.config.agents[1], { name: "strategy", strategy: "Grudger", memoryDepth: "inf" });
    assert.equal(j.final.rewardSource, "sampled");
    assert.equal(j.rewardPerStep.exact, null);
    assert.equal(j.rewardPerStep.sampled.length, 100);
    const own = finalReward(j, 0);
    assert.ok(own > 2.85 && own <= 3, `pg vs Grudger ${own}`);
    assert.ok(finalReward(j, 1) > 2.85, `Grudger ${finalReward(j, 1)}`);
    for (const seed of j.final.pC) {
      assert.equal(seed[1], null, "no policy P(C) for Grudger");
      assert.equal(seed[0].length, 5);
      assert.ok(seed[0][1] > 0.9, `pg's P(C | CC) ${seed[0][1]}`);
    }
    // Grudger's own moves in the evaluation rollout: C from the start and after CC, D once it was defected on.
    for (const seed of j.final.empiricalPC) {
      assert.equal(seed[1][0], 1);
      assert.equal(seed[1][1], 1);
    }
    assert.ok(j.notes.some((n: string) => /Grudger\) is not memory-one \(memory depth inf\)/.test(n)));
  });

  it("pg learns the best replies to Cycler CCD (always D: 11/3 per step) and Tit For 2 Tats (D, C: 4)", () => {
    const cycler = trainJson("pg,Cycler CCD");
    assert.ok(Math.abs(finalReward(cycler, 0) - 11 / 3) < 0.08, `pg vs Cycler CCD ${finalReward(cycler, 0)}`);
    const tf2t = trainJson("pg,Tit For 2 Tats");
    assert.ok(finalReward(tf2t, 0) > 3.85, `pg vs Tit For 2 Tats ${finalReward(tf2t, 0)}`);
  });

  it("a strategy in seat 1: Grudger,pg learns as pg,Grudger; Tit For Tat,pg is a memory-one (fixed) seat", () => {
    const grudger = trainJson("Grudger,pg");
    assert.deepEqual(grudger.config.names, ["Grudger", "pg"]);
    assert.ok(finalReward(grudger, 1) > 2.85, `pg vs Grudger (seat 2) ${finalReward(grudger, 1)}`);
    assert.ok(grudger.final.pC.every((seed: unknown[]) => seed[0] === null && Array.isArray(seed[1])));

    const tft = trainJson("Tit For Tat,pg");
    assert.deepEqual(tft.config.agents[0], {
      name: "fixed",
      pC: [1, 1, 0, 1, 0],
      strategy: "Tit For Tat",
      memoryDepth: "1",
    });
    assert.equal(tft.final.rewardSource, "exact");
    assert.equal(tft.rewardPerStep.exact.length, 100);
    for (const seed of tft.final.pC) assert.deepEqual(seed[0], [1, 1, 0, 1, 0]);
    // Against Tit For Tat with γ = 0.96 cooperating is the best reply: mutual cooperation, 3 per step.
    assert.ok(finalReward(tft, 1) > 2.9, `pg vs Tit For Tat ${finalReward(tft, 1)}`);
    assert.deepEqual(tft.notes, []);
  });

  it("parameterised names: GTFT: 0.33 plays its own probabilities; a name with commas after ';'", () => {
    const gtft = trainJson("aa,gtft: 0.33", "--updates", "2");
    assert.deepEqual(gtft.config.names, ["aa", "GTFT: 0.33"]);
    for (const seed of gtft.final.pC) assert.deepEqual(seed[1], [1, 1, 0.33, 1, 0.33]);
    const memoryOne = trainJson("pg; MemoryOne: 1, 0, 1, 0, D", "--updates", "2");
    assert.deepEqual(memoryOne.config.agents[1].pC, [0, 1, 0, 1, 0]);
  });

  it("the summary says a longer-memory strategy has no P(C) per state, prints no NaN; --out draws it sensibly", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-train-strategy-"));
    try {
      const r = train("--agents", "aa,Tit For 2 Tats", "--updates", "5", "--out", dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stdout,
        /agent 2 \(Tit For 2 Tats\)\s+\S+ ± \S+\s+policy\s+not memory-one: no P\(C\) per state/,
      );
      assert.match(r.stdout, /sampled reward\/step, last 10/);
      assert.doesNotMatch(r.stdout, /NaN/);
      const csv = (name: string) =>
        readFileSync(join(dir, `${name}.csv`), "utf8")
          .trim()
          .split("\n")
          .slice(1);
      // Policy bars only for the learner; empirical bars for both; reward curves for both, finite.
      const bars = csv("tft-bars");
      assert.equal(bars.length, 5);
      assert.ok(bars.every((row) => row.startsWith("agent 1 (aa),")));
      assert.ok(csv("tft-bars-empirical").some((row) => row.startsWith("agent 2 (Tit For 2 Tats),")));
      const curves = csv("learning-curves");
      assert.equal(curves.length, 2 * 5);
      assert.ok(
        curves.every((row) => Number.isFinite(Number(row.split(",").at(-5)))),
        curves.join("\n"),
      );
      assert.match(readFileSync(join(dir, "tft-bars.vl.json"), "utf8"), /Tit For 2 Tats: not memory-one/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [agents, suggestion] of [
    ["pg,Grudgr", '"Grudger"'],
    ["pgg,Grudger", '"pg"'],
  ]) {
    it(`an unknown name (${agents}) exits 2 with one line naming --agents and suggesting ${suggestion}`, () => {
      const r = train("--agents", agents, "--updates", "1");
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, "");
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^shapelab: error: --agents: unknown agent ".+"; did you mean /);
      assert.ok(lines[0].includes(suggestion), lines[0]);
    });
  }

  it("a bad parameter of a known strategy is an --agents error too", () => {
    const r = train("--agents", "aa,GTFT: 2", "--updates", "1");
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /^shapelab: error: --agents: GTFT: expected a probability in \[0, 1\], got "2"\n$/,
    );
  });
});
