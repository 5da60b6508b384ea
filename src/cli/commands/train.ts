/**
 * `shapelab train`: two sampled learners (pg, a2c, aa, lola-dice) or a learner and a fixed memory-one strategy,
 * trained from batched rollouts of an iterated game over many seeds (src/learners/sampled/train.ts). Prints a
 * summary or JSON; `--out` writes the tit-for-tat figure (empirical P(C) per previous joint state, AA paper
 * Fig. 1b) and learning curves.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { STATE_LABELS } from "../../games/game.js";
import { GAME_PRESET_NAMES } from "../../games/presets.js";
import { AA_PAST_ADVANTAGES, AA_VARIANTS, parseQuadrants, QUADRANTS } from "../../learners/sampled/aa.js";
import { OPTIMIZERS } from "../../learners/sampled/learner.js";
import {
  type InitSpec,
  type LearnerSpec,
  type TrainSampledResult,
  trainSampled,
} from "../../learners/sampled/train.js";
import { writeFigure } from "../../node/figures.js";
import { createProgress } from "../../node/progress.js";
import { curveRowsFromSeeds, learningCurvesSpec } from "../../report/learningCurves.js";
import { pcBarRowsFromSeeds, pcBarsSpec } from "../../report/pcBars.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { mean, sd } from "../../util/stats.js";
import { parseInteger, parseNumber, resolveGame } from "../options.js";

/** Learner names accepted by --agents: the sampled learners, `fixed` (with --fixed) and three fixed shorthands. */
export const TRAIN_AGENT_NAMES = ["pg", "a2c", "aa", "lola-dice", "fixed", "alld", "allc", "tft"] as const;
const FIXED_SHORTHANDS: Record<string, number[]> = {
  alld: [0, 0, 0, 0, 0],
  allc: [1, 1, 1, 1, 1],
  tft: [1, 1, 0, 1, 0],
};

interface TrainFlags {
  game?: string;
  payoffs?: string;
  gamma: string;
  agents: string;
  fixed?: string;
  seeds: string;
  seed: string;
  batch: string;
  rollout: string;
  updates: string;
  init: string;
  evalBatch?: string;
  lr?: string;
  optimizer?: string;
  lrCritic?: string;
  criticSweeps?: string;
  beta?: string;
  entropy?: string;
  normalize?: boolean;
  gaeLambda?: string;
  aaVariant?: string;
  aaPast?: string;
  maskQuadrants?: string;
  discountSteps: boolean;
  lrInner?: string;
  lrOuter?: string;
  lookahead?: string;
  baseline?: boolean;
  magicBox: boolean;
  json?: boolean;
  quiet?: boolean;
  out?: string;
}

function parseInit(text: string): InitSpec {
  if (text === "zeros") return { kind: "zeros" };
  const m = /^normal(?::(.+))?$/.exec(text);
  if (m) return { kind: "normal", sd: m[1] === undefined ? 1 : parseNumber("--init", m[1], { min: 0 }) };
  throw new InputError("--init", `expected "zeros", "normal" or "normal:<sd>", got "${text}"`);
}

function parseProbabilities(text: string): number[] {
  const parts = text.split(",");
  if (parts.length !== 5) {
    throw new InputError("--fixed", `expected 5 probabilities "start,CC,CD,DC,DD" (own view), got "${text}"`);
  }
  return parts.map((p) => parseNumber("--fixed", p, { min: 0, max: 1 }));
}

