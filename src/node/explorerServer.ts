/**
 * The static HTTP server behind `shapelab explore` (node:http, no framework). It serves exactly three kinds of
 * file, each from its own root, so nothing else in the checkout is reachable:
 *
 *   /, /index.html, /style.css          → web/           (the page itself; .html and .css only)
 *   /dist/src/…, /dist/web/…            → dist/src, dist/web (the compiled isomorphic library and page code)
 *   /node_modules/pure-rand/…           → the pure-rand package (a bare import of the library: src/util/rng.ts)
 *
 * Only GET and HEAD (405 otherwise); a path that leaves its root after decoding (`..`, `%2e%2e`, `..%2f`) or has an
 * extension outside the MIME table is a 404, as is anything missing. Everything the page computes runs in the
 * browser.
 *
 * Compiled modules keep Node's bare specifiers (`"pure-rand/generator/xoroshiro128plus"`). A page could map them
 * with an import map, but a Web Worker cannot (Chromium applies import maps to documents only), so the server
 * rewrites each bare `pure-rand/<path>` specifier in a served .js file to `/node_modules/pure-rand/lib/esm/<path>.js`:
 * one mechanism for the page, its workers and tests that `import()` the library inside the page. zod needs none:
 * the library takes it from dist/src/zod.js, which the build makes one module without imports (src/zod.ts).
 *
 * Host header: on a loopback address the server answers only requests whose Host is a loopback name (localhost,
 * 127.x.y.z, [::1]); anything else is a 421. That stops DNS rebinding, where a web page on another site points
 * its own name at 127.0.0.1 and reads the local server from the visitor's browser (the check webpack-dev-server
 * and Vite make for the same reason). Bound to another interface on purpose (`--host`), the check is off.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../util/errors.js";
import { PACKAGE_ROOT } from "./version.js";

/** Content types by extension; a file with any other extension is never served. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

interface ServedRoot {
  /** URL prefix, ending in "/". */
  prefix: string;
  dir: string;
  /** Extensions served from this root. */
  extensions: readonly string[];
}

/** The directory of an installed package, found the way Node resolves it from this file. */
function packageDir(name: string): string {
  const dir = dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
  if (manifest.name !== name) throw new Error(`cannot locate the ${name} package (found ${dir})`);
  return dir;
}

export function explorerRoots(packageRoot = PACKAGE_ROOT): ServedRoot[] {
  const js = [".js", ".map"];
  return [
    { prefix: "/dist/src/", dir: join(packageRoot, "dist", "src"), extensions: js },
    { prefix: "/dist/web/", dir: join(packageRoot, "dist", "web"), extensions: js },
    { prefix: "/node_modules/pure-rand/", dir: packageDir("pure-rand"), extensions: [".js"] },
    { prefix: "/", dir: join(packageRoot, "web"), extensions: [".html", ".css"] },
  ];
}

/**
 * The file a URL path names, or undefined when it names nothing servable: no matching root, an extension the
 * root does not serve, a malformed escape, or a path that resolves outside its root.
 */
export function resolveExplorerPath(urlPath: string, roots: readonly ServedRoot[]): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes("\0") || path.includes("\\")) return undefined;
  if (path === "/") path = "/index.html";
  const root = roots.find((r) => path.startsWith(r.prefix));
  if (!root?.extensions.includes(extname(path))) return undefined;
  const base = resolve(root.dir);
  const file = resolve(base, `.${sep}${path.slice(root.prefix.length)}`);
  return file.startsWith(base + sep) ? file : undefined;
}

/** The served text of a compiled module: bare `pure-rand/…` specifiers resolved to the served files. */
export function resolveBareImports(source: string): string {
  return source.replace(/(["'])pure-rand\/([\w/]+)\1/g, (_, quote: string, path: string) => {
    return `${quote}/node_modules/pure-rand/lib/esm/${path}.js${quote}`;
  });
}

/** The host part of a Host header ("localhost:8737" → "localhost", "[::1]:8737" → "::1"), lower-case. */
export function hostOfHeader(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  return h.replace(/:\d*$/, "");
}

/** True for a loopback name or address: localhost (and *.localhost), 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === "localhost" ||
    h.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === "::1" ||
    h === "0:0:0:0:0:0:0:1" ||
    h === "::ffff:127.0.0.1"
  );
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  roots: readonly ServedRoot[],
  checkHost: boolean,
) {
  const head = request.method === "HEAD";
  const send = (status: number, text: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
    response.end(head ? undefined : `${text}\n`);
  };
  if (request.method !== "GET" && !head) return send(405, "method not allowed", { allow: "GET, HEAD" });
  if (checkHost && !isLoopbackHost(hostOfHeader(request.headers.host ?? "")))
    return send(421, "misdirected request: this server answers only to localhost");
  // The raw request target, not a normalised URL: `..` segments must reach the confinement check.
  const rawPath = (request.url ?? "/").split(/[?#]/, 1)[0];
  const file = resolveExplorerPath(rawPath, roots);
  if (!file) return send(404, "not found");
  try {
    if (!(await stat(file)).isFile()) return send(404, "not found");
    const raw = await readFile(file);
    const body = extname(file) === ".js" ? Buffer.from(resolveBareImports(raw.toString("utf8"))) : raw;
    response.writeHead(200, {
      "content-type": MIME_TYPES[extname(file)],
      "content-length": String(body.length),
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    response.end(head ? undefined : body);
  } catch {
    send(404, "not found");
  }
}

/** The page's compiled code is missing (a checkout that was never built, or a package that does not ship it). */
export class ExplorerNotBuiltError extends Error {}

export interface ExplorerServer {
  server: Server;
  /** e.g. http://127.0.0.1:8737/ */
  url: string;
  /** Stop listening and drop open (keep-alive) connections. */
  close(): Promise<void>;
}

/**
 * Start serving on host:port (port 0: a free port). Errors a user can fix (port in use, unknown host) are
 * InputErrors naming the flag; a missing build of the page is an ExplorerNotBuiltError saying to build.
 */
export async function startExplorerServer(options: {
  host: string;
  port: number;
  packageRoot?: string;
  /** Answer only Host headers that are loopback names (default: when `host` is a loopback address). */
  checkHost?: boolean;
}): Promise<ExplorerServer> {
  const checkHost = options.checkHost ?? isLoopbackHost(options.host);
  const roots = explorerRoots(options.packageRoot);
  const entry = join(options.packageRoot ?? PACKAGE_ROOT, "dist", "web", "main.js");
  if (!existsSync(entry))
    throw new ExplorerNotBuiltError(
      `the explorer page is not built (${entry} is missing); run npm run build`,
    );
  const server = createServer((request, response) => {
    handle(request, response, roots, checkHost).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") {
        fail(new InputError("--port", `cannot listen on ${options.host}:${options.port} (${error.code})`));
      } else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
        fail(new InputError("--host", `cannot listen on "${options.host}" (${error.code})`));
      } else fail(error);
    });
    server.listen(options.port, options.host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    server,
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
