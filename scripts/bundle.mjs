/**
 * Build step (`npm run build`, after tsc): two bundles made with esbuild (a development dependency from the npm
 * registry), because on Node 20 loading an ES module costs about half a millisecond whatever its size, and a
 * short command loads well over a hundred (issue 10 §6; docs/benchmarks.md has the measurements).
 *
 * 1. dist/src/zod.js, the library's zod: src/zod.ts re-exports the part of zod's API the project uses; tsc compiles
 *    that to a re-export of the package's 95 modules, and this bundles those exports into one minified module
 *    without imports (src/zod.ts says more). Node, the explorer's pages and their workers load it as it is.
 *
 * 2. dist/src/cli/main.js, the command line: src/cli/main.ts and everything it imports from src, compiled and
 *    bundled in place of tsc's main.js, with each command (main.ts loads the one it runs with import()) and the
 *    code commands share in chunks beside it, dist/src/cli/bundle-*.js, and the small packages they load
 *    (BUNDLED_PACKAGES). The rest of dist/src is left as tsc wrote it: it is the library, which tests and users
 *    import module by module. A bundled module keeps its own `import.meta.url` (see keepModuleUrls), so what it
 *    finds relative to itself (package.json, runWorkerEntry.cjs, a worker job's module, which threads load
 *    unbundled) is found as before. bundle-meta.json records which source modules each output holds
 *    (test/cli-startup-modules.test.ts reads it).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "src");
const zod = JSON.parse(readFileSync(join(root, "node_modules", "zod", "package.json"), "utf8"));

await build({
  entryPoints: [join(root, "src", "zod.ts")],
  outfile: join(dist, "zod.js"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  banner: {
    js: `// zod ${zod.version} (MIT License, Colin McDonnell): src/zod.ts's exports, bundled by scripts/bundle.mjs.`,
  },
  logLevel: "warning",
});

const cli = join(dist, "cli");
/**
 * Packages bundled into the command line: small, pure JavaScript, loaded by short commands. The others (native
 * addons, worker pools, charts, database clients) stay imports of node_modules. commander is CommonJS: its
 * `require`s of Node's modules go through the `require` the banner makes (esbuild's recipe for ES module output).
 */
const BUNDLED_PACKAGES = ["commander", "pure-rand", "zod"];
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const externalPackages = Object.keys(manifest.dependencies).filter(
  (name) => !BUNDLED_PACKAGES.includes(name),
);
/** Every output of the command-line bundle sits in `cli`, so one relative path per module is right in all of them. */
const CHUNKS = "bundle-[name]-[hash]";

/**
 * `import.meta.url` in a bundled module becomes the URL of the module's own file in dist/src, written relative to
 * `cli` (where every output lies), so each module still sees its own location. `import.meta.resolve` is left as it
 * is: shapelab resolves only package names with it, which resolve alike from every file of the package. Anything
 * else on `import.meta` (dirname, filename) would name the chunk, not the module, so it stops the build.
 */
const keepModuleUrls = {
  name: "keep-module-urls",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta")) return undefined;
      const other = source.match(/import\.meta\.(?!url\b|resolve\b)\w+/);
      if (other)
        throw new Error(`${args.path}: ${other[0]} cannot be bundled (only import.meta.url is rewritten)`);
      const compiled = join(dist, relative(join(root, "src"), args.path)).replace(/\.ts$/, ".js");
      const own = relative(cli, compiled).split(sep).join("/");
      const url = `new URL(${JSON.stringify(own.startsWith(".") ? own : `./${own}`)}, import.meta.url).href`;
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

for (const file of readdirSync(cli)) if (file.startsWith("bundle-")) rmSync(join(cli, file));
const { metafile } = await build({
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outdir: cli,
  entryNames: "[name]",
  chunkNames: CHUNKS,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: externalPackages,
  banner: {
    js: 'import { createRequire as bundleRequire } from "node:module"; const require = bundleRequire(import.meta.url);',
  },
  sourcemap: true,
  metafile: true,
  absWorkingDir: root,
  plugins: [keepModuleUrls],
  logLevel: "warning",
});
// Which source modules each output holds, named as in dist/src (the metafile's paths are relative to absWorkingDir).
const inputsOf = Object.fromEntries(
  Object.entries(metafile.outputs)
    .filter(([out]) => out.endsWith(".js"))
    .map(([out, o]) => [
      relative(cli, join(root, out)),
      Object.keys(o.inputs).map((i) => relative(join(root, "src"), join(root, i)).replace(/\.ts$/, ".js")),
    ]),
);
writeFileSync(join(cli, "bundle-meta.json"), `${JSON.stringify(inputsOf, null, 1)}\n`);
