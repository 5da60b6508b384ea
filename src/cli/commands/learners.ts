/**
 * `shapelab learners`: every learner of the registry (src/learners/registry.ts) with its hyperparameters, their
 * defaults, allowed values, CLI flags and docs, all read from the learner's entry; `--json` adds each schema as
 * JSON Schema (lossless).
 */
import type { Command } from "commander";
import * as z from "../../zod.js";
import type { LearnerFamily } from "../../learners/entry.js";
import { allowedText, type AnyLearnerEntry, hyperparameters } from "../../learners/hyperparameters.js";
import { allLearnerEntries } from "../../learners/registry.js";
import { requireOneOf } from "../../util/errors.js";
import { printJson } from "../jsonOutput.js";

const FAMILIES: readonly LearnerFamily[] = ["exact", "sampled", "neural", "n-player"];

/** The command a family's flags belong to. */
const FLAG_COMMAND: Record<LearnerFamily, string | null> = {
  exact: "exact",
  sampled: "train",
  neural: null,
  "n-player": null,
};

function showValue(value: unknown): string {
  if (value === undefined) return "(none)";
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

/** One learner as plain data: what `--json` prints. */
export function describeLearner(entry: AnyLearnerEntry): Record<string, unknown> {
  return {
    name: entry.name,
    label: entry.label,
    family: entry.family,
    summary: entry.summary,
    reference: entry.reference ?? null,
    flagsOf: FLAG_COMMAND[entry.family],
    hyperparameters: hyperparameters(entry.schema).map((p) => ({ ...p, default: p.default ?? null })),
    schema: z.toJSONSchema(entry.schema, { io: "input", unrepresentable: "any" }),
  };
}

function learnerText(entry: AnyLearnerEntry): string {
  const head = `${entry.name} (${entry.family}; ${entry.label}): ${entry.summary}`;
  const reference = entry.reference ? `\n    ${entry.reference}` : "";
  const params = hyperparameters(entry.schema);
  if (params.length === 0) return `${head}${reference}\n    no hyperparameters\n`;
  const command = FLAG_COMMAND[entry.family];
  const rows = params.map((p) => {
    const flag = p.flag && command ? `  ${command} --${p.flag}` : "";
    return `    ${p.key.padEnd(20)} default ${showValue(p.default).padEnd(12)} ${allowedText(p)}${flag}\n      ${p.doc}`;
  });
  return `${head}${reference}\n${rows.join("\n")}\n`;
}

export function registerLearners(program: Command): void {
  program
    .command("learners")
    .summary("every learner with its hyperparameters, defaults and docs")
    .description(
      "list every learner (exact, sampled, neural and n-player) from its one entry: name, summary, paper, and each " +
        "hyperparameter with its default, allowed values, CLI flag and doc. The same entries give the flags of " +
        "`exact` and `train`, the experiment schemas and the arena's name(key=value) parser.",
    )
    .option("--family <f>", `only one family: ${FAMILIES.join(", ")}`)
    .option("--json", "print JSON (each schema also as JSON Schema)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab learners                   # naive, lola, …, pg, a2c, aa, lola-dice with their hyperparameters\n" +
        "  shapelab learners --family sampled  # aa: beta default 1 (train --beta), …\n" +
        "  shapelab learners --json",
    )
    .action((options: { family?: string; json?: boolean }) => {
      const family =
        options.family === undefined ? undefined : requireOneOf("--family", options.family, FAMILIES);
      const entries = allLearnerEntries().filter((e) => family === undefined || e.family === family);
      if (options.json) {
        printJson("learners", { family: family ?? null }, { learners: entries.map(describeLearner) });
        return;
      }
      process.stdout.write(entries.map(learnerText).join("\n"));
    });
}
