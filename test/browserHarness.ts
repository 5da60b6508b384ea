/**
 * What every Chromium test shares: Debian's Chromium (no browser download: `apt-get install chromium`), its
 * headless flags, the skip when it is missing, and the collection of the page's errors (a test asserts none).
 */
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";

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
