/**
 * `shapelab exact`: train two exact learners against each other on a memory-one iterated game (closed-form values
 * and derivatives; batched over seeds), or on the SOS tandem game (`--game tandem`), and print a summary table or
 * JSON.
 */
import type { Command } from "commander";
import { allNear, fraction } from "../../exact/metrics.js";
import { STATE_LABELS } from "../../games/game.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";
import {
  EXACT_LEARNER_HELP,
  EXACT_LEARNER_NAMES,
  type ExactLearnerSpec,
} from "../../learners/exact/index.js";
import { runTandem } from "../../learners/exact/tandem.js";
import { trainExact } from "../../learners/exact/train.js";
import { readTextCapped } from "../../node/files.js";
import { createProgress } from "../../node/progress.js";
import { LIMITS } from "../../util/limits.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { mean, sd } from "../../util/stats.js";
import { parseCount, parseNumber, parseSeed, resolveGame } from "../options.js";

interface ExactFlags {
  game?: string;
  payoffs?: string;
  gamma: string;
  agents: string;
  lr: string;
  eta: string;
  lookahead: string;
  beta: string;
  lolaLookaheadTerm?: boolean;
  steps: string;
  seeds?: string;
  seed: string;
  initFile?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Read `{"theta": [[5 logits], [5 logits]]}` (one seed) or `{"theta": [[[5], [5]], …]}` (one entry per seed). */
export function readInitFile(path: string): Float64Array {
  const field = "--init-file";
  const text = readTextCapped(path, LIMITS.initFileBytes, field);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(field, `"${path}" is not valid JSON: ${(error as Error).message}`);
  }
  const theta = (data as { theta?: unknown })?.theta;
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

function nested(flat: Float64Array, width: number, digits = 6): number[][][] {
  const out: number[][][] = [];
  const round = (v: number) => Number(v.toPrecision(digits));
  for (let s = 0; s < flat.length / (2 * width); s++) {
    const o = 2 * width * s;
    out.push([
      Array.from(flat.subarray(o, o + width), round),
      Array.from(flat.subarray(o + width, o + 2 * width), round),
    ]);
  }
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
  program
    .command("exact")
    .summary("two exact learners (naive, lola, sos, …) on a memory-one game")
    .description(
      "train two exact learners against each other with closed-form values and derivatives, batched over seeds.\n" +
        "Learners:\n" +
        EXACT_LEARNER_NAMES.map((n) => `  ${n.padEnd(14)} ${EXACT_LEARNER_HELP[n]}`).join("\n") +
        "\nValues are discounted sums V; rewards are reported per step, (1 − γ)·V.",
    )
    .option(
      "--game <preset>",
      `game preset: ${GAME_PRESET_NAMES.join(", ")}, or tandem (SOS paper); default ipd-lola`,
    )
    .option("--payoffs <R,S,T,P>", "custom payoffs: R,S,T,P or eight numbers (two 2x2 matrices)")
    .option("--gamma <g>", "discount factor in [0, 1)", "0.96")
    .option(
      "--agents <a,b>",
      `learners of agent 1 and agent 2 (${EXACT_LEARNER_NAMES.join(", ")})`,
      "lola,lola",
    )
    .option("--lr <x>", "step size of both agents", "1")
    .option("--eta <x>", "look-ahead rate η (lola, lookahead, sos)", "1")
    .option("--lookahead <k>", "anticipated opponent steps for lookahead", "1")
    .option("--beta <x>", "weight β of the cross-hessian term", "1")
    .option("--lola-lookahead-term", "lola also adds η·(∇i∇jVi)·∇jVj (the SOS paper's LOLA)")
    .option("--steps <n>", "updates", "200")
    .option("--seeds <n>", "independent runs, θ ~ N(0, 1) each (default 50; tandem: 100 runs, N(0, 0.1²))")
    .option(
      "--seed <s>",
      "base seed B: run k (k = 0..seeds−1) is seed B + k, the same run as an experiment's seed B + k",
      "0",
    )
    .option(
      "--init-file <f>",
      'JSON {"theta": [[5 logits], [5 logits]]} replacing the random init (one seed)',
    )
    .option("--json", "print JSON on stdout")
    .option("--quiet", "no progress bar")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab exact --agents lola,lola            # LOLA paper's IPD: ≈ −1.05 per step\n" +
        "  shapelab exact --game imp --gamma 0.9 --seeds 200\n" +
        "  shapelab exact --game tandem --agents sos,sos --lr 0.1 --eta 0.1 --steps 30",
    )
    .action((flags: ExactFlags) => {
      const names = flags.agents.split(",").map((s) => s.trim());
      if (names.length !== 2)
        throw new InputError("--agents", `expected two learners "a,b", got "${flags.agents}"`);
      const specs = names.map((name, i) => {
        const spec: ExactLearnerSpec = {
          name: requireOneOf(`--agents[${i}]`, name, EXACT_LEARNER_NAMES),
          lr: parseNumber("--lr", flags.lr, { min: 0 }),
          eta: parseNumber("--eta", flags.eta, { min: 0 }),
          lookahead: parseCount("--lookahead", flags.lookahead, "exactLookahead", 0),
          beta: parseNumber("--beta", flags.beta, { min: 0 }),
          includeLookAheadTerm: flags.lolaLookaheadTerm ?? false,
        };
        return spec;
      }) as [ExactLearnerSpec, ExactLearnerSpec];
      const steps = parseCount("--steps", flags.steps, "steps", 0);
      const seed = parseSeed(flags.seed);
      if (flags.game === "tandem") {
        runTandemCommand(flags, specs, steps, seed);
        return;
      }
      // `tandem` is a game of this command only: the error for an unknown preset lists it too.
      if (flags.game !== undefined) requireOneOf("--game", flags.game, [...GAME_PRESET_NAMES, "tandem"]);
      const game = resolveGame(flags, "ipd-lola");
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
        onStep: (done, [r1, r2]) => progress.update(done, `reward ${r1.toFixed(3)} / ${r2.toFixed(3)}`),
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
        const json = {
          game: game.name,
          payoffs: { agent1: game.r1, agent2: game.r2 },
          gamma,
          agents: specs,
          steps,
          seeds,
          seed,
          final: { theta: nested(result.theta, 5), pC: nested(result.pC, 5) },
          rewardPerStep: pairs(result.rewardPerStep),
          tft: Array.from(result.tft, (v) => v === 1),
          tftPerAgent: pairs(result.tftAgents).map((p) => p.map((v) => v === 1)),
          distanceToTft: pairs(result.distanceToTft),
          curve: pairs(result.curve),
          summary,
          diverged: result.diverged,
          elapsedMs,
        };
        process.stdout.write(`${JSON.stringify(json)}\n`);
        return;
      }
      const out: string[] = [];
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
            `${`${mean(r).toFixed(3)} ± ${sd(r).toFixed(3)}`.padEnd(18)}` +
            `${"".padEnd(11)}${pc.map((p) => p.toFixed(2).padStart(6)).join("")}`,
        );
      }
      const [tft1, tft2] = result.tftFractionPerAgent.map((f) => `${(100 * f).toFixed(0)} %`);
      out.push(
        `TFT-like (every probability within 0.5 of TFT): agent 1 in ${tft1}, agent 2 in ${tft2} of seeds; ` +
          `both agents in ${(100 * result.tftFraction).toFixed(0)} %`,
      );
      out.push(
        `every probability within 0.1 of 0.5 (IMP's equilibrium): ${(100 * summary.nearHalfFraction).toFixed(0)} % of seeds`,
      );
      if (result.diverged.length > 0) {
        out.push(`diverged: ${result.diverged.length} seed(s), e.g. ${JSON.stringify(result.diverged[0])}`);
      }
      out.push(`${(elapsedMs / 1000).toFixed(2)} s`);
      process.stdout.write(`${out.join("\n")}\n`);
    });
}

