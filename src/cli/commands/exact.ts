/**
 * `shapelab exact`: train two exact learners against each other on a memory-one iterated game (closed-form values
 * and derivatives; batched over seeds), or on the SOS tandem game (`--game tandem`), and print a summary table or
 * JSON.
 */
import type { Command } from "commander";
import { allNear, fraction } from "../../exact/metrics.js";
import { isPrisonersDilemma, isZeroSum, STATE_LABELS } from "../../games/game.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";
import {
  EXACT_LEARNER_ENTRIES,
  EXACT_LEARNER_NAMES,
  type ExactLearnerSpec,
  resolveExactLearnerSpec,
} from "../../learners/exact/index.js";
import { runTandem } from "../../learners/exact/tandem.js";
import { trainExact } from "../../learners/exact/train.js";
import { readTextCapped } from "../../node/files.js";
import { createProgress } from "../../node/progress.js";
import { LIMITS } from "../../util/limits.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { mean, sd } from "../../util/stats.js";
import { printJson } from "../jsonOutput.js";
import { addLearnerFlags, configFromFlags } from "../learnerFlags.js";
import { applyPreset, DEFAULT_GAME, DEFAULT_GAME_HELP, presetHelp, presetsOf } from "../presets.js";
import { parseCount, parseNumber, parseSeed, resolveGame } from "../options.js";
import { fixed } from "../../util/format.js";

/** The command's own flags; the learners' hyperparameter flags are generated from their entries. */
interface ExactFlags {
  game?: string;
  payoffs?: string;
  gamma: string;
  agents: string;
  /** `--lola-lookahead-term` (the lola entry's includeLookAheadTerm). */
  lolaLookaheadTerm?: boolean;
  /** `--lr`, `--eta` (the learners' shared hyperparameters; printed in the summary). */
  lr: string;
  eta: string;
  steps: string;
  seeds?: string;
  seed: string;
  initFile?: string;
  preset?: string;
  json?: boolean;
  quiet?: boolean;
  readonly [hyperparameterFlag: string]: string | boolean | undefined;
}

/**
 * Read `{"theta": [[5 logits], [5 logits]]}` (one seed) or `{"theta": [[[5], [5]], …]}` (one entry per seed), or
 * a whole `exact --json` document, whose `final.theta` (full float64) continues that run exactly.
 */
export function readInitFile(path: string): Float64Array {
  const field = "--init-file";
  const text = readTextCapped(path, LIMITS.initFileBytes, field);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(field, `"${path}" is not valid JSON: ${(error as Error).message}`);
  }
  const doc = data as { theta?: unknown; command?: unknown; final?: { theta?: unknown } } | null;
  const theta = doc?.command === "exact" && doc.theta === undefined ? doc.final?.theta : doc?.theta;
  const shape = "expected {\"theta\": [[5 numbers], [5 numbers]]} (agent 1's then agent 2's logits)";
  if (!Array.isArray(theta) || theta.length === 0) throw new InputError(field, shape);
  const pairs = Array.isArray(theta[0]) && Array.isArray(theta[0][0]) ? theta : [theta];
  const out: number[] = [];
  pairs.forEach((pair: unknown, s: number) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new InputError(`${field} theta[${s}]`, shape);
    pair.forEach((agent: unknown, i: number) => {
      if (!Array.isArray(agent) || agent.length !== 5)
        throw new InputError(`${field} theta agent ${i + 1}`, shape);
      agent.forEach((v: unknown, k: number) => {
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new InputError(
            `${field} theta agent ${i + 1} [${k}]`,
            `must be a finite number, got ${JSON.stringify(v)}`,
          );
        }
        out.push(v);
      });
    });
  });
  return Float64Array.from(out);
}

/** `[seeds][2][width]` from the flat `[seed, agent, entry]` layout, full float64 (the JSON is lossless). */
function nested(flat: Float64Array, width: number): number[][][] {
  const out: number[][][] = [];
  const slice = (from: number) => {
    const row = new Array<number>(width);
    for (let a = 0; a < width; a++) row[a] = flat[from + a];
    return row;
  };
  // Plain loops: Array.from of 2000 subarrays was ≈ 10 ms of a cold `exact --json` (issue 10 §6).
  for (let o = 0; o < flat.length; o += 2 * width) out.push([slice(o), slice(o + width)]);
  return out;
}

