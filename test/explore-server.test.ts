/**
 * `shapelab explore`'s static server: what it serves (the page, compiled modules, the one vendor package) with
 * which content types, what it refuses (unknown paths, `..` escapes, other methods), bad flags, and a clean stop
 * of the command on SIGINT and SIGTERM.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ExplorerNotBuiltError,
  type ExplorerServer,
  startExplorerServer,
} from "../src/node/explorerServer.js";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

let explorer: ExplorerServer;
before(async () => {
  explorer = await startExplorerServer({ host: "127.0.0.1", port: 0 });
});
after(() => explorer.close());

/** A raw request: the path is sent exactly as given (no client-side normalisation of `..`). */
function get(path: string, method = "GET"): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(explorer.url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        done({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

test("serves the pages, compiled modules and the vendor file with their content types", async () => {
  for (const path of ["/sampled.html", "/tournament.html", "/dist/web/sampledWorker.js"]) {
    assert.equal((await get(path)).status, 200, path);
  }
  for (const path of ["/", "/index.html"]) {
    const page = await get(path);
    assert.equal(page.status, 200, path);
    assert.match(page.type, /^text\/html/);
    assert.match(page.body, /<script type="module" src="\/dist\/web\/main\.js">/);
  }
  const css = await get("/style.css");
  assert.equal(css.status, 200);
  assert.match(css.type, /^text\/css/);
  const main = await get("/dist/web/main.js");
  assert.equal(main.status, 200);
  assert.match(main.type, /^text\/javascript/);
  const library = await get("/dist/src/learners/exact/train.js");
  assert.equal(library.status, 200);
  assert.match(library.type, /^text\/javascript/);
  assert.match(library.body, /export function trainExact/);
  // Bare specifiers (which a Web Worker cannot map) are rewritten to served files, and each of those is served.
  const rng = (await get("/dist/src/util/rng.js")).body;
  assert.doesNotMatch(rng, /from\s*"pure-rand\//);
  const targets = [...rng.matchAll(/from\s*"(\/node_modules\/pure-rand\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(targets.length >= 2, `rewritten imports: ${targets.join(", ")}`);
  for (const target of targets) {
    const vendor = await get(target);
    assert.equal(vendor.status, 200, target);
    assert.match(vendor.type, /^text\/javascript/, target);
  }
  // The learners' schemas take zod from dist/src/zod.js, which the build makes one module with no imports at all.
  const learner = (await get("/dist/src/learners/sampled/learner.js")).body;
  assert.match(learner, /import \* as z from\s*"\.\.\/\.\.\/zod\.js"/);
  const zod = await get("/dist/src/zod.js");
  assert.equal(zod.status, 200);
  assert.match(zod.type, /^text\/javascript/);
  assert.match(zod.body, /^\/\/ zod \d+\.\d+\.\d+ .*bundled by scripts\/bundle\.mjs/);
  assert.doesNotMatch(zod.body, /\bfrom\s*["']|\bimport\s*\(/, "the bundle imports nothing");
});

test("404 for unknown paths, other extensions and `..` escapes; 405 for other methods", async () => {
  for (const path of [
    "/nope.html",
    "/dist/src/nope.js",
    "/package.json",
    "/main.ts", // web/ sources are not served, only .html and .css
    "/dist/web/main.ts",
    "/node_modules/commander/index.js",
    "/../package.json",
    "/dist/src/../../package.json",
    "/dist/src/../../node_modules/commander/index.js",
    "/dist/src/..%2f..%2fnode_modules/commander/index.js",
    "/dist/src/%2e%2e/%2e%2e/node_modules/commander/index.js",
    "/node_modules/pure-rand/../commander/index.js",
    "/dist/src/%E0%A4%A.js",
  ]) {
    const response = await get(path);
    assert.equal(response.status, 404, path);
    assert.doesNotMatch(response.body, /commander|"name"/, path);
  }
  assert.equal((await get("/", "POST")).status, 405);
  assert.equal((await get("/index.html", "DELETE")).status, 405);
});

test("a bad --port or --host exits 2 with one line naming the flag", () => {
  for (const [flags, flag] of [
    [["--port", "x"], "--port"],
    [["--port", "70000"], "--port"],
    [["--port", "1.5"], "--port"],
    [["--host", ""], "--host"],
  ] as const) {
    const run = spawnSync(process.execPath, [CLI, "explore", ...flags], {
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(run.status, 2, `${flags.join(" ")}: ${run.stderr}`);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], new RegExp(`^shapelab: error: ${flag}: `));
  }
});

test("a port already in use is a --port error (exit 2)", () => {
  const port = new URL(explorer.url).port;
  const run = spawnSync(process.execPath, [CLI, "explore", "--port", port], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /^shapelab: error: --port: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\n$/);
});

test("a package without the built page says to build it", async () => {
  await assert.rejects(
    startExplorerServer({ host: "127.0.0.1", port: 0, packageRoot: tmpdir() }),
    (error: unknown) => error instanceof ExplorerNotBuiltError && /run npm run build/.test(error.message),
  );
});

test("explore --help explains the command", () => {
  const run = spawnSync(process.execPath, [CLI, "explore", "--help"], { encoding: "utf8", timeout: 20_000 });
  assert.equal(run.status, 0);
  assert.match(run.stdout, /browser explorer/);
  assert.match(run.stdout, /--port <n>/);
  assert.match(run.stdout, /--host <h>/);
});

/** Start `shapelab explore --port 0` and resolve with the URL it prints. */
function startCommand(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, "explore", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((done, fail) => {
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
      if (url) done({ child, url });
    });
    child.on("exit", (code) => fail(new Error(`explore exited (${code}) before printing its URL: ${out}`)));
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`the explore command serves, then stops cleanly on ${signal}`, async () => {
    const { child, url } = await startCommand();
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => (stderr += chunk));
    // A keep-alive connection stays open while the signal arrives: it must not hold the process.
    const page = await fetch(url);
    assert.equal(page.status, 200);
    await page.text();
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    child.kill(signal);
    const timeout = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timeout);
    // 128 + the signal number, as a shell reports it.
    assert.equal(code, signal === "SIGTERM" ? 143 : 130, stderr);
    assert.match(stderr, new RegExp(`stopped \\(${signal}\\)`));
  });
}
