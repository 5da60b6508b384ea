import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { headlines, summarizeGroups } from "../src/experiments/aggregate.js";
import { loadNamedExperiment, namedExperimentNames } from "../src/node/experimentFiles.js";
import { runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

const dir = mkdtempSync(join(tmpdir(), "shapelab-named-"));
const store = RunStore.open(dir);
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run a named experiment into the test store; return its complete runs and headline rows. */
async function reproduce(name: string, cases?: string[]) {
  const loaded = loadNamedExperiment(name).config;
  const config = cases
    ? {
        ...loaded,
        cases: loaded.cases?.filter((c) => cases.includes(c.name)),
        reproduces: loaded.reproduces.filter((r) => r.case !== undefined && cases.includes(r.case)),
      }
    : loaded;
  const summary = await runExperiment(config, store, { workers: 2, quiet: true });
  assert.deepEqual(summary.failed, []);
  const runs = store.runsByKeys(summary.keys);
  assert.equal(runs.length, summary.total);
  return { config, runs, heads: headlines(config, runs) };
}

describe("named experiments", () => {
  it("every shipped config validates and has a doc naming its source", () => {
    const names = namedExperimentNames();
    const all = [
      "worked-example",
      "exact-ipd",
      "exact-imp",
      "lola-dice-ipd",
      "aa-tft",
      "classic-tournament",
      "catalyst",
      "asymmetric-shaping",
      "aa-quadrants",
      "asymmetry",
      "asymmetry-aa",
      "miscalculation",
      "sandbagging",
      "treacherous-turn",
      "treacherous-turn-deployment",
      "miscalculation-aa",
      "sandbagging-aa",
    ];
    for (const expected of all) {
      assert.ok(names.includes(expected), `missing ${expected}`);
    }
    for (const name of names) {
      const e = loadNamedExperiment(name);
      assert.equal(e.config.name, name, "file name = experiment name");
      assert.ok(e.doc && existsSync(e.doc), `${name}.md`);
      const doc = readFileSync(e.doc, "utf8");
      assert.match(doc, /Reproduces|Claim reproduced/, `${name}.md states what it reproduces`);
      for (const r of e.config.reproduces) assert.ok(r.source.length > 10, `${name}: source of ${r.metric}`);
    }
  });

  it("worked-example: −0.375, 0.0234375, β_flip = 16, A* = 1.29, all from code", async () => {
    const { heads, runs } = await reproduce("worked-example");
    // Each published number once, at the post's β = 1 (`at`), not once per point of the β sweep.
    assert.equal(heads.length, 4);
    for (const h of heads) assert.equal(h.pass, true, `${h.metric}: ${h.ours} vs ${h.published}`);
    // The naive gradient, the cross term and β_flip do not depend on β: the same at all 8 points.
    assert.equal(runs.length, 8);
    for (const run of runs) {
      assert.equal(run.final["naive.gradient"], -0.375);
      assert.equal(run.final["post.cross"], 0.0234375);
      assert.equal(run.final["post.betaFlip"], 16);
    }
  });

  it("classic-tournament: the Axelrod docs' median scores 2.6 / 2.3 / 2.3 / 2.0 exactly", async () => {
    const { heads } = await reproduce("classic-tournament");
    for (const h of heads) assert.equal(h.pass, true, `${h.metric}: ${h.ours} vs ${h.published}`);
    const exact = Object.fromEntries(heads.map((h) => [h.metric, h.ours]));
    assert.ok(
      Math.abs(exact["score.Defector"] - 2.6) < 1e-12 && Math.abs(exact["score.Cooperator"] - 2) < 1e-12,
    );
  });

  it("exact-ipd (50 seeds, seeds 0–49): NL–NL ≈ −2.0 and LOLA–LOLA ≈ −1.06 within 0.1; LOLA beats NL", async () => {
    const { config, runs, heads } = await reproduce("exact-ipd");
    const byCase = Object.fromEntries(heads.filter((h) => h.metric === "reward.1").map((h) => [h.case, h]));
    assert.equal(byCase["NL-NL"].pass, true, `NL-NL ${byCase["NL-NL"].ours}`);
    assert.equal(byCase["LOLA-LOLA"].pass, true, `LOLA-LOLA ${byCase["LOLA-LOLA"].ours}`);
    const lolaNl = summarizeGroups(config, runs).find((g) => g.label === "LOLA-NL");
    assert.ok(
      lolaNl && lolaNl.final["reward.1"].mean > lolaNl.final["reward.2"].mean,
      "LOLA earns more than NL",
    );
  });

  it("asymmetric-shaping (50 seeds): more look-ahead pays the shaper and widens its lead over a naive learner", async () => {
    const { config, runs } = await reproduce("asymmetric-shaping");
    const groups = summarizeGroups(config, runs);
    const at = (caseName: string, eta: number) => {
      const g = groups.find((x) => x.caseName === caseName && x.point["agents.0.eta"] === eta);
      assert.ok(g, `${caseName} η = ${eta}`);
      return [g.final["reward.1"].mean, g.final["reward.2"].mean];
    };
    // η = 0 is a naive learner: mutual defection against NL.
    assert.ok(Math.abs(at("vs-NL", 0)[0] + 2) < 0.01);
    // Against NL the shaper's reward rises with η and its lead grows (0.03 at η = 1, 0.14 at η = 8).
    const etas = [0.5, 1, 2, 4, 8];
    for (let k = 1; k < etas.length; k++) assert.ok(at("vs-NL", etas[k])[0] > at("vs-NL", etas[k - 1])[0]);
    const lead = (eta: number) => at("vs-NL", eta)[0] - at("vs-NL", eta)[1];
    assert.ok(lead(8) > 0.1 && lead(8) > lead(1), `lead ${lead(1)} → ${lead(8)}`);
    // The naive opponent is still far better off than under mutual defection (a catalyst that exploits).
    assert.ok(at("vs-NL", 8)[1] > -1.2);
    // Against LOLA (η = 1): the stronger shaper is ahead on both sides of η = 1.
    assert.ok(at("vs-LOLA", 0.5)[1] > at("vs-LOLA", 0.5)[0] && at("vs-LOLA", 4)[0] > at("vs-LOLA", 4)[1]);
  });

  it("exact-imp (200 seeds): LOLA–LOLA near Nash in ≥ 85 % of seeds, NL–NL in ≤ 5 %", async () => {
    const { heads } = await reproduce("exact-imp");
    const lola = heads.find((h) => h.case === "LOLA-LOLA");
    const nl = heads.find((h) => h.case === "NL-NL");
    assert.ok(lola && lola.ours >= 0.85, `LOLA-LOLA nash fraction ${lola?.ours}`);
    assert.ok(nl && nl.ours <= 0.05, `NL-NL nash fraction ${nl?.ours}`);
  });

  it("aa-tft (10 seeds): AA's empirical P(C) at START, CC, DC, DD within ±0.1 of Fig. 1b; CD below it (harder retaliation); β = 0 defects", async () => {
    const { heads } = await reproduce("aa-tft");
    for (const h of heads) {
      const where = `${h.case} ${h.metric}: ${h.ours} vs ${h.published}`;
      // The paper's P(C | CD) ≈ 0.15 comes from a GRU policy; our memory-one AA punishes harder (≈ 0.03). The
      // ±0.1 check reports that, where the old ±0.15 band reaching 0 could not fail.
      if (h.metric === "epC.1.CD") assert.ok(h.pass === false && h.ours < h.published - 0.05, where);
      else assert.equal(h.pass, true, where);
    }
  });

  it("aa-quadrants (cases all and only-spiteful, 5 seeds): the full term gives TFT, spite alone defects", async () => {
    const loaded = loadNamedExperiment("aa-quadrants").config;
    const config = {
      ...loaded,
      cases: loaded.cases?.filter((c) => c.name === "all" || c.name === "only-spiteful"),
      seeds: { ...loaded.seeds, count: 5 },
    };
    const summary = await runExperiment(config, store, { workers: 2, quiet: true });
    assert.deepEqual(summary.failed, []);
    const groups = summarizeGroups(config, store.runsByKeys(summary.keys));
    const all = groups.find((g) => g.caseName === "all");
    const spite = groups.find((g) => g.caseName === "only-spiteful");
    assert.ok(all && all.final.tft.mean === 1 && all.final["joint.final"].mean > -1.05, "all quadrants: TFT");
    assert.ok(spite && spite.final["joint.final"].mean < -1.9, "only the spiteful quadrant: defection");
  });

  it("lola-dice-ipd, 1 look-ahead and no magic box (5 seeds each): ≈ −1.19 and −1.99 within tolerance", async () => {
    const { heads } = await reproduce("lola-dice-ipd", ["K1", "no-magic-box"]);
    assert.equal(heads.length, 2);
    for (const h of heads) assert.equal(h.pass, true, `${h.case} ${h.metric}: ${h.ours} vs ${h.published}`);
  });
});
