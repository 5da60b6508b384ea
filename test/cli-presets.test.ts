/**
 * `--preset`: each preset's resolved config (from `--json`) equals the named experiment case it cites, and its
 * published numbers hold within the stated tolerance when the preset is run as a user would
 * (`shapelab exact --preset lola-paper`). The sampled presets other than aa-tft are checked through their
 * experiment (test/experiments-named.test.ts runs lola-dice-ipd and aa-tft's β = 0 case at full size), since
 * the configs are equal; aa-tft itself runs here (10 seeds, ≈ 10 s).
 * Seeded numbers: after a change of `Rng.seeded`, rerun this file; the claims are tolerances, not pinned values.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { STATE_LABELS } from "../src/games/game.js";
import { PRESETS, type Preset } from "../src/cli/presets.js";
import { planRuns } from "../src/experiments/plan.js";
import { resolveExactLearnerSpec } from "../src/learners/exact/index.js";
import { type LearnerSpec, resolveLearnerSpec } from "../src/learners/sampled/train.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";

const MAIN = join(import.meta.dirname, "..", "src", "cli", "main.js");
const cli = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });

function json(...args: string[]) {
  const r = cli(...args, "--json", "--quiet");
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A claim's measure read from the command's JSON output (names as in the experiments' metrics). */
interface CommandJson {
  summary: { agent1: { mean: number }; nearHalfFraction: number };
  final: { rewardPerStep: number[][]; empiricalPC: (number | null)[][][] };
}

function measure(j: CommandJson, name: string): number {
  if (name === "reward.1") return j.summary.agent1.mean;
  if (name === "nash") return j.summary.nearHalfFraction;
  if (name === "joint") return mean(j.final.rewardPerStep.map((s) => (s[0] + s[1]) / 2));
  const m = /^epC\.1\.(\w+)$/.exec(name);
  if (m) {
    const state = (STATE_LABELS as readonly string[]).indexOf(m[1]);
    const visited = j.final.empiricalPC.map((s) => s[0][state]).filter((v): v is number => v !== null);
    return mean(visited);
  }
  throw new Error(`no measure ${name}`);
}

/** The experiment case the preset cites, as one run config. */
function experimentCase(p: Preset) {
  const config = loadNamedExperiment(p.experiment.name).config;
  const unit = planRuns(config).find((u) => u.caseName === p.experiment.case);
  assert.ok(unit, `${p.experiment.name} has case ${p.experiment.case}`);
  return { run: unit.config, seeds: config.seeds.count };
}

describe("--preset", { concurrency: 2 }, () => {
  for (const preset of PRESETS) {
    it(`${preset.command} --preset ${preset.name} is ${preset.experiment.name}'s case ${preset.experiment.case}`, () => {
      const quick = preset.command === "exact" ? ["--steps", "0"] : ["--updates", "1", "--batch", "2", "--rollout", "2"];
      const { config } = json(preset.command, "--preset", preset.name, ...quick);
      const { run, seeds } = experimentCase(preset);
      assert.equal(config.preset, preset.name);
      assert.equal(config.game, run.game);
      assert.equal(config.gamma, run.gamma);
      assert.equal(config.seeds, seeds);
      const budget = run.budget as Record<string, number>;
      const params = run.params as Record<string, unknown>;
      const agents = run.agents.map(({ learner, ...rest }) => ({ name: learner, ...rest }));
      if (preset.command === "exact") {
        assert.deepEqual(config.agents, agents.map((a) => resolveExactLearnerSpec(a as never)));
        assert.equal(Number(preset.flags.steps), budget.steps);
        assert.equal(config.init.sd, params.initSd ?? 1);
      } else {
        assert.deepEqual(config.agents, agents.map((a) => resolveLearnerSpec(a as LearnerSpec)));
        for (const key of ["batch", "rollout", "updates"]) assert.equal(Number(preset.flags[key]), budget[key], key);
        assert.equal(config.init.kind, params.init ?? "normal");
      }
    });
  }

  for (const preset of PRESETS.filter((p) => p.command === "exact" || p.name === "aa-tft")) {
    it(`${preset.command} --preset ${preset.name} reproduces its published numbers`, () => {
      const j = json(preset.command, "--preset", preset.name);
      for (const c of preset.claims) {
        const ours = measure(j, c.measure);
        assert.ok(
          Math.abs(ours - c.published) <= c.tolerance,
          `${c.measure}: ours ${ours} vs published ${c.published} ± ${c.tolerance} (${c.source})`,
        );
      }
    });
  }

  it("explicit flags win over the preset; an unknown preset names the allowed ones (exit 2)", () => {
    const j = json("exact", "--preset", "lola-paper", "--seeds", "3", "--steps", "1");
    assert.equal(j.config.seeds, 3);
    assert.equal(j.config.game, "ipd-lola");
    const withPayoffs = json("exact", "--preset", "lola-paper", "--payoffs", "3,0,5,1", "--steps", "1");
    assert.match(withPayoffs.config.game, /^custom/);
    const bad = cli("train", "--preset", "nope");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--preset.*allowed: aa-tft, aa-beta-0, lola-dice-paper/);
  });

  it("train with neither --agents nor --preset runs the aa-tft recipe on the default game (ipd)", () => {
    const j = json("train", "--updates", "1", "--batch", "2", "--rollout", "2", "--seeds", "1");
    assert.equal(j.config.preset, "aa-tft");
    assert.equal(j.config.game, "ipd");
    assert.equal(j.config.agents[0].beta, 2);
    assert.equal(j.config.agents[0].variant, "running-mean");
    const own = json("train", "--agents", "aa,aa", "--updates", "1", "--batch", "2", "--rollout", "2", "--seeds", "1");
    assert.equal(own.config.preset, null);
    assert.equal(own.config.agents[0].beta, 1);
  });

  it("--help lists the presets", () => {
    for (const command of ["exact", "train"] as const) {
      const help = cli(command, "--help").stdout;
      for (const p of PRESETS.filter((x) => x.command === command)) assert.match(help, new RegExp(`  ${p.name} `));
    }
  });
});
