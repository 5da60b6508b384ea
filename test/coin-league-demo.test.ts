/**
 * The demo's Coin Game section (src/node/demoCoin.ts): the fixed agents' league rows, and the hook for shipped
 * pretrained agents: agent files in the agents folder get league rows equal to the league's own cells, labelled
 * by the learner their config names; without files the section says where to put them.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { FIXED_AGENT_LABELS, leagueCells, playLeague } from "../src/arena/coinLeague.js";
import { FIXED_COIN_AGENTS } from "../src/envs/coin/fixedAgents.js";
import { coinDemoSection, shippedAgents } from "../src/node/demoCoin.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";

const dir = mkdtempSync(join(tmpdir(), "shapelab-league-demo-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("demo: the Coin Game section", () => {
  it("without shipped agents: the fixed agents' rows, the published reference points, the commands", () => {
    const text = coinDemoSection(join(dir, "none"));
    assert.match(text, /Always-Defect\s+0\.6\d \/ -0\.2\d/);
    assert.match(text, /0\.631 \/ −0\.269/);
    assert.match(text, /No pretrained agents in .*none/);
    assert.match(text, /shapelab run coin-league/);
  });

  it("shipped agent files become players with league rows equal to the league's cells", () => {
    const agents = join(dir, "agents");
    mkdirSync(agents);
    ["aa", "ppo"].forEach((learner, k) => {
      const net = new RecurrentNet(coinActorArchitecture(36, 8));
      net.init(Rng.seeded(40 + k), "orthogonal", 1);
      writeFileSync(join(agents, `${learner}-small.json`), saveNetwork(net, { learner }, "test"));
    });
    writeFileSync(join(agents, "notes.txt"), "not an agent");
    const members = shippedAgents(agents);
    assert.deepEqual(
      members.map((m) => m.player),
      ["AA (aa-small.json)", "PPO (ppo-small.json)"],
    );
    const text = coinDemoSection(agents);
    const all = [
      ...members,
      ...FIXED_COIN_AGENTS.map((name) => ({
        player: FIXED_AGENT_LABELS[name],
        member: name,
        agent: { fixed: name },
      })),
    ];
    const cells = leagueCells(
      all,
      playLeague(all, { games: 256, turns: 16, height: 3, width: 3, seed: 0, bothSeats: false }),
    );
    const aaVsAd = cells[0][3];
    const expected = `${aaVsAd.rowReward.mean?.toFixed(2)} / ${aaVsAd.colReward.mean?.toFixed(2)}`;
    const row = text.split("\n").find((l) => l.startsWith("  AA (aa-small.json)"));
    assert.ok(row?.includes(expected), `${row} should hold ${expected}`);
  });
});
