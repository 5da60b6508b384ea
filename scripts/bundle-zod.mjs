/**
 * Build step (`npm run build`, after tsc): replace dist/src/zod.js, compiled from src/zod.ts (the part of zod's API
 * the project uses, re-exported from the package), with those exports bundled into one minified ES module, so a
 * command loads one small file instead of zod's 95 (src/zod.ts says why). esbuild is a development dependency from
 * the npm registry. The bundle has no imports, so Node, the explorer's pages and their workers load it as it is.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const zod = JSON.parse(readFileSync(join(root, "node_modules", "zod", "package.json"), "utf8"));

await build({
  entryPoints: [join(root, "src", "zod.ts")],
  outfile: join(root, "dist", "src", "zod.js"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  sourcemap: true,
  banner: { js: `// zod ${zod.version} (MIT License, Colin McDonnell): src/zod.ts's exports, bundled by scripts/bundle-zod.mjs.` },
  logLevel: "warning",
});
