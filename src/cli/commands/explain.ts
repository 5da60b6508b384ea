/** `shapelab explain`: the seed post's worked example, computed by the exact engine (see worked-example.ts). */
import type { Command } from "commander";
import { computeWorkedExample, type WorkedExample } from "../../learners/exact/worked-example.js";
import { parseNumber } from "../options.js";
import { fixed } from "../../util/format.js";
import { printJson } from "../jsonOutput.js";

export function formatWorkedExample(w: WorkedExample): string {
  const f = (x: number, d = 7) =>
    Math.abs(x) < 1e-12 ? "0" : fixed(x, d).replace(/0+$/, "").replace(/\.$/, "");
  const { R, S, T, P } = w.payoffs;
  const aa = w.advantageAlignment;
  return [
    `One-shot prisoner's dilemma (R, S, T, P) = (${R}, ${S}, ${T}, ${P}), both agents at P(C) = ${w.p} (logit 0);`,
    "derivatives with respect to the logits, computed by the exact engine at γ = 0:",
    `  naive gradient           ${f(w.naiveGradient).padStart(11)}   ${w.formulas.naiveGradient}`,
    `  post's cross term        β·${f(w.postCrossTerm)}   ${w.formulas.postCrossTerm}`,
    `  post's update, β = ${f(w.beta, 3).padEnd(5)} ${f(w.postUpdate).padStart(11)}   naive + β·cross term`,
    `  β_flip                   ${f(w.betaFlip, 4).padStart(11)}   ${w.formulas.betaFlip}: above it the post's update favours C`,
    `  LOLA paper's term        η·${f(w.lolaCorrectionTerm)}   ${w.formulas.lolaCorrectionTerm}`,
    "  (the post's term differentiates the agent's OWN value along the opponent's step; LOLA's differentiates the",
    "   OPPONENT's value: at this point they have opposite signs, and LOLA's pushes towards D.)",
    `Advantage Alignment example at γ = ${aa.gamma}, β = ${f(w.beta, 3)}:`,
    `  A* = ${f(aa.advantage, 4)} + ${f(w.beta, 3)}·${aa.gamma}·${f(aa.advantage, 4)}·${f(aa.advantage, 4)} = ${fixed(aa.aStar, 4)} ≈ ${fixed(aa.aStar, 2)}   (${w.formulas.aStar})`,
  ].join("\n");
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .summary("the seed post's worked example, computed from code")
    .description(
      "the seed post's worked example, computed from code: one-shot PD at p = 0.5, the naive gradient, the " +
        "post's cross term and β_flip, the LOLA paper's term beside it, and the Advantage Alignment example",
    )
    .option("--beta <b>", "weight β of the post's cross term (and of the AA example)", "1")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab explain               # naive gradient −0.375, cross term β·0.0234375, β_flip 16, A* 1.29\n" +
        "  shapelab explain --beta 16 --json",
    )
    .action((flags: { beta: string; json?: boolean }) => {
      const w = computeWorkedExample(parseNumber("--beta", flags.beta));
      if (flags.json) printJson("explain", { beta: w.beta }, { ...w });
      else process.stdout.write(`${formatWorkedExample(w)}\n`);
    });
}
