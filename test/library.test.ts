/**
 * The library entry points, imported by the package's own name through `package.json` `exports` (a
 * self-reference, as a user's `import … from "shapelab"` resolves): the Axelrod-style `tournament(players).play()`
 * checked against the Axelrod library's published "Summarising tournaments" tutorial (4 players, 10 turns, 3
 * repetitions: median scores 2.6 / 2.3 / 2.3 / 2.0, cooperation ratings 0 / 0.7 / 0.7 / 1, Defector 3 wins),
 * `match` against Axelrod's TFT–Alternator moves, `exact` against `trainExact` run directly; that the isomorphic
 * entry reaches no Node-only module (so a bundler can take it into a browser); and the README's TypeScript
 * snippet, extracted from README.md and run as it stands.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { exact, gamePreset, match, moran, strategies, tournament, trainExact } from "shapelab";
import { loadNamedExperiment, RunStore, runExperiment } from "shapelab/node";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe('import … from "shapelab"', () => {
  it("tournament(players).play(): ranked names, summary and plots, as in Axelrod's tutorial", async () => {
    const results = tournament(["Cooperator", "Defector", "Tit For Tat", "Grudger"], {
      turns: 10,
      repetitions: 3,
    }).play();
    assert.equal(results.rankedNames[0], "Defector");
    assert.equal(results.rankedNames[3], "Cooperator");
    const rows = results.summary();
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    const published = {
      Defector: [2.6, 0, 3],
      "Tit For Tat": [2.3, 0.7, 0],
      Grudger: [2.3, 0.7, 0],
      Cooperator: [2, 1, 0],
    };
    for (const [name, [score, coop, wins]] of Object.entries(published)) {
      assert.ok(
        Math.abs(by[name].medianScore - score) < 1e-12,
        `${name} median score ${by[name].medianScore}`,
      );
      assert.ok(
        Math.abs(by[name].cooperationRating - coop) < 1e-12,
        `${name} cooperation ${by[name].cooperationRating}`,
      );
      assert.equal(by[name].wins, wins, `${name} wins`);
    }
    assert.deepEqual(
      rows.map((r) => r.rank),
      [1, 2, 3, 4],
    );
    const [scores, heatmap] = await Promise.all([results.plot.scores(), results.plot.payoffMatrix()]);
    for (const svg of [scores, heatmap]) {
      assert.match(svg, /^<svg/);
      for (const name of results.rankedNames) assert.ok(svg.includes(name), name);
    }
  });

  it("match: Tit For Tat vs Alternator, 5 turns (Axelrod's test_titfortat moves)", () => {
    const m = match("Tit For Tat", "Alternator", { turns: 5 });
    assert.deepEqual(m.actions, ["CCDCD", "CDCDC"]);
    assert.deepEqual(m.scores, [13, 13]);
    assert.equal(m.winner, null);
  });

  it("moran(population).play(): every step keeps the population size; without mutation it ends at fixation", async () => {
    const population = ["Tit For Tat", "Tit For Tat", "Defector", "Cooperator"];
    const run = moran(population, { turns: 20, seed: 3 }).play();
    assert.deepEqual(run.types, ["Tit For Tat", "Defector", "Cooperator"]);
    assert.deepEqual(run.populations[0], [2, 1, 1]);
    for (const counts of run.populations)
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        4,
      );
    const last = run.populations[run.populations.length - 1];
    assert.ok(run.winner !== null, "fixation");
    assert.equal(last[run.types.indexOf(run.winner)], 4);
    assert.equal(run.steps, run.populations.length - 1);
    assert.match(await run.plot(), /^<svg/);
  });

  it("exact: the same numbers as trainExact with the LOLA paper's settings; naive learners defect", () => {
    const summary = exact({ agents: ["lola", "naive"], seeds: 6, steps: 50 });
    const direct = trainExact({
      game: gamePreset("ipd-lola"),
      gamma: 0.96,
      learners: [
        { name: "lola", lr: 1, eta: 1 },
        { name: "naive", lr: 1, eta: 1 },
      ],
      steps: 50,
      seeds: 6,
      seed: 0,
    });
    assert.deepEqual([...summary.result.rewardPerStep], [...direct.rewardPerStep]);
    const mean = (i: number) =>
      [0, 1, 2, 3, 4, 5].reduce((a, s) => a + direct.rewardPerStep[2 * s + i], 0) / 6;
    assert.ok(Math.abs(summary.reward[0] - mean(0)) < 1e-12);
    assert.ok(Math.abs(summary.reward[1] - mean(1)) < 1e-12);
    // LOLA paper, Table 2: NL–NL −1.98 per step.
    const naive = exact({ agents: ["naive", "naive"], seeds: 10 });
    assert.ok(Math.abs(naive.reward[0] - -1.98) < 0.1, String(naive.reward[0]));
    assert.equal(naive.tftBoth, 0);
  });

  it("strategies() lists the zoo with Axelrod names and memory-one vectors", () => {
    const zoo = strategies();
    const tft = zoo.find((s) => s.name === "Tit For Tat");
    assert.deepEqual(tft?.memoryOne, [1, 1, 0, 1, 0]);
    assert.ok(zoo.some((s) => s.name === "Grudger" && s.memoryOne === null));
  });

  it('"shapelab/node" runs a named experiment into a run store', async () => {
    const dir = mkdtempSync(join(root, "dist", ".library-store-"));
    const store = RunStore.open(dir);
    try {
      const config = { ...loadNamedExperiment("worked-example").config };
      const summary = await runExperiment(config, store, { workers: 0, quiet: true });
      assert.equal(summary.failed.length, 0);
      assert.equal(summary.completed, summary.total);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Static and dynamic import specifiers of an ES module's source. */
