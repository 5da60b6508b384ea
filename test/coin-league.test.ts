/**
 * The Coin Game league (src/arena/coinLeague.ts, kind `coin-league`): the fixed agents against the AA league's
 * reference points within the sampling error computed here, cells assembled from pairs as the AA code pairs
 * them, agent-file and coin-train entrants, a network of the wrong shape refused by name, the catalyst measure on
 * hand-made numbers, the figure's inputs, and a resumed run equal to an uninterrupted one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  type LeagueMember,
  type LeaguePair,
  leagueCatalyst,
  leagueCells,
  leagueEnv,
  leaguePairs,
  playLeague,
} from "../src/arena/coinLeague.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { rolloutCoin } from "../src/envs/coin/rollout.js";
import { validateConfig } from "../src/experiments/config.js";
import { leagueMatrixInputs } from "../src/experiments/figures.js";
import { coinLeagueKind } from "../src/experiments/kinds/coinLeague.js";
import { planRuns } from "../src/experiments/plan.js";
import type { ConfigSources, RunResult } from "../src/experiments/types.js";
import { runExperiment } from "../src/node/runner.js";
import { headlines } from "../src/experiments/aggregate.js";
import { loadNamedExperiment } from "../src/node/experimentFiles.js";
import { RunStore } from "../src/node/store.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { MLP } from "../src/nn/mlp.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";
import { mean, sd } from "../src/util/stats.js";
import { assertResumeEqualsWhole } from "./resumeHarness.js";

const dir = mkdtempSync(join(tmpdir(), "shapelab-league-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

const fixed = (name: "always-cooperate" | "always-defect" | "random", player: string): LeagueMember => ({
  player,
  member: name,
  agent: { fixed: name },
});

/** A random-init GRU actor for a 3×3 board (the AA actor's shape, narrower), as agent-file text. */
function gruAgentText(seed: number, observation = 36): string {
  const net = new RecurrentNet(coinActorArchitecture(observation, 8));
  net.init(Rng.seeded(seed), "orthogonal", 1);
  return saveNetwork(net, { learner: "test" }, "test");
}

/** A bias-only MLP 36 → 4: π = softmax(bias) in every state. */
function biasOnlyText(bias: number[], observation = 36): string {
  const net = new MLP({ kind: "mlp", sizes: [observation, 4], activation: "relu" });
  net.params.values.fill(0);
  net.params.values.set(bias, observation * 4);
  return saveNetwork(net, {}, "test");
}

