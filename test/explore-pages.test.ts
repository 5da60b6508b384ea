/**
 * The explorer's three pages in Debian's Chromium (playwright-core), each against the CLI's `--json` for the same
 * settings and seed: the numbers must be EQUAL, not close (src/util/elementary.ts and src/util/rng.ts make Node and
 * Chromium compute the same bits). Each page is opened from a shared link (settings in the query string), and its
 * exports are checked: the JSON export is lossless (it equals the CLI's numbers), the CSV has a row per record, the
 * SVG is a standalone document and the PNG a PNG of twice the figure's size.
 *
 * - exact learners (index.html): `shapelab exact` rewards per seed and their mean, preset and typed payoffs;
 * - sampled learners (sampled.html, in a Web Worker): `shapelab train` final rewards, P(C) and AA quadrant shares;
 *   a long run is cancelled from the page; a bad field names itself;
 * - tournament (tournament.html): `shapelab tournament` ranking, median scores and payoff matrix; a clicked cell
 *   shows the moves of that match (equal to the same replay in Node).
 *
 * Skipped, with the command to fix it, when /usr/bin/chromium is missing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { type ExplorerServer, startExplorerServer } from "../src/node/explorerServer.js";
import { PACKAGE_ROOT } from "../src/node/version.js";
import { trainSeatsFromFlags } from "../src/cli/trainSeats.js";
import { gamePreset } from "../src/games/presets.js";
import { finalValues } from "../src/learners/sampled/summary.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import { defaultPortraitSettings } from "../web/portraitModel.js";
import { tournamentMatch } from "../web/tournamentModel.js";

declare const document: {
  getElementById(
    id: string,
  ): { dataset: Record<string, string | undefined>; textContent: string | null } | null;
};

/** A command's --json document (its shape is the command's; the tests read the fields they compare). */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of another program, read field by field
type CliJson = Record<string, any>;

const CHROMIUM = "/usr/bin/chromium";
const CLI = join(PACKAGE_ROOT, "dist", "src", "cli", "main.js");
const available = existsSync(CHROMIUM);
const skip = available ? false : `${CHROMIUM} not found; install it with: apt-get install chromium`;

let explorer: ExplorerServer;
let browser: Browser;
before(async () => {
  if (!available) return;
  explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
});
after(async () => {
  if (!available) return;
  await browser.close();
  await explorer.close();
});

/** The CLI's JSON output for these arguments. */
function cli(...args: string[]): CliJson {
  const run = spawnSync(process.execPath, [CLI, ...args, "--json", "--quiet"], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** A fresh page that records every error; `errors` must stay empty. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  await page.goto(new URL(path, explorer.url).href);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  return { page, errors };
}

async function runsDone(page: Page, id: string, runs: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    ([element, n]) => Number(document.getElementById(element as string)?.dataset.runs ?? 0) >= (n as number),
    [id, runs],
    { timeout },
  );
}

