/**
 * "Declare each learner once" (issue 13 §1): every hyperparameter of every entry, with its default, reaches the
 * CLI help, the experiment schema and the arena's parser; and a new entry, registered in this test only, is
 * available in all of them (and in the trainer, its diagnostics averaged) without writing its name anywhere else.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command } from "commander";
import { parseEntrant } from "../src/arena/learners.js";
import { registerExact } from "../src/cli/commands/exact.js";
import { describeLearner } from "../src/cli/commands/learners.js";
import { registerTrain } from "../src/cli/commands/train.js";
import { type TrainFlags, trainSeatsFromFlags } from "../src/cli/trainSeats.js";
import { AgentSchema as ExactAgentSchema } from "../src/experiments/kinds/exactTrain.js";
import { sampledAgentSchema } from "../src/experiments/kinds/sampledTrain.js";
import { gamePreset } from "../src/games/presets.js";
import { EXACT_LEARNER_NAMES } from "../src/learners/exact/index.js";
// A user's own learner, written with the zod package itself (the library bundles its own copy: src/zod.ts).
import { z } from "zod";
import { hyperparameters, type Hyperparameter } from "../src/learners/hyperparameters.js";
import { allLearnerEntries, learnerEntries, registerLearnerEntry } from "../src/learners/registry.js";
import type { LearnerContext, SampledLearner, SampledLearnerEntry } from "../src/learners/sampled/learner.js";
import { type LearnerSpec, trainSampled } from "../src/learners/sampled/train.js";
import { InputError } from "../src/util/errors.js";

const game = gamePreset("ipd");

/** `shapelab <name> --help`, whitespace collapsed (commander wraps lines at the terminal width). */
function help(name: "train" | "exact"): string {
  const program = new Command("shapelab");
  (name === "train" ? registerTrain : registerExact)(program);
  const command = program.commands.find((c) => c.name() === name);
  assert.ok(command);
  return command.helpInformation().replace(/\s+/g, " ");
}

/** The help text of one flag: from `--flag` to the next option. */
function flagHelp(text: string, flag: string): string {
  const at = text.search(new RegExp(`--${flag}\\b(?!-)`));
  assert.ok(at >= 0, `--${flag} is in the help`);
  const rest = text.slice(at + flag.length + 2);
  const next = rest.search(/ --[a-z]/);
  return next < 0 ? rest : rest.slice(0, next);
}

/** How help writes a default: "0.1", "sgd", "on"/"off" for switches, "unset" when absence is the setting. */
function shown(p: Hyperparameter): string {
  if (p.default === undefined) return "unset";
  if (typeof p.default === "boolean") return p.default ? "on" : "off";
  if (Array.isArray(p.default)) return p.default.length === 0 ? "none" : p.default.join(",");
  return String(p.default);
}

/** A value of the hyperparameter's type that is not its default (to see it arrive). */
function otherValue(p: Hyperparameter): unknown {
  if (p.type === "boolean") return !(p.default ?? false);
  if (p.type === "enum") return p.allowed?.find((a) => a !== p.default) ?? p.allowed?.[0];
  if (p.type === "enum-list") return [p.allowed?.[0]];
  const base = typeof p.default === "number" ? p.default : (p.minimum ?? p.exclusiveMinimum ?? 0);
  const bumped =
    p.type === "integer" ? base + 1 : base / 2 + (p.exclusiveMinimum !== undefined ? 0.01 : 0.125);
  const top = p.maximum ?? p.exclusiveMaximum;
  return top !== undefined && bumped >= top ? (p.minimum ?? base) : bumped;
}

