/**
 * Kinds `n-agent-sampled` and `n-player-arena`, and the log–log sweep figure: the first kind's metrics (critic
 * counts N, 2N, N², deterministic numbers per seed apart from the two timings, quadrant shares), the arena's
 * seat and catalyst metrics, bad input named by field, the fitted power-law exponent on exact power laws, and
 * the shipped experiment configs validating.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { powerLawExponent, withPowerLawFits } from "../src/experiments/figures.js";
import { getKind } from "../src/experiments/registry.js";
import type { RunConfig } from "../src/experiments/types.js";
import { applyPreset } from "../src/experiments/overrides.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";
import { InputError } from "../src/util/errors.js";

const kind = getKind("n-agent-sampled");

function config(scheme: string, players: number, params: Record<string, unknown> = {}): RunConfig {
  return {
    name: "t",
    kind: "n-agent-sampled",
    game: { dilemma: "public-goods", players },
    gamma: 0.96,
    agents: [{ scheme }],
    budget: { steps: 4, games: 3, horizon: 6 },
    params: { evalGames: 5, ...params },
  };
}

describe("kind n-agent-sampled", () => {
  it("records cooperation, welfare, threshold, cost and memory; critic tables N, 2N, 2N, N²", async () => {
    const expected: Record<string, number> = { naive: 3, shared: 6, "mean-field": 6, pairwise: 9 };
    for (const [scheme, tables] of Object.entries(expected)) {
      const a = await kind.run(config(scheme, 3), 7);
      const b = await kind.run(config(scheme, 3), 7);
      assert.equal(a.final["cost.criticTables"], tables);
      assert.equal(a.final["cost.players"], 3);
      for (const name of Object.keys(a.final)) {
        if (name === "cost.msPerUpdate" || name === "cost.rolloutMsPerUpdate") continue; // measured
        assert.equal(a.final[name], b.final[name], `${scheme} ${name} is a function of config and seed`);
      }
      assert.ok(a.final.cooperation >= 0 && a.final.cooperation <= 1);
      // Welfare per step lies between all-D (3 each) and all-C (4 each) in this public-goods game.
      assert.ok(a.final.welfare >= 9 - 1e-9 && a.final.welfare <= 12 + 1e-9);
      assert.equal(a.series.values.cooperation.length, 4);
      const shares = ["++", "+-", "-+", "--"].map((q) => a.final[`quadrant.${q}`]);
      if (scheme === "naive") assert.ok(shares.every((x) => x === undefined));
      else
        assert.ok(
          Math.abs(shares.reduce((x, y) => x + y, 0) - 1) < 1e-12,
          `${scheme} quadrant shares sum to 1`,
        );
      assert.ok(
        a.final["memory.criticBytes"] > 0 && a.final["memory.learnerBytes"] > a.final["memory.criticBytes"],
      );
    }
  });

  it("a threshold of 0 is reached at the first update; bad input names the field", async () => {
    const r = await kind.run(config("shared", 3, { threshold: 0 }), 1);
    assert.equal(r.final["threshold.reached"], 1);
    assert.equal(r.final["threshold.updates"], 0);
    assert.throws(
      () => kind.run(config("shared", 16, { view: "full" }), 1),
      (e: unknown) => e instanceof InputError && /view/.test(e.message),
    );
    assert.throws(
      () => kind.check?.(config("shared", 16, { view: "full" })),
      (e: unknown) => e instanceof InputError && /params\.view/.test(e.message),
    );
    assert.throws(() => kind.agents.parse([{ scheme: "tribal" }]));
  });
});

describe("log–log sweep figures", () => {
  it("fit the exponent of exact power laws and label each line with it", () => {
    const xs = [2, 3, 4, 8, 16, 32];
    assert.ok(
      Math.abs(
        powerLawExponent(
          xs,
          xs.map((x) => 5 * x * x),
        ) - 2,
      ) < 1e-12,
    );
    assert.ok(
      Math.abs(
        powerLawExponent(
          xs,
          xs.map((x) => 0.3 * x),
        ) - 1,
      ) < 1e-12,
    );
    assert.ok(Number.isNaN(powerLawExponent([4], [1])));
    const rows = withPowerLawFits(
      xs.map((x) => ({ x, series: "pairwise", mean: x * x, sd: 2 * x * x, lo: -x * x, hi: 3 * x * x, n: 5 })),
    );
    assert.ok(rows.every((r) => r.series === "pairwise (∝ x^2.00)" && r.lo > 0));
  });

  it("the shipped n-agent-scaling configs validate", () => {
    const base = loadNamedExperiment("n-agent-scaling").config;
    for (const c of [base, applyPreset(base, "paper")]) {
      assert.equal(c.kind, "n-agent-sampled");
      assert.deepEqual(c.sweep?.["game.players"], [2, 3, 4, 8, 16, 32]);
    }
  });
});

describe("kind n-player-arena", () => {
  it("records host, visitor, every seat and the catalyst, with default labels", async () => {
    const arena = getKind("n-player-arena");
    const config: RunConfig = {
      name: "t",
      kind: "n-player-arena",
      game: { dilemma: "public-goods", players: 3 },
      gamma: 0.9,
      agents: arena.agents.parse([{ scheme: "naive" }, { scheme: "shared" }, { strategy: "All D" }]),
      budget: arena.budget.parse({ steps: 1, games: 2, horizon: 4 }),
      params: arena.params.parse({ evalGames: 2 }),
    };
    arena.check?.(config);
    const r = await arena.run(config, 0);
    assert.equal(typeof r.final["host.AA-shared.All D"], "number");
    assert.equal(typeof r.final["seat.AA-shared.All D.2"], "number");
    // All D hosting All D: everyone defects, 3 per step each.
    assert.equal(r.final["seat.All D.All D.0"], 3);
    assert.equal(
      r.final["catalyst.AA-shared.All D"],
      r.final["visitor.AA-shared.All D"] - r.final["visitor.naive PG.All D"],
    );
    assert.throws(
      () => arena.check?.({ ...config, params: { ...config.params, visitors: 3 } }),
      (e: unknown) => e instanceof InputError && /params\.visitors/.test(e.message),
    );
  });
});

describe("the N-player learner's registry entry", () => {
  it("is one declaration: `shapelab learners` lists it, and the kind's agent schema is its schema", async () => {
    const { allLearnerEntries, learnerEntries } = await import("../src/learners/registry.js");
    const { N_PLAYER_AA_SCHEMA } = await import("../src/learners/sampled/nPlayer/entry.js");
    const { describeLearner } = await import("../src/cli/commands/learners.js");
    const [entry] = learnerEntries("n-player");
    assert.equal(entry.name, "n-player-aa");
    assert.equal(entry.schema, N_PLAYER_AA_SCHEMA);
    assert.ok(allLearnerEntries().includes(entry));
    // not offered to the two-player trainers
    assert.ok(!learnerEntries("sampled").some((e) => e.name === "n-player-aa"));
    const listed = describeLearner(entry) as { hyperparameters: { key: string; default: unknown }[] };
    const defaults = Object.fromEntries(listed.hyperparameters.map((p) => [p.key, p.default]));
    assert.equal(defaults.lr, 0.1);
    assert.equal(defaults.beta, 1);
    assert.equal(defaults.criticSweeps, 5);
    // The kind validates with it: a wrong scheme names the field and the allowed values.
    await assert.rejects(
      async () => kind.run(config("sideways", 3), 0),
      (e: unknown) => /scheme/.test(String(e)) && /pairwise/.test(String(e)),
    );
  });
});
