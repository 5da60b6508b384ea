/**
 * The project's one import of zod: the part of its API shapelab uses, and nothing more. Every module reads it as
 * `import * as z from "…/zod.js"` (zod's own recommended form), never from "zod" itself (biome.json's
 * noRestrictedImports says so). A schema that needs another zod function adds it to this list.
 *
 * Why: zod is 95 ES modules, and loading them was the largest single piece of a short command's start-up (about
 * 0.1 s of `shapelab exact`'s 0.38 s; issue 10 §6, docs/benchmarks.md). So `npm run build` replaces the
 * JavaScript compiled from this file with these exports bundled into one minified module (scripts/bundle.mjs):
 * 0.1 MB instead of zod's 0.75 MB, as the rest of zod (other locales, string formats, the functional API) drops
 * out. The types stay zod's own. Built by `tsc` alone, this file simply re-exports the package: same behaviour.
 *
 * Schemas made with another copy of zod (a library user's own, e.g. for `registerLearnerEntry`) work with ours:
 * zod checks `instanceof` by traits and keeps one metadata registry per process (globalThis.__zod_globalRegistry).
 */
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  literal,
  looseObject,
  never,
  number,
  object,
  record,
  strictObject,
  string,
  toJSONSchema,
  tuple,
  union,
  unknown,
  ZodDefault,
  ZodError,
  ZodObject,
  ZodOptional,
  ZodType,
} from "zod";
export type { core, infer, input, output } from "zod";