describe("every entry's hyperparameters reach every interface", () => {
  it("the exact names' type (ExactLearnerName) lists exactly the exact entries", () => {
    assert.deepEqual(
      learnerEntries("exact").map((e) => e.name),
      [...EXACT_LEARNER_NAMES],
    );
  });

  for (const [family, command] of [
    ["sampled", "train"],
    ["exact", "exact"],
  ] as const) {
    it(`${family}: each hyperparameter is a \`${command}\` flag whose help states the learner's default`, () => {
      const text = help(command);
      for (const entry of learnerEntries(family)) {
        assert.ok(
          text.includes(entry.summary.replace(/\s+/g, " ")),
          `${entry.name}'s summary is in the help`,
        );
        for (const p of hyperparameters(entry.schema)) {
          if (p.flag === null) continue;
          // A switch that is on by default everywhere is only `--no-…`; otherwise the help is on `--flag`.
          const flag = new RegExp(`--${p.flag}\\b(?!-)`).test(text) ? p.flag : `no-${p.flag}`;
          const segment = flagHelp(text, flag);
          assert.ok(
            segment.includes(shown(p)),
            `--${flag} states ${entry.name}'s default ${shown(p)}: ${segment}`,
          );
          assert.ok(segment.includes(p.doc.replace(/\s+/g, " ").slice(0, 20)), `--${flag} has its doc`);
        }
      }
    });
  }

  it("the experiment schemas accept every hyperparameter as written and reject unknown keys", () => {
    for (const entry of learnerEntries("sampled")) {
      const params = hyperparameters(entry.schema);
      const agent = Object.fromEntries(params.map((p) => [p.key, otherValue(p)]));
      assert.deepEqual(sampledAgentSchema().parse({ learner: entry.name, ...agent }), {
        learner: entry.name,
        ...agent,
      });
      // No defaults are filled in: a run config is what identifies its runs.
      assert.deepEqual(sampledAgentSchema().parse({ learner: entry.name }), { learner: entry.name });
      assert.equal(sampledAgentSchema().safeParse({ learner: entry.name, notAKey: 1 }).success, false);
    }
    for (const entry of learnerEntries("exact")) {
      for (const p of hyperparameters(entry.schema)) {
        const value = otherValue(p);
        assert.deepEqual(ExactAgentSchema.parse({ learner: entry.name, [p.key]: value }), {
          learner: entry.name,
          [p.key]: value,
        });
      }
    }
  });

  it("the arena's name(key=value) parser reads every scalar hyperparameter in its type and checks its range", () => {
    const twoPlayer = (e: { family: string; name: string }) =>
      e.family !== "neural" && e.family !== "n-player" && e.name !== "fixed";
    for (const entry of allLearnerEntries().filter(twoPlayer)) {
      for (const p of hyperparameters(entry.schema)) {
        const value = otherValue(p);
        const text = Array.isArray(value) ? value.join(",") : String(value);
        const entrant = parseEntrant(`${entry.name}(${p.key}=${text})`, game);
        assert.ok(entrant.kind !== "strategy");
        assert.deepEqual(
          (entrant.spec as unknown as Record<string, unknown>)[p.key],
          value,
          `${entry.name}.${p.key}`,
        );
        if (p.type === "number" || p.type === "integer") {
          assert.throws(
            () => parseEntrant(`${entry.name}(${p.key}=-5)`, game),
            (e: unknown) => e instanceof InputError && new RegExp(`${p.key}: must be [≥>]`).test(e.message),
            `${entry.name}(${p.key}=-5)`,
          );
        }
        if (p.type === "enum") {
          assert.throws(
            () => parseEntrant(`${entry.name}(${p.key}=nonsense)`, game),
            new RegExp(`${p.key}: unknown value "nonsense"; allowed: ${p.allowed?.join(", ")}`),
          );
        }
      }
    }
  });
});

/** A learner that exists only in this test: it moves every logit by `gain` and reports it as a diagnostic. */
class EchoLearner implements SampledLearner {
  readonly name = "echo";
  private readonly reported: Float64Array;
  constructor(
    ctx: LearnerContext,
    private readonly gain: number,
  ) {
    this.reported = new Float64Array(ctx.seeds);
  }
  step(_input: unknown, delta: Float64Array): void {
    delta.fill(this.gain);
    this.reported.fill(this.gain);
  }
  diagnostics() {
    return { "echo.gain": this.reported };
  }
}
const ECHO_SCHEMA = z.strictObject({
  gain: z.number().min(0).default(0.25).describe("logit step per update, every state"),
  mode: z.enum(["plain", "fancy"]).default("plain").describe("a word nobody reads"),
});
const echoEntry: SampledLearnerEntry<z.output<typeof ECHO_SCHEMA>> = {
  name: "echo",
  label: "echo",
  family: "sampled",
  summary: "test learner: θ += gain every update",
  schema: ECHO_SCHEMA,
  create: (config, context) => new EchoLearner(context, config.gain),
};

