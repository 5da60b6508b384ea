/** `shapelab experiments`: the named experiments shipped with the package, and the published numbers they reproduce. */
import type { Command } from "commander";
import { gridSize } from "../../experiments/config.js";
import { applyPreset } from "../../experiments/overrides.js";
import { presetNames } from "../../experiments/presets.js";
import { KINDS, KIND_NAMES } from "../../experiments/registry.js";
import { loadNamedExperiment, namedExperimentNames } from "../../node/experimentFiles.js";
import { printJson } from "../jsonOutput.js";

export function registerExperiments(program: Command): void {
  program
    .command("experiments")
    .summary("the named experiments and the published numbers they reproduce")
    .description(
      "list the named experiments (run one with `shapelab run <name>`) with the published number each reproduces; " +
        "--kinds lists the experiment kinds a config can use",
    )
    .option("--kinds", "list experiment kinds and their metric families instead")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab experiments           # names, titles, presets and the published numbers they reproduce\n" +
        "  shapelab experiments --kinds   # the kinds a config can use and their metric families",
    )
    .action((options: { kinds?: boolean; json?: boolean }) => {
      if (options.kinds) {
        const kinds = KIND_NAMES.map((n) => ({
          kind: n,
          description: KINDS[n].description,
          metrics: KINDS[n].metricFamilies,
        }));
        if (options.json) printJson("experiments", { kinds: true }, { kinds });
        else
          for (const k of kinds)
            process.stdout.write(
              `${k.kind.padEnd(14)} ${k.description}\n${"".padEnd(15)}metrics: ${k.metrics.join(", ")}\n`,
            );
        return;
      }
      const named = namedExperimentNames().map((name) => {
        const e = loadNamedExperiment(name);
        const c = e.config;
        const runs = (c.cases?.length ?? 1) * gridSize(c.sweep) * c.seeds.count;
        const presets = presetNames(c).map((preset) => {
          const p = applyPreset(c, preset);
          return { name: preset, runs: (p.cases?.length ?? 1) * gridSize(p.sweep) * p.seeds.count };
        });
        return {
          name,
          title: c.title ?? "",
          kind: c.kind,
          runs,
          presets,
          config: e.file,
          doc: e.doc,
          reproduces: c.reproduces,
        };
      });
      if (options.json) {
        printJson("experiments", { kinds: false }, { experiments: named });
        return;
      }
      for (const e of named) {
        process.stdout.write(`${e.name}  (${e.kind}, ${e.runs} runs)\n  ${e.title}\n`);
        if (e.presets.length > 0)
          process.stdout.write(
            `  presets (--preset): ${e.presets.map((p) => `${p.name} (${p.runs} runs)`).join(", ")}\n`,
          );
        for (const r of e.reproduces) {
          process.stdout.write(
            `    ${r.case ? `${r.case} ` : ""}${r.metric} = ${r.published}${r.tolerance !== undefined ? ` ± ${r.tolerance}` : ""}  — ${r.source}\n`,
          );
        }
        if (e.doc) process.stdout.write(`  doc: ${e.doc}\n`);
      }
    });
}
