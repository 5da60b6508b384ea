/**
 * The Commons Harvest viewer (web/commons.html) in Debian's Chromium: it loads without errors from the explorer's
 * index link; a simulated episode's final live apples and focal / background returns for a seed are exactly those
 * of the library's `rolloutCommons` with one game in Node (same env, agents and random streams in both engines);
 * and a `commons-harvest` run's `episodes` artifact loaded from a file replays frame by frame to its last frame.
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CommonsHarvestEnv, OPEN_PARAMS } from "../src/envs/commons/env.js";
import { fixedCommonsAgent } from "../src/envs/commons/fixedAgents.js";
import { COMMONS_MAPS, parseCommonsMap } from "../src/envs/commons/map.js";
import { commonsHarvestKind } from "../src/experiments/kinds/commonsHarvest.js";
import { rolloutCommons } from "../src/learners/neural/commonsRollout.js";
import { COMMONS_TRAIN_STREAM } from "../src/learners/neural/trainCommons.js";
import { startExplorerServer } from "../src/node/explorerServer.js";
import { collectPageErrors, launchChromium, skipWithoutChromium } from "./browserHarness.js";

declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
};

/** What the page shows at the end of a simulated episode, computed in Node. */
function nodeEpisode(focal: string, background: string, steps: number, seed: number) {
  const map = parseCommonsMap("small", COMMONS_MAPS.small);
  const regrowth = OPEN_PARAMS.regrowth.map((p) => Math.min(1, p * 4)) as [number, number, number, number];
  const env = new CommonsHarvestEnv(map, { ...OPEN_PARAMS, episodeSteps: steps, regrowth });
  const seats = Array.from({ length: 7 }, (_, i) => ({
    agent: fixedCommonsAgent(i < 5 ? focal : background, env),
  }));
  const r = rolloutCommons(env, seats, { games: 1, seed, keys: [COMMONS_TRAIN_STREAM.eval] });
  const e = r.episodes[0];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    apples: e.liveApples[steps - 1],
    focal: mean(e.returns.slice(0, 5)),
    background: mean(e.returns.slice(5)),
  };
}

test("the Commons Harvest viewer in Chromium replays the library's episodes", async (t) => {
  if (skipWithoutChromium(t)) return;
  const dir = mkdtempSync(join(tmpdir(), "shapelab-commons-view-"));
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(explorer.url);
    await page.click('a[href$="commons.html"]');
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
    const summary = page.locator("#commons-summary");
    assert.equal(await summary.getAttribute("data-t"), "0");
    assert.equal(await page.locator("#commons-board svg circle.agent").count(), 7);
    await page.click("#commons-step");
    await page.click("#commons-step");
    assert.equal(await summary.getAttribute("data-t"), "2");

    for (const [focal, background, seed] of [
      ["sustainable", "greedy", 3],
      ["greedy-zapper", "random", 8],
    ] as const) {
      await page.selectOption("#commons-focal", focal);
      await page.selectOption("#commons-background", background);
      await page.fill("#commons-steps", "60");
      await page.fill("#commons-seed", String(seed));
      await page.dispatchEvent("#commons-seed", "change");
      await page.click("#commons-end");
      await page.waitForFunction(
        () => document.getElementById("commons-summary")?.dataset.t === "60",
        undefined,
        {
          timeout: 20_000,
        },
      );
      const expected = nodeEpisode(focal, background, 60, seed);
      assert.equal(Number(await summary.getAttribute("data-apples")), expected.apples, `${focal} apples`);
      assert.equal(Number(await summary.getAttribute("data-focal")), expected.focal, `${focal} focal return`);
      assert.equal(Number(await summary.getAttribute("data-background")), expected.background);
    }

    // A run's episodes artifact, loaded from a file: pick the PAA episode, play it to its last frame.
    const run = await commonsHarvestKind.run(
      {
        name: "commons-view",
        kind: "commons-harvest",
        game: "ipd",
        gamma: 0.96,
        agents: [
          { learner: "ppo", width: 8, minibatches: 2 },
          { learner: "paa", width: 8, minibatches: 2 },
        ],
        budget: { updates: 1, games: 2, evalGames: 2 },
        params: { episodeSteps: 15 },
      },
      0,
    );
    const file = join(dir, "episodes.json");
    writeFileSync(file, JSON.stringify(run.artifacts.episodes));
    await page.setInputFiles("#commons-file", file);
    await page.waitForFunction(
      () => document.getElementById("commons-summary")?.dataset.frames === "16",
      undefined,
      {
        timeout: 20_000,
      },
    );
    await page.selectOption("#commons-source", "paa");
    await page.click("#commons-end");
    assert.equal(await summary.getAttribute("data-t"), "15");
    const frames = (run.artifacts.episodes as { runs: Record<string, { apples: string }[]> }).runs.paa;
    const last = [...frames[15].apples].filter((c) => c === "1").length;
    assert.equal(Number(await summary.getAttribute("data-apples")), last);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await explorer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