describe("a new entry is available everywhere", () => {
  it("train's flags and help, --agents, the trainer and its diagnostics, experiments, the arena, `learners`", () => {
    const unregister = registerLearnerEntry(echoEntry);
    try {
      const text = help("train");
      assert.match(flagHelp(text, "gain"), /logit step per update, every state \(echo; default 0\.25\)/);
      assert.match(flagHelp(text, "mode"), /\[plain, fancy\]/);
      assert.ok(allLearnerEntries().some((e) => e.name === "echo"));
      assert.equal(describeLearner(echoEntry).name, "echo");

      const flags: TrainFlags = {
        gamma: "0.96",
        agents: "echo,tft",
        seeds: "2",
        seed: "0",
        batch: "2",
        rollout: "3",
        updates: "4",
        init: "zeros",
        gain: "0.5",
      };
      const [seat] = trainSeatsFromFlags(flags, game);
      assert.deepEqual(seat.spec, { name: "echo", gain: 0.5 });
      assert.throws(() => trainSeatsFromFlags({ ...flags, gain: "-1" }, game), /--gain: must be ≥ 0, got -1/);
      assert.throws(
        () => trainSeatsFromFlags({ ...flags, mode: "odd" }, game),
        /--mode: unknown value "odd"; allowed: plain, fancy/,
      );

      const result = trainSampled({
        game,
        gamma: 0.96,
        learners: [seat.spec, { name: "fixed", pC: [1, 1, 0, 1, 0] }],
        batch: 2,
        rollout: 3,
        updates: 4,
        seeds: 2,
        seed: 0,
        init: { kind: "zeros" },
      });
      for (const k of [0, 1]) assert.deepEqual(result.finalTheta[k][0], [2, 2, 2, 2, 2]);
      assert.deepEqual(result.diagnostics, [
        { agent: 0, names: ["echo.gain"], perUpdate: [[0.5], [0.5], [0.5], [0.5]], perSeed: [[0.5], [0.5]] },
      ]);
      assert.deepEqual(result.aaQuadrants, []);
      assert.throws(
        () =>
          trainSampled({
            ...{ game, gamma: 0.96, batch: 2, rollout: 3, updates: 1, seeds: 1, seed: 0 },
            learners: [
              { name: "echo", gian: 1 } as unknown as LearnerSpec,
              { name: "fixed", pC: [1, 1, 1, 1, 1] },
            ],
          }),
        /learners\[0\]: unknown hyperparameter "gian" for echo; did you mean "gain"/,
      );

      assert.deepEqual(sampledAgentSchema().parse({ learner: "echo", gain: 1 }), {
        learner: "echo",
        gain: 1,
      });
      assert.equal(sampledAgentSchema().safeParse({ learner: "echo", gain: -1 }).success, false);

      const entrant = parseEntrant("echo(gain=0.75, mode=fancy)", game);
      assert.deepEqual(entrant, {
        kind: "sampled",
        label: "echo(gain=0.75, mode=fancy)",
        spec: { name: "echo", gain: 0.75, mode: "fancy" },
      });
      assert.throws(
        () => parseEntrant("echo(gan=1)", game),
        /unknown hyperparameter "gan" for echo; did you mean "gain"/,
      );
    } finally {
      unregister();
    }
    assert.ok(!allLearnerEntries().some((e) => e.name === "echo"));
    assert.ok(!/--gain/.test(help("train")));
  });
});

describe("shapes beyond the tabular learners' (what neural entries use)", () => {
  it("a nullable number reads `null`; an object field has no flag and is left to the schema", () => {
    const schema = z.strictObject({
      maxRatio: z
        .number()
        .gt(1)
        .nullable()
        .default(null)
        .describe("truncate importance ratios; null = exact"),
      layers: z.array(z.number().int()).default([64]).describe("hidden widths"),
    });
    const [maxRatio, layers] = hyperparameters(schema);
    assert.deepEqual(
      { ...maxRatio },
      {
        key: "maxRatio",
        flag: "max-ratio",
        type: "number",
        nullable: true,
        exclusiveMinimum: 1,
        default: null,
        doc: "truncate importance ratios; null = exact",
      },
    );
    assert.equal(layers.type, "other");
    assert.equal(layers.flag, null);
    assert.deepEqual(layers.default, [64]);
    const entry = { ...echoEntry, name: "shapes", family: "neural" as const, schema };
    const unregister = registerLearnerEntry(entry as never);
    try {
      const listed = describeLearner(entry as never) as { hyperparameters: Hyperparameter[] };
      assert.deepEqual(
        listed.hyperparameters.map((p) => p.key),
        ["maxRatio", "layers"],
      );
    } finally {
      unregister();
    }
  });
});
