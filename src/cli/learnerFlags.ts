/**
 * CLI flags generated from learner entries (src/learners/registry.ts): one flag per hyperparameter name across a
 * family (`--lr` is one flag that every learner with an `lr` reads), with its type, allowed values and each
 * learner's default in the help. A flag given on the command line (or by a --preset) applies to every seat whose
 * learner has that hyperparameter; the others keep their defaults.
 *
 * Flag names are the kebab case of the key unless the schema says otherwise (`.meta({ flag: "aa-variant" })`).
 * A boolean whose default is true everywhere is a `--no-…` flag, one that is false everywhere a plain switch, and
 * one with mixed or no defaults gets both (`--baseline` / `--no-baseline`).
 */
import { type Command, Option } from "commander";
import {
  type AnyLearnerEntry,
  checkValue,
  type Hyperparameter,
  hyperparameters,
  parseHyperparameterText,
} from "../learners/hyperparameters.js";

/** One generated flag: the hyperparameter it sets in each learner that has it. */
export interface LearnerFlag {
  /** Without dashes: `lr-critic`. */
  readonly flag: string;
  /** Commander's attribute name: `lrCritic`. */
  readonly attribute: string;
  readonly type: Hyperparameter["type"];
  readonly uses: readonly { readonly entry: AnyLearnerEntry; readonly param: Hyperparameter }[];
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The flags of these entries, in order of first appearance. */
export function learnerFlags(entries: readonly AnyLearnerEntry[]): LearnerFlag[] {
  const byFlag = new Map<string, { entry: AnyLearnerEntry; param: Hyperparameter }[]>();
  for (const entry of entries) {
    for (const param of hyperparameters(entry.schema)) {
      if (param.flag === null) continue;
      const uses = byFlag.get(param.flag) ?? [];
      if (uses.length > 0 && uses[0].param.type !== param.type)
        throw new Error(`--${param.flag}: ${uses[0].entry.name} and ${entry.name} give it different types`);
      uses.push({ entry, param });
      byFlag.set(param.flag, uses);
    }
  }
  return [...byFlag].map(([flag, uses]) => ({
    flag,
    attribute: camelCase(flag),
    type: uses[0].param.type,
    uses,
  }));
}

const PLACEHOLDER: Record<Hyperparameter["type"], string> = {
  number: "<x>",
  integer: "<n>",
  boolean: "",
  enum: "<name>",
  "enum-list": "<list>",
  string: "<text>",
  other: "",
};

function showDefault(value: unknown): string {
  if (value === null) return "null";
  // No default: absence is itself a setting, which the doc states ("absent: TD(0) advantages").
  if (value === undefined) return "unset";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.join(",");
  if (typeof value === "boolean") return value ? "on" : "off";
  return String(value);
}

/**
 * "actor learning rate (pg, a2c, aa; default 0.1)", or one clause per learner when their docs differ. With
 * `defaultShown`, commander prints the shared default itself ("(default: "1")"), so it is left out here.
 */
export function flagHelp(flag: LearnerFlag, defaultShown = false): string {
  const { uses } = flag;
  const first = uses[0].param;
  const allowed =
    first.type === "enum" || first.type === "enum-list" ? ` [${first.allowed?.join(", ")}]` : "";
  const sameDoc = uses.every((u) => u.param.doc === first.doc);
  const sameDefault = uses.every((u) => showDefault(u.param.default) === showDefault(first.default));
  const names = uses.map((u) => u.entry.name).join(", ");
  if (sameDoc && sameDefault)
    return `${first.doc}${allowed} (${names}${defaultShown ? "" : `; default ${showDefault(first.default)}`})`;
  if (sameDoc) {
    const defaults = uses.map((u) => `${u.entry.name} ${showDefault(u.param.default)}`).join(", ");
    return `${first.doc}${allowed} (default ${defaults})`;
  }
  return (
    uses.map((u) => `${u.entry.name}: ${u.param.doc} (default ${showDefault(u.param.default)})`).join("; ") +
    allowed
  );
}

/**
 * Register the entries' flags on `command`. With `withDefaults`, a flag whose learners share one default gets it as
 * commander's default (the `exact` command states every value it used); otherwise an absent flag stays undefined.
 */
export function addLearnerFlags(
  command: Command,
  entries: readonly AnyLearnerEntry[],
  options: { withDefaults?: boolean } = {},
): LearnerFlag[] {
  const flags = learnerFlags(entries);
  for (const flag of flags) {
    const defaults = new Set(flag.uses.map((u) => JSON.stringify(u.param.default)));
    const shared = defaults.size === 1 ? flag.uses[0].param.default : undefined;
    const commanderDefault =
      options.withDefaults === true &&
      flag.type !== "boolean" &&
      shared !== undefined &&
      !Array.isArray(shared);
    const help = flagHelp(flag, commanderDefault);
    if (flag.type === "boolean") {
      if (shared === true) command.addOption(new Option(`--no-${flag.flag}`, `turn off: ${help}`));
      else if (shared === false) command.addOption(new Option(`--${flag.flag}`, help));
      else {
        command.addOption(new Option(`--${flag.flag}`, help));
        command.addOption(new Option(`--no-${flag.flag}`, `turn off --${flag.flag}`));
      }
      continue;
    }
    const option = new Option(`--${flag.flag} ${PLACEHOLDER[flag.type]}`, help);
    if (commanderDefault) option.default(String(shared));
    command.addOption(option);
  }
  return flags;
}

/**
 * The hyperparameters of `entry` that the flags set (commander's values by attribute, strings or booleans), each
 * parsed and checked against the entry's schema; an error names the flag.
 */
export function configFromFlags(
  entry: AnyLearnerEntry,
  flags: readonly LearnerFlag[],
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const flag of flags) {
    const use = flag.uses.find((u) => u.entry === entry);
    const raw = values[flag.attribute];
    if (!use || raw === undefined) continue;
    const field = `--${flag.flag}`;
    const value = typeof raw === "string" ? parseHyperparameterText(use.param, raw, field) : raw;
    checkValue(use.param, value, field);
    config[use.param.key] = value;
  }
  return config;
}
