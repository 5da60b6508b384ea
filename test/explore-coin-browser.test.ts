/**
 * The Coin Game viewer (web/coin.html) in Debian's Chromium: it loads without errors from the explorer's index
 * link, steps a game one turn at a time, and its final rewards and pickups for a seed are exactly those of the
 * library's `playCoinMatch` with one game in Node (same env, agents and random streams in both engines), for
 * fixed agents and for a neural agent file loaded into a seat.
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";
import { startExplorerServer } from "../src/node/explorerServer.js";
import { collectPageErrors, launchChromium, skipWithoutChromium } from "./browserHarness.js";

declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
};

test("the Coin Game viewer in Chromium plays the same game as the library in Node", async (t) => {
  if (skipWithoutChromium(t)) return;
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(explorer.url);
    await page.click('a[href$="coin.html"]');
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
    const summary = page.locator("#coin-summary");
    assert.equal(await summary.getAttribute("data-t"), "0");
    assert.equal(await page.locator("#coin-board svg rect.agent").count(), 2);
    assert.equal(await page.locator("#coin-board svg circle.coin").count(), 1);

    // Step by step.
    await page.click("#coin-step");
    await page.click("#coin-step");
    assert.equal(await summary.getAttribute("data-t"), "2");
    assert.equal(await page.locator("#coin-log li").count(), 2);

    for (const [a, b, seed] of [
      ["always-defect", "always-cooperate", 3],
      ["random", "always-defect", 11],
    ] as const) {
      await page.selectOption("#coin-agent1", a);
      await page.selectOption("#coin-agent2", b);
      await page.fill("#coin-seed", String(seed));
      await page.dispatchEvent("#coin-seed", "change");
      await page.click("#coin-end");
      await page.waitForFunction(
        () => document.getElementById("coin-summary")?.dataset.t === "16",
        undefined,
        {
          timeout: 20_000,
        },
      );
      const env = new CoinGameEnv({ episodeSteps: 16 });
      const r = playCoinMatch(env, fixedCoinAgent(a, env), fixedCoinAgent(b, env), { games: 1, seed });
      assert.equal(Number(await summary.getAttribute("data-reward0")), r.rewards[0] * 16, `${a} vs ${b}`);
      assert.equal(Number(await summary.getAttribute("data-reward1")), r.rewards[1] * 16, `${a} vs ${b}`);
      const picks = [
        r.ownPickupsPerStep[0],
        r.otherPickupsPerStep[0],
        r.ownPickupsPerStep[1],
        r.otherPickupsPerStep[1],
      ];
      assert.equal(await summary.getAttribute("data-pickups"), picks.map((x) => x * 16).join(","));
    }

    // A saved neural agent (a GRU actor) loaded from a file into the blue seat plays as it does in Node.
    const net = new RecurrentNet(coinActorArchitecture());
    net.init(Rng.seeded(8), "orthogonal", 1);
    const text = saveNetwork(net, {}, "test");
    await page.selectOption("#coin-agent1", "always-defect");
    await page.fill("#coin-seed", "5");
    await page.setInputFiles("#coin-file2", {
      name: "gru.json",
      mimeType: "application/json",
      buffer: Buffer.from(text),
    });
    await page.waitForFunction(
      () =>
        (document.getElementById("coin-agent2") as unknown as { value: string }).value === "file: gru.json",
      undefined,
      { timeout: 20_000 },
    );
    await page.click("#coin-end");
    await page.waitForFunction(() => document.getElementById("coin-summary")?.dataset.t === "16", undefined, {
      timeout: 20_000,
    });
    const env = new CoinGameEnv({ episodeSteps: 16 });
    const neural = playCoinMatch(
      env,
      fixedCoinAgent("always-defect", env),
      neuralCoinAgentFromFile(text, env, "gru.json"),
      { games: 1, seed: 5 },
    );
    assert.equal(Number(await summary.getAttribute("data-reward0")), neural.rewards[0] * 16);
    assert.equal(Number(await summary.getAttribute("data-reward1")), neural.rewards[1] * 16);

    // A bad field: a message naming it.
    await page.fill("#coin-height", "1");
    await page.dispatchEvent("#coin-height", "change");
    await page.waitForSelector("#coin-message:not([hidden])", { timeout: 20_000 });
    assert.equal(await page.locator("#coin-message").textContent(), "height: must be in [2, 8], got 1");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await explorer.close();
  }
});
