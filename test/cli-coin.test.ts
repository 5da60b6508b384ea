/**
 * `shapelab match|tournament --env coin` end to end (spawns the built CLI): the JSON the issue asks for, lossless
 * numbers that agree with the in-process match, the human summary, and exit code 2 with a message naming the
 * allowed values for bad input.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

describe("coin CLI", () => {
  it("match --env coin --json: env, rewards, ownCoin, pickupsPerStep [a, b], games, turns (full float64)", () => {
    const args = [
      "--a",
      "always-defect",
      "--b",
      "always-cooperate",
      "--turns",
      "16",
      "--games",
      "512",
      "--seed",
      "0",
    ];
    const r = run("match", "--env", "coin", ...args, "--json");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.env, "coin");
    assert.equal(j.games, 512);
    assert.equal(j.turns, 16);
    const env = new CoinGameEnv({ episodeSteps: 16 });
    const direct = playCoinMatch(
      env,
      fixedCoinAgent("always-defect", env),
      fixedCoinAgent("always-cooperate", env),
      {
        games: 512,
        seed: 0,
      },
    );
    assert.deepEqual(j.rewards, direct.rewards);
    assert.deepEqual(j.ownCoin, direct.ownCoin);
    assert.deepEqual(j.pickupsPerStep, direct.pickupsPerStep);
    assert.equal(j.ownCoin[1], 1);
    const human = run("match", "--env", "coin", ...args);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /coin game 3×3 one-coin, 512 games × 16 turns/);
    assert.match(human.stdout, new RegExp(`always-defect\\s+${direct.rewards[0].toFixed(4)}`));
  });

  it("tournament --env coin --json: every pair of the fixed agents, matrices and a ranking", () => {
    const r = run("tournament", "--env", "coin", "--games", "256", "--json");
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.players, ["always-cooperate", "always-defect", "random"]);
    assert.equal(j.rewards.length, 3);
    assert.equal(j.rankedNames[0], "always-defect");
    assert.equal(j.ownCoin[0][1], 1);
    const human = run("tournament", "--env", "coin", "--games", "64", "--players", "random, always-defect");
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /1\s+always-defect/);
  });

  it("bad input exits 2 with one line naming the allowed values", () => {
    const cases: [string[], RegExp][] = [
      [
        ["match", "--env", "grid", "--a", "x", "--b", "y"],
        /--env: unknown value "grid"; allowed: iterated, coin/,
      ],
      [["tournament", "--env", "gridworld"], /--env: unknown value "gridworld"; allowed: iterated, coin/],
      [
        ["match", "--env", "coin", "--a", "Tit For Tat", "--b", "random"],
        /--a: unknown coin agent .*allowed: always-cooperate, always-defect, random/,
      ],
      [
        ["match", "--env", "coin", "--a", "random", "--b", "random", "--height", "1"],
        /--height: must be ≥ 2/,
      ],
      [
        ["match", "--env", "coin", "--a", "random", "--b", "random", "--variant", "x"],
        /--variant: .*allowed: one-coin, two-coins/,
      ],
      [
        ["match", "--env", "coin", "--a", "random", "--b", "random", "--game", "ipd"],
        /--game: applies to the iterated games/,
      ],
      [["tournament", "--env", "coin", "--players", "random, nope"], /--players: unknown coin agent "nope"/],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    }
  });
});
