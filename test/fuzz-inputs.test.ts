/**
 * Property-based tests (fast-check) of every input surface (issue 11 §2): whatever a user types into any flag of
 * any command, or writes into any field of an experiment config, shapelab answers with a result (exit 0) or one
 * input error (exit 2): never a stack trace, never an internal error (exit 1), never a hang.
 *
 * Everything runs in this process, for speed: the commands through the CLI's own `main(argv)` (the same code the
 * bin runs, output captured), the configs through `validateConfig` / `parseConfigText`. The command list and the
 * flags come from the program itself, so a new flag is fuzzed without touching this file. Each command gets a cheap
 * base (tiny budgets) and then 1–3 of its flags with hostile values: empty, negative, huge (1e20, 2^53 + 1), NaN,
 * hex, prototype names, device paths, random text. The seed is fixed so a failure reproduces; FC_SEED overrides,
 * FC_DEBUG=1 prints each command line with its exit code.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Command } from "commander";
import fc from "fast-check";
import YAML from "yaml";
import { buildProgram, main } from "../src/cli/main.js";
import { validateConfig } from "../src/experiments/config.js";
import { NAMED_DIR, namedExperimentNames, parseConfigText } from "../src/node/experimentFiles.js";
import { InputError } from "../src/util/errors.js";

const SEED = Number(process.env.FC_SEED ?? 20261206);
const home = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "shapelab-fuzz-"));
const configFile = join(dir, "tiny.yaml");
before(() => {
  // Flags such as --store and --out name paths: relative ones land in this scratch folder.
  process.chdir(dir);
  writeFileSync(
    configFile,
    "name: tiny\nkind: exact-train\ngame: ipd-lola\nagents: [{learner: naive}, {learner: lola}]\nbudget: {steps: 2}\nseeds: {count: 2}\n",
  );
});
after(() => {
  process.chdir(home);
  rmSync(dir, { recursive: true, force: true });
});

/** Cheap arguments for each command, so a sample that is valid finishes in milliseconds. */
const BASE: Record<string, string[]> = {
  exact: ["--steps", "2", "--seeds", "2", "--quiet"],
  train: ["--seeds", "1", "--batch", "2", "--rollout", "4", "--updates", "2", "--quiet"],
  arena: [
    ...["--entrants", "Cooperator,Defector,pg", "--seeds", "1", "--steps", "2", "--batch", "2"],
    ...["--rollout", "4", "--updates", "2", "--eval-turns", "4", "--workers", "0", "--quiet"],
  ],
  tournament: [
    "--players",
    "Cooperator,Defector",
    "--turns",
    "4",
    "--repetitions",
    "1",
    "--workers",
    "0",
    "--quiet",
  ],
  moran: ["--population", "Cooperator,Defector", "--turns", "4", "--steps", "3"],
  match: ["--a", "Cooperator", "--b", "Defector", "--turns", "4"],
  run: [configFile, "--store", "store", "--workers", "0", "--quiet"],
  "runs list": ["--store", "store"],
  "runs show": ["1", "--store", "store"],
  "runs compare": ["1", "2", "--store", "store"],
  "runs export": ["--format", "csv", "--store", "store"],
  "runs check": ["--store", "store"],
  report: ["tiny", "--store", "store", "--out", "report"],
};
/** Commands that serve or run a whole suite until stopped: not fuzzed here (explore is tested on its own). */
const SKIP = new Set(["demo", "explore", "runs repair", "runs"]);

interface CommandInfo {
  name: string;
  valueFlags: string[];
  booleanFlags: string[];
  positional: number;
}

