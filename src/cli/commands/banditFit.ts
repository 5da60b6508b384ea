/**
 * `shapelab bandit-fit <csv>`: fit the GRU surrogate of the bandit task (src/envs/bandit/gruChoiceModel.ts) to a
 * user's own choice data in the published columns (id, action, reward), holding out a share of the subjects, and
 * report NLL per choice: train, held out, and the NC-paper Q-learner's on the same held-out subjects. With `--json`
 * the fitted parameters come out too (float32 values, PyTorch's parameters() order), lossless.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { selectSubjects } from "../../envs/bandit/choiceData.js";
import { GruChoiceModel } from "../../envs/bandit/gruChoiceModel.js";
import { encodeGruFile } from "../../envs/bandit/gruFile.js";
import { qLearnerNll } from "../../envs/bandit/qLearner.js";
import { readChoiceCsvFile } from "../../node/choiceCsvFile.js";
import { ensureWritableFile } from "../../node/files.js";
import { InputError } from "../../util/errors.js";
import { Rng } from "../../util/rng.js";

function integer(flag: string, text: string, lo: number, hi: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new InputError(flag, `must be an integer in [${lo}, ${hi}], got "${text}"`);
  return n;
}
function real(flag: string, text: string, lo: number, hi: number): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x <= lo || x >= hi)
    throw new InputError(flag, `must be a number in (${lo}, ${hi}), got "${text}"`);
  return x;
}

export function registerBanditFit(program: Command): void {
  program
    .command("bandit-fit")
    .summary("fit the bandit GRU surrogate to your choice CSV")
    .argument(
      "<csv>",
      "choice data: a header with columns id, action (0/1, -1 = missed), reward; one row per trial",
    )
    .option("--cells <n>", "GRU cells", "10")
    .option("--steps <n>", "full-batch Adam steps", "1000")
    .option("--lr <x>", "Adam step size (the paper's 0.005)", "0.005")
    .option("--held-out <share>", "share of subjects held out", "0.1")
    .option("--seed <n>", "seed of the split and the initial weights", "0")
    .option("--json", "print the result and the fitted parameters as JSON")
    .option("--out <file>", "write the fitted GRU for choice-engineering (params.surrogate.gru.file)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab bandit-fit merged_dynamic.csv                  # the released columns idx, action, reward, id, …\n" +
        "  shapelab bandit-fit my.csv --steps 2000 --held-out 0.2 --json > fit.json\n" +
        "  shapelab bandit-fit my.csv --out my-gru.json             # then: shapelab run choice-engineering --preset paper \\\n" +
        "      --set params.surrogate.model=gru --set params.surrogate.gru.file=my-gru.json",
    )
    .action((csv: string, options: Record<string, string | boolean | undefined>) => {
      const cells = integer("--cells", String(options.cells), 1, 64);
      const steps = integer("--steps", String(options.steps), 1, 100_000);
      const lr = real("--lr", String(options.lr), 0, 1);
      const share = real("--held-out", String(options.heldOut), 0, 1);
      const seed = integer("--seed", String(options.seed), 0, Number.MAX_SAFE_INTEGER);
      const out = options.out === undefined ? undefined : String(options.out);
      if (out !== undefined) ensureWritableFile(out, "--out");
      const data = readChoiceCsvFile(csv);
      const rng = Rng.derive(seed, 1);
      const order = Array.from({ length: data.subjects }, (_, s) => s);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const testCount = Math.round(share * data.subjects);
      if (testCount < 1 || testCount >= data.subjects) {
        throw new InputError(
          "--held-out",
          `leaves ${testCount} of ${data.subjects} subjects held out; need at least 1 on each side`,
        );
      }
      const test = selectSubjects(data, order.slice(0, testCount));
      const train = selectSubjects(data, order.slice(testCount));
      const model = new GruChoiceModel(cells).init(Rng.derive(seed, 2));
      const fit = model.fit(train, {
        steps,
        lr,
        test,
        onLog: options.json
          ? undefined
          : (step, a, b) =>
              process.stderr.write(`step ${step}: train ${a.toFixed(4)}  held-out ${b.toFixed(4)}\n`),
      });
      const result = {
        file: csv,
        subjects: { train: train.subjects, heldOut: test.subjects },
        cells,
        steps,
        lr,
        seed,
        nll: {
          train: fit.trainNll,
          heldOut: fit.testNll,
          qLearnerHeldOut: qLearnerNll(test),
          chance: Math.log(2),
        },
      };
      if (out !== undefined) {
        const nll = {
          train: fit.trainNll,
          heldOut: fit.testNll,
          qLearnerHeldOut: result.nll.qLearnerHeldOut,
        };
        writeFileSync(out, encodeGruFile(model, nll, csv));
      }
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ ...result, parameters: Array.from(model.params.values) })}\n`,
        );
        return;
      }
      process.stdout.write(
        `${csv}: ${train.subjects} subjects fitted, ${test.subjects} held out; NLL per choice: train ${fit.trainNll.toFixed(4)}, ` +
          `held out ${(fit.testNll as number).toFixed(4)} (the NC Q-learner ${result.nll.qLearnerHeldOut.toFixed(4)}, chance ${Math.log(2).toFixed(4)})\n`,
      );
    });
}
