/**
 * The project's one import of zod: every module takes `z` from here, never from "zod" itself (biome.json's
 * noRestrictedImports says so).
 *
 * Why: zod is 95 ES modules, and loading them was the largest single piece of a short command's start-up (about
 * 45 ms of `shapelab exact`'s 0.38 s; issue 10 §6, docs/benchmarks.md). So `npm run build` replaces the
 * JavaScript compiled from this file with zod bundled into one minified module (scripts/bundle-zod.mjs); the
 * types stay zod's own. Built by `tsc` alone, this file simply re-exports the package, with the same behaviour.
 *
 * Schemas made with another copy of zod (a library user's own, e.g. for `registerLearnerEntry`) work with ours:
 * zod checks `instanceof` by traits and keeps one metadata registry per process (globalThis.__zod_globalRegistry).
 */
export { z } from "zod";
