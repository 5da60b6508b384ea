/**
 * What every Chromium test shares: Debian's Chromium (no browser download: `apt-get install chromium`), its
 * headless flags, the skip when it is missing, and the collection of the page's errors (a test asserts none).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { startExplorerServer } from "../src/node/explorerServer.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Headless, and nothing that reaches the network on its own (updates, sync, QUIC probes). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** True (and the test marked skipped, saying how to install it) when Chromium is not on this machine. */
export function skipWithoutChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return false;
  t.skip(`${CHROMIUM} not found; install it with: apt-get install chromium`);
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * The page's uncaught errors, and (unless `pageErrorsOnly`) its console errors and failed requests, as they
 * happen; the returned list fills while the test drives the page.
 */
export function collectPageErrors(page: Page, options: { pageErrorsOnly?: boolean } = {}): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  if (options.pageErrorsOnly) return errors;
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  return errors;
}

/** A scenario run in both engines: self-contained (serialised into the page), `base` the URL of the compiled src. */
export type Fingerprint = (base: string) => Promise<Record<string, string>>;

/**
 * Runs `fingerprint` in Node on dist/src and in Chromium on the explorer server's dist/src, asserts every entry
 * equal and the page free of errors, and returns Node's entries.
 */
export async function assertSameInNodeAndChromium(fingerprint: Fingerprint): Promise<Record<string, string>> {
  const node = await fingerprint(pathToFileURL(join(import.meta.dirname, "..", "src")).href);
  const explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = collectPageErrors(page, { pageErrorsOnly: true });
    await page.goto(explorer.url); // the page's import map resolves the library's one bare import (pure-rand)
    const base = new URL("/dist/src", explorer.url).href;
    const chromiumResult = await page.evaluate(fingerprint, base);
    assert.deepEqual(Object.keys(chromiumResult), Object.keys(node));
    for (const key of Object.keys(node)) assert.equal(chromiumResult[key], node[key], `${key} differs`);
    assert.deepEqual(errors, []);
    return node;
  } finally {
    await browser.close();
    await explorer.close();
  }
}