async function commands(): Promise<CommandInfo[]> {
  const out: CommandInfo[] = [];
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`;
      if (!SKIP.has(name))
        out.push({
          name,
          valueFlags: sub.options.filter((o) => o.required || o.optional).map((o) => o.long!),
          booleanFlags: sub.options.filter((o) => !o.required && !o.optional).map((o) => o.long!),
          positional: sub.registeredArguments.length,
        });
      walk(sub, `${name} `);
    }
  };
  walk(await buildProgram(), "");
  return out;
}

const HOSTILE = [
  ...["", " ", "-1", "0", "1", "2", "3", "-0", "1.5", "1e20", "99999999999999999999", "9007199254740993"],
  ...["NaN", "Infinity", "-Infinity", "0x10", "1e-400", "1e308", "--", "=", ",", ";", "a,b", "1,2,3,4"],
  ...["__proto__", "constructor", "prototype", "/dev/zero", "/dev/null", ".", "..", "store", "tandem"],
  ...["aa(bta=2)", "lola(eta=-1)", "Tit For Tat=99999999999", "naive,naive", "aa,aa", "ipd", "imp"],
  ...["1e300,-1e300,1e300,0", "zeros", "normal:-1", "running-mean", "csv", "json", "x".repeat(300)],
];
const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
);

async function runInProcess(argv: string[]): Promise<{ code: number; err: string }> {
  let err = "";
  const write = (chunk: unknown) => {
    err += String(chunk);
    return true;
  };
  const [out, errWrite] = [process.stdout.write, process.stderr.write];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  process.exitCode = undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`hang: shapelab ${argv.join(" ")}`)), 60_000);
    });
    const code = await Promise.race([main(["node", "shapelab", ...argv]), hang]);
    return { code, err };
  } finally {
    clearTimeout(timer);
    process.stdout.write = out;
    process.stderr.write = errWrite;
    process.exitCode = undefined;
  }
}

const COMMANDS = await commands();

describe("fuzzing every command's flags (in process)", () => {
  const list = COMMANDS;
  it("covers every command", () => {
    for (const name of [
      "exact",
      "train",
      "arena",
      "tournament",
      "moran",
      "match",
      "run",
      "runs list",
      "report",
    ])
      assert.ok(
        list.some((c) => c.name === name),
        name,
      );
  });

  it("any flag values: exit 0 or 2, one error line, no stack trace, no hang", async () => {
    const sample = fc.constantFrom(...list).chain((command) =>
      fc.record({
        command: fc.constant(command),
        flags: fc.array(
          fc.tuple(fc.constantFrom(...(command.valueFlags.length ? command.valueFlags : ["--json"])), value),
          { minLength: 1, maxLength: 3 },
        ),
        booleans: fc.subarray(command.booleanFlags, { maxLength: Math.min(2, command.booleanFlags.length) }),
        positional: fc.array(value, { maxLength: command.positional }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(sample, async ({ command, flags, booleans, positional }) => {
        const base = BASE[command.name] ?? [];
        const args = [
          ...command.name.split(" "),
          // The fuzzed positional values replace the base's, the fuzzed flags come last (so they win).
          ...(positional.length > 0 ? positional : base.slice(0, command.positional)),
          ...base.slice(positional.length > 0 ? command.positional : 0).filter((a) => !a.endsWith(".yaml")),
          ...booleans,
          ...flags.flatMap(([flag, v]) => [`${flag}=${v}`]),
        ];
        const { code, err } = await runInProcess(args);
        if (process.env.FC_DEBUG) process.stdout.write(`${code} ${JSON.stringify(args)}\n`);
        assert.ok(code === 0 || code === 2, `exit ${code}: shapelab ${JSON.stringify(args)}\n${err}`);
        assert.doesNotMatch(err, /internal error|\n\s+at \S+ \(/, JSON.stringify(args));
      }),
      { numRuns: 120, seed: SEED },
    );
  });
});

describe("fuzzing the experiment config schema", () => {
  const bases = namedExperimentNames().map((name) =>
    YAML.parse(readFileSync(join(NAMED_DIR, `${name}.yaml`), "utf8")),
  );
  const json = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(-1, 0, 1e20, 2 ** 53 + 2, -1e300, 0.5, "", "__proto__", null, [], {}),
  );
  const FIELDS = [
    "name",
    "kind",
    "game",
    "gamma",
    "agents",
    "budget",
    "params",
    "seeds",
    "metrics",
    "figures",
  ];
  const path = fc.oneof(
    fc.constantFrom(...FIELDS).map((f) => [f]),
    fc.tuple(fc.constantFrom("budget", "params", "seeds", "game"), fc.string({ maxLength: 10 })),
    fc.tuple(
      fc.constant("agents"),
      fc.constantFrom("0", "1"),
      fc.constantFrom("lr", "beta", "eta", "learner", "lookahead", "pC", "entrant", "strategy", "x"),
    ),
    fc.tuple(
      fc.constantFrom("budget", "seeds"),
      fc.constantFrom("steps", "updates", "batch", "rollout", "count", "base"),
    ),
    fc.string({ maxLength: 24 }).map((key) => ["sweep", key]),
  );

  /** A deep copy of `base` with `value` at `path` (creating objects on the way). */
  function mutate(base: unknown, keys: string[], v: unknown): unknown {
    const copy = structuredClone(base) as Record<string, unknown>;
    let cur: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) {
      if (cur[key] === null || typeof cur[key] !== "object") cur[key] = {};
      cur = cur[key] as Record<string, unknown>;
    }
    const leaf = keys[keys.length - 1];
    // A "sweep" leaf is a list of values; anything else is the value itself.
    Object.defineProperty(cur, leaf, {
      value: keys[0] === "sweep" && keys.length === 2 ? [v] : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return copy;
  }

  it("any field set to anything: a valid config or one InputError, nothing else", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(path, json), { minLength: 1, maxLength: 3 }),
        (base, edits) => {
          let raw: unknown = base;
          for (const [keys, v] of edits) raw = mutate(raw, keys, v);
          try {
            validateConfig(raw);
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
          }
          assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype untouched");
        },
      ),
      { numRuns: 400, seed: SEED },
    );
  });

  it("any text as a YAML or JSON config file: parsed or one InputError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom("c.yaml", "c.json"), (text, source) => {
        try {
          validateConfig(parseConfigText(text, source));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
