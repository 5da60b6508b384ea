import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dilemmaWarnings, ownViewPayoffs, symmetricGame, validateGamma } from "../src/games/game.js";
import { gamePreset, parsePayoffs } from "../src/games/presets.js";
import { InputError } from "../src/util/errors.js";

describe("games", () => {
  it("symmetric games give agent 2 the mirrored payoffs", () => {
    const g = gamePreset("ipd");
    assert.deepEqual(g.r1, [3, 0, 5, 1]);
    assert.deepEqual(g.r2, [3, 5, 0, 1]);
    assert.deepEqual(ownViewPayoffs(g, 1), [3, 0, 5, 1]);
  });

  it("matching pennies is zero-sum and agent 1 wins on a match", () => {
    const g = gamePreset("imp");
    assert.deepEqual(g.r1, [1, -1, -1, 1]);
    g.r1.forEach((v, j) => assert.equal(v + g.r2[j], 0));
  });

  it("warns when a declared dilemma breaks T > R > P > S or 2R > T + S", () => {
    assert.deepEqual(dilemmaWarnings(gamePreset("ipd")), []);
    assert.deepEqual(dilemmaWarnings(gamePreset("ipd-lola")), []);
    assert.equal(dilemmaWarnings(symmetricGame("bad", 3, 0, 7, 1, { dilemma: true })).length, 1);
    assert.equal(dilemmaWarnings(symmetricGame("bad", 1, 0, 5, 3, { dilemma: true })).length, 2);
  });

  it("rejects bad payoffs, unknown presets and γ outside [0, 1) with the field named", () => {
    assert.throws(() => parsePayoffs("3,0,x,1"), (e: unknown) => e instanceof InputError && /payoffs\[2\]/.test(e.message));
    assert.throws(() => parsePayoffs("3,0,5"), InputError);
    assert.throws(() => gamePreset("ipdd"), /allowed: ipd, ipd-lola, imp/);
    assert.throws(() => validateGamma(1), /\[0, 1\)/);
    assert.throws(() => validateGamma(-0.1), InputError);
    assert.equal(validateGamma(1, "gamma", true), 1);
  });
});
