/**
 * `shapelab train --env coin`: train neural learners on the Coin Game (src/learners/neural/trainCoin.ts), with a
 * progress bar, a checkpoint that survives a kill (`<store>/checkpoints/<key>.json`; rerun the same command to
 * resume), and the final actors written as agent files into `--out` (docs/nn.md), ready for
 * `shapelab match --env coin --a DIR/agent-a.json --b always-defect`.
 *
 * train.ts hands over here when `--env coin` is given. Learner options come from each learner's entry
 * (src/learners/neural/index.ts): `--set beta=2,lr=0.001`, checked against the entry's schema; `--preset small`
 * or `paper` (src/learners/neural/presets.ts) fills what is not given.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { FIXED_COIN_AGENTS } from "../../envs/coin/fixedAgents.js";
import { NEURAL_LEARNERS, NEURAL_LEARNER_NAMES, neuralLearnerEntry } from "../../learners/neural/index.js";
import { COIN_PRESET_NAMES, COIN_PRESETS, presetBudget } from "../../learners/neural/presets.js";
import { type CoinSeatSpec, type TrainCoinOptions, trainCoin } from "../../learners/neural/trainCoin.js";
import { fileCheckpointSink } from "../../node/checkpointFiles.js";
import { ensureWritableDir } from "../../node/files.js";
import { createProgress } from "../../node/progress.js";
import { DEFAULT_STORE_DIR } from "../../node/store.js";
import { codeVersion } from "../../node/version.js";
import { InputError, requireOneOf } from "../../util/errors.js";
import { printJson } from "../jsonOutput.js";
import { parseInteger, parseSeed } from "../options.js";

export interface CoinTrainFlags {
  env?: string;
  a?: string;
  b?: string;
  set?: string;
  setB?: string;
  preset?: string;
  updates?: string;
  batch?: string;
  turns?: string;
  seed?: string;
  out?: string;
  store?: string;
  fresh?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/**
 * The options `train` gains for the Coin Game (its --batch, --updates, --seed, --preset, --json, --quiet and --out
 * are shared; with --env coin, --out receives agent-a.json, agent-b.json and train.json).
 */
export function addCoinTrainOptions(command: Command): Command {
  return command
    .option("--env <name>", "iterated (default: the matrix games above) or coin (neural learners, see below)")
    .option("--a <name>", `coin: seat a, a learner: ${NEURAL_LEARNER_NAMES.join(", ")}`)
    .option(
      "--b <name>",
      `coin: seat b: self (self-play, default), a learner, or ${FIXED_COIN_AGENTS.join(", ")}`,
    )
    .option("--set <k=v,…>", "coin: options of seat a's learner (see below), e.g. beta=2,lr=0.001")
    .option("--set-b <k=v,…>", "coin: options of seat b's learner")
    .option("--turns <n>", "coin: steps per game (default 50; preset small 16)")
    .option("--store <dir>", `coin: checkpoints go to <dir>/checkpoints (default ${DEFAULT_STORE_DIR})`)
    .option("--fresh", "coin: ignore (and delete) this run's checkpoint and start over");
}

/** Help lines derived from each learner's entry: its options with default and doc. */
export function coinLearnerHelp(): string {
  const lines = ["\nCoin Game learners (--env coin; options for --set, with defaults):"];
  for (const entry of NEURAL_LEARNERS) {
    lines.push(`  ${entry.name.padEnd(8)} ${entry.label}: ${entry.summary}`);
    const shape = (
      entry.schema as unknown as {
        shape: Record<string, { description?: string; parse(v: unknown): unknown }>;
      }
    ).shape;
    for (const [key, field] of Object.entries(shape)) {
      const value = field.parse(undefined); // undefined: an option whose absence is a setting
      const shown = value === undefined ? `${key} (unset)` : `${key}=${JSON.stringify(value)}`;
      lines.push(`      ${shown}  ${field.description ?? ""}`);
    }
  }
  lines.push(
    `Coin presets (--preset): ${COIN_PRESET_NAMES.map((n) => `${n}: ${COIN_PRESETS[n].summary}`).join("; ")}`,
  );
  lines.push(
    "  shapelab train --env coin --a aa --preset small --out out/aa    # AA self-play; writes out/aa/agent-a.json",
    "  shapelab train --env coin --a ppo --b always-defect --updates 50 --turns 16 --batch 64",
  );
  return `${lines.join("\n")}\n`;
}

/** `k=v,k=v` into typed values: numbers, true/false, `[a;b]` lists, or strings. */
export function parseSetFlag(flag: string, text: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (text === undefined || text.trim() === "") return out;
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new InputError(flag, `expected key=value pairs separated by commas, got "${part}"`);
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    const atom = (s: string): unknown =>
      s === "true" ? true : s === "false" ? false : s !== "" && Number.isFinite(Number(s)) ? Number(s) : s;
    out[key] =
      raw.startsWith("[") && raw.endsWith("]")
        ? raw.slice(1, -1).split(";").filter(Boolean).map(atom)
        : atom(raw);
  }
  return out;
}

