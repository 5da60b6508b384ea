/**
 * `shapelab arena`: fixed strategies and learners in one cross-play matrix (training from fresh starts, then an
 * evaluation match per seed), with the catalyst measure of the Advantage Alignment paper. See src/arena/learners.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import {
  type ArenaResult,
  checkCatalystNames,
  defaultNaive,
  type Entrant,
  planArena,
  exactArenaLearners,
  sampledArenaLearners,
  SEED_POST_ZOO,
} from "../../arena/learners.js";
import { resolveExactLearnerSpec } from "../../learners/exact/index.js";
import { resolveLearnerSpec } from "../../learners/sampled/train.js";
import { runArenaParallel } from "../../node/arenaPool.js";
import { createProgress } from "../../node/progress.js";
import { heatmapRows, heatmapSpec } from "../../report/heatmap.js";
import { splitNames } from "../../strategies/registry.js";
import { jsonDocument, toJsonText } from "../jsonOutput.js";
import { parseCount, parseNumber, parseSeed, parseWorkers, resolveGame } from "../options.js";
import { ensureWritableDir } from "../../node/files.js";
import { fixed } from "../../util/format.js";
import { DEFAULT_GAME, DEFAULT_GAME_HELP } from "../presets.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";

interface ArenaFlags {
  entrants?: string;
  seeds: string;
  seed: string;
  gamma: string;
  steps: string;
  batch: string;
  rollout: string;
  updates: string;
  evalTurns: string;
  shapers: string;
  naive?: string;
  workers?: string;
  game?: string;
  payoffs?: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

const nanIfNull = (m: (number | null)[][]) => m.map((row) => row.map((x) => (x === null ? Number.NaN : x)));

/** An entrant in the JSON config: a strategy by name, or a learner with its resolved hyperparameters. */
function entrantConfig(e: Entrant): Record<string, unknown> {
  if (e.kind === "strategy") return { ...e };
  const spec = e.kind === "exact" ? resolveExactLearnerSpec(e.spec) : resolveLearnerSpec(e.spec);
  return { kind: e.kind, label: e.label, spec };
}

async function writeArenaOutputs(r: ArenaResult, document: unknown, dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const { writeFigure } = await import("../../node/figures.js");
  const input = {
    rows: r.entrants,
    cols: r.entrants,
    rowReward: nanIfNull(r.rowReward),
    colReward: nanIfNull(r.colReward),
    rowSpread: nanIfNull(r.rowRewardSd),
    colSpread: nanIfNull(r.colRewardSd),
  };
  const rows = heatmapRows(input).filter((row) => Number.isFinite(row.rowReward as number));
  const files = await writeFigure(
    heatmapSpec(input, {
      title: `Cross-play (${r.game}, ${r.seeds} seeds, mean ± sd of reward per turn)`,
      colorTitle: "row's reward",
      withSpread: true,
    }),
    rows,
    join(dir, "cross-play"),
  );
  const json = join(dir, "arena.json");
  writeFileSync(json, toJsonText(document));
  return [files.svg, files.png, files.csv, json];
}

