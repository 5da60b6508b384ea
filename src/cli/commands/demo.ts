/**
 * `shapelab demo` (what `npm start` runs): the seed post's worked example, then exact naive and LOLA learners on
 * the iterated prisoner's dilemma with the LOLA paper's settings (ipd-lola payoffs, γ = 0.96, lr = η = 1,
 * 200 steps, 50 seeds, θ ~ N(0, 1), seed 0); then the Coin Game's league rows (src/node/demoCoin.ts: fixed agents,
 * and any pretrained agents shipped in experiments/agents/) with the commands that train and pit neural agents;
 * then the suite of named experiments (src/node/demoSuite.ts: worked
 * example, exact LOLA vs NL, AA's tit-for-tat figure, the catalyst arena) into the run store, with an HTML report
 * in ./shapelab-report/demo/ and the headline numbers beside the published ones.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_REPORT_DIR } from "./report.js";
import { STATE_LABELS } from "../../games/game.js";
import { gamePreset } from "../../games/presets.js";
import type { ExactLearnerName } from "../../learners/exact/index.js";
import { trainExact } from "../../learners/exact/train.js";
import { computeWorkedExample } from "../../learners/exact/worked-example.js";
import { mean } from "../../util/stats.js";
import { coinDemoSection } from "../../node/demoCoin.js";
import { headlineTable, runDemoSuite } from "../../node/demoSuite.js";
import { DEFAULT_STORE_DIR } from "../../node/store.js";
import { parseWorkers } from "../options.js";
import { formatWorkedExample } from "./explain.js";
import { ensureWritableDir } from "../../node/files.js";
import { fixed } from "../../util/format.js";

const PAIRS: [ExactLearnerName, ExactLearnerName][] = [
  ["naive", "naive"],
  ["lola", "lola"],
  ["lola", "naive"],
];

/** The exact IPD section: one table row per agent of each pair. */
export function exactIpdSection(seeds = 50): string {
  const game = gamePreset("ipd-lola");
  const lines = [
    `Exact learners on the IPD (payoffs ${game.name} R,S,T,P = ${game.r1.join(",")}; γ = 0.96, lr = η = 1, ` +
      `200 steps, ${seeds} seeds, seed 0)`,
    `${"pair".padEnd(14)}${"agent".padEnd(8)}${"reward/step".padStart(12)}  ` +
      `${STATE_LABELS.map((l) => `P(C|${l})`.padStart(10)).join("")}${"TFT-like".padStart(10)}${"both".padStart(7)}`,
  ];
  for (const [a, b] of PAIRS) {
    const r = trainExact({
      game,
      gamma: 0.96,
      learners: [{ name: a }, { name: b }],
      steps: 200,
      seeds,
      seed: 0,
    });
    for (const i of [0, 1]) {
      const reward = mean(r.rewardPerStep.filter((_, k) => k % 2 === i));
      const pc = [0, 1, 2, 3, 4].map((s) => mean(r.pC.filter((_, k) => k % 10 === 5 * i + s)));
      lines.push(
        `${(i === 0 ? `${a}–${b}` : "").padEnd(14)}${`${i + 1} ${i === 0 ? a : b}`.padEnd(8)}` +
          `${fixed(reward, 3).padStart(12)}  ${pc.map((p) => fixed(p, 2).padStart(10)).join("")}` +
          `${`${fixed(100 * r.tftFractionPerAgent[i], 0)} %`.padStart(10)}` +
          `${i === 0 ? `${fixed(100 * r.tftFraction, 0)} %`.padStart(7) : ""}`,
      );
    }
  }
  lines.push(
    "LOLA paper (Table 2): NL–NL −1.98, LOLA–LOLA −1.06 with 81 % TFT by its own (unstated) criterion; ours:",
    "TFT-like = every probability of the agent's policy within 0.5 of TFT [1, 1, 0, 1, 0], as a % of seeds;",
    "both = seeds in which both agents' policies are TFT-like.",
  );
  return lines.join("\n");
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .summary("the demo (npm start): worked example, exact LOLA, a report")
    .description(
      "the main demo (npm start): the seed post's worked example, exact NL/LOLA on the IPD, then the named " +
        "experiments suite (worked example, exact LOLA vs NL, AA's tit-for-tat figure, catalyst arena) with an " +
        "HTML report and the headline numbers beside the published ones",
    )
    .option("--store <dir>", "run store for the suite (finished runs are reused)", DEFAULT_STORE_DIR)
    .option("--out <dir>", "report folder", join(DEFAULT_REPORT_DIR, "demo"))
    .option("--workers <n>", "worker threads (0 = this thread; default: one per core)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab demo                  # = npm start; writes ./shapelab-report/demo/index.html\n" +
        "  shapelab demo --store /tmp/runs --out /tmp/report --workers 1",
    )
    .action(async (options: { store: string; out: string; workers?: string }) => {
      const workers = parseWorkers(options.workers);
      ensureWritableDir(options.out, "--out");
      const started = performance.now();
      process.stdout.write("== The seed post's worked example (shapelab explain)\n");
      process.stdout.write(`${formatWorkedExample(computeWorkedExample())}\n\n`);
      process.stdout.write("== Exact naive learners and LOLA (shapelab exact)\n");
      process.stdout.write(`${exactIpdSection()}\n`);
      process.stdout.write(
        "\n== The Coin Game: neural agents and the AA paper's league (shapelab run coin-league)\n",
      );
      process.stdout.write(`${coinDemoSection()}\n`);
      process.stdout.write("\n== Named experiments (shapelab run <name>; shapelab report <name>)\n");
      const suite = await runDemoSuite({
        store: options.store,
        out: options.out,
        workers,
        quiet: !process.stderr.isTTY,
        log: (line) => process.stdout.write(`  ${line}\n`),
      });
      process.stdout.write(`\n${headlineTable(suite)}\n`);
      process.stdout.write(
        `\nReport: ${suite.index} (${suite.figures} figures, each with its CSV). Runs: ${options.store} ` +
          `(${suite.computed} computed now, ${suite.reused} reused; \`shapelab runs list\`).\n` +
          "To play with the dynamics in a browser: `shapelab explore` (LOLA vs naive learners live, phase portraits).\n",
      );
      process.stdout.write(`\n(${fixed((performance.now() - started) / 1000, 1)} s)\n`);
    });
}
