/**
 * `shapelab train`: two sampled learners (pg, a2c, aa, lola-dice), or a learner and a fixed strategy, trained from
 * batched rollouts of an iterated game over many seeds (src/learners/sampled/train.ts). Prints a summary or JSON;
 * `--out` writes the tit-for-tat figure (empirical P(C) per previous joint state, AA paper Fig. 1b) and learning
 * curves.
 *
 * The seats come from `../trainSeats.ts`: an `--agents` entry that is not a learner name is a strategy of the
 * registry (Axelrod names: "Grudger", "Cycler CCD", "GTFT: 0.33", …). A longer-memory strategy is played as itself,
 * has no P(C) per state and leaves the pair without an exact value, so the summary then reports the sampled
 * reward of the training rollouts and says so.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { STATE_LABELS } from "../../games/game.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";
import { learnerEntries } from "../../learners/registry.js";
import { FINAL_WINDOW, finalValues, rewardCurves } from "../../learners/sampled/summary.js";
import { type TrainSampledResult, trainSampled } from "../../learners/sampled/train.js";
import { writeFigure } from "../../node/figures.js";
import { createProgress } from "../../node/progress.js";
import { curveRowsFromSeeds, learningCurvesSpec } from "../../report/learningCurves.js";
import { pcBarRowsFromSeeds, pcBarsSpec } from "../../report/pcBars.js";
import { InputError } from "../../util/errors.js";
import { mean, sd } from "../../util/stats.js";
import { printJson } from "../jsonOutput.js";
import { addLearnerFlags } from "../learnerFlags.js";
import { applyPreset, DEFAULT_GAME, DEFAULT_GAME_HELP, presetHelp } from "../presets.js";
import { parseCount, parseNumber, parseSeed, resolveGame } from "../options.js";
import {
  parseInit,
  playedAsItself,
  seatJson,
  seatLabel,
  seatNotes,
  trainAgentNames,
  type TrainFlags,
  type TrainSeat,
  trainSeatsFromFlags,
} from "../trainSeats.js";
import { ensureWritableDir } from "../../node/files.js";
import { fixed } from "../../util/format.js";
import { isCoinEnv } from "../coinFlags.js";
import { addCoinTrainOptions, coinLearnerHelp, runTrainCoin } from "./trainCoin.js";

/**
 * The reward curves and the final values (mean of the last FINAL_WINDOW updates) live in a browser-safe module,
 * so the explorer's sampled page reports the same numbers as this command.
 */
export { FINAL_WINDOW, finalValues, rewardCurves };

/** "seed 3 at update 12: agent 1's …" */
export function divergenceText(d: { seed: number; step: number; reason: string }): string {
  return `seed ${d.seed} at update ${d.step}: ${d.reason}`;
}