export function registerArena(program: Command): void {
  program
    .command("arena")
    .summary("learners and strategies in one cross-play matrix, catalyst")
    .description(
      "strategies and learners in a cross-play matrix: each learner trains from a fresh start against each " +
        "strategy (or together with each other learner), then the final policies play an evaluation " +
        "match per seed (a learned policy as a MemoryOne player); prints both sides' reward per turn (mean ± sd " +
        "over seeds) and the catalyst measure r(o vs shaper) − r(o vs naive learner) for every opponent o. " +
        "Sampled learners (pg, a2c, aa, lola-dice) train against any strategy: a memory-one one by its " +
        "probabilities, a longer-memory one (Grudger, Prober, Tit For 2 Tats, Cycler CCD, …) played as itself in " +
        "every training game; LOLA-DiCE then drops its look-ahead term (a fixed strategy does not learn). Exact " +
        "learners train only against memory-one strategies: other pairs stay empty with a note. An exact learner " +
        "and a sampled one train together in the sampled trainer for --updates updates: each update the exact " +
        "learner applies its own rule to the exact values at both sides' current logits (it sees the opponent's " +
        "parameters exactly), the sampled learner learns from the rollouts",
    )
    .option(
      "--entrants <names>",
      `comma-separated strategies and learners (sampled: ${sampledArenaLearners().join(", ")}; exact: ` +
        `${exactArenaLearners().join(", ")}); default: the seed post's zoo ` +
        `"${SEED_POST_ZOO.join(", ")}"`,
    )
    .option("--seeds <n>", "independent seeds per pair", "4")
    .option("--seed <s>", "base seed", "0")
    .option("--gamma <g>", "discount of the learners' objective", "0.96")
    .option("--steps <n>", "exact learners: update steps (vs strategies and exact learners)", "200")
    .option("--batch <n>", "sampled learners: games per seed per update", "64")
    .option("--rollout <n>", "sampled learners: steps per game", "50")
    .option(
      "--updates <n>",
      "sampled learners: updates (also the exact learner's, in exact-vs-sampled pairs)",
      "300",
    )
    .option("--eval-turns <n>", "turns of each evaluation match", "200")
    .option("--shapers <names>", "learners whose catalyst effect is reported", "aa,lola-dice,lola")
    .option("--naive <name>", "the naive learner of the catalyst measure (default: pg, else a2c, else naive)")
    .option("--workers <k>", "worker threads, one pair per task (0 = this thread; default: one per core)")
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}; ${DEFAULT_GAME_HELP}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs instead of --game")
    .option(
      "--json",
      "print JSON (entrants, rowReward, colReward, spreads, perSeed, policies, catalyst, notes)",
    )
    .option(
      "--out <dir>",
      "write cross-play.{svg,png,csv,vl.json} (heatmap: row / column reward ± sd) and arena.json",
    )
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab arena                                # the seed post's zoo, 4 seeds: table + catalyst\n" +
        '  shapelab arena --entrants "Cooperator, Defector, Tit For Tat, naive, lola" --seeds 2\n' +
        "     # exact learners exploit Cooperator and cooperate with Tit For Tat (3.00 / 3.00)\n" +
        "  shapelab arena --seeds 8 --out out/arena --json > out/arena.json",
    )
    .action(async (flags: ArenaFlags) => {
      // Checked before the computation, so a bad --out costs nothing.
      if (flags.out !== undefined) ensureWritableDir(flags.out, "--out");
      const game = resolveGame(flags, DEFAULT_GAME);
      const names = flags.entrants !== undefined ? splitNames(flags.entrants) : SEED_POST_ZOO;
      const shapers = flags.shapers.split(",").map((s) => s.trim().toLowerCase());
      checkCatalystNames(shapers, "--shapers");
      const naive = flags.naive?.trim().toLowerCase();
      if (naive !== undefined) checkCatalystNames([naive], "--naive");
      let progress: ReturnType<typeof createProgress> | undefined;
      const options = {
        seeds: parseCount("--seeds", flags.seeds, "seeds"),
        seed: parseSeed(flags.seed),
        gamma: parseNumber("--gamma", flags.gamma, { min: 0, max: 0.999999 }),
        steps: parseCount("--steps", flags.steps, "steps"),
        batch: parseCount("--batch", flags.batch, "batch"),
        rollout: parseCount("--rollout", flags.rollout, "rollout"),
        updates: parseCount("--updates", flags.updates, "updates"),
        evalTurns: parseCount("--eval-turns", flags.evalTurns, "turns"),
        shapers,
        naive,
        workers: parseWorkers(flags.workers),
      };
      const result = await runArenaParallel(names, game, {
        ...options,
        onPair: (done, total) => {
          progress ??= createProgress("arena pairs", total, { quiet: flags.quiet || flags.json });
          progress.update(done);
        },
      });
      progress?.stop();
      const plan = planArena(names, game, options);
      const config = {
        game: game.name,
        payoffs: { agent1: game.r1, agent2: game.r2 },
        gamma: plan.gamma,
        seeds: plan.seeds,
        seed: plan.seed,
        /** Each entrant as planned: a strategy by name, or a learner with every hyperparameter resolved. */
        entrants: plan.entrants.map(entrantConfig),
        budget: result.budget,
        shapers: options.shapers,
        naive: options.naive ?? defaultNaive(plan) ?? null,
      };
      const document = jsonDocument("arena", config, result as unknown as Record<string, unknown>);
      const files = flags.out ? await writeArenaOutputs(result, document, flags.out) : [];
      if (flags.json) {
        process.stdout.write(toJsonText(document));
        return;
      }
      const f = (x: number | null) => (x === null ? "    –    " : fixed(x, 2));
      const w = Math.max(...result.entrants.map((e) => e.length));
      process.stdout.write(
        `cross-play, game ${result.game}, ${result.seeds} seeds: cell = row's / column's reward per turn ` +
          `(mean over seeds of a ${result.budget.evalTurns}-turn evaluation match)\n`,
      );
      process.stdout.write(
        `${"".padEnd(w)}  ${result.entrants.map((e) => e.slice(0, 11).padEnd(11)).join(" ")}\n`,
      );
      result.entrants.forEach((e, i) => {
        const cells = result.rowReward[i].map((x, j) =>
          x === null ? "    –      " : `${f(x)}/${f(result.colReward[i][j])}`.padEnd(11),
        );
        process.stdout.write(`${e.padEnd(w)}  ${cells.join(" ")}\n`);
      });
      for (const c of result.catalyst) {
        process.stdout.write(
          `\ncatalyst of ${c.shaper} (vs ${c.naive}): r(o vs ${c.shaper}) − r(o vs ${c.naive}), mean ± sd\n`,
        );
        result.entrants.forEach((e, o) => {
          const m = c.mean[o];
          process.stdout.write(
            `  ${e.padEnd(w)}  ${m === null ? "–" : `${m >= 0 ? "+" : ""}${fixed(m, 3)} ± ${fixed(c.sd[o]!, 3)}`}\n`,
          );
        });
      }
      if (result.catalyst.length === 0) {
        process.stdout.write(
          "\n(no catalyst measure: it needs a naive learner and a shaper among the entrants)\n",
        );
      }
      for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
      for (const file of files) process.stdout.write(`wrote ${file}\n`);
    });
}
