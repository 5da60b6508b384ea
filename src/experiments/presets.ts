/**
 * Experiment presets: named variants of one config, e.g. the paper-scale budget of a small default.
 *
 *   budget: {steps: 150}
 *   seeds: {count: 20, base: 0}
 *   presets:
 *     paper:
 *       budget: {steps: 200}            # a mapping merges into the mapping it lands on: seeds.base stays 0
 *       seeds: {count: 50}
 *       agents.0.iterations: 1000       # a top-level key is a dotted path, exactly as `--set` reads it
 *       sweep: {agents.0.eta: [0.25, 8]} # keys inside a mapping are literal (a sweep's keys are paths of their own)
 *
 * `shapelab run <experiment> --preset paper` applies it. Rules (one mechanism with `--set`, src/experiments/
 * paths.ts): each top-level entry of a preset is a path into the config; where both the value found there and
 * the preset's value are mappings they merge key by key, recursively; anything else — a list (agents, cases,
 * figures, reproduces, a sweep's values), a number, a string — replaces what was there whole. A list entry is
 * changed on its own through a path with its index (`agents.0: {lr: 0.5}` merges into the first agent).
 * A preset may not change `name` or `kind`, nor hold presets.
 *
 * Identity in the run store: the preset's config keeps the experiment's name and records `preset: paper`; the
 * store files it as the experiment `<name>@<preset>` (`presetExperimentName`), so `latestExperiment`, `runs list
 * --experiment` and a league's `from` tell a small run from a paper run in one store. Run keys hash only what
 * determines the numbers (the run config, whose name is the experiment's own), so a preset whose runs equal the
 * base's reuses them, and the base config's keys are what they were before presets existed.
 */
import * as z from "../zod.js";
import { InputError } from "../util/errors.js";
import { mergeInto } from "./paths.js";
import type { ExperimentConfig } from "./types.js";

/** A preset name: a word that reads well after `--preset` (lower-case letters, digits, dashes). */
export const PresetNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { message: "lower-case letters, digits and dashes" });

export const PresetsSchema = z.record(PresetNameSchema, z.record(z.string().min(1), z.unknown()));

/** The config fields a preset may change: every field but the experiment's identity (name, kind) and presets. */
export const PRESET_ROOTS = [
  "title",
  "description",
  "reproduces",
  "game",
  "gamma",
  "agents",
  "budget",
  "params",
  "seeds",
  "metrics",
  "figures",
  "cases",
  "sweep",
] as const;

/** The store's name of an experiment run with a preset: `coin-train@paper` (the base config: `coin-train`). */
export function presetExperimentName(name: string, preset?: string): string {
  return preset === undefined ? name : `${name}@${preset}`;
}

/** The name the run store files a config under. */
export function storedExperimentName(config: Pick<ExperimentConfig, "name" | "preset">): string {
  return presetExperimentName(config.name, config.preset);
}

export function presetNames(config: Pick<ExperimentConfig, "presets">): string[] {
  return Object.keys(config.presets ?? {});
}

/** The InputError for a preset name the config does not have (exit code 2 in the CLI). */
export function unknownPreset(
  config: Pick<ExperimentConfig, "name" | "presets">,
  name: string,
  flag: string,
) {
  const allowed = presetNames(config);
  return new InputError(
    flag,
    `experiment ${config.name} has no preset "${name}"; allowed: ${allowed.length ? allowed.join(", ") : "(it defines no presets)"}`,
  );
}

/**
 * The config with preset `name` merged over it (see the header), recording `preset: name` and without the
 * `presets` map. Not validated: the caller validates the result (validateConfig does, for every preset).
 */
export function mergePreset<T extends Pick<ExperimentConfig, "name" | "presets" | "preset">>(
  config: T,
  name: string,
  flag = "--preset",
): T {
  const patch = config.presets?.[name];
  if (patch === undefined || !Object.hasOwn(config.presets ?? {}, name))
    throw unknownPreset(config, name, flag);
  const { presets: _presets, ...base } = config;
  let out = base as T;
  for (const [path, value] of Object.entries(patch))
    out = mergeInto(out, path, value, `presets.${name}["${path}"]`, PRESET_ROOTS);
  return { ...out, preset: name };
}