export function registerTrain(program: Command): void {
  const command = program
    .command("train")
    .summary(
      `sampled learners (${learnerEntries("sampled")
        .map((e) => e.name)
        .join(", ")}) from batched play`,
    )
    .description(
      "train two sampled learners (or a learner and a fixed strategy) from batched rollouts of an iterated game, " +
        "many seeds at once.\nLearners:\n" +
        learnerEntries("sampled")
          .map((e) => `  ${e.name.padEnd(10)} ${e.summary}`)
          .join("\n") +
        "\nFixed opponents: fixed (--fixed), alld, " +
        "allc, tft, or any strategy of `shapelab strategies` by name (Grudger, Cycler CCD, GTFT: 0.33, …): a " +
        "memory-one strategy plays as its five probabilities, a longer-memory one as itself in every game " +
        "(lola-dice then learns without look-ahead). Rewards are per step: the exact (1 − γ)·V of the policies " +
        "and the sampled mean; against a strategy that is not memory-one only the sampled mean exists, and its " +
        "P(C) per state is not defined (the summary shows its empirical frequencies).",
    )
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}; ${DEFAULT_GAME_HELP}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs: R,S,T,P or eight numbers (two 2x2 matrices)")
    .option("--gamma <g>", "discount factor in [0, 1)", "0.96")
    .option(
      "--agents <a,b>",
      `agent 1 and agent 2: ${trainAgentNames().join(", ")}, or a strategy name (e.g. "aa,Grudger", ` +
        '"Tit For Tat,pg"; use ";" between them when a name holds a comma); with neither --agents nor ' +
        "--preset: aa,aa with the aa-tft recipe",
      "aa,aa",
    )
    .option("--fixed <p,p,p,p,p>", "P(C) of a `fixed` agent in own-view states start,CC,CD,DC,DD")
    .option("--seeds <n>", "independent runs, batched", "10")
    .option(
      "--seed <s>",
      "base seed B: run k (k = 0..seeds−1) is seed B + k, the same run as an experiment's seed B + k",
      "0",
    )
    .option("--batch <n>", "games per seed per update", "64")
    .option("--rollout <T>", "steps per game", "150")
    .option("--updates <n>", "learning updates", "200")
    .option("--init <kind>", "initial logits: normal[:sd] (θ ~ N(0, sd²)) or zeros", "normal")
    .option("--eval-batch <n>", "games per seed in the final evaluation rollout (default --batch)");
  // Every hyperparameter flag, from the learner entries (src/learners/registry.ts; `shapelab learners`).
  addLearnerFlags(command, learnerEntries("sampled"));
  command
    .option("--preset <name>", presetHelp("train").option)
    .option("--json", "print JSON on stdout")
    .option("--quiet", "no progress bar")
    .option(
      "--out <dir>",
      "write figures (.svg .png .csv .vl.json): tft-bars (policy P(C) per state), tft-bars-empirical, learning-curves, aa-quadrants-agent<i>",
    )
    .addHelpText(
      "after",
      presetHelp("train").list +
        "With neither --agents nor --preset, train runs aa,aa with the aa-tft recipe (β 2, running-mean, " +
        "opponent-action past term, lr 0.5, zero init) on the default game: tit-for-tat, ≈ 3 per step. " +
        "`--agents aa,aa` alone uses the learner's own (paper) defaults, which defect. Hyperparameter flags " +
        "apply to every seat whose learner has that hyperparameter (`shapelab learners` lists them); write " +
        "--mask-quadrants=-- for the spiteful quadrant alone.\n" +
        "\nExamples:\n" +
        "  shapelab train --seeds 4                                       # AA learns tit-for-tat on ipd: ≈ 3.0 per step\n" +
        "  shapelab train --preset aa-tft                                 # the AA paper's Fig. 1b on ipd-lola\n" +
        "  shapelab train --agents pg,pg --seeds 5                        # naive learners defect: ≈ 1 per step on ipd\n" +
        "  shapelab train --preset lola-dice-paper                        # ≈ −1.19 per step (ipd-lola)\n" +
        "  shapelab train --preset aa-tft --out out/aa                    # writes the tit-for-tat bars\n" +
        '  shapelab train --agents "pg,Grudger" --seeds 4          # keeps cooperating: ≈ 3 per step (sampled)\n' +
        '  shapelab train --agents "pg,Cycler CCD" --seeds 4       # always defects: ≈ 11/3 per step\n' +
        '  shapelab train --agents "Tit For Tat,aa"                # memory-one: exact values and P(C) as usual',
    )
    .action(async (flags: TrainFlags, command: Command) => {
      // --env coin: neural learners on the Coin Game (./trainCoin.ts).
      if (isCoinEnv(flags as { env?: string })) return runTrainCoin(flags as never, command);
      // Checked before the computation, so a bad --out costs nothing.
      if (flags.out !== undefined) ensureWritableDir(flags.out, "--out");
      const record = flags as unknown as Record<string, unknown>;
      // No --agents and no --preset: the aa-tft recipe on the default game (the headline: AA learns TFT).
      const usesDefault = flags.preset === undefined && command.getOptionValueSource("agents") !== "cli";
      const preset = usesDefault
        ? applyPreset(command, record, "aa-tft", "train", ["game"])
        : flags.preset !== undefined
          ? applyPreset(command, record, flags.preset, "train")
          : undefined;
      const game = resolveGame(flags, DEFAULT_GAME);
      const gamma = parseNumber("--gamma", flags.gamma, { min: 0 });
      if (gamma >= 1) throw new InputError("--gamma", `must be in [0, 1), got ${gamma}`);
      const seats = trainSeatsFromFlags(flags, game);
      const learners = [seats[0].spec, seats[1].spec] as const;
      const seeds = parseCount("--seeds", flags.seeds, "seeds");
      const seed = parseSeed(flags.seed);
      const batch = parseCount("--batch", flags.batch, "batch");
      const rollout = parseCount("--rollout", flags.rollout, "rollout");
      const updates = parseCount("--updates", flags.updates, "updates");
      const evalBatch =
        flags.evalBatch === undefined ? undefined : parseCount("--eval-batch", flags.evalBatch, "batch");
      const init = parseInit(flags.init);
      const progress = createProgress("train", updates, { quiet: flags.quiet });
      const result = trainSampled({
        game,
        gamma,
        learners,
        batch,
        rollout,
        updates,
        seeds,
        seed,
        init,
        evalBatch,
        onUpdate: (u, [r1, r2]) => progress.update(u + 1, `reward ${fixed(r1, 3)} / ${fixed(r2, 3)}`),
      });
      progress.stop();
      // Seeds that diverged (frozen at their last finite parameters) are reported and left out of every summary.
      const divergedSeeds = new Set(result.diverged.map((d) => d.seed));
      if (divergedSeeds.size === seeds)
        throw new InputError(
          "training",
          `all ${seeds} seed(s) diverged (e.g. ${divergenceText(result.diverged[0])}); lower the step sizes ` +
            "(--lr, --lr-critic, --lr-inner, --lr-outer)",
        );
      const kept = <T>(perSeed: T[]) => perSeed.filter((_, k) => !divergedSeeds.has(k));
      const finals = finalValues(result);
      const rewardSource = rewardCurves(result).source;
      const labels = seats.map(seatLabel);
      const notes = seatNotes(seats);
      let files: string[] = [];
      if (flags.out !== undefined) files = await writeTrainFigures(result, seats, flags.out);
      if (flags.json) {
        const config = {
          /** The preset whose settings filled the flags not given (aa-tft without its game when none was named). */
          preset: preset?.name ?? null,
          game: game.name,
          payoffs: { agent1: game.r1, agent2: game.r2 },
          gamma,
          /** Each seat with every hyperparameter resolved (defaults filled in). */
          agents: seats.map(seatJson),
          names: seats.map((s) => s.name),
          batch,
          rollout,
          updates,
          seeds,
          seed,
          init: init.kind === "normal" ? { kind: "normal", mean: init.mean ?? 0, sd: init.sd ?? 1 } : init,
          evalBatch: evalBatch ?? batch,
          /** `final.rewardPerStep` averages the last this many updates. */
          finalWindow: FINAL_WINDOW,
        };
        printJson("train", config, {
          states: STATE_LABELS,
          final: {
            /** Logits (sigmoid = P(C)) per state; null for a strategy that is not memory-one (see `notes`). */
            theta: result.finalTheta.map((s) => s.map((t, a) => (playedAsItself(seats[a]) ? null : t))),
            /** Policy P(C) per state; null for a strategy that is not memory-one (see `notes`). */
            pC: result.finalPC.map((s) => s.map((p, a) => (playedAsItself(seats[a]) ? null : p))),
            empiricalPC: result.empiricalPC,
            visits: result.visits,
            /** Per-step reward (exact, or sampled: see rewardSource), mean of the last 10 updates, per seed and agent. */
            rewardPerStep: finals,
            rewardSource,
          },
          rewardPerStep: {
            /** null when a seat is a strategy that is not memory-one (no memory-one chain to evaluate). */
            exact: rewardSource === "exact" ? result.exactPerStep : null,
            sampled: result.rewardPerStep,
          },
          aaQuadrants: result.aaQuadrants.map((q) => ({
            agent: q.agent + 1,
            quadrants: q.quadrants,
            shares: q.shares,
            perSeed: q.perSeed,
          })),
          /** Seeds frozen at their last finite parameters (left out of the text summary), with update and reason. */
          diverged: result.diverged,
          notes,
          files,
          elapsedMs: result.elapsedMs,
        });
        return;
      }
      const out: string[] = [];
      if (usesDefault)
        out.push(
          `the default: aa-tft's recipe on ${game.name} (--preset aa-tft for the AA paper's game, --agents for others)`,
        );
      else if (preset) out.push(`preset ${preset.name}: ${preset.summary}`);
      out.push(
        `${game.name}, γ = ${gamma}, ${labels.join(" vs ")}, batch ${batch} × ${rollout} steps, ${updates} updates, ` +
          `${seeds} seed(s) from seed ${seed}`,
      );
      const header = STATE_LABELS.map((l) => l.padStart(6)).join("");
      const rewardHeader = `${rewardSource === "exact" ? "" : "sampled "}reward/step, last 10`;
      const labelWidth = Math.max(28, ...labels.map((l) => l.length + 2));
      const rewardWidth = rewardHeader.length + 2;
      const cells = (values: string[]) => values.map((x) => x.padStart(6)).join("");
      out.push(
        `${"agent".padEnd(labelWidth)}${rewardHeader.padEnd(rewardWidth)}${"P(C) per state".padEnd(16)}${header}`,
      );
      for (const a of [0, 1]) {
        const r = kept(finals).map((s) => s[a]);
        const policy = playedAsItself(seats[a])
          ? "  not memory-one: no P(C) per state"
          : cells([0, 1, 2, 3, 4].map((s) => fixed(mean(kept(result.finalPC).map((p) => p[a][s])), 2)));
        const emp = [0, 1, 2, 3, 4].map((s) => {
          const values = kept(result.empiricalPC)
            .map((p) => p[a][s])
            .filter((v): v is number => v !== null);
          return values.length ? fixed(mean(values), 2) : "-";
        });
        out.push(
          `${labels[a].padEnd(labelWidth)}${`${fixed(mean(r), 3)} ± ${fixed(sd(r), 3)}`.padEnd(rewardWidth)}` +
            `${"policy".padEnd(16)}${policy}`,
        );
        out.push(`${"".padEnd(labelWidth + rewardWidth)}${"empirical".padEnd(16)}${cells(emp)}`);
      }
      const joint = kept(finals).map(([a, b]) => (a + b) / 2);
      out.push(
        `joint reward/step (mean of both agents, last 10 updates): ${fixed(mean(joint), 3)} ± ${fixed(sd(joint), 3)} over seeds`,
      );
      for (const q of result.aaQuadrants) {
        const overall = [0, 1, 2, 3].map((i) => mean(kept(q.perSeed).map((row) => row[i])));
        out.push(
          `agent ${q.agent + 1} shares of |alignment term| by sign (past term, opponent A): ` +
            q.quadrants.map((name, i) => `${name} ${fixed(100 * overall[i], 0)}%`).join("  "),
        );
      }
      if (result.diverged.length > 0)
        out.push(
          `diverged: ${divergedSeeds.size} of ${seeds} seed(s), left out of the numbers above; e.g. ` +
            divergenceText(result.diverged[0]),
        );
      for (const note of notes) out.push(`note: ${note}`);
      for (const f of files) out.push(`wrote ${f}`);
      out.push(`${fixed(result.elapsedMs / 1000, 2)} s`);
      process.stdout.write(`${out.join("\n")}\n`);
    });
  addCoinTrainOptions(command).addHelpText("after", coinLearnerHelp());
}