function pairs(flat: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < flat.length / 2; s++) out.push([flat[2 * s], flat[2 * s + 1]]);
  return out;
}

function column(flat: Float64Array, agent: number): Float64Array {
  return flat.filter((_, i) => i % 2 === agent);
}

export function registerExact(program: Command): void {
  // The exact family's own list, not the registry's union of every family: `exact` trains only these learners
  // (their names are a type, ExactLearnerName), and reading the registry would load the neural learners too.
  const entries = EXACT_LEARNER_ENTRIES;
  const command = program
    .command("exact")
    .summary("two exact learners (naive, lola, sos, …) on a memory-one game")
    .description(
      "train two exact learners against each other with closed-form values and derivatives, batched over seeds.\n" +
        "Learners:\n" +
        entries.map((e) => `  ${e.name.padEnd(14)} ${e.summary}`).join("\n") +
        "\nValues are discounted sums V; rewards are reported per step, (1 − γ)·V.",
    )
    .option(
      "--game <preset>",
      `game preset: ${GAME_PRESET_NAMES.join(", ")}, or tandem (SOS paper); ${DEFAULT_GAME_HELP}`,
    )
    .option("--payoffs <R,S,T,P>", "custom payoffs: R,S,T,P or eight numbers (two 2x2 matrices)")
    .option("--gamma <g>", "discount factor in [0, 1)", "0.96")
    .option(
      "--agents <a,b>",
      `learners of agent 1 and agent 2 (${entries.map((e) => e.name).join(", ")})`,
      "lola,lola",
    );
  // Every hyperparameter flag, from the learner entries (src/learners/exact/index.ts; `shapelab learners`).
  const hyperparameterFlags = addLearnerFlags(command, entries, { withDefaults: true });
  command
    .option("--steps <n>", "updates", "200")
    .option("--seeds <n>", "independent runs, θ ~ N(0, 1) each (default 50; tandem: 100 runs, N(0, 0.1²))")
    .option(
      "--seed <s>",
      "base seed B: run k (k = 0..seeds−1) is seed B + k, the same run as an experiment's seed B + k",
      "0",
    )
    .option(
      "--init-file <f>",
      'JSON {"theta": [[5 logits], [5 logits]]} (or [[…], …] per seed, or an `exact --json` output: its final.theta) replacing the random init',
    )
    .option("--preset <name>", presetHelp("exact").option)
    .option("--json", "print JSON on stdout")
    .option("--quiet", "no progress bar")
    .addHelpText(
      "after",
      presetHelp("exact").list +
        "\nExamples:\n" +
        "  shapelab exact                               # LOLA vs LOLA on ipd: cooperate, ≈ 2.9 of 3 per step\n" +
        "  shapelab exact --preset lola-paper           # LOLA paper's IPD: ≈ −1.06 per step\n" +
        "  shapelab exact --game imp --gamma 0.9 --seeds 200\n" +
        "  shapelab exact --game tandem --agents sos,sos --lr 0.1 --eta 0.1 --steps 30",
    )
    .action((flags: ExactFlags, command: Command) => {
      const preset =
        flags.preset === undefined
          ? null
          : applyPreset(command, flags as unknown as Record<string, unknown>, flags.preset, "exact").name;
      const names = flags.agents.split(",").map((s) => s.trim());
      if (names.length !== 2)
        throw new InputError("--agents", `expected two learners "a,b", got "${flags.agents}"`);
      // One spec type serves every exact learner: each seat gets every flag's value, and reads its own.
      const hyperparameters = Object.assign(
        {},
        ...entries.map((entry) => configFromFlags(entry, hyperparameterFlags, flags)),
      );
      const specs = names.map(
        (name, i): ExactLearnerSpec => ({
          name: requireOneOf(`--agents[${i}]`, name, EXACT_LEARNER_NAMES),
          ...hyperparameters,
        }),
      ) as [ExactLearnerSpec, ExactLearnerSpec];
      const steps = parseCount("--steps", flags.steps, "steps", 0);
      const seed = parseSeed(flags.seed);
      if (flags.game === "tandem") {
        runTandemCommand(flags, specs, steps, seed, preset);
        return;
      }
      // `tandem` is a game of this command only: the error for an unknown preset lists it too.
      if (flags.game !== undefined) requireOneOf("--game", flags.game, [...GAME_PRESET_NAMES, "tandem"]);
      const game = resolveGame(flags, DEFAULT_GAME);
      const gamma = parseNumber("--gamma", flags.gamma, { min: 0 });
      if (gamma >= 1) throw new InputError("--gamma", `must be in [0, 1), got ${gamma}`);
      let init: Float64Array | undefined;
      let seeds = flags.seeds === undefined ? 50 : parseCount("--seeds", flags.seeds, "seeds");
      if (flags.initFile !== undefined) {
        init = readInitFile(flags.initFile);
        const fileSeeds = init.length / 10;
        if (flags.seeds !== undefined && seeds !== fileSeeds) {
          throw new InputError("--seeds", `--init-file holds ${fileSeeds} seed(s) but --seeds is ${seeds}`);
        }
        seeds = fileSeeds;
      }
      const progress = createProgress("exact", steps, { quiet: flags.quiet });
      const started = performance.now();
      const result = trainExact({
        game,
        gamma,
        learners: specs,
        steps,
        seeds,
        seed,
        init,
        onStep: (done, [r1, r2]) => progress.update(done, `reward ${fixed(r1, 3)} / ${fixed(r2, 3)}`),
      });
      const elapsedMs = performance.now() - started;
      progress.stop();
      const r1 = column(result.rewardPerStep, 0);
      const r2 = column(result.rewardPerStep, 1);
      const summary = {
        agent1: { learner: result.learners[0], mean: mean(r1), sd: sd(r1) },
        agent2: { learner: result.learners[1], mean: mean(r2), sd: sd(r2) },
        /** Seeds in which both agents' policies are TFT-like (every probability within 0.5 of TFT). */
        tftFraction: result.tftFraction,
        /** Seeds in which agent 1's, and agent 2's, policy is TFT-like. */
        tftFractionPerAgent: result.tftFractionPerAgent,
        /** Seeds whose every probability is within 0.1 of 0.5 (matching pennies' mixed equilibrium). */
        nearHalfFraction: fraction(allNear(result.pC, 0.5, 0.1)),
        diverged: result.diverged.length,
      };
      if (flags.json) {
        const config = {
          preset,
          game: game.name,
          payoffs: { agent1: game.r1, agent2: game.r2 },
          gamma,
          agents: specs.map(resolveExactLearnerSpec),
          steps,
          seeds,
          seed,
          /** The initial logits: the --init-file's (given in full), else N(0, 1) per seed from Rng.derive(seed, k). */
          init:
            init === undefined
              ? { kind: "normal", mean: 0, sd: 1 }
              : { kind: "file", theta: nested(init, 5) },
        };
        printJson("exact", config, {
          final: { theta: nested(result.theta, 5), pC: nested(result.pC, 5) },
          rewardPerStep: pairs(result.rewardPerStep),
          tft: Array.from(result.tft, (v) => v === 1),
          tftPerAgent: pairs(result.tftAgents).map((p) => p.map((v) => v === 1)),
          distanceToTft: pairs(result.distanceToTft),
          curve: pairs(result.curve),
          summary,
          diverged: result.diverged,
          elapsedMs,
        });
        return;
      }
      const out: string[] = [];
      if (preset !== null)
        out.push(`preset ${preset}: ${presetsOf("exact").find((p) => p.name === preset)?.summary}`);
      out.push(
        `${game.name}, γ = ${gamma}, ${result.learners.join(" vs ")}, lr ${flags.lr}, η ${flags.eta}, ` +
          `${steps} steps, ${seeds} seed(s) from seed ${seed}`,
      );
      out.push(
        `${"agent".padEnd(8)}${"learner".padEnd(15)}${"reward/step".padEnd(18)}` +
          `mean P(C): ${STATE_LABELS.map((l) => l.padStart(6)).join("")}`,
      );
      for (const i of [0, 1]) {
        const r = i === 0 ? r1 : r2;
        const pc = [0, 1, 2, 3, 4].map((k) => mean(result.pC.filter((_, a) => a % 10 === 5 * i + k)));
        out.push(
          `${String(i + 1).padEnd(8)}${result.learners[i].padEnd(15)}` +
            `${`${fixed(mean(r), 3)} ± ${fixed(sd(r), 3)}`.padEnd(18)}` +
            `${"".padEnd(11)}${pc.map((p) => fixed(p, 2).padStart(6)).join("")}`,
        );
      }
      // Each summary line only for the game it belongs to: tit-for-tat in a prisoner's dilemma, the mixed
      // equilibrium (every probability 0.5) in a zero-sum game such as matching pennies.
      if (isPrisonersDilemma(game)) {
        const [tft1, tft2] = result.tftFractionPerAgent.map((f) => `${fixed(100 * f, 0)} %`);
        out.push(
          `TFT-like (every probability within 0.5 of TFT): agent 1 in ${tft1}, agent 2 in ${tft2} of seeds; ` +
            `both agents in ${fixed(100 * result.tftFraction, 0)} %`,
        );
      }
      if (isZeroSum(game)) {
        out.push(
          `every probability within 0.1 of 0.5 (the mixed equilibrium): ${fixed(100 * summary.nearHalfFraction, 0)} % of seeds`,
        );
      }
      if (result.diverged.length > 0) {
        out.push(`diverged: ${result.diverged.length} seed(s), e.g. ${JSON.stringify(result.diverged[0])}`);
      }
      out.push(`${fixed(elapsedMs / 1000, 2)} s`);
      process.stdout.write(`${out.join("\n")}\n`);
    });
}

