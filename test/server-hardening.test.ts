/**
 * The explore server's hardening (issue 11 §5): HEAD is answered like GET without a body; on a loopback binding
 * only loopback Host headers are served (DNS rebinding: a foreign name pointed at 127.0.0.1 gets 421); a
 * non-loopback --host is warned about. And `run` exits 143 on SIGTERM (128 + 15), as a shell reports it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type ExplorerServer,
  hostOfHeader,
  isLoopbackHost,
  startExplorerServer,
} from "../src/node/explorerServer.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function get(
  url: string,
  method: string,
  host?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method,
        headers: host !== undefined ? { host } : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("explore server", () => {
  let server: ExplorerServer;
  before(async () => {
    server = await startExplorerServer({ host: "127.0.0.1", port: 0 });
  });
  after(() => server.close());

  it("answers HEAD like GET, without a body", async () => {
    const g = await get(server.url, "GET");
    const h = await get(server.url, "HEAD");
    assert.equal(g.status, 200);
    assert.equal(h.status, 200);
    assert.equal(h.body, "");
    assert.equal(h.headers["content-length"], g.headers["content-length"]);
    assert.equal(h.headers["content-type"], g.headers["content-type"]);
    const post = await get(server.url, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
  });

  it("serves loopback Host headers only (421 for a foreign name: DNS rebinding)", async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "LOCALHOST"])
      assert.equal((await get(server.url, "GET", host)).status, 200, host);
    for (const host of [`evil.example:${port}`, "192.168.1.10", "localhost.evil.example"])
      assert.equal((await get(server.url, "GET", host)).status, 421, host);
  });

  it("parses Host headers and loopback names", () => {
    assert.equal(hostOfHeader("[::1]:8737"), "::1");
    assert.equal(hostOfHeader("LocalHost:80"), "localhost");
    assert.equal(hostOfHeader("127.0.0.1"), "127.0.0.1");
    for (const h of ["localhost", "127.0.0.1", "127.255.0.9", "::1", "app.localhost"])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ["0.0.0.0", "10.0.0.1", "example.com", "localhost.example.com", "128.0.0.1"])
      assert.ok(!isLoopbackHost(h), h);
  });

  it("a server bound on purpose to a non-loopback address does not check Host", async () => {
    const open = await startExplorerServer({ host: "127.0.0.1", port: 0, checkHost: false });
    try {
      assert.equal((await get(open.url, "GET", "my-machine.lan:1234")).status, 200);
    } finally {
      await open.close();
    }
  });

  it("explore --host 0.0.0.0 warns that other machines can reach it; SIGTERM exits 143", async () => {
    const child = spawn(process.execPath, [CLI, "explore", "--port", "0", "--host", "0.0.0.0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (c) => {
      err += c;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (c) => {
        out += c;
        if (/http:\/\//.test(out)) resolve();
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 143);
    assert.match(err, /warning: listening on 0\.0\.0\.0, not a loopback address/);
  });
});

describe("signals", () => {
  it("run exits 143 on SIGTERM (128 + 15), keeping finished runs", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "shapelab-sigterm-"));
    try {
      const file = join(dir, "t.yaml");
      writeFileSync(
        file,
        "name: t\nkind: memory-one\ngame: ipd\nagents: [{pC: [0.9, 0.8, 0.2, 0.7, 0.3]}, {pC: [0.5, 0.5, 0.5, 0.5, 0.5]}]\n" +
          "budget: {rounds: 200}\nparams: {jitter: 1, samples: 4000}\nseeds: {count: 400}\n",
      );
      const child = spawn(
        process.execPath,
        [CLI, "run", file, "--store", join(dir, "s"), "--workers", "1", "--quiet"],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let err = "";
      child.stderr.on("data", (c) => {
        err += c;
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      // The handlers are installed before the first run starts: wait until a run is stored.
      const { RunStore } = await import("../src/node/store.js");
      for (let done = 0; done < 1; await new Promise((r) => setTimeout(r, 50))) {
        try {
          const store = RunStore.open(join(dir, "s"), { readonly: true });
          done = store.counts().complete;
          store.close();
        } catch {
          // not created yet
        }
      }
      child.kill("SIGTERM");
      assert.equal(await exited, 143, err);
      assert.match(err, /interrupted; finished runs are saved/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
