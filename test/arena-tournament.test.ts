/** Tournament invariants: self-play excluded from scores, Axelrod's result definitions, worker independence. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MatchBuffers, playInto, SUMMARY_SIZE } from "../src/arena/match.js";
import {
  matchCount,
  planTournament,
  playTournamentMatches,
  runTournament,
  strategyFromSpec,
} from "../src/arena/tournament.js";
import { gamePreset } from "../src/games/presets.js";
import {
  chooseWorkers,
  estimatedSeconds,
  runTournamentParallel,
  TURN_SECONDS,
  WORKER_START_SECONDS,
} from "../src/node/tournamentPool.js";
import { heatmapRows, heatmapSpec, payoffMatrixHeatmap } from "../src/report/heatmap.js";
import { DETERMINISTIC_CLASSICS } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");

describe("tournament", () => {
  it("self-play is played (diagonal) but left out of scores, wins and ratings", () => {
    const r = runTournament(["Cooperator", "Defector", "Tit For Tat"], game, { turns: 10, repetitions: 3 });
    // Cooperator: 0 vs Defector, 3 per turn vs TFT → normalised (0 + 3)/2 = 1.5; self-play (3) excluded.
    assert.deepEqual(r.normalisedScores[0], [1.5, 1.5, 1.5]);
    assert.deepEqual(r.scores[0], [30, 30, 30]);
    // Defector: 5 vs Cooperator; vs TFT 5 then 1 → (5 + 1.4)/2 = 3.2.
    assert.ok(r.normalisedScores[1].every((x) => Math.abs(x - 3.2) < 1e-12));
    // TFT: 3 vs Cooperator; vs Defector 0 then 1 → 0.9 → (3 + 0.9)/2 = 1.95.
    assert.ok(r.normalisedScores[2].every((x) => Math.abs(x - 1.95) < 1e-12));
    assert.deepEqual(r.rankedNames, ["Defector", "Tit For Tat", "Cooperator"]);
    assert.deepEqual(r.payoffMatrix[0], [3, 0, 3]);
    assert.deepEqual(r.payoffMatrix[1][1], 1);
    assert.deepEqual(r.wins, [
      [0, 0, 0],
      [2, 2, 2],
      [0, 0, 0],
    ]);
    // Cooperator's cooperation rating ignores self-play; TFT cooperated 10 of 10 vs Cooperator, 1 of 10 vs Defector.
    assert.equal(r.cooperatingRating[0], 1);
    assert.ok(Math.abs(r.cooperatingRating[2] - 11 / 20) < 1e-12);
    assert.deepEqual(r.cooperation[2], [30, 3, 30]);
    assert.deepEqual(r.stateDistribution[2][1], [0, 3, 0, 27]);
    assert.deepEqual(r.stateDistribution[1][2], [0, 0, 3, 27]);
  });

  it("reproduces Axelrod's sample-tournament scores (axelrod/tests/integration/test_sample_tournaments.py)", () => {
    // turns = 10, repetitions = 1, default game; scores exclude self-play.
    const cases: [string[], number[]][] = [
      [
        ["Cooperator", "Defector"],
        [0, 50],
      ],
      [
        ["Tit For Tat", "Defector"],
        [9, 14],
      ],
      [
        ["Cooperator", "Tit For Tat"],
        [30, 30],
      ],
      [
        ["Cooperator", "Tit For Tat", "Defector"],
        [30, 39, 64],
      ],
      [
        ["Cooperator", "Tit For Tat", "Defector", "Grudger"],
        [60, 69, 78, 69],
      ],
      [
        ["Cooperator", "Defector", "Grudger", "Soft Go By Majority", "Tit For Tat"],
        [90, 92, 99, 99, 99],
      ],
    ];
    for (const [players, scores] of cases) {
      const r = runTournament(players, game, { turns: 10, repetitions: 1 });
      assert.deepEqual(
        r.scores.map((row) => row[0]),
        scores,
        players.join(", "),
      );
    }
  });

  it("normalised score = mean over opponents of score per turn; ranking by median", () => {
    const r = runTournament(["Random: 0.5", "Tit For Tat", "Grudger", "Alternator"], game, {
      turns: 50,
      repetitions: 5,
      noise: 0.05,
      seed: 8,
    });
    for (let i = 0; i < 4; i++) {
      for (let rep = 0; rep < 5; rep++) {
        let sum = 0;
        for (let j = 0; j < 4; j++) if (j !== i) sum += r.matchLengths[rep][i][j];
        assert.ok(Math.abs(r.scores[i][rep] / (50 * 3) - r.normalisedScores[i][rep]) < 1e-12);
        assert.equal(sum, 150);
      }
    }
    const medians = r.ranking.map((i) => r.medianNormalisedScores[i]);
    for (let k = 1; k < medians.length; k++) assert.ok(medians[k - 1] >= medians[k]);
  });

  it("the same seed gives identical results in-process, on 1 worker and on 2 workers (noise, prob end)", async () => {
    const players = [
      ...DETERMINISTIC_CLASSICS.slice(0, 6),
      "Random: 0.5",
      "GTFT",
      "ZD-Extort-2",
      "Stochastic WSLS",
    ];
    const options = { turns: 100, repetitions: 4, noise: 0.02, probEnd: 0.01, seed: 42 };
    const inProcess = runTournament(players, game, options);
    const one = await runTournamentParallel(players, game, { ...options, workers: 1 });
    const two = await runTournamentParallel(players, game, { ...options, workers: 2 });
    // Default: the worker count chosen from the estimated cost.
    const chosen = await runTournamentParallel(players, game, options);
    assert.deepEqual(one, inProcess);
    assert.deepEqual(two, inProcess);
    assert.deepEqual(chosen, inProcess);
    const other = runTournament(players, game, { ...options, seed: 43 });
    assert.notDeepEqual(other.scores, inProcess.scores);
  });

  it("copying a repetition that cannot differ gives the summaries of playing every repetition", () => {
    // Deterministic and stochastic players, no noise: the deterministic pairs' repetitions are copied, the others
    // played. The reference plays every match from its own stream, as Axelrod does.
    const players = [...DETERMINISTIC_CLASSICS.slice(0, 5), "Random: 0.5", "GTFT", "Second by Tester"];
    const plan = planTournament(players, game, { turns: 50, repetitions: 3, seed: 9 });
    const strategies = plan.specs.map((spec) => strategyFromSpec(spec, game));
    const expected = new Float64Array(matchCount(plan) * SUMMARY_SIZE);
    const buffers = new MatchBuffers();
    for (let m = 0; m < matchCount(plan); m++) {
      const [i, j] = plan.pairs[Math.floor(m / plan.repetitions)];
      const rng = Rng.derive(plan.seed, i, j, m % plan.repetitions);
      const [a, b] = [strategies[i].create(), strategies[j].create()];
      playInto(a, b, game, plan.turns, 0, rng, buffers, expected, m * SUMMARY_SIZE);
    }
    assert.deepEqual(playTournamentMatches(plan, 0, matchCount(plan)), expected);
    // A range that starts mid-pair (as a worker's does) too.
    const from = 4;
    assert.deepEqual(
      playTournamentMatches(plan, from, matchCount(plan)),
      expected.subarray(from * SUMMARY_SIZE),
    );
    // Random: 0.5 against itself differs between repetitions: it was played, not copied.
    const random = players.indexOf("Random: 0.5");
    const m = plan.pairs.findIndex(([i, j]) => i === random && j === random) * plan.repetitions;
    const score = (k: number) => expected[(m + k) * SUMMARY_SIZE + 1];
    assert.notEqual(score(0), score(1));
  });

  it("the default worker count comes from the estimated cost: in process below the break-even, workers above", () => {
    // n workers cost WORKER_START_SECONDS + w/min(n, idle cores); they must save at least a quarter of w.
    assert.equal(chooseWorkers(0, 2, 0), 0);
    assert.equal(chooseWorkers(0.09, 2, 0), 0, "the issue's 36-player tournament (0.09 s) stays in process");
    assert.equal(chooseWorkers(2 * WORKER_START_SECONDS, 2, 0), 0, "break-even of 2 workers, no saving");
    assert.equal(chooseWorkers(4 * WORKER_START_SECONDS + 0.01, 2, 0), 2, "a saving just over a quarter");
    assert.equal(chooseWorkers(100, 1, 0), 0, "one core: never");
    assert.equal(chooseWorkers(100, 4, 1), 4, "our own load of 1 leaves 4 idle cores");
    assert.equal(chooseWorkers(100, 64, 0), 8, "at most 8");
    assert.equal(
      chooseWorkers(100, 2, 6),
      0,
      "two cores busy with other work: threads would only take turns",
    );
    assert.equal(chooseWorkers(100, 4, 3), 2, "two idle cores of four");
    // The estimate: matches × expected turns × TURN_SECONDS (28 players: 406 pairs × 10 repetitions × 200 turns).
    const plan = planTournament([...DETERMINISTIC_CLASSICS, ...DETERMINISTIC_CLASSICS.map((n) => n)], game, {
      turns: 200,
      repetitions: 10,
    });
    assert.equal(estimatedSeconds(plan), plan.pairs.length * 10 * 200 * TURN_SECONDS);
    const short = planTournament(["Cooperator", "Defector"], game, { turns: 1000, probEnd: 0.01 });
    assert.equal(estimatedSeconds(short), 3 * 10 * 100 * TURN_SECONDS, "prob-end: expected length 1/p");
  });

  it("bad input fails before any match is played", () => {
    assert.throws(
      () => runTournament(["Tit For Tat", "Grudgr"], game),
      /--players: unknown strategy "Grudgr"; did you mean "Grudger"/,
    );
    assert.throws(() => runTournament(["Tit For Tat"], game), /at least 2/);
    assert.throws(() => runTournament(["Tit For Tat", "Grudger"], game, { repetitions: 0 }), /--repetitions/);
  });
});

describe("payoff heatmap spec", () => {
  it("each cell carries the row's and the column's payoff; the spec compiles with Vega-Lite", async () => {
    const r = runTournament(["Cooperator", "Defector"], game, { turns: 10, repetitions: 1 });
    const input = payoffMatrixHeatmap(r.players, r.payoffMatrix, r.payoffStddevs);
    const rows = heatmapRows(input);
    assert.equal(rows.length, 4);
    const cd = rows.find((x) => x.row === "Cooperator" && x.col === "Defector")!;
    assert.deepEqual([cd.rowReward, cd.colReward, cd.label], [0, 5, "0.00 / 5.00"]);
    const vl = await import("vega-lite");
    const spec = heatmapSpec(input, { title: "t", withSpread: true });
    const compiled = vl.compile({ ...spec, data: { values: rows } } as Parameters<typeof vl.compile>[0]);
    assert.ok(compiled.spec.marks && compiled.spec.marks.length >= 3);
  });
});
