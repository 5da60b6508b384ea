/**
 * "For any opponent and any number of turns": every deterministic classic is compared, against random opponent
 * sequences of random lengths, with an independent restatement of its Axelrod 4.x rule, written here on Python-style
 * history lists (slices like history[-2:], counts over the whole list), independent of our incremental engine.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { movesAgainstSequence } from "../src/arena/match.js";
import { gamePreset } from "../src/games/presets.js";
import { strategyByName } from "../src/strategies/registry.js";
import { Rng } from "../src/util/rng.js";

type A = "C" | "D";
/** Python's list[-k:] for k ≥ 1. */
const last = (h: A[], k: number) => h.slice(Math.max(0, h.length - k));
const count = (h: A[], a: A) => h.filter((x) => x === a).length;

/** strategy(self_history, opponent_history) → move, each rule restated from Axelrod 4.x's documented semantics. */
const REFERENCE: Record<string, (me: A[], op: A[]) => A> = {
  Cooperator: () => "C",
  Defector: () => "D",
  "Tit For Tat": (me, op) => (me.length === 0 ? "C" : op[op.length - 1] === "D" ? "D" : "C"),
  "Tit For 2 Tats": (_me, op) => (last(op, 2).join("") === "DD" ? "D" : "C"),
  "Two Tits For Tat": (_me, op) => (last(op, 2).includes("D") ? "D" : "C"),
  "Suspicious Tit For Tat": (_me, op) => (last(op, 1).join("") === "C" ? "C" : "D"),
  Grudger: (_me, op) => (count(op, "D") > 0 ? "D" : "C"),
  "Win-Stay Lose-Shift": (me, op) => {
    if (me.length === 0) return "C";
    const round = me[me.length - 1] + op[op.length - 1];
    return round === "CC" || round === "DD" ? "C" : "D";
  },
  Alternator: (me) => (me.length === 0 ? "C" : me[me.length - 1] === "C" ? "D" : "C"),
  "Hard Tit For Tat": (_me, op) => (op.length === 0 ? "C" : last(op, 3).includes("D") ? "D" : "C"),
  "Soft Go By Majority": (_me, op) => (count(op, "D") > count(op, "C") ? "D" : "C"),
  "Hard Go By Majority": (_me, op) => (count(op, "D") >= count(op, "C") ? "D" : "C"),
  "Soft Go By Majority: 5": (_me, op) => (count(last(op, 5), "D") > count(last(op, 5), "C") ? "D" : "C"),
  Bully: (_me, op) => (last(op, 1).join("") === "D" ? "C" : "D"),
  Prober: (me, op) => {
    const turn = me.length;
    if (turn === 0) return "D";
    if (turn === 1 || turn === 2) return "C";
    if (op[1] === "C" && op[2] === "C") return "D";
    return last(op, 1).join("") === "D" ? "D" : "C";
  },
  "Cycler CCD": (me) => "CCD"[me.length % 3] as A,
  "Cycler CCCDCD": (me) => "CCCDCD"[me.length % 6] as A,
};

describe("deterministic classics equal an independent restatement of Axelrod's rules", () => {
  const game = gamePreset("ipd");
  it("against 60 random opponent sequences of random lengths (1–300 turns)", () => {
    const rng = Rng.seeded(404);
    for (let trial = 0; trial < 60; trial++) {
      const turns = 1 + rng.int(300);
      const pD = rng.uniform();
      let opp = "";
      for (let t = 0; t < turns; t++) opp += rng.bernoulli(pD) ? "D" : "C";
      for (const [name, rule] of Object.entries(REFERENCE)) {
        const me: A[] = [];
        const op: A[] = [];
        for (let t = 0; t < turns; t++) {
          me.push(rule(me, op));
          op.push(opp[t] as A);
        }
        assert.equal(
          movesAgainstSequence(strategyByName(name, game), game, opp, turns),
          me.join(""),
          `${name}, trial ${trial}`,
        );
      }
    }
  });
});