function seatSpec(
  name: string,
  set: Record<string, unknown>,
  preset: string | undefined,
  field: string,
): CoinSeatSpec {
  if ((FIXED_COIN_AGENTS as readonly string[]).includes(name)) return { fixed: name };
  if (neuralLearnerEntry(name) === undefined) {
    throw new InputError(
      field,
      `unknown value "${name}"; allowed: ${[...NEURAL_LEARNER_NAMES, ...FIXED_COIN_AGENTS].join(", ")}`,
    );
  }
  const fromPreset = preset === undefined ? {} : (COIN_PRESETS[preset].learners[name] ?? {});
  return { learner: name, config: { ...fromPreset, ...set } };
}

/** The training options from the flags; `given(key)` says whether a shared flag was typed (not a default). */
export function coinTrainOptions(flags: CoinTrainFlags, given: (key: string) => boolean): TrainCoinOptions {
  const presetName =
    flags.preset === undefined ? undefined : requireOneOf("--preset", flags.preset, COIN_PRESET_NAMES);
  const preset = presetName === undefined ? undefined : COIN_PRESETS[presetName];
  const a = seatSpec(flags.a ?? "aa", parseSetFlag("--set", flags.set), presetName, "--a");
  const bName = flags.b ?? "self";
  const b =
    bName === "self" ? "self" : seatSpec(bName, parseSetFlag("--set-b", flags.setB), presetName, "--b");
  const budget = preset === undefined ? undefined : "learner" in a ? presetBudget(preset, a.learner) : preset;
  const number = (key: "updates" | "batch", fallback: number) =>
    given(key) && flags[key] !== undefined
      ? parseInteger(`--${key}`, flags[key], { min: 1, max: 10_000_000 })
      : fallback;
  return {
    a,
    b,
    env: {
      episodeSteps:
        flags.turns !== undefined
          ? parseInteger("--turns", flags.turns, { min: 1, max: 10_000 })
          : (preset?.episodeSteps ?? 50),
    },
    // A preset may give seat a's learner its own budget (`small`: AA 900 updates of 256 games, the others 300 of 128).
    updates: number("updates", budget?.updates ?? 200),
    batch: number("batch", budget?.batch ?? 128),
    seed: parseSeed(flags.seed ?? "0"),
    replay: b === "self" ? preset?.replay : undefined,
  };
}

/** A stable key for a training config: its checkpoint's file name. */
export function trainKey(options: TrainCoinOptions): string {
  return createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 16);
}

export function runTrainCoin(flags: CoinTrainFlags, command: Command): void {
  if (flags.out !== undefined) ensureWritableDir(flags.out, "--out");
  const options = {
    ...coinTrainOptions(flags, (key) => command.getOptionValueSource(key) === "cli"),
    codeVersion: codeVersion(),
  };
  const key = trainKey({ ...options, codeVersion: undefined });
  const sink = fileCheckpointSink(join(flags.store ?? DEFAULT_STORE_DIR, "checkpoints", `${key}.json`));
  if (flags.fresh) sink.clear();
  const progress = createProgress("coin train", options.updates, { quiet: flags.quiet });
  const result = trainCoin(options, {
    checkpoint: sink,
    onUpdate: (done, _total, record) =>
      progress.update(
        done,
        `reward ${record.rewards.map((r) => r.toFixed(3)).join(" / ")}, own-coin ${record.ownCoin
          .map((x) => (x === null ? "–" : x.toFixed(2)))
          .join(" / ")}`,
      ),
  });
  progress.stop();
  const files: string[] = [];
  if (flags.out !== undefined) {
    mkdirSync(flags.out, { recursive: true });
    const write = (name: string, text: string) => {
      writeFileSync(join(flags.out as string, name), text);
      files.push(join(flags.out as string, name));
    };
    write("agent-a.json", result.agent);
    if (result.agentB !== undefined) write("agent-b.json", result.agentB);
    const { agent: _a, agentB: _b, ...summary } = result;
    write("train.json", `${JSON.stringify({ config: options, ...summary })}\n`);
  }
  if (flags.json) {
    const { agent: _a, agentB: _b, ...summary } = result;
    printJson("train", options as unknown as Record<string, unknown>, { ...summary, files });
    return;
  }
  const lines = [
    `coin train: ${result.learner} vs ${result.opponent}, ${result.updates} updates, seed ${result.seed}` +
      (result.resumedFrom > 0 ? ` (resumed from update ${result.resumedFrom})` : ""),
    "evaluation, 16-step games (reward/step a / b, own-coin a / b):",
    ...Object.entries(result.evaluation).map(
      ([name, m]) =>
        `  vs ${name.padEnd(16)} ${m.rewards.map((r) => r.toFixed(3)).join(" / ")}   ${m.ownCoin
          .map((x) => (x === null ? "–" : x.toFixed(3)))
          .join(" / ")}`,
    ),
    ...files.map((f) => `wrote ${f}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