function runTandemCommand(
  flags: ExactFlags,
  specs: [ExactLearnerSpec, ExactLearnerSpec],
  steps: number,
  seed: number,
  preset: string | null,
) {
  for (const flag of ["payoffs", "initFile"] as const) {
    if (flags[flag] !== undefined) throw new InputError(`--${flag}`, "is not used with --game tandem");
  }
  const runs = flags.seeds === undefined ? 100 : parseCount("--seeds", flags.seeds, "seeds");
  const started = performance.now();
  const result = runTandem({ learners: specs, runs, steps, seed });
  const elapsedMs = performance.now() - started;
  // Runs that diverged are reported and left out of the summary (their losses may be infinite).
  const divergedRuns = new Set(result.diverged.map((d) => d.seed));
  const l1 = column(result.losses, 0).filter((_, r) => !divergedRuns.has(r));
  const l2 = column(result.losses, 1).filter((_, r) => !divergedRuns.has(r));
  if (divergedRuns.size === runs)
    throw new InputError(
      "training",
      `all ${runs} run(s) diverged (e.g. run ${result.diverged[0].seed}: ${result.diverged[0].reason}); lower --lr / --eta`,
    );
  const summary = {
    agent1: { learner: specs[0].name, meanLoss: mean(l1), sd: sd(l1) },
    agent2: { learner: specs[1].name, meanLoss: mean(l2), sd: sd(l2) },
    diverged: result.diverged.length,
  };
  if (flags.json) {
    const config = {
      preset,
      game: "tandem",
      agents: specs.map(resolveExactLearnerSpec),
      steps,
      seeds: runs,
      seed,
      init: { kind: "normal", mean: 0, sd: 0.1 },
    };
    printJson("exact", config, {
      final: { theta: pairs(result.theta) },
      loss: pairs(result.losses),
      curve: pairs(result.curve),
      summary,
      diverged: result.diverged,
      elapsedMs,
    });
    return;
  }
  process.stdout.write(
    `tandem game L1 = (x+y)² − 2x, L2 = (x+y)² − 2y; ${specs[0].name} vs ${specs[1].name}` +
      `${flags.lolaLookaheadTerm ? " (LOLA with the look-ahead term, as in the SOS paper)" : ""}, lr ${specs[0].lr}, ` +
      `η ${specs[0].eta}, ${steps} steps, ${runs} runs, init N(0, 0.1²)\n` +
      `mean loss: agent 1 ${fixed(summary.agent1.meanLoss, 3)} ± ${fixed(summary.agent1.sd, 3)}, ` +
      `agent 2 ${fixed(summary.agent2.meanLoss, 3)} ± ${fixed(summary.agent2.sd, 3)} ` +
      `(fixed points: x + y = 1, loss 0 on average)\n`,
  );
  if (divergedRuns.size > 0)
    process.stdout.write(
      `diverged: ${divergedRuns.size} of ${runs} run(s), left out of the means; e.g. run ${result.diverged[0].seed} ` +
        `at step ${result.diverged[0].step}: ${result.diverged[0].reason}\n`,
    );
}