/** Build both seats' specs from the flags; a hyperparameter flag applies to every seat whose learner uses it. */
export function learnerSpecsFromFlags(flags: TrainFlags): [LearnerSpec, LearnerSpec] {
  const names = flags.agents.split(",").map((s) => s.trim());
  if (names.length !== 2)
    throw new InputError("--agents", `expected two learners "a,b", got "${flags.agents}"`);
  const num = (
    flag: string,
    value: string | undefined,
    range: { min?: number; max?: number } = { min: 0 },
  ) => (value === undefined ? undefined : parseNumber(flag, value, range));
  const int = (flag: string, value: string | undefined, min: number) =>
    value === undefined ? undefined : parseInteger(flag, value, { min });
  const lr = num("--lr", flags.lr);
  const optimizer =
    flags.optimizer === undefined ? undefined : requireOneOf("--optimizer", flags.optimizer, OPTIMIZERS);
  const lrCritic = num("--lr-critic", flags.lrCritic);
  const criticSweeps = int("--critic-sweeps", flags.criticSweeps, 1);
  const entropy = num("--entropy", flags.entropy);
  const gaeLambda = num("--gae-lambda", flags.gaeLambda, { min: 0, max: 1 });
  const normalize = flags.normalize;
  const used = new Set<string>();
  const specs = names.map((raw, i): LearnerSpec => {
    const name = requireOneOf(`--agents[${i}]`, raw, TRAIN_AGENT_NAMES);
    const drop = <T extends object>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    switch (name) {
      case "alld":
      case "allc":
      case "tft":
        return { name: "fixed", pC: FIXED_SHORTHANDS[name] };
      case "fixed":
        if (flags.fixed === undefined)
          throw new InputError("--fixed", "is required when an agent is `fixed`");
        used.add("fixed");
        return { name: "fixed", pC: parseProbabilities(flags.fixed) };
      case "pg":
        return drop({ name, lr, optimizer, lrCritic, normalize, entropy });
      case "a2c":
        return drop({ name, lr, optimizer, lrCritic, criticSweeps, gaeLambda, normalize, entropy });
      case "aa":
        used.add("aa");
        return drop({
          name,
          lr,
          optimizer,
          lrCritic,
          criticSweeps,
          gaeLambda,
          normalize,
          entropy,
          beta: num("--beta", flags.beta),
          variant:
            flags.aaVariant === undefined
              ? undefined
              : requireOneOf("--aa-variant", flags.aaVariant, AA_VARIANTS),
          pastAdvantage:
            flags.aaPast === undefined
              ? undefined
              : requireOneOf("--aa-past", flags.aaPast, AA_PAST_ADVANTAGES),
          maskQuadrants:
            flags.maskQuadrants === undefined
              ? undefined
              : parseQuadrants("--mask-quadrants", flags.maskQuadrants),
          discountSteps: flags.discountSteps,
        });
      case "lola-dice":
        used.add("lola-dice");
        return drop({
          name,
          lrOuter: num("--lr-outer", flags.lrOuter),
          lrInner: num("--lr-inner", flags.lrInner),
          lookahead: int("--lookahead", flags.lookahead, 0),
          optimizer,
          baseline: flags.baseline,
          lrCritic,
          magicBox: flags.magicBox,
        });
    }
  });
  if (flags.fixed !== undefined && !used.has("fixed"))
    throw new InputError("--fixed", "needs an agent named `fixed`");
  return specs as [LearnerSpec, LearnerSpec];
}

function round(v: number, digits = 4): number {
  return Number(v.toFixed(digits));
}

/**
 * Mean of the last `window` updates' exact per-step values per seed and agent, `[seeds][2]` (the LOLA-DiCE
 * paper's numbers average the last 10 of 200 iterations).
 */
