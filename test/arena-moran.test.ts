/** Moran process and ecological (replicator) dynamics. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runEcosystem, runMoran } from "../src/arena/moran.js";
import { runTournament } from "../src/arena/tournament.js";
import { gamePreset } from "../src/games/presets.js";

const game = gamePreset("ipd");

describe("Moran process", () => {
  it("fixates without mutation; population size is conserved; seeded runs repeat", () => {
    const pop = ["Defector", "Defector", "Cooperator", "Cooperator", "Tit For Tat", "Tit For Tat"];
    const a = runMoran(pop, game, { turns: 20, seed: 3 });
    const b = runMoran(pop, game, { turns: 20, seed: 3 });
    assert.deepEqual(a, b);
    assert.ok(a.winner !== null);
    for (const counts of a.populations)
      assert.equal(
        counts.reduce((x, y) => x + y, 0),
        6,
      );
    const last = a.populations[a.populations.length - 1];
    assert.equal(Math.max(...last), 6);
  });

  it("one Defector among 3 Cooperators fixates with the birth–death chain's probability 0.663", () => {
    // Fitness (sum of scores per turn) with k defectors among 4: f_D = 5(4 − k) + (k − 1), f_C = 3(3 − k).
    // Birth–death: T+(k)/T−(k) = f_D/f_C, so ρ = 1 / (1 + Σ_j Π_{i≤j} f_C(i)/f_D(i)) = 1 / (1 + 0.4 + 0.4·3/11).
    const rho = 1 / (1 + 0.4 + (0.4 * 3) / 11);
    let defectorWins = 0;
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const r = runMoran(["Defector", "Cooperator", "Cooperator", "Cooperator"], game, { turns: 5, seed });
      if (r.winner === "Defector") defectorWins++;
    }
    // Binomial sd sqrt(ρ(1 − ρ)/400) ≈ 0.024; 4 sd. (Neutral drift would give 0.25.)
    assert.ok(Math.abs(defectorWins / runs - rho) < 0.095, `${defectorWins}/${runs} vs ρ = ${rho}`);
  });

  it("with mutation it runs for the given number of steps and keeps several types alive", () => {
    const r = runMoran(["Tit For Tat", "Defector", "Cooperator"], game, {
      turns: 10,
      mutationRate: 0.2,
      steps: 200,
      seed: 1,
    });
    assert.equal(r.steps, 200);
    assert.equal(r.populations.length, 201);
    assert.equal(r.winner, null);
  });
});

describe("ecological variant", () => {
  it("replicator dynamics on a tournament's payoff matrix: shares stay a distribution; TFT outlasts Defector", () => {
    const players = ["Cooperator", "Defector", "Tit For Tat", "Grudger"];
    const t = runTournament(players, game, { turns: 100, repetitions: 1 });
    const eco = runEcosystem(players, t.payoffMatrix, { steps: 300 });
    for (const x of eco.shares) assert.ok(Math.abs(x.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const final = eco.shares[eco.shares.length - 1];
    assert.ok(final[1] < 1e-3, `Defector's share ${final[1]}`);
    assert.ok(final[2] > 0.2, `TFT's share ${final[2]}`);
  });
});