function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"/g)) out.push(m[1]);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*"([^"]+)"/g)) out.push(m[1]);
  for (const m of source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]);
  return out;
}

describe("the isomorphic entry", () => {
  it("reaches no Node-only module: no node: builtins or Node globals, nothing under src/node or src/cli, only browser-safe packages", () => {
    const entry = resolve(
      root,
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports["."].default,
    );
    const browserSafe = new Set(["vega", "vega-lite", "pure-rand", "yaml"]);
    const builtins = new Set(builtinModules);
    const seen = new Set<string>();
    const packages = new Set<string>();
    const stack = [entry];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const rel = file.slice(root.length);
      assert.ok(!/^dist\/src\/(node|cli)\//.test(rel), `${rel} is Node-only`);
      const source = readFileSync(file, "utf8");
      // Node globals a browser lacks, used without an import.
      assert.doesNotMatch(
        source,
        /\bprocess\.(env|argv|exit|stdout|stderr|cwd|on)\b|\bBuffer\.|\brequire\(|__dirname/,
        rel,
      );
      for (const spec of importsOf(source)) {
        if (spec.startsWith(".")) {
          stack.push(resolve(dirname(file), spec));
          continue;
        }
        assert.ok(
          !spec.startsWith("node:") && !builtins.has(spec),
          `${rel} imports the Node builtin ${spec}`,
        );
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        assert.ok(browserSafe.has(name), `${rel} imports ${spec}, not known to be browser-safe`);
        packages.add(name);
      }
    }
    assert.ok(seen.size > 20, `walked ${seen.size} files`);
    assert.ok(packages.has("vega"), "the plots' renderer is reached");
  });
});

describe("README", () => {
  it("the TypeScript snippet runs as it stands and prints what its comments say", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(blocks.length, 1, "one TypeScript snippet in the README");
    const snippet = blocks[0];
    assert.match(snippet, /from "shapelab"/);
    // The snippet is plain ES (types are inferred), so Node runs it as a module; inside the package, "shapelab"
    // resolves through package.json exports exactly as in a user's project.
    const dir = mkdtempSync(join(root, "dist", ".readme-snippet-"));
    try {
      const file = join(dir, "snippet.mjs");
      writeFileSync(file, snippet);
      const r = spawnSync(process.execPath, [file], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /\[ 'Defector', 'Tit For Tat', 'Grudger', 'Cooperator' \]/);
      assert.match(r.stdout, /\[ 'CCDCD', 'CDCDC' \] \[ 13, 13 \]/);
      assert.match(r.stdout, /svg: \d+ characters/);
      const lola = r.stdout.match(/LOLA–LOLA per step: (-[\d.]+) (-[\d.]+)/);
      assert.ok(lola, r.stdout);
      // LOLA paper, Table 2: −1.06 per step (sd 0.19); our 50-seed means sit within 0.1 of it.
      for (const v of [Number(lola[1]), Number(lola[2])]) assert.ok(Math.abs(v - -1.06) < 0.1, String(v));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
