/** The arena's commands end to end: JSON shapes and exit codes (spawns the built CLI). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

describe("arena CLI", () => {
  it("match --json has scores [a, b] and actions [a, b]", () => {
    const r = run("match", "--a", "Tit For Tat", "--b", "Alternator", "--turns", "5", "--json");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.scores, [13, 13]);
    assert.deepEqual(j.actions, ["CCDCD", "CDCDC"]);
    assert.equal(j.winner, null);
  });

  it("tournament --json has rankedNames, normalisedScores (given order), payoffMatrix, wins, cooperation; --out writes the heatmap", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-tournament-"));
    try {
      const players = "Cooperator, Defector, Tit For Tat";
      const r = run(
        "tournament",
        "--players",
        players,
        "--turns",
        "10",
        "--repetitions",
        "2",
        "--json",
        "--out",
        dir,
      );
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepEqual(j.config.players, ["Cooperator", "Defector", "Tit For Tat"]);
      assert.deepEqual(j.rankedNames, ["Defector", "Tit For Tat", "Cooperator"]);
      assert.equal(j.normalisedScores[0], 1.5);
      assert.ok(Math.abs(j.normalisedScores[1] - 3.2) < 1e-12);
      assert.deepEqual(j.payoffMatrix[0], [3, 0, 3]);
      assert.deepEqual(j.wins, [0, 4, 0]);
      assert.equal(j.cooperation[0], 1);
      assert.equal(j.cooperation[1], 0);
      for (const ext of ["svg", "png", "csv"]) assert.ok(existsSync(join(dir, `payoff-matrix.${ext}`)), ext);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tournament gives the same JSON with --workers 0 and --workers 2", () => {
    const args = ["tournament", "--players", "Random: 0.5, GTFT, Grudger, Alternator", "--turns", "30"];
    const a = run(...args, "--repetitions", "3", "--noise", "0.1", "--seed", "5", "--workers", "0", "--json");
    const b = run(...args, "--repetitions", "3", "--noise", "0.1", "--seed", "5", "--workers", "2", "--json");
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });

  it("unknown names exit 2 with the closest names suggested", () => {
    const r = run("match", "--a", "Tit For Tatt", "--b", "Grudger");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown strategy "Tit For Tatt"; did you mean "Tit For Tat"/);
    const t = run("tournament", "--players", "Grudger, Prober, Cycler CXD", "--turns", "5");
    assert.equal(t.status, 2);
    assert.match(t.stderr, /--players/);
    const n = run("tournament", "--turns", "-3");
    assert.equal(n.status, 2);
  });

  it("arena --json: cross-play matrix with both sides' rewards and the catalyst measure; bad entrants exit 2", () => {
    const r = run(
      "arena",
      "--entrants",
      "Cooperator, Tit For Tat, pg, aa",
      "--seeds",
      "2",
      "--updates",
      "20",
      "--batch",
      "16",
      "--rollout",
      "20",
      "--eval-turns",
      "50",
      "--workers",
      "0",
      "--json",
    );
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.entrants, ["Cooperator", "Tit For Tat", "naive PG", "AA"]);
    assert.equal(j.rowReward.length, 4);
    assert.equal(j.colReward[0][1], 3);
    assert.equal(j.catalyst[0].shaper, "AA");
    assert.equal(j.catalyst[0].mean.length, 4);
    const bad = run("arena", "--entrants", "Cooperator, lola-dise");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /did you mean "lola-dice"/);
  });

  it("moran --json reaches fixation; --ecological gives replicator shares", () => {
    const r = run(
      "moran",
      "--population",
      "Tit For Tat=3, Defector=2, Cooperator=2",
      "--turns",
      "20",
      "--seed",
      "1",
      "--json",
    );
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.types, ["Tit For Tat", "Defector", "Cooperator"]);
    assert.deepEqual(j.populations[0], [3, 2, 2]);
    assert.ok(j.winner !== null);
    const e = run(
      "moran",
      "--population",
      "Tit For Tat, Defector",
      "--ecological",
      "--steps",
      "50",
      "--json",
    );
    assert.equal(e.status, 0, e.stderr);
    const shares = JSON.parse(e.stdout).shares;
    assert.equal(shares.length, 51);
    assert.ok(Math.abs(shares[50][0] + shares[50][1] - 1) < 1e-12);
    assert.equal(run("moran", "--population", "Tit For Tat=0, Defector").status, 2);
  });

  it("strategies --json lists the zoo with classifiers", () => {
    const r = run("strategies", "--json");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const tft = j.strategies.find((s: { name: string }) => s.name === "Tit For Tat");
    assert.deepEqual([tft.memoryDepth, tft.stochastic], [1, false]);
    assert.ok(j.strategies.some((s: { name: string }) => s.name === "GTFT: 0.33"));
  });
});
