/**
 * The pretrained pair shipped in experiments/agents/ (the demo's hook, src/node/demoCoin.ts): every file loads as
 * a width-32 Coin Game actor of the `small` preset, is labelled by the learner that trained it, and plays: in
 * 16-step games against Always-Defect and against itself it moves and picks coins up, and the demo's section
 * gives it a league row. What it scores is experiments/coin-train.md's business, not this test's.
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { playLeague } from "../src/arena/coinLeague.js";
import { loadNetwork } from "../src/nn/agentFile.js";
import { coinDemoSection, SHIPPED_AGENTS_DIR, shippedAgents } from "../src/node/demoCoin.js";

/** The shipped files (experiments/coin-train.md names them and how they were trained). */
const SHIPPED = ["aa-small.json", "paa-small.json"];
const SMALL_WIDTH = 32;

describe("the pretrained agents shipped in experiments/agents/", () => {
  const members = shippedAgents(SHIPPED_AGENTS_DIR);

  it("are the listed files, small, width-32 GRU actors of the small preset, labelled by their learner", () => {
    assert.deepEqual(
      members.map((m) => m.member),
      SHIPPED,
    );
    assert.deepEqual(
      members.map((m) => m.player),
      ["AA (aa-small.json)", "PAA (paa-small.json)"],
    );
    for (const m of members) {
      assert.ok("agentFile" in m.agent);
      const { network, config } = loadNetwork(m.agent.agentFile, undefined, m.member);
      assert.equal(network.architecture.kind, "gru");
      assert.equal(network.architecture.hidden, SMALL_WIDTH);
      assert.equal(network.architecture.inputs, 36); // the 3×3 board's 4 one-hot planes
      const env = (config as { env: { episodeSteps: number } }).env;
      assert.equal(env.episodeSteps, 16);
      assert.ok(
        statSync(join(SHIPPED_AGENTS_DIR, m.member)).size < 64 * 1024,
        `${m.member} is a few tens of KB`,
      );
    }
  });

  it("play: against Always-Defect and against each other they move and pick coins up, with finite rewards", () => {
    const league = [
      ...members,
      { player: "Always-Defect", member: "always-defect", agent: { fixed: "always-defect" as const } },
    ];
    const pairs = playLeague(league, {
      games: 32,
      turns: 16,
      height: 3,
      width: 3,
      seed: 0,
      bothSeats: false,
    });
    assert.equal(pairs.length, (league.length * (league.length + 1)) / 2);
    for (const p of pairs) {
      for (const seat of [0, 1] as const) {
        assert.ok(Number.isFinite(p.rewards[seat]), `pair ${p.a}-${p.b} seat ${seat} reward`);
        assert.ok(p.pickupsPerStep[seat] > 0, `pair ${p.a}-${p.b} seat ${seat} picks coins up`);
      }
    }
  });

  it("get league rows in the demo's Coin Game section", () => {
    const text = coinDemoSection();
    assert.match(text, /Pretrained agents shipped in/);
    for (const label of ["AA (aa-small.json)", "PAA (paa-small.json)"]) {
      const row = text.split("\n").find((l) => l.startsWith(`  ${label}`));
      assert.ok(row, `a row for ${label}`);
      assert.match(row, /-?\d\.\d\d \/ -?\d\.\d\d \(\d\.\d\d\)/);
    }
  });
});
