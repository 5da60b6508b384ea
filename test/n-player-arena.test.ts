/**
 * N-player tournaments (src/arena/nPlayer.ts) and fixed N-player strategies (src/strategies/nPlayer.ts): the
 * strategies at N = 2 are the two-player memory-one players, fixed line-ups pay the table's exact rewards to
 * every seat, and the catalyst is the visitor's reward difference between shaper and naive hosts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runNPlayerArena } from "../src/arena/nPlayer.js";
import { publicGoodsGame } from "../src/games/nPlayer.js";
import { trainNPlayerSampled } from "../src/learners/sampled/nPlayer/train.js";
import { nPlayerStrategy } from "../src/strategies/nPlayer.js";
import { InputError } from "../src/util/errors.js";

describe("N-player strategies", () => {
  it("at N = 2 they are the two-player memory-one players (start, CC, CD, DC, DD)", () => {
    assert.deepEqual(nPlayerStrategy("Tit For Tat (unanimous)", 2), [1, 1, 0, 1, 0]);
    assert.deepEqual(nPlayerStrategy("Tit For Tat (majority)", 2), [1, 1, 0, 1, 0]);
    assert.deepEqual(nPlayerStrategy("Win-Stay Lose-Shift", 2), [1, 1, 0, 0, 1]);
    assert.deepEqual(nPlayerStrategy("All D", 2), [0, 0, 0, 0, 0]);
  });

  it("majority Tit For Tat at N = 5 cooperates iff at most 2 of the 4 others defected", () => {
    const p = nPlayerStrategy("Tit For Tat (majority)", 5);
    // States 1 + own·5 + m, m = 0..4 other defectors.
    assert.deepEqual(p.slice(1, 6), [1, 1, 1, 0, 0]);
    assert.deepEqual(p.slice(6, 11), [1, 1, 1, 0, 0]);
    assert.throws(
      () => nPlayerStrategy("Grim", 3),
      (e: unknown) => e instanceof InputError && /allowed: All C, All D/.test(e.message),
    );
  });
});

describe("mixed line-ups", () => {
  it("fixed seats earn the table's exact per-step rewards, seat by seat", () => {
    const game = publicGoodsGame(3);
    const base = { game, gamma: 0.9, steps: 2, seed: 1, horizon: 5, gamesPerSeed: 2, evalGames: 3 };
    const c = { fixed: nPlayerStrategy("All C", 3) };
    const d = { fixed: nPlayerStrategy("All D", 3) };
    const r = trainNPlayerSampled({ ...base, seats: [c, c, d] });
    // One defector among three: each cooperator gets 4·2/3, the defector 4·2/3 + 3.
    assert.deepEqual(
      Array.from(r.agentRewards).map((x) => Math.round(x * 1e12) / 1e12),
      [8 / 3, 8 / 3, 17 / 3].map((x) => Math.round(x * 1e12) / 1e12),
    );
    assert.ok(Math.abs(r.cooperation[0] - 2 / 3) < 1e-12);
    assert.equal(r.criticTables, 0);
    // A learner beside fixed seats models them: a shared learner fits 2 critics.
    const mixed = trainNPlayerSampled({ ...base, seats: [{ learner: { scheme: "shared" } }, c, d] });
    assert.equal(mixed.criticTables, 2);
    assert.throws(() => trainNPlayerSampled({ ...base, seats: [c, c] }), /seats/);
    assert.throws(
      () => trainNPlayerSampled({ ...base, seats: [c, c, { fixed: [2, 0, 0, 0, 0, 0, 0] }] }),
      /seats\[2\]/,
    );
  });
});

describe("N-player arena", () => {
  it("plays every (host, visitor) line-up, reports every seat, and the catalyst is a difference of visitor rewards", () => {
    const entrants = [
      { label: "naive PG", learner: { scheme: "naive" as const } },
      { label: "AA-shared", learner: { scheme: "shared" as const } },
      { label: "All D", strategy: "All D" },
      { label: "All C", strategy: "All C" },
    ];
    const r = runNPlayerArena(entrants, {
      game: publicGoodsGame(4),
      gamma: 0.9,
      visitors: 1,
      steps: 2,
      games: 2,
      horizon: 5,
      evalGames: 4,
      seed: 3,
      naive: "naive PG",
    });
    assert.equal(r.cells.length, 16);
    for (const cell of r.cells) assert.equal(cell.seatRewards.length, 4);
    const cell = (h: string, o: string) => r.cells.find((c) => c.host === h && c.visitor === o);
    // All D hosting All C: 3 defectors; the cooperator gets 4·1/4 = 1, each defector 1 + 3 = 4.
    assert.deepEqual(cell("All D", "All C")?.seatRewards, [4, 4, 4, 1]);
    assert.equal(r.catalyst.length, 4); // AA-shared × 4 visitors
    for (const c of r.catalyst) {
      const expected =
        (cell("AA-shared", c.visitor)?.visitorReward ?? 0) -
        (cell("naive PG", c.visitor)?.visitorReward ?? 0);
      assert.equal(c.value, expected);
    }
    assert.throws(
      () =>
        runNPlayerArena(entrants, {
          ...{ game: publicGoodsGame(4), gamma: 0.9, steps: 1, games: 1, horizon: 2, evalGames: 1, seed: 0 },
          visitors: 4,
        }),
      /visitors/,
    );
  });
});
