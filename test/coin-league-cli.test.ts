/**
 * Agent files in `shapelab match --env coin` and `shapelab tournament --env coin` (src/cli/commands/coinMatch.ts):
 * a round robin of saved GRU actors and fixed agents gives, losslessly in `--json`, the numbers of a direct
 * computation on the same streams and the numbers of the `coin-league` kind on the same members, self-play of a
 * recurrent agent included (each seat has its own hidden state).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type LeagueMember, leagueEnv, playLeague } from "../src/arena/coinLeague.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";

const dir = mkdtempSync(join(tmpdir(), "shapelab-league-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

function gruFile(name: string, seed: number): { path: string; text: string } {
  const net = new RecurrentNet(coinActorArchitecture(36, 8));
  net.init(Rng.seeded(seed), "orthogonal", 1);
  const text = saveNetwork(net, { learner: "test" }, "test");
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, text };
}

describe("coin match and tournament with agent files", () => {
  const a = gruFile("a.json", 21);
  const b = gruFile("b.json", 22);

  it("tournament --env coin: files and fixed agents, every pair once, lossless --json equal to the league", () => {
    const r = run(
      "tournament",
      "--env",
      "coin",
      "--players",
      `${a.path},always-defect,${b.path}`,
      "--games",
      "24",
      "--seed",
      "4",
      "--json",
    );
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.command, "tournament");
    assert.deepEqual(j.config.players, [a.path, "always-defect", b.path]);
    assert.equal(j.config.turns, 16);
    const env = leagueEnv({ turns: 16, height: 3, width: 3 });
    // Directly: a (seat a) against itself (seat b, a second copy) and against always-defect, same streams.
    const self = playCoinMatch(
      env,
      neuralCoinAgentFromFile(a.text, env, "a"),
      neuralCoinAgentFromFile(a.text, env, "a"),
      {
        games: 24,
        seed: 4,
        keys: [0, 0],
      },
    );
    assert.deepEqual([j.rewards[0][0]], [self.rewards[0]]);
    const vsAd = playCoinMatch(
      env,
      neuralCoinAgentFromFile(a.text, env, "a"),
      fixedCoinAgent("always-defect", env),
      {
        games: 24,
        seed: 4,
        keys: [0, 1],
      },
    );
    assert.equal(j.rewards[0][1], vsAd.rewards[0]);
    assert.equal(j.rewards[1][0], vsAd.rewards[1]);
    assert.equal(j.ownCoin[0][1], vsAd.ownCoin[0]);
    // The league kind plays the same pairs on the same streams: the same numbers, bit for bit.
    const members: LeagueMember[] = [
      { player: "a", member: "a", agent: { agentFile: a.text } },
      { player: "always-defect", member: "ad", agent: { fixed: "always-defect" } },
      { player: "b", member: "b", agent: { agentFile: b.text } },
    ];
    const pairs = playLeague(members, {
      turns: 16,
      games: 24,
      height: 3,
      width: 3,
      seed: 4,
      bothSeats: false,
    });
    for (const p of pairs) {
      assert.equal(j.rewards[p.a][p.b], p.rewards[0], `pair ${p.a}, ${p.b}`);
      assert.equal(j.rewards[p.b][p.a] ?? null, p.a === p.b ? j.rewards[p.a][p.a] : p.rewards[1]);
      assert.equal(j.pickupsPerStep[p.a][p.b], p.pickupsPerStep[0]);
    }
  });

  it("match --env coin --a file --b file: the document of every --json, equal to a direct match", () => {
    const r = run(
      "match",
      "--env",
      "coin",
      "--a",
      a.path,
      "--b",
      b.path,
      "--games",
      "32",
      "--turns",
      "50",
      "--json",
    );
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.command, "match");
    assert.equal(j.config.b, b.path);
    const env = leagueEnv({ turns: 50, height: 3, width: 3 });
    const direct = playCoinMatch(
      env,
      neuralCoinAgentFromFile(a.text, env, "a"),
      neuralCoinAgentFromFile(b.text, env, "b"),
      {
        games: 32,
        seed: 0,
      },
    );
    assert.deepEqual(j.rewards, direct.rewards);
    assert.deepEqual(j.ownCoin, direct.ownCoin);
  });

  it("a file of the wrong shape: exit 2, one line naming the flag", () => {
    const net = new RecurrentNet(coinActorArchitecture(16, 8)); // a 2×2 board's actor
    net.init(Rng.seeded(1), "orthogonal", 1);
    const wrong = join(dir, "wrong.json");
    writeFileSync(wrong, saveNetwork(net, {}, "test"));
    const r = run("tournament", "--env", "coin", "--players", `random,${wrong}`, "--games", "4");
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /--players: the network maps 16 inputs to 4 actions; this 3×3 one-coin game needs 36/,
    );
  });
});
