/**
 * The explorer page end to end in Debian's Chromium (driven by playwright-core, which downloads no browser): the
 * page loads without console or page errors, opens on the LOLA paper's result (LOLA–LOLA ≈ −1.05 per step),
 * shows defection (−2) for naive learners, rejects an out-of-range field with a message naming it, and its phase
 * portrait of matching pennies with LOLA learners draws a trajectory that ends at (0.5, 0.5).
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing (`npm test` must pass on a fresh machine).
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { startExplorerServer } from "../src/node/explorerServer.js";
import { collectPageErrors, launchChromium, skipWithoutChromium } from "./browserHarness.js";

/**
 * The little of the DOM that the functions run inside the page use (this file compiles without the DOM library,
 * like the rest of test/).
 */
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelectorAll(selector: string): { length: number };
};

/** Wait for the dynamics panel to finish its run number `runs` and return its final mean rewards. */
async function rewardsAfterRun(page: Page, runs: number): Promise<{ learners: string; rewards: number[] }> {
  const summary = page.locator("#dyn-summary");
  await page.waitForFunction(
    (n) => Number(document.getElementById("dyn-summary")?.dataset.runs ?? 0) >= n,
    runs,
    { timeout: 20_000 },
  );
  return {
    learners: (await summary.getAttribute("data-learners")) ?? "",
    rewards: [
      Number(await summary.getAttribute("data-reward1")),
      Number(await summary.getAttribute("data-reward2")),
    ],
  };
}

test("the explorer page in Chromium: IPD dynamics and the matching-pennies phase portrait", async (t) => {
  if (skipWithoutChromium(t)) return;
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    const errors = collectPageErrors(page);
    await page.goto(explorer.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });

    // Opens on the LOLA paper's setting: LOLA vs LOLA on ipd-lola, ≈ −1.05 per step.
    const lola = await rewardsAfterRun(page, 1);
    assert.equal(lola.learners, "lola,lola");
    for (const r of lola.rewards) assert.ok(r >= -1.15 && r <= -0.95, `LOLA–LOLA reward ${r}`);
    assert.equal(await page.locator("#dyn-rewards svg path.line").count(), 2);
    assert.equal(await page.locator("#dyn-pc svg rect[fill]").count(), 10);

    // Naive vs naive defects: −2 per step.
    await page.selectOption("#dyn-agent1", "naive");
    await page.selectOption("#dyn-agent2", "naive");
    await page.waitForFunction(
      () => document.getElementById("dyn-summary")?.dataset.learners === "naive,naive",
      undefined,
      { timeout: 20_000 },
    );
    const naive = await rewardsAfterRun(page, 2);
    for (const r of naive.rewards) assert.ok(Math.abs(r + 2) < 0.02, `NL–NL reward ${r}`);

    // An out-of-range field: a message naming it, no new plot.
    await page.fill("#dyn-gamma", "1.5");
    await page.waitForSelector("#dyn-message:not([hidden])", { timeout: 20_000 });
    assert.match(
      (await page.locator("#dyn-message").textContent()) ?? "",
      /^γ: must be in \[0, 0\.999\], got 1\.5$/,
    );
    assert.equal(await page.locator("#dyn-results.stale").count(), 1);

    // Phase portrait: matching pennies (the default game), LOLA vs LOLA; click a start point at about (0.2, 0.8).
    assert.equal(await page.inputValue("#pp-game"), "imp");
    assert.ok((await page.locator("#pp-plot svg .field path").count()) > 100);
    const before = await page.locator("#pp-plot g.trajectory").count();
    const box = (await page.locator("#pp-plot svg").boundingBox())!;
    // The plot area's margins are left 52, right 14, top 12, bottom 40 of a 460 × 460 viewBox.
    const scale = box.width / 460;
    await page.mouse.click(box.x + (52 + 0.2 * 394) * scale, box.y + (12 + 0.2 * 408) * scale);
    const trajectories = page.locator("#pp-plot g.trajectory");
    await page.waitForFunction((n) => document.querySelectorAll("#pp-plot g.trajectory").length > n, before, {
      timeout: 20_000,
    });
    const clicked = trajectories.nth(before);
    const end = [
      Number(await clicked.getAttribute("data-end-x")),
      Number(await clicked.getAttribute("data-end-y")),
    ];
    for (const v of end) assert.ok(Math.abs(v - 0.5) < 0.02, `LOLA on imp ends at (${end.join(", ")})`);
    assert.match(
      (await page.locator("#pp-trajectories li").nth(before).textContent()) ?? "",
      /from \(0\.(19|20)\d, 0\.(79|80)\d\)/,
    );

    // A picture of the final page for whoever debugs a failure.
    await page.screenshot({ path: join(tmpdir(), "shapelab-explore-browser.png"), fullPage: true });

    // The portrait rejects an out-of-range field the same way.
    await page.fill("#pp-lr", "0");
    await page.waitForSelector("#pp-message:not([hidden])", { timeout: 20_000 });
    assert.equal(await page.locator("#pp-message").textContent(), "lr: must be in (0, 10], got 0");
    assert.equal(await page.locator("#pp-plot.stale").count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await explorer.close();
  }
});
