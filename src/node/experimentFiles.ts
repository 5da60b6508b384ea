/**
 * Loading experiment configs: a YAML or JSON file, or a named experiment shipped in the package's
 * `experiments/` folder (`<name>.yaml` plus `<name>.md`, the doc stating the published number and its source).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import YAML from "yaml";
import { validateConfig } from "../experiments/config.js";
import type { ExperimentConfig } from "../experiments/types.js";
import { InputError } from "../util/errors.js";
import { LIMITS } from "../util/limits.js";
import { readTextCapped } from "./files.js";
import { PACKAGE_ROOT } from "./version.js";

export const NAMED_DIR = join(PACKAGE_ROOT, "experiments");

/** Parse YAML or JSON text (JSON is YAML, but JSON files get JSON's stricter parser and error positions). */
export function parseConfigText(text: string, source: string): unknown {
  if (extname(source).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InputError(source, `not valid JSON: ${(error as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
    throw new InputError(source, `not valid YAML${where}: ${e.message.split("\n")[0]}`);
  }
  try {
    // maxAliasCount bounds alias expansion ("billion laughs": a few lines that expand to gigabytes).
    return doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
  } catch (error) {
    throw new InputError(
      source,
      `not a usable YAML document: ${(error as Error).message} (at most ${LIMITS.yamlAliases} alias uses)`,
    );
  }
}

/** Read and validate a config file; errors name the file and the field. */
export function loadConfigFile(path: string): ExperimentConfig {
  const text = readTextCapped(path, LIMITS.configBytes, "experiment");
  const raw = parseConfigText(text, path);
  try {
    return validateConfig(raw);
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(`${path}: ${error.field}`, error.message.slice(error.field.length + 2));
    throw error;
  }
}

export interface NamedExperiment {
  name: string;
  file: string;
  doc: string | null;
  config: ExperimentConfig;
}

/** Names of the shipped experiments (files `experiments/<name>.yaml`). */
export function namedExperimentNames(): string[] {
  if (!existsSync(NAMED_DIR)) return [];
  return readdirSync(NAMED_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

export function loadNamedExperiment(name: string): NamedExperiment {
  const file = join(NAMED_DIR, `${name}.yaml`);
  const docFile = join(NAMED_DIR, `${name}.md`);
  return { name, file, doc: existsSync(docFile) ? docFile : null, config: loadConfigFile(file) };
}

/** `shapelab run <file|name>`: an existing file path wins; otherwise a named experiment. */
export function resolveExperiment(fileOrName: string): { config: ExperimentConfig; source: string } {
  if (existsSync(fileOrName) && statSync(fileOrName).isFile()) {
    return { config: loadConfigFile(fileOrName), source: fileOrName };
  }
  const names = namedExperimentNames();
  if (names.includes(fileOrName)) {
    const named = loadNamedExperiment(fileOrName);
    return { config: named.config, source: named.file };
  }
  throw new InputError(
    "experiment",
    `"${fileOrName}" is neither a config file nor a named experiment; named: ${names.join(", ") || "(none)"}`,
  );
}
