/**
 * Command-line overrides of any experiment config field, as Hydra users expect: `--set agents.0.lr=0.5`,
 * `--set seeds.count=10`, `--set game=ipd`.
 *
 * Rule: `path=value` splits at the first "="; the path is dotted (numbers index lists, e.g. `agents.0.eta`) and
 * must start with a top-level config field; the value is parsed as YAML (so `0.5` is a number, `true` a boolean,
 * `null` null, `naive` a string, `[0.5, 1]` a list), exactly as it would be read from the config file. The
 * overrides are applied in order to the validated config by the same `setPath` cases and sweeps use (the parent
 * must exist; `__proto__`, `constructor`, `prototype` are refused), and the result is validated again by the same
 * schema (`validateConfig`), so an override can never produce a config the file could not.
 *
 * `--preset NAME` picks one of the config's presets (src/experiments/presets.ts) first; `--set` applies on top.
 */
import YAML from "yaml";
import { InputError } from "../util/errors.js";
import { ConfigShellSchema, setPath, validateConfig } from "./config.js";
import { mergePreset } from "./presets.js";
import type { ExperimentConfig } from "./types.js";

export interface SetOverride {
  /** The text as typed, for error messages. */
  text: string;
  path: string;
  value: unknown;
}

/** Every top-level field of a config (name, kind, game, gamma, agents, budget, params, seeds, …). */
const CONFIG_FIELDS = Object.keys(ConfigShellSchema.shape);

/** Parse one `path=value`; throws an InputError naming `--set` and the text. */
export function parseSetOverride(text: string, flag = "--set"): SetOverride {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new InputError(flag, `expected path=value (e.g. agents.0.lr=0.5), got "${text}"`);
  const path = text.slice(0, eq).trim();
  const valueText = text.slice(eq + 1);
  const doc = YAML.parseDocument(valueText);
  if (doc.errors.length > 0) {
    throw new InputError(
      flag,
      `"${text}": the value is not valid YAML (${doc.errors[0].message.split("\n")[0]})`,
    );
  }
  return { text, path, value: doc.toJS() };
}

/** Apply overrides in order, then validate the result with the config schema. Errors name `--set <text>`. */
export function applySetOverrides(
  config: ExperimentConfig,
  overrides: readonly SetOverride[],
  flag = "--set",
): ExperimentConfig {
  if (overrides.length === 0) return config;
  let out: ExperimentConfig = config;
  for (const o of overrides) out = setPath(out, o.path, o.value, `${flag} ${o.text}`, CONFIG_FIELDS);
  try {
    return validateConfig(out);
  } catch (error) {
    if (error instanceof InputError) {
      const texts = overrides.map((o) => o.text).join(" ");
      throw new InputError(`${flag} ${texts}`, `the config no longer validates: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The config with preset `name` applied (none: the config as it is). An unknown name is an InputError naming
 * `flag` and the allowed presets. validateConfig has checked every preset of a loaded config already; this
 * validates again because the config may come from elsewhere (a test, a report of a file).
 */
export function applyPreset(
  config: ExperimentConfig,
  name: string | undefined,
  flag = "--preset",
): ExperimentConfig {
  return name === undefined ? config : validateConfig(mergePreset(config, name, flag));
}
