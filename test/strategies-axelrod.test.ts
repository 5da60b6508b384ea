/**
 * Every zoo strategy against the Axelrod library itself: test/fixtures/axelrod-moves.json is written by
 * bench/peers/axelrod_fixtures.py from Axelrod 4.x (regenerate: see that file's header). For each strategy it holds
 * Axelrod's classifier, its memory-one vector where it has one, and
 * - deterministic players: their moves in 150-turn matches against a panel of opponents, itself and two fixed
 *   sequences; shapelab must play exactly the same moves;
 * - stochastic players: their cooperation rate over 200 seeded matches against four opponents; shapelab's own rate
 *   over 200 matches must agree within 0.03: each estimate averages 30,000 moves in 200 independent matches, and
 *   the spread of the per-match rates (≤ 0.5) bounds each estimate's standard error by 0.5/√200 ≈ 0.035 in the
 *   worst case; for these players it is ≈ 0.005, so 0.03 is about four standard errors of the difference.
 * Nothing here depends on shapelab's seeding: the deterministic part draws no random numbers, and the stochastic
 * part compares statistics.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { movesAgainstSequence, playMatch } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { floorLn } from "../src/strategies/axelrodSecond.js";
import { strategyByName, zoo } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

interface Entry {
  class: string;
  name: string;
  repr: string;
  memoryDepth: number | "inf";
  stochastic: boolean;
  makesUseOfGame: boolean;
  memoryOne?: number[];
  moves?: Record<string, string>;
  cooperationRate?: Record<string, number>;
}
interface Fixture {
  axelrod: string;
  game: { R: number; P: number; S: number; T: number };
  turns: number;
  statSeeds: number;
  panel: string[];
  sequences: Record<string, string>;
  strategies: Entry[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../test/fixtures/axelrod-moves.json", import.meta.url)), "utf8"),
);
const game = gamePreset("ipd");

/** "C3DC2" → "CCCDCC" (the fixture's run-length code). */
function expand(code: string): string {
  return code.replace(/([CD])(\d*)/g, (_m, ch: string, n: string) => ch.repeat(n === "" ? 1 : Number(n)));
}

describe(`zoo strategies equal the Axelrod library ${fixture.axelrod}`, () => {
  it("the fixture's game is shapelab's ipd game", () => {
    const { R, P, S, T } = fixture.game;
    assert.deepEqual([...game.r1], [R, S, T, P]);
  });

  it("Second by White's ⌊ln n⌋ (a table of ⌈e^k⌉) equals Math.floor(Math.log(n)) up to 1,000,000 and at each e^k", () => {
    for (let n = 1; n <= 1_000_000; n += n < 3000 ? 1 : 997)
      assert.equal(floorLn(n), Math.floor(Math.log(n)), `n = ${n}`);
    for (let k = 1; k <= 20; k++) {
      const edge = Math.ceil(Math.exp(k));
      assert.equal(floorLn(edge), k);
      assert.equal(floorLn(edge - 1), k - 1);
    }
  });

  it("the zoo has at least 80 strategies, and every one the fixture lists", () => {
    const names = new Set(zoo(game).map((s) => s.name));
    assert.ok(names.size >= 80, `zoo has ${names.size} strategies`);
    for (const e of fixture.strategies) {
      assert.ok(names.has(e.repr) || names.has(e.name), `${e.repr} missing from the zoo listing`);
    }
  });

  for (const e of fixture.strategies) {
    it(`${e.repr}: name, classifier${e.memoryOne ? ", four-vector" : ""}`, () => {
      // By Axelrod's plain name (its str() may round a game-derived parameter: "GTFT: 0.33").
      const s = strategyByName(e.name, game);
      assert.ok(s.name === e.repr || s.name === e.name, `display name ${s.name}`);
      assert.equal(
        strategyByName(e.repr, game).name,
        s.name,
        "Axelrod's str() finds a strategy of the same name",
      );
      const depth = e.memoryDepth === "inf" ? Number.POSITIVE_INFINITY : e.memoryDepth;
      assert.equal(s.classifier.memoryDepth, depth, "memory depth");
      assert.equal(s.classifier.stochastic, e.stochastic, "stochastic");
      assert.equal(s.classifier.makesUseOfGame ?? false, e.makesUseOfGame, "makes use of the game");
      if (e.memoryOne) {
        assert.ok(s.memoryOne, "memory-one vector");
        for (let i = 0; i < 5; i++) assert.ok(Math.abs(s.memoryOne[i] - e.memoryOne[i]) <= 1e-15, `p[${i}]`);
      }
    });
  }

  for (const e of fixture.strategies.filter((x) => x.moves)) {
    it(`${e.repr}: the same ${fixture.turns} moves against every panel opponent`, () => {
      const s = strategyByName(e.name, game);
      for (const [opponent, code] of Object.entries(e.moves ?? {})) {
        let ours: string;
        if (opponent === "self") ours = playMatch(s, s, game, { turns: fixture.turns }).actions[0];
        else if (opponent in fixture.sequences)
          ours = movesAgainstSequence(s, game, fixture.sequences[opponent], fixture.turns);
        else ours = playMatch(s, strategyByName(opponent, game), game, { turns: fixture.turns }).actions[0];
        assert.equal(ours, expand(code), `${e.repr} vs ${opponent}`);
      }
    });
  }

  for (const e of fixture.strategies.filter((x) => x.cooperationRate)) {
    it(`${e.repr}: cooperation rates within 0.03 of Axelrod's`, () => {
      const s = strategyByName(e.name, game);
      for (const [opponent, rate] of Object.entries(e.cooperationRate ?? {})) {
        const rng = Rng.seeded(2024);
        const opp = strategyByName(opponent, game);
        let cooperations = 0;
        for (let k = 0; k < fixture.statSeeds; k++) {
          const moves = playMatch(s, opp, game, { turns: fixture.turns, rng }).actions[0];
          for (const ch of moves) if (ch === "C") cooperations++;
        }
        const ours = cooperations / (fixture.statSeeds * fixture.turns);
        assert.ok(Math.abs(ours - rate) <= 0.03, `${e.repr} vs ${opponent}: ${ours} vs Axelrod ${rate}`);
      }
    });
  }
});