export function finalValues(result: TrainSampledResult, window = 10): number[][] {
  const last = result.exactPerStep.slice(-window);
  return Array.from({ length: result.seeds }, (_, k) => [0, 1].map((a) => mean(last.map((u) => u[k][a]))));
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description(
      "train two sampled learners (or a learner and a fixed memory-one strategy) from batched rollouts of an " +
        "iterated game, many seeds at once. Learners: pg (REINFORCE + baseline, naive), a2c (actor-critic, TD " +
        "critic), aa (Advantage Alignment), lola-dice (LOLA with DiCE look-ahead); fixed opponents: fixed " +
        "(--fixed), alld, allc, tft. Rewards are per step: the exact (1 − γ)·V of the policies, and the sampled mean.",
    )
    .option("--game <preset>", `game preset: ${GAME_PRESET_NAMES.join(", ")}`)
    .option("--payoffs <R,S,T,P>", "custom payoffs: R,S,T,P or eight numbers (two 2x2 matrices)")
    .option("--gamma <g>", "discount factor in [0, 1)", "0.96")
    .option("--agents <a,b>", `agent 1 and agent 2 (${TRAIN_AGENT_NAMES.join(", ")})`, "aa,aa")
    .option("--fixed <p,p,p,p,p>", "P(C) of a `fixed` agent in own-view states start,CC,CD,DC,DD")
    .option("--seeds <n>", "independent runs, batched", "10")
    .option("--seed <s>", "base seed: run k draws from Rng.derive(seed, k, …)", "0")
    .option("--batch <n>", "games per seed per update", "64")
    .option("--rollout <T>", "steps per game", "150")
    .option("--updates <n>", "learning updates", "200")
    .option("--init <kind>", "initial logits: normal[:sd] (θ ~ N(0, sd²)) or zeros", "normal")
    .option("--eval-batch <n>", "games per seed in the final evaluation rollout (default --batch)")
    .option("--lr <x>", "actor learning rate (pg, a2c, aa; default 0.1)")
    .option("--optimizer <name>", `${OPTIMIZERS.join(" or ")} (default sgd)`)
    .option("--lr-critic <x>", "critic / baseline step size (pg default 0.5, others 1)")
    .option("--critic-sweeps <n>", "TD(0) sweeps of the batch statistics per update (a2c, aa; default 5)")
    .option("--entropy <x>", "entropy bonus coefficient (default 0)")
    .option("--normalize", "z-score advantages per seed (aa: before the alignment term)")
    .option("--gae-lambda <λ>", "GAE λ advantages (a2c, aa) instead of TD / Q − V")
    .option("--beta <x>", "aa: alignment weight β (default 1; 0 = plain actor-critic)")
    .option("--aa-variant <v>", `aa: ${AA_VARIANTS.join(" (paper, default) or ")} (authors' code)`)
    .option(
      "--aa-past <kind>",
      "aa: advantages summed in the past term: joint (paper, default: own Q(s,a,b) − V(s)) or opponent-action " +
        "(Q(s,a,b) − Σ_b π̂(b|s)·Q(s,a,b): the opponent's action's effect, keeping the softmax normaliser's gradient)",
    )
    .option(
      "--mask-quadrants <q,…>",
      `aa ablation: drop the alignment term in quadrants (${QUADRANTS.join(", ")}; write --mask-quadrants=-- for spite alone)`,
    )
    .option("--no-discount-steps", "aa: drop the γ^t weight of step t in the policy gradient")
    .option("--lr-inner <x>", "lola-dice: look-ahead learning rate (default 0.3)")
    .option("--lr-outer <x>", "lola-dice: own learning rate (default 0.2)")
    .option("--lookahead <k>", "lola-dice: look-ahead steps (default 1)")
    .option(
      "--baseline",
      "lola-dice: state-value baseline in the DiCE objective (default: per-step reward centring)",
    )
    .option("--no-magic-box", "lola-dice ablation: no magic box (second-order terms vanish)")
    .option("--json", "print JSON on stdout")
    .option("--quiet", "no progress bar")
    .option(
      "--out <dir>",
      "write figures (.svg .png .csv .vl.json): tft-bars (policy P(C) per state), tft-bars-empirical, learning-curves, aa-quadrants-agent<i>",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  shapelab train --agents pg,pg --seeds 5                        # naive learners defect: ≈ −2 per step\n" +
        "  shapelab train --agents lola-dice,lola-dice --init zeros --seeds 5   # ≈ −1.1\n" +
        "  shapelab train --agents aa,aa --aa-variant running-mean --aa-past opponent-action --beta 2 --lr 0.5 --init zeros --out out/aa\n" +
        "     # tit-for-tat-like: P(C) start, CC, CD, DC, DD ≈ 1, 1, 0.02, 0.98, 0.01\n" +
        "  shapelab train --agents aa,alld --aa-variant running-mean --aa-past opponent-action --beta 2 --lr 0.5 --init zeros",
    )
    .action(async (flags: TrainFlags) => {
      const game = resolveGame(flags, "ipd-lola");
      const gamma = parseNumber("--gamma", flags.gamma, { min: 0 });
      if (gamma >= 1) throw new InputError("--gamma", `must be in [0, 1), got ${gamma}`);
      const learners = learnerSpecsFromFlags(flags);
      const seeds = parseInteger("--seeds", flags.seeds, { min: 1, max: 100_000 });
      const seed = parseInteger("--seed", flags.seed);
      const batch = parseInteger("--batch", flags.batch, { min: 1, max: 1_000_000 });
      const rollout = parseInteger("--rollout", flags.rollout, { min: 1, max: 1_000_000 });
      const updates = parseInteger("--updates", flags.updates, { min: 1, max: 1_000_000 });
      const evalBatch =
        flags.evalBatch === undefined ? undefined : parseInteger("--eval-batch", flags.evalBatch, { min: 1 });
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
        onUpdate: (u, [r1, r2]) => progress.update(u + 1, `reward ${r1.toFixed(3)} / ${r2.toFixed(3)}`),
      });
      progress.stop();
      const finals = finalValues(result);
      const labels = learners.map(
        (s, i) => `agent ${i + 1} (${s.name === "fixed" ? `fixed ${s.pC.join("/")}` : s.name})`,
      );
      let files: string[] = [];
      if (flags.out !== undefined) files = await writeTrainFigures(result, labels, flags.out);
      if (flags.json) {
        const json = {
          game: game.name,
          payoffs: { agent1: game.r1, agent2: game.r2 },
          gamma,
          agents: learners,
          batch,
          rollout,
          updates,
          seeds,
          seed,
          init,
          states: STATE_LABELS,
          final: {
            pC: result.finalPC.map((s) => s.map((p) => p.map((x) => round(x)))),
            empiricalPC: result.empiricalPC.map((s) =>
              s.map((p) => p.map((x) => (x === null ? null : round(x)))),
            ),
            visits: result.visits,
            /** Exact per-step value, mean of the last 10 updates, per seed and agent. */
            rewardPerStep: finals.map((s) => s.map((x) => round(x, 5))),
          },
          rewardPerStep: {
            exact: result.exactPerStep.map((u) => u.map((s) => s.map((x) => round(x, 5)))),
            sampled: result.rewardPerStep.map((u) => u.map((s) => s.map((x) => round(x, 5)))),
          },
          aaQuadrants: result.aaQuadrants.map((q) => ({
            agent: q.agent + 1,
            quadrants: q.quadrants,
            shares: q.shares.map((row) => row.map((x) => round(x))),
            perSeed: q.perSeed.map((row) => row.map((x) => round(x))),
          })),
          files,
          elapsedMs: round(result.elapsedMs, 1),
        };
        process.stdout.write(`${JSON.stringify(json)}\n`);
        return;
      }
      const out: string[] = [];
      out.push(
        `${game.name}, γ = ${gamma}, ${labels.join(" vs ")}, batch ${batch} × ${rollout} steps, ${updates} updates, ` +
          `${seeds} seed(s) from seed ${seed}`,
      );
      const header = STATE_LABELS.map((l) => l.padStart(6)).join("");
      out.push(
        `${"agent".padEnd(28)}${"reward/step, last 10".padEnd(22)}${"P(C) per state".padEnd(16)}${header}`,
      );
      for (const a of [0, 1]) {
        const r = finals.map((s) => s[a]);
        const policy = [0, 1, 2, 3, 4].map((s) => mean(result.finalPC.map((p) => p[a][s])).toFixed(2));
        const emp = [0, 1, 2, 3, 4].map((s) => {
          const values = result.empiricalPC.map((p) => p[a][s]).filter((v): v is number => v !== null);
          return values.length ? mean(values).toFixed(2) : "-";
        });
        out.push(
          `${labels[a].padEnd(28)}${`${mean(r).toFixed(3)} ± ${sd(r).toFixed(3)}`.padEnd(22)}${"policy".padEnd(16)}` +
            policy.map((x) => x.padStart(6)).join(""),
        );
        out.push(`${"".padEnd(50)}${"empirical".padEnd(16)}${emp.map((x) => x.padStart(6)).join("")}`);
      }
      const joint = finals.map(([a, b]) => (a + b) / 2);
      out.push(
        `joint reward/step (mean of both agents, last 10 updates): ${mean(joint).toFixed(3)} ± ${sd(joint).toFixed(3)} over seeds`,
      );
      for (const q of result.aaQuadrants) {
        const overall = [0, 1, 2, 3].map((i) => mean(q.perSeed.map((row) => row[i])));
        out.push(
          `agent ${q.agent + 1} shares of |alignment term| by sign (past term, opponent A): ` +
            q.quadrants.map((name, i) => `${name} ${(100 * overall[i]).toFixed(0)}%`).join("  "),
        );
      }
      for (const f of files) out.push(`wrote ${f}`);
      out.push(`${(result.elapsedMs / 1000).toFixed(2)} s`);
      process.stdout.write(`${out.join("\n")}\n`);
    });
}