/**
 * Write `<dir>/tft-bars.*` (the tit-for-tat figure: each agent's P(C) per previous joint state, mean ± sd over
 * seeds, read from the final tabular policies), `<dir>/tft-bars-empirical.*` (the same measured as empirical
 * frequencies in the evaluation rollout, as the AA paper does; seeds that never visited a state are left out) and
 * `<dir>/learning-curves.*` (reward per step per update, mean ± sd over seeds: exact, or sampled when a seat is a
 * strategy that is not memory-one), and for each AA seat `<dir>/aa-quadrants-agent<i>.*` (share of the alignment
 * term per sign quadrant over training). A strategy that is not memory-one has no bars in `tft-bars` (no P(C) per
 * state; the subtitle says so) but has them in `tft-bars-empirical`.
 */
export async function writeTrainFigures(
  result: TrainSampledResult,
  seats: readonly TrainSeat[],
  dir: string,
): Promise<string[]> {
  const labels = seats.map(seatLabel);
  const title = `${seats.map((s) => s.name).join(" vs ")} (${result.game}), ${result.seeds} seeds`;
  const withoutPolicy = seats.filter(playedAsItself).map((s) => s.name);
  const policyRows = [0, 1].flatMap((a) =>
    pcBarRowsFromSeeds(
      result.finalPC.map((p) => p[a]),
      labels[a],
    ),
  );
  const bars = await writeFigure(
    pcBarsSpec(policyRows, {
      title: `P(cooperate) per previous joint state, ${title}`,
      subtitle:
        withoutPolicy.length > 0
          ? `mean over seeds, whiskers ±1 sd; ${withoutPolicy.join(", ")}: not memory-one, no P(C) per state (see tft-bars-empirical)`
          : undefined,
    }),
    policyRows,
    join(dir, "tft-bars"),
  );
  const empiricalRows = [0, 1].flatMap((a) =>
    pcBarRowsFromSeeds(
      result.empiricalPC.map((p) => p[a]),
      labels[a],
    ),
  );
  const empirical = await writeFigure(
    pcBarsSpec(empiricalRows, {
      title: `Empirical P(cooperate) per previous joint state, ${title}`,
      subtitle: "evaluation rollout; mean over seeds that visited the state, whiskers ±1 sd",
    }),
    empiricalRows,
    join(dir, "tft-bars-empirical"),
  );
  const rewards = rewardCurves(result);
  const curveRows = [0, 1].flatMap((a) =>
    curveRowsFromSeeds(
      rewards.values.map((u) => u.map((s) => s[a])),
      labels[a],
    ),
  );
  const curves = await writeFigure(
    learningCurvesSpec(curveRows, {
      title: `Reward per step during training, ${title}`,
      yTitle:
        rewards.source === "exact"
          ? "exact reward per step (1 − γ)·V"
          : "sampled reward per step (training rollouts)",
    }),
    curveRows,
    join(dir, "learning-curves"),
  );
  const files = [bars.svg, bars.png, empirical.svg, empirical.png, curves.svg, curves.png];
  for (const q of result.aaQuadrants) {
    // Share of |alignment term| per sign quadrant over training (mean over seeds with a non-zero term).
    const rows = q.quadrants.flatMap((name, i) =>
      q.shares.map((row, step) => ({
        series: name,
        step,
        mean: row[i],
        sd: 0,
        lo: row[i],
        hi: row[i],
        n: result.seeds,
      })),
    );
    const figure = await writeFigure(
      learningCurvesSpec(rows, {
        title: `Agent ${q.agent + 1}'s alignment term by sign quadrant (past term, opponent A), ${title}`,
        yTitle: "share of |alignment term|",
        subtitle: "mean over the seeds whose alignment term is non-zero at that update",
      }),
      rows,
      join(dir, `aa-quadrants-agent${q.agent + 1}`),
    );
    files.push(figure.svg, figure.png);
  }
  return files;
}
