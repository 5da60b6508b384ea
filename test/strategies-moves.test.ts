/**
 * Strategy semantics pinned by move strings. Unless noted, the expected strings are transcribed from the
 * Axelrod Python library's own tests (axelrod/tests/strategies/test_*.py, 4.x), where an opponent is a
 * MockPlayer cycling a fixed sequence (our `movesAgainstSequence`) or a named strategy.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { movesAgainstSequence, playMatch } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { fsmPlayer } from "../src/strategies/fsm.js";
import { memoryOne } from "../src/strategies/memoryone.js";
import { DETERMINISTIC_CLASSICS, strategyByName, zoo } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

const game = gamePreset("ipd");
const s = (name: string) => strategyByName(name, game);
const vs = (a: string, b: string, turns: number) => playMatch(s(a), s(b), game, { turns }).actions;
const vsSeq = (a: string, seq: string, turns = seq.length) => movesAgainstSequence(s(a), game, seq, turns);

describe("deterministic strategies match Axelrod's tests move for move", () => {
  it("Tit For Tat", () => {
    assert.deepEqual(vs("Tit For Tat", "Alternator", 5), ["CCDCD", "CDCDC"]);
    assert.deepEqual(vs("Tit For Tat", "Cooperator", 5), ["CCCCC", "CCCCC"]);
    assert.deepEqual(vs("Tit For Tat", "Defector", 5), ["CDDDD", "DDDDD"]);
    assert.equal(vsSeq("Tit For Tat", "CD", 4), "CCDC");
    assert.equal(vsSeq("Tit For Tat", "CCDDCD"), "CCCDDC");
  });
  it("Tit For 2 Tats", () => {
    assert.equal(vsSeq("Tit For 2 Tats", "DDDCC", 6), "CCDDCC");
    assert.equal(vsSeq("Tit For 2 Tats", "CCDDCDDCCDD"), "CCCCDCCDCCC");
  });
  it("Two Tits For Tat", () => {
    assert.equal(vsSeq("Two Tits For Tat", "DCCDC"), "CDDCD");
    assert.deepEqual(vs("Two Tits For Tat", "Cooperator", 2), ["CC", "CC"]);
    assert.deepEqual(vs("Two Tits For Tat", "Defector", 3), ["CDD", "DDD"]);
  });
  it("Suspicious Tit For Tat", () => {
    assert.deepEqual(vs("Suspicious Tit For Tat", "Tit For Tat", 16), ["DC".repeat(8), "CD".repeat(8)]);
    assert.deepEqual(vs("Suspicious Tit For Tat", "Cooperator", 3), ["DCC", "CCC"]);
    assert.deepEqual(vs("Suspicious Tit For Tat", "Defector", 3), ["DDD", "DDD"]);
  });
  it("Hard Tit For Tat", () => {
    assert.equal(vsSeq("Hard Tit For Tat", "DCCCDC"), "CDDDCD");
    assert.deepEqual(vs("Hard Tit For Tat", "Defector", 3), ["CDD", "DDD"]);
  });
  it("Bully", () => {
    assert.deepEqual(vs("Bully", "Alternator", 5), ["DDCDC", "CDCDC"]);
    assert.deepEqual(vs("Bully", "Cooperator", 5), ["DDDDD", "CCCCC"]);
    assert.deepEqual(vs("Bully", "Defector", 5), ["DCCCC", "DDDDD"]);
  });
  it("Prober", () => {
    assert.deepEqual(vs("Prober", "Cooperator", 6), ["DCCDDD", "CCCCCC"]);
    assert.equal(vsSeq("Prober", "DCC", 6), "DCCDDD");
    assert.deepEqual(vs("Prober", "Alternator", 5), ["DCCCD", "CDCDC"]);
    assert.deepEqual(vs("Prober", "Defector", 5), ["DCCDD", "DDDDD"]);
  });
  it("Soft and Hard Go By Majority", () => {
    const opp = `${"C".repeat(50)}${"D".repeat(100)}${"C".repeat(52)}`;
    assert.equal(vsSeq("Soft Go By Majority", opp), `${"C".repeat(101)}${"D".repeat(99)}CC`);
    assert.equal(vsSeq("Hard Go By Majority", opp), `D${"C".repeat(99)}${"D".repeat(101)}C`);
    // Memory 4, soft: [(C,C)]*4 + [(C,D)]*3 + [(D,D)] + [(D,C)]*2 + [(C,C)]*2 against C*4 + D*4 (cycled).
    assert.equal(vsSeq("Soft Go By Majority: 4", "CCCCDDDD", 12), "CCCCCCCDDDCC");
    // Memory 5 (Axelrod's GoByMajority5 factory test): first C, then 7 C, then 2 D.
    assert.equal(vsSeq("Soft Go By Majority: 5", "CCCCCDDDDD"), "CCCCCCCCDD");
  });
  it("Grudger and Win-Stay Lose-Shift", () => {
    assert.equal(
      vsSeq("Grudger", `${"C".repeat(10)}D${"C".repeat(20)}`),
      `${"C".repeat(11)}${"D".repeat(20)}`,
    );
    assert.deepEqual(vs("Grudger", "Defector", 21), [`C${"D".repeat(20)}`, "D".repeat(21)]);
    assert.deepEqual(vs("Win-Stay Lose-Shift", "Alternator", 5), ["CCDDC", "CDCDC"]);
  });
  it("Firm But Fair is deterministic against Alternator (it never reaches DD)", () => {
    assert.deepEqual(vs("Firm But Fair", "Alternator", 5), ["CCDCD", "CDCDC"]);
  });
  it("Alternator, Cycler (from their definitions)", () => {
    assert.equal(vsSeq("Grudger", "CCDCC", 8), "CCCDDDDD");
    assert.deepEqual(vs("Win-Stay Lose-Shift", "Defector", 5), ["CDCDC", "DDDDD"]);
    assert.deepEqual(vs("Alternator", "Defector", 5), ["CDCDC", "DDDDD"]);
    assert.deepEqual(vs("Cycler CCD", "Defector", 7), ["CCDCCDC", "DDDDDDD"]);
    assert.deepEqual(vs("Cycler DDC", "Cooperator", 4), ["DDCD", "CCCC"]);
    assert.equal(s("Cycler CCCDCD").classifier.memoryDepth, 5);
  });
  it("Cooperator and Defector", () => {
    assert.deepEqual(vs("Cooperator", "Defector", 3), ["CCC", "DDD"]);
  });
});

describe("memory-one strategies agree with their own vectors, for any opponent", () => {
  it("every deterministic memory-one strategy equals MemoryOne(its vector) against random sequences", () => {
    const rng = Rng.seeded(7);
    const memoryOneNames = zoo(game).filter((x) => x.memoryOne && !x.classifier.stochastic);
    assert.ok(memoryOneNames.length >= 8);
    for (let trial = 0; trial < 20; trial++) {
      let seq = "";
      for (let t = 0; t < 60; t++) seq += rng.bernoulli(0.5) ? "C" : "D";
      for (const strat of memoryOneNames) {
        const v = strat.memoryOne!;
        const generic = memoryOne([v[1], v[2], v[3], v[4]], v[0] === 1 ? "C" : "D");
        const turns = 1 + ((trial * 13) % 200);
        assert.equal(
          movesAgainstSequence(strat, game, seq, turns),
          movesAgainstSequence(generic, game, seq, turns),
          strat.name,
        );
      }
    }
  });
  it("the default finite-state machine is Tit For Tat", () => {
    const tft = s("Tit For Tat");
    for (const opp of DETERMINISTIC_CLASSICS) {
      const a = playMatch(fsmPlayer(), s(opp), game, { turns: 50 }).actions;
      const b = playMatch(tft, s(opp), game, { turns: 50 }).actions;
      assert.deepEqual(a, b, opp);
    }
  });
  it("a two-state machine (Grudger as an FSM) plays Grudger", () => {
    const grim = fsmPlayer(
      [
        [1, "C", 1, "C"],
        [1, "D", 2, "D"],
        [2, "C", 2, "D"],
        [2, "D", 2, "D"],
      ],
      1,
      "C",
      "Grim FSM",
    );
    for (const seq of ["CCDCC", "CCCCCCCCD", "DCCC"]) {
      assert.equal(
        movesAgainstSequence(grim, game, seq, 30),
        movesAgainstSequence(s("Grudger"), game, seq, 30),
      );
    }
  });
});

describe("names, classifiers and parameters", () => {
  it("stochastic strategies carry Axelrod's names and four-vectors", () => {
    assert.equal(s("GTFT").name, "GTFT: 0.33");
    assert.ok(Math.abs(s("GTFT").memoryOne![2] - 1 / 3) < 1e-15);
    assert.equal(s("Random").name, "Random: 0.5");
    assert.equal(s("random: 0.25").name, "Random: 0.25");
    const close = (a: readonly number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) < 1e-12);
    assert.ok(close(s("ZD-Extort-2").memoryOne!, [1, 8 / 9, 1 / 2, 1 / 3, 0]));
    assert.ok(close(s("ZD-GTFT-2").memoryOne!, [1, 1, 1 / 8, 1, 1 / 4]));
    assert.ok(close(s("ZD-SET-2").memoryOne!, [1, 3 / 4, 1 / 4, 1 / 2, 1 / 4]));
    assert.ok(close(s("Firm But Fair").memoryOne!, [1, 1, 0, 1, 2 / 3]));
    assert.ok(close(s("Stochastic WSLS").memoryOne!, [1, 0.95, 0.05, 0.05, 0.95]));
    assert.equal(s("Stochastic WSLS").classifier.stochastic, true);
    assert.equal(s("Tit For Tat").classifier.stochastic, false);
    assert.equal(s("Grudger").classifier.memoryDepth, Number.POSITIVE_INFINITY);
    assert.equal(s("Tit For 2 Tats").classifier.memoryDepth, 2);
    assert.equal(s("Hard Tit For Tat").classifier.memoryDepth, 3);
  });
  it("lookup ignores case and spacing; unknown names suggest the closest", () => {
    assert.equal(s("tit  for tat").name, "Tit For Tat");
    assert.equal(s("Cycler: CDD").name, "Cycler CDD");
    assert.equal(s("MemoryOne: 1,0,1,0,D").name, "Generic Memory One Player: (1, 0, 1, 0), D");
    // Axelrod's str() forms, with parameters, are accepted too.
    assert.equal(s("ZD-Extort-2: 0.1111111111111111, 0.5").name, "ZD-Extort-2");
    assert.deepEqual(s("ZD-SET-2: 0.25, 0.0, 2").memoryOne, s("ZD-SET-2").memoryOne);
    assert.equal(s("Stochastic WSLS: 0.05").name, "Stochastic WSLS");
    assert.equal(s("Generic Memory One Player: (0, 0, 1, 1), C").classifier.memoryDepth, 1);
    assert.equal(s("Generic Memory One Player: (1, 1, 1, 1), C").classifier.memoryDepth, 0);
    assert.throws(() => s("Tit For Tatt"), /unknown strategy "Tit For Tatt"; did you mean "Tit For Tat"/);
    assert.throws(() => s("Grudgr"), /did you mean "Grudger"/);
    assert.throws(() => s("Random: 2"), /probability/);
    assert.throws(() => strategyByName("ZD-SET-2", gamePreset("ipd-lola")), /P ≤ l ≤ R/);
  });
  it("stochastic players draw from the seeded rng: same seed, same moves; Random: 0.3 cooperates ~30%", () => {
    const a = playMatch(s("Random: 0.3"), s("GTFT"), game, { turns: 4000, seed: 11 });
    const b = playMatch(s("Random: 0.3"), s("GTFT"), game, { turns: 4000, seed: 11 });
    assert.deepEqual(a.actions, b.actions);
    const rate = a.cooperations[0] / 4000;
    // sd of the rate is sqrt(0.21/4000) ≈ 0.0072; 5 sd.
    assert.ok(Math.abs(rate - 0.3) < 0.036, `rate ${rate}`);
  });
});