/**
 * Write `<dir>/tft-bars.*` (the tit-for-tat figure: each agent's P(C) per previous joint state, mean ± sd over
 * seeds, read from the final tabular policies), `<dir>/tft-bars-empirical.*` (the same measured as empirical
 * frequencies in the evaluation rollout, as the AA paper does; seeds that never visited a state are left out) and
 * `<dir>/learning-curves.*` (exact reward per step per update, mean ± sd over seeds), and for each AA seat
 * `<dir>/aa-quadrants-agent<i>.*` (share of the alignment term per sign quadrant over training).
 */
export async function writeTrainFigures(
  result: TrainSampledResult,
  labels: string[],
  dir: string,
): Promise<string[]> {
  const title = `${result.learners.join(" vs ")} (${result.game}), ${result.seeds} seeds`;
  const policyRows = [0, 1].flatMap((a) =>
    pcBarRowsFromSeeds(
      result.finalPC.map((p) => p[a]),
      labels[a],
    ),
  );
  const bars = await writeFigure(
    pcBarsSpec(policyRows, { title: `P(cooperate) per previous joint state, ${title}` }),
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
  const curveRows = [0, 1].flatMap((a) =>
    curveRowsFromSeeds(
      result.exactPerStep.map((u) => u.map((s) => s[a])),
      labels[a],
    ),
  );
  const curves = await writeFigure(
    learningCurvesSpec(curveRows, {
      title: `Reward per step during training, ${title}`,
      yTitle: "exact reward per step (1 − γ)·V",
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