function runTandemCommand(
  flags: ExactFlags,
  specs: [ExactLearnerSpec, ExactLearnerSpec],
  steps: number,
  seed: number,
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
    const json = {
      game: "tandem",
      agents: specs,
      steps,
      seeds: runs,
      seed,
      final: { theta: pairs(result.theta) },
      loss: pairs(result.losses),
      curve: pairs(result.curve),
      summary,
      diverged: result.diverged,
      elapsedMs,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return;
  }
  process.stdout.write(
    `tandem game L1 = (x+y)² − 2x, L2 = (x+y)² − 2y; ${specs[0].name} vs ${specs[1].name}` +
      `${flags.lolaLookaheadTerm ? " (LOLA with the look-ahead term, as in the SOS paper)" : ""}, lr ${specs[0].lr}, ` +
      `η ${specs[0].eta}, ${steps} steps, ${runs} runs, init N(0, 0.1²)\n` +
      `mean loss: agent 1 ${summary.agent1.meanLoss.toFixed(3)} ± ${summary.agent1.sd.toFixed(3)}, ` +
      `agent 2 ${summary.agent2.meanLoss.toFixed(3)} ± ${summary.agent2.sd.toFixed(3)} ` +
      `(fixed points: x + y = 1, loss 0 on average)\n`,
  );
  if (divergedRuns.size > 0)
    process.stdout.write(
      `diverged: ${divergedRuns.size} of ${runs} run(s), left out of the means; e.g. run ${result.diverged[0].seed} ` +
        `at step ${result.diverged[0].step}: ${result.diverged[0].reason}\n`,
    );
}
