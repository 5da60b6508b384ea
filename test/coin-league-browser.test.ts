/**
 * The Coin Game viewer (web/coin.html) in Debian's Chromium with two agent files: a saved GRU actor in each seat
 * plays the game `playCoinMatch` plays in Node, and the page's league row (the red agent against itself, the
 * blue agent and the fixed agents) equals the league's cells computed in Node with the same members and seed,
 * bit for bit (src/nn and src/arena are isomorphic).
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  FIXED_AGENT_LABELS,
  type LeagueMember,
  leagueCells,
  leagueEnv,
  playLeague,
} from "../src/arena/coinLeague.js";
import { FIXED_COIN_AGENTS } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { startExplorerServer } from "../src/node/explorerServer.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";
import { collectPageErrors, launchChromium, skipWithoutChromium } from "./browserHarness.js";

declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined>; value?: string } | null;
  querySelectorAll(selector: string): { length: number };
};

function gruText(seed: number): string {
  const net = new RecurrentNet(coinActorArchitecture());
  net.init(Rng.seeded(seed), "orthogonal", 1);
  return saveNetwork(net, {}, "test");
}

test("the Coin Game viewer: file against file, and the league row, as in Node", async (t) => {
  if (skipWithoutChromium(t)) return;
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(new URL("coin.html", explorer.url).href);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
    const red = gruText(31);
    const blue = gruText(32);
    await page.fill("#coin-seed", "7");
    for (const [seat, name, text] of [
      [1, "red.json", red],
      [2, "blue.json", blue],
    ] as const) {
      await page.setInputFiles(`#coin-file${seat}`, {
        name,
        mimeType: "application/json",
        buffer: Buffer.from(text),
      });
      await page.waitForFunction(
        ([id, value]) => document.getElementById(id)?.value === value,
        [`coin-agent${seat}`, `file: ${name}`] as const,
        { timeout: 20_000 },
      );
    }

    // File against file: the game of playCoinMatch with one game on seed 7.
    await page.click("#coin-end");
    await page.waitForFunction(() => document.getElementById("coin-summary")?.dataset.t === "16", undefined, {
      timeout: 20_000,
    });
    const env = leagueEnv({ turns: 16, height: 3, width: 3 });
    const game = playCoinMatch(
      env,
      neuralCoinAgentFromFile(red, env, "r"),
      neuralCoinAgentFromFile(blue, env, "b"),
      {
        games: 1,
        seed: 7,
      },
    );
    const summary = page.locator("#coin-summary");
    assert.equal(Number(await summary.getAttribute("data-reward0")), game.rewards[0] * 16);
    assert.equal(Number(await summary.getAttribute("data-reward1")), game.rewards[1] * 16);

    // The league row: 20 games per pair, the red agent's row of the league's cells.
    await page.fill("#league-games", "20");
    await page.click("#league-run");
    await page.waitForFunction(
      () => document.querySelectorAll("#league-table tbody tr").length === 5,
      undefined,
      {
        timeout: 30_000,
      },
    );
    const members: LeagueMember[] = [
      { player: "red: red_json", member: "red.json", agent: { agentFile: red } },
      { player: "blue: blue_json", member: "blue.json", agent: { agentFile: blue } },
      ...FIXED_COIN_AGENTS.map((name) => ({
        player: FIXED_AGENT_LABELS[name],
        member: name,
        agent: { fixed: name },
      })),
    ];
    const cells = leagueCells(
      members,
      playLeague(members, { games: 20, turns: 16, height: 3, width: 3, seed: 7, bothSeats: false }),
    );
    const rows = page.locator("#league-table tbody tr");
    for (let q = 0; q < 5; q++) {
      const row = rows.nth(q);
      assert.equal(await row.getAttribute("data-opponent"), cells[0][q].col);
      assert.equal(await row.getAttribute("data-reward"), String(cells[0][q].rowReward.mean));
      assert.equal(await row.getAttribute("data-opponent-reward"), String(cells[0][q].colReward.mean));
      assert.equal(await row.getAttribute("data-own-coin"), String(cells[0][q].rowOwnCoin.mean));
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await explorer.close();
  }
});