/** Click an export button and return the downloaded file's name and bytes. */
async function exported(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

const text = (file: { bytes: Buffer }) => file.bytes.toString("utf8");

/** A PNG's width and height from its IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  assert.equal(bytes.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "PNG signature");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test("exact learners page: a shared link reproduces `shapelab exact` bit for bit, with custom payoffs; exports", {
  skip,
}, async () => {
  const query =
    "?dyn-game=ipd-lola&dyn-agent1=lola&dyn-agent2=naive&dyn-lr1=0.5&dyn-lr2=0.5&dyn-steps=60&dyn-seeds=8&dyn-seed=2";
  const { page, errors } = await openPage(`/${query}`);
  try {
    await runsDone(page, "dyn-summary", 1);
    assert.equal(await page.inputValue("#dyn-lr1"), "0.5");
    assert.equal(await page.inputValue("#dyn-agent2"), "naive");
    const args = ["--agents", "lola,naive", "--lr", "0.5", "--steps", "60", "--seeds", "8", "--seed", "2"];
    const reference = cli("exact", "--game", "ipd-lola", ...args);
    const summary = page.locator("#dyn-summary");
    assert.equal(Number(await summary.getAttribute("data-reward1")), reference.summary.agent1.mean);
    assert.equal(Number(await summary.getAttribute("data-reward2")), reference.summary.agent2.mean);
    // The URL now holds every setting of both panels (so it can be shared as it is).
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("dyn-seed"), "2");
    assert.equal(url.searchParams.get("pp-game"), "imp");

    // Lossless JSON export: each seed's final reward is the CLI's, bit for bit.
    const json = JSON.parse(text(await exported(page, "#dyn-export-json")));
    assert.deepEqual(json.rewardPerStep, reference.rewardPerStep);
    assert.equal(json.settings.lr[0], 0.5);
    const csv = text(await exported(page, "#dyn-export-csv"))
      .trim()
      .split("\n");
    assert.equal(csv[0], "update,agent1_mean,agent1_sd,agent2_mean,agent2_sd");
    assert.equal(csv.length, 1 + 61);
    assert.equal(Number(csv[61].split(",")[1]), reference.summary.agent1.mean);
    const svg = await exported(page, "#dyn-export-rewards-svg");
    assert.equal(svg.name, "shapelab-dynamics-rewards.svg");
    assert.match(text(svg), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><style>/);
    assert.deepEqual(pngSize((await exported(page, "#dyn-export-pc-png")).bytes), [840, 600]);

    // Typed payoffs: the seed post's IPD (3, 0, 5, 1) as the CLI's --payoffs.
    await page.fill("#dyn-payoffs", "3,0,5,1");
    await runsDone(page, "dyn-summary", 2);
    const typed = cli("exact", "--payoffs", "3,0,5,1", ...args);
    assert.equal(Number(await summary.getAttribute("data-reward1")), typed.summary.agent1.mean);
    assert.equal(Number(await summary.getAttribute("data-reward2")), typed.summary.agent2.mean);
    assert.equal(new URL(page.url()).searchParams.get("dyn-payoffs"), "3,0,5,1");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("a mistyped shared link names the bad value; a linked plane brings its own defaults", {
  skip,
}, async () => {
  const { page, errors } = await openPage("/?dyn-game=nope&pp-game=tandem");
  try {
    await page.waitForSelector("#dyn-message:not([hidden])", { timeout: 20_000 });
    assert.match(
      (await page.textContent("#dyn-message")) ?? "",
      /^game: unknown value "nope"; allowed: ipd, /,
    );
    assert.equal(await page.inputValue("#pp-game"), "tandem");
    assert.equal(Number(await page.inputValue("#pp-lr")), defaultPortraitSettings("tandem").lr);
    assert.deepEqual(errors, []);
    await page.goto(new URL("/tournament.html?tn-players=Tit%20For%20Tat;Grudgr", explorer.url).href);
    await page.waitForSelector("#tn-message:not([hidden])", { timeout: 20_000 });
    assert.match((await page.textContent("#tn-message")) ?? "", /unknown strategy "Grudgr".*Grudger/);
  } finally {
    await page.close();
  }
});

test("sampled learners page: the worker's AA run equals `shapelab train`; progress, cancel, a bad field; exports", {
  skip,
}, async () => {
  const { page, errors } = await openPage(
    "/sampled.html?sm-batch=16&sm-rollout=30&sm-updates=20&sm-seeds=2&sm-seed=1",
  );
  try {
    await runsDone(page, "sm-summary", 1);
    assert.equal(await page.getAttribute("#sm-status", "data-state"), "idle");
    assert.equal(await page.evaluate("document.getElementById('sm-progress').value"), 20);
    const reference = cli(
      "train",
      ...[
        "--game",
        "ipd-lola",
        "--agents",
        "aa,aa",
        "--lr",
        "0.5",
        "--beta",
        "2",
        "--aa-variant",
        "running-mean",
      ],
      ...[
        "--aa-past",
        "opponent-action",
        "--init",
        "zeros",
        "--batch",
        "16",
        "--rollout",
        "30",
        "--updates",
        "20",
      ],
      ...["--seeds", "2", "--seed", "1"],
    );
    const json = JSON.parse(text(await exported(page, "#sm-export-json")));
    // First against the same run in this Node process, seated as `shapelab train` seats its flags (so a failure
    // below that this passes is the CLI's output, not the numbers).
    const game = gamePreset("ipd-lola");
    const seats = trainSeatsFromFlags(
      {
        ...{ agents: "aa,aa", lr: "0.5", beta: "2", aaVariant: "running-mean", aaPast: "opponent-action" },
        ...{ gamma: "0.96", seeds: "2", seed: "1", batch: "16", rollout: "30", updates: "20", init: "zeros" },
        ...{ discountSteps: true, magicBox: true },
      },
      game,
    );
    const inNode = trainSampled({
      ...{ game, gamma: 0.96, learners: [seats[0].spec, seats[1].spec], batch: 16, rollout: 30, updates: 20 },
      ...{ seeds: 2, seed: 1, init: { kind: "zeros" } },
    });
    assert.deepEqual(json.finalPC, inNode.finalPC);
    assert.deepEqual(json.final.rewardPerStep, finalValues(inNode));
    // Exact equality with the CLI's JSON (lossless there too): final rewards, policies, AA quadrant shares.
    assert.deepEqual(json.final.rewardPerStep, reference.final.rewardPerStep);
    assert.deepEqual(json.finalPC, reference.final.pC);
    assert.deepEqual(
      json.aaQuadrants.map((q: { perSeed: number[][] }) => q.perSeed),
      reference.aaQuadrants.map((q: { perSeed: number[][] }) => q.perSeed),
    );
    const summary = page.locator("#sm-summary");
    const finals = reference.final.rewardPerStep as number[][];
    assert.equal(Number(await summary.getAttribute("data-reward1")), mean(finals.map((s) => s[0])));
    assert.equal(await page.locator("#sm-quadrants svg").count(), 2);
    const csv = text(await exported(page, "#sm-export-csv"))
      .trim()
      .split("\n");
    assert.equal(csv.length, 1 + 20 * 2 * 2);
    assert.deepEqual(pngSize((await exported(page, "#sm-export-quadrants1-png")).bytes), [840, 600]);

    // A long run shows progress and is cancelled from the page; its result never arrives.
    await page.fill("#sm-updates", "3000");
    await page.waitForFunction(
      () => /^update [1-9]/.test(String(document.getElementById("sm-status")?.textContent)),
      undefined,
      {
        timeout: 30_000,
      },
    );
    await page.click("#sm-cancel");
    assert.equal(await page.getAttribute("#sm-status", "data-state"), "cancelled");
    assert.match((await page.textContent("#sm-status")) ?? "", /^cancelled at update \d+ \/ 3000$/);
    await page.waitForTimeout(500);
    assert.equal(await summary.getAttribute("data-runs"), "1");

    await page.fill("#sm-gamma", "1.5");
    await page.waitForSelector("#sm-message:not([hidden])", { timeout: 20_000 });
    assert.equal(await page.textContent("#sm-message"), "γ: must be in [0, 0.999], got 1.5");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("tournament page: ranking, scores and payoff matrix equal `shapelab tournament`; a clicked cell shows that match", {
  skip,
}, async () => {
  // In the picker's (the zoo's) order, which is the order the page plays them in: player i's matches draw from
  // the streams (seed, i, j, repetition), so the order is part of the tournament.
  const players = ["Defector", "Tit For Tat", "Grudger", "Win-Stay Lose-Shift", "Random: 0.5"];
  const settings = { players, turns: 100, repetitions: 4, noise: 0.05, probEnd: 0, seed: 3 };
  const query = new URLSearchParams({
    "tn-players": players.join(";"),
    "tn-turns": "100",
    "tn-repetitions": "4",
    "tn-noise": "0.05",
    "tn-seed": "3",
  });
  const { page, errors } = await openPage(`/tournament.html?${query}`);
  try {
    await runsDone(page, "tn-ranking", 1);
    const reference = cli(
      "tournament",
      ...[
        "--players",
        players.join(";"),
        "--turns",
        "100",
        "--repetitions",
        "4",
        "--noise",
        "0.05",
        "--seed",
        "3",
      ],
    );
    assert.deepEqual(
      JSON.parse((await page.getAttribute("#tn-ranking", "data-ranked"))!),
      reference.rankedNames,
    );
    const medians = await page
      .locator("#tn-ranking tbody tr")
      .evaluateAll((rows) =>
        rows.map((row) => Number((row as unknown as { dataset: { median: string } }).dataset.median)),
      );
    assert.deepEqual(
      medians,
      (reference.ranking as number[]).map((i) => reference.medianNormalisedScores[i]),
    );
    const json = JSON.parse(text(await exported(page, "#tn-export-json")));
    assert.deepEqual(json.payoffMatrix, reference.payoffMatrix);
    assert.deepEqual(json.scores, reference.scores);
    assert.equal(await page.locator("#tn-heatmap rect.cell").count(), 25);

    // Click Random's row, Tit For Tat's column (below the diagonal: the match seen from the other side); then
    // the same cell's third repetition.
    const cell = page.locator('#tn-heatmap rect.cell[data-row="4"][data-column="1"]');
    await cell.click();
    const game = { ...settings, game: "ipd", payoffs: "" };
    const first = tournamentMatch(game, 4, 1, 0);
    assert.equal(await page.getAttribute("#tn-match", "data-scores"), JSON.stringify(first.scores));
    assert.equal(await page.textContent("#tn-moves-1"), first.actions[0]);
    assert.equal(await page.textContent("#tn-moves-2"), first.actions[1]);
    await page.fill("#tn-repetition", "3");
    await page.dispatchEvent("#tn-repetition", "change");
    const third = tournamentMatch(game, 4, 1, 2);
    await page.waitForFunction(
      (s) => document.getElementById("tn-match")?.dataset.scores === s,
      JSON.stringify(third.scores),
      { timeout: 10_000 },
    );
    const svg = text(await exported(page, "#tn-export-heatmap-svg"));
    assert.equal((svg.match(/<rect[^>]*class="cell"/g) ?? []).length, 25);
    const [width] = pngSize((await exported(page, "#tn-export-heatmap-png")).bytes);
    assert.ok(width > 400, `PNG width ${width}`);

    // "all": the whole zoo, ranked, in the page's budget.
    await page.click("#tn-pick-all");
    await runsDone(page, "tn-ranking", 2);
    const everyone = await page.locator("#tn-players option").count();
    assert.ok(everyone >= 29, `zoo of ${everyone}`);
    assert.equal(await page.locator("#tn-ranking tbody tr").count(), everyone);

    await page.fill("#tn-turns", "0");
    await page.waitForSelector("#tn-message:not([hidden])", { timeout: 20_000 });
    assert.equal(await page.textContent("#tn-message"), "turns: must be in [1, 10000], got 0");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