describe("coin league", () => {
  it("Always-Defect vs Always-Cooperate and vs Random at 16 steps: the AA league's 0.631 / −0.269, 0.526 / −0.534", () => {
    // Per-game rewards per step give the sampling error of our estimate (N games) and of the reference, one
    // 32-game × 16-step evaluation of the AA league. Agreement: |ours − published| ≤ 3·√(se² + se_ref²) + the
    // published number's rounding (0.0005).
    const env = leagueEnv({ turns: 16, height: 3, width: 3 });
    const N = 8192;
    const check = (a: string, b: string, published: [number, number]) => {
      const t = rolloutCoin(env, fixedCoinAgent(a, env), fixedCoinAgent(b, env), { games: N, seed: 11 });
      for (const seat of [0, 1] as const) {
        const perGame = Array.from({ length: N }, (_, g) => {
          let s = 0;
          for (let step = 0; step < 16; step++) s += t.rewards[(step * N + g) * 2 + seat];
          return s / 16;
        });
        const ours = mean(perGame);
        const bound = 3 * sd(perGame) * Math.sqrt(1 / N + 1 / 32) + 0.0005;
        assert.ok(
          Math.abs(ours - published[seat]) <= bound,
          `${a} vs ${b}, seat ${seat}: ${ours} vs ${published[seat]} (bound ${bound})`,
        );
      }
    };
    check("always-defect", "always-cooperate", [0.631, -0.269]);
    check("always-defect", "random", [0.526, -0.534]);
    // The same numbers come out of the league's cells (more loosely: 512 games there).
    const members = [fixed("always-cooperate", "AC"), fixed("always-defect", "AD"), fixed("random", "R")];
    const cells = leagueCells(
      members,
      playLeague(members, { turns: 16, games: 512, height: 3, width: 3, seed: 1, bothSeats: false }),
    );
    assert.ok(Math.abs((cells[1][0].rowReward.mean as number) - 0.631) < 0.05);
    assert.ok(Math.abs((cells[0][1].rowReward.mean as number) + 0.269) < 0.1);
    assert.equal(cells[0][1].rowOwnCoin.mean, 1, "Always-Cooperate only ever takes its own coin");
  });

  it("pairs i ≤ j with the lower member in seat a, as the AA code; a cell's row side is its row player's member", () => {
    assert.deepEqual(leaguePairs(3, false), [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [2, 2],
    ]);
    assert.equal(leaguePairs(3, true).length, 9);
    const members = [fixed("always-cooperate", "AC"), fixed("always-defect", "AD")];
    const options = { turns: 16, games: 64, height: 3, width: 3, seed: 5, bothSeats: false };
    const pairs = playLeague(members, options);
    const env = leagueEnv(options);
    // Pair (0, 1) on the streams (seed, 0, 1, ·): AC in seat a.
    const direct = playCoinMatch(
      env,
      fixedCoinAgent("always-cooperate", env),
      fixedCoinAgent("always-defect", env),
      {
        games: 64,
        seed: 5,
        keys: [0, 1],
      },
    );
    const cells = leagueCells(members, pairs);
    assert.equal(cells[0][1].rowReward.mean, direct.rewards[0]);
    assert.equal(cells[0][1].colReward.mean, direct.rewards[1]);
    assert.equal(cells[1][0].rowReward.mean, direct.rewards[1], "the swapped cell reads the other seat");
    assert.equal(cells[1][0].colOwnCoin.mean, direct.ownCoin[0]);
    assert.equal(cells[0][1].pairs, 1);
    assert.equal(cells[0][1].rowReward.sd, null, "one pair: no spread");
    // Both seat orders: each cell pools the two orders, AC in seat a and in seat b.
    const both = leagueCells(members, playLeague(members, { ...options, bothSeats: true }));
    const swapped = playCoinMatch(
      env,
      fixedCoinAgent("always-defect", env),
      fixedCoinAgent("always-cooperate", env),
      {
        games: 64,
        seed: 5,
        keys: [1, 0],
      },
    );
    assert.equal(both[0][1].pairs, 2);
    assert.equal(both[0][1].rowReward.mean, (direct.rewards[0] + swapped.rewards[1]) / 2);
    assert.equal(both[1][0].rowReward.mean, (direct.rewards[1] + swapped.rewards[0]) / 2);
  });

  it("agent files and a coin-train experiment's agents become members; same label = one player's seeds", async () => {
    const a = join(dir, "x-a.json");
    const b = join(dir, "x-b.json");
    writeFileSync(a, gruAgentText(1));
    writeFileSync(b, gruAgentText(2));
    const config = validateConfig({
      name: "league-files",
      kind: "coin-league",
      game: "ipd",
      agents: [{ file: a, label: "X" }, { file: b, label: "X" }, { fixed: "always-defect" }],
      budget: { games: 16, turns: 16 },
      seeds: { count: 1, base: 3 },
    });
    const sources: ConfigSources = {
      readText: (path, _field, max) => {
        assert.ok(max > 1000);
        return readFileSync(path, "utf8");
      },
      storedRuns: async () => assert.fail("no store needed"),
    };
    const resolved = await coinLeagueKind.resolve!(config, sources);
    const [unit] = planRuns(resolved);
    const r = (await coinLeagueKind.run(unit.config, unit.seed)) as Omit<RunResult, "elapsedMs">;
    // Independently: the two X members against Always-Defect (members 0, 1 vs member 2), same streams.
    const env = leagueEnv({ turns: 16, height: 3, width: 3 });
    const vsAd = [0, 1].map((i) =>
      playCoinMatch(
        env,
        neuralCoinAgentFromFile(gruAgentText(i + 1), env, "x"),
        fixedCoinAgent("always-defect", env),
        {
          games: 16,
          seed: 3,
          keys: [i, 2],
        },
      ),
    );
    assert.equal(r.final["reward.X.Always-Defect"], mean(vsAd.map((m) => m.rewards[0])));
    assert.equal(r.final["opponentReward.X.Always-Defect"], mean(vsAd.map((m) => m.rewards[1])));
    assert.equal(r.final["reward.Always-Defect.X"], mean(vsAd.map((m) => m.rewards[1])));
    const league = r.artifacts.league as {
      pairs: number[][];
      rows: string[];
      rowRewardSd: (number | null)[][];
    };
    assert.deepEqual(league.rows, ["X", "Always-Defect"]);
    assert.deepEqual(
      league.pairs,
      [
        [3, 2],
        [2, 1],
      ],
      "X–X: (0,0), (0,1), (1,1); X–AD: two seeds",
    );
    assert.equal(league.rowRewardSd[0][1], sd(vsAd.map((m) => m.rewards[0])));
  });

  it("a network that does not fit the board is refused, naming the entrant (exit 2 from shapelab run)", () => {
    const bad = join(dir, "two-by-two.json");
    writeFileSync(bad, biasOnlyText([0, 0, 0, 0], 16)); // a 2×2 board's 16 inputs, in a 3×3 league
    const configFile = join(dir, "bad-league.yaml");
    writeFileSync(
      configFile,
      `name: bad-league\nkind: coin-league\ngame: ipd\nagents:\n  - {fixed: random}\n  - {file: ${JSON.stringify(bad)}}\n`,
    );
    const child = spawnSync(
      process.execPath,
      [cli, "run", configFile, "--store", join(dir, "bad"), "--quiet"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(child.status, 2, child.stderr);
    assert.match(
      child.stderr,
      /agents\[1\]\.file: the network maps 16 inputs to 4 actions; this 3×3 one-coin game needs 36/,
    );
    assert.doesNotMatch(child.stderr, /\n\s+at /, "no stack trace");
    const missing = spawnSync(
      process.execPath,
      [cli, "run", configFile.replace("bad-league", "nope"), "--store", join(dir, "bad"), "--quiet"],
      { encoding: "utf8" },
    );
    assert.equal(missing.status, 2);
  });

  it("from: coin-train takes the agents of that experiment's latest config in the store, by learner", async () => {
    const store = RunStore.open(join(dir, "from"));
    try {
      // A stand-in for coin-train (any kind will do: the league reads only the stored runs and their artifacts).
      const train = validateConfig({
        name: "coin-train-standin",
        kind: "tournament",
        game: "ipd",
        agents: [{ strategy: "Cooperator" }, { strategy: "Defector" }],
        seeds: { count: 3, base: 0 },
      });
      const id = store.registerExperiment(train);
      const handover = [
        { agent: gruAgentText(10), learner: "aa" }, // the artifacts `agent` (text) and `learner`
        { agent: { agent: gruAgentText(11), learner: "ppo" } }, // one artifact {agent, learner}
        { agent: gruAgentText(12), learner: "aa" },
      ];
      planRuns(train).forEach((unit, k) => {
        const claim = store.claimRun(unit, id, "v", "test:1:x", 60_000);
        assert.equal(claim.kind, "claimed");
        const result: RunResult = {
          final: {},
          series: { steps: [], values: {} },
          artifacts: handover[k],
          elapsedMs: 1,
        };
        store.completeRun(claim.id, unit, result, "test:1:x");
      });
      const league = (agents: unknown[]) =>
        validateConfig({
          name: "league-from",
          kind: "coin-league",
          game: "ipd",
          agents,
          budget: { games: 8 },
          seeds: { count: 1, base: 0 },
        });
      const summary = await runExperiment(
        league([{ from: "coin-train-standin" }, { fixed: "always-cooperate" }]),
        store,
        { workers: 0, quiet: true },
      );
      assert.deepEqual(summary.failed, []);
      // Rerun without retraining: the same agents resolve to the same runs, all reused.
      const again = await runExperiment(
        league([{ from: "coin-train-standin" }, { fixed: "always-cooperate" }]),
        store,
        { workers: 0, quiet: true },
      );
      assert.equal(again.skipped, summary.total);
      assert.equal(again.completed, 0);
      const run = store.runsByKeys(summary.keys)[0];
      assert.ok("reward.AA.PPO" in run.final && "reward.PPO.Always-Cooperate" in run.final);
      const members = (
        await coinLeagueKind.resolve!(league([{ from: "coin-train-standin", learners: ["aa"], seeds: 1 }]), {
          readText: () => assert.fail(),
          storedRuns: async (name, field) => {
            assert.equal(name, "coin-train-standin");
            assert.equal(field, "agents[0].from");
            return store
              .runsByKeys(planRuns(train).map((u) => u.key))
              .map((r, k) => ({ ...r, artifacts: handover[k] as Record<string, unknown> }));
          },
        })
      ).agents;
      assert.deepEqual(
        members.map((m) => [m.label, m.member]),
        [["AA", "seed 0"]],
      );
      await assert.rejects(
        runExperiment(league([{ from: "coin-train-standin", learners: ["paa"] }]), store, {
          workers: 0,
          quiet: true,
        }),
        (e: unknown) =>
          e instanceof InputError &&
          /agents\[0\]\.learners\[0\].*trained no "paa" agent; it has: aa, ppo/.test(e.message),
      );
      // A trained agent that does not fit the board: refused under the entrant the config wrote.
      const wrongShape = [
        {
          key: "k",
          seed: 4,
          caseName: "AA",
          point: {},
          config: planRuns(train)[0].config,
          final: {},
          artifacts: { agent: biasOnlyText([0, 0, 0, 0], 16), learner: "aa" },
        },
      ];
      await assert.rejects(
        coinLeagueKind.resolve!(league([{ fixed: "random" }, { from: "x" }]), {
          readText: () => assert.fail(),
          storedRuns: async () => wrongShape,
        }),
        /agents\[1\]\.from \(AA, seed 4\): the network maps 16 inputs to 4 actions/,
      );
      await assert.rejects(
        runExperiment(league([{ from: "coin-train" }]), store, { workers: 0, quiet: true }),
        (e: unknown) =>
          e instanceof InputError && /agents\[0\]\.from: no complete runs of "coin-train"/.test(e.message),
      );
    } finally {
      store.close();
    }
  });

  it("catalyst: r(o vs X) − r(o vs PPO) for every non-cooperator o, and its least value", () => {
    const m = (player: string): LeagueMember => ({ player, member: player, agent: { fixed: "random" } });
    const members = [m("AA"), m("PPO"), m("Always-Defect"), m("Always-Cooperate")];
    // Hand-made pair results: rewards[seat a, seat b] for pairs (a, b).
    const r: Record<string, [number, number]> = {
      "0,0": [0.3, 0.3],
      "0,1": [0.2, 0.1],
      "0,2": [-0.1, 0.2],
      "0,3": [0.35, 0.3],
      "1,1": [0, 0],
      "1,2": [-0.2, 0.05],
      "1,3": [0.5, -0.1],
      "2,2": [0, 0],
      "2,3": [0.63, -0.27],
      "3,3": [0.35, 0.35],
    };
    const pairs: LeaguePair[] = leaguePairs(4, false).map(([a, b]) => ({
      a,
      b,
      rewards: r[`${a},${b}`],
      ownCoin: [null, null],
      pickupsPerStep: [0, 0],
    }));
    const cells = leagueCells(members, pairs);
    const { results, missing } = leagueCatalyst(cells, {
      shapers: ["AA", "PAA"],
      naive: "PPO",
      cooperators: ["Always-Cooperate"],
    });
    assert.deepEqual(missing, ["PAA"]);
    assert.equal(results.length, 1);
    const by = Object.fromEntries(results[0].byOpponent.map((b) => [b.opponent, b.value]));
    assert.deepEqual(Object.keys(by), ["AA", "PPO", "Always-Defect"], "the cooperator is left out");
    assert.ok(Math.abs(by.AA - (0.3 - 0.2)) < 1e-15); // AA vs AA minus AA vs PPO
    assert.ok(Math.abs(by.PPO - (0.1 - 0)) < 1e-15); // PPO vs AA minus PPO vs PPO
    assert.ok(Math.abs(by["Always-Defect"] - (0.2 - 0.05)) < 1e-15);
    assert.equal(results[0].min, Math.min(by.AA, by.PPO, by["Always-Defect"]));
  });

  it("the figure averages a cell over evaluation seeds and shows the mean spread over training seeds", () => {
    const artifact = (v: number, s: number | null) => ({
      rows: ["A", "B"],
      cols: ["A", "B"],
      rowReward: [
        [v, 1],
        [2, null],
      ],
      colReward: [
        [v, 3],
        [4, null],
      ],
      rowRewardSd: [
        [s, null],
        [null, null],
      ],
      colRewardSd: [
        [s, null],
        [null, null],
      ],
      rowOwnCoin: [
        [0.5, 1],
        [1, null],
      ],
      colOwnCoin: [
        [0.5, 1],
        [1, null],
      ],
      rowOwnCoinSd: [
        [null, null],
        [null, null],
      ],
      colOwnCoinSd: [
        [null, null],
        [null, null],
      ],
    });
    const stored = [artifact(0.2, 0.1), artifact(0.4, 0.3)];
    const runs = stored.map((_, id) => ({ id, caseName: null, point: {}, seed: id, final: {} }));
    const [h] = leagueMatrixInputs(
      { runs, series: () => [], seriesNames: () => [], artifact: (id) => stored[id] },
      "league",
      "reward",
    );
    assert.equal(h.n, 2);
    assert.ok(Math.abs((h.input.row[0][0] as number) - 0.3) < 1e-15);
    assert.ok(Math.abs((h.input.rowSpread?.[0][0] as number) - 0.2) < 1e-15);
    assert.equal(h.input.row[1][1], null);
    assert.equal(h.input.rowSpread?.[0][1], null);
  });

  it("the shipped coin-league-fixed reproduces its four published numbers (2 of its 8 seeds)", async () => {
    const named = loadNamedExperiment("coin-league-fixed").config;
    const store = RunStore.open(join(dir, "named"));
    try {
      const summary = await runExperiment({ ...named, seeds: { ...named.seeds, count: 2 } }, store, {
        workers: 0,
        quiet: true,
      });
      const heads = headlines(named, store.runsByKeys(summary.keys));
      assert.equal(heads.length, 4);
      for (const h of heads) assert.equal(h.pass, true, `${h.metric}: ${h.ours} vs ${h.published}`);
      // The full league's config validates (its coin-train entrant is resolved only when it runs).
      assert.equal(loadNamedExperiment("coin-league").config.kind, "coin-league");
    } finally {
      store.close();
    }
  });

  it("resumes: an interrupted league, rerun, stores the same numbers as an uninterrupted one", async () => {
    const config = validateConfig({
      name: "league-resume",
      kind: "coin-league",
      game: "ipd",
      agents: [{ fixed: "always-defect" }, { fixed: "random" }, { fixed: "always-cooperate" }],
      budget: { games: 8, turns: 16 },
      seeds: { count: 4, base: 0 },
    });
    const { first, second } = await assertResumeEqualsWhole(config, dir);
    assert.equal(second.completed, 4 - first.completed);
  });
});
