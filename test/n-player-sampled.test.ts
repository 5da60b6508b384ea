/**
 * The sampled N-player engine (src/envs/nPlayer/): payoffs and both observation encodings on hand-built joint
 * actions, N = 2 against the two-player env, and Monte Carlo values against the exact engine (src/exact/nPlayer.ts)
 * for the full view and the count view (a count-view policy is a full-view policy with tied logits) at N ≤ 4.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NPlayerChain } from "../src/exact/nPlayer.js";
import { symmetricGame } from "../src/games/game.js";
import { actionOf, nPlayerGameFromTable, ownView, publicGoodsGame } from "../src/games/nPlayer.js";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { countCode, NPlayerIteratedEnv, type NPlayerView } from "../src/envs/nPlayer/env.js";
import { rolloutNPlayer } from "../src/envs/nPlayer/rollout.js";
import { InputError } from "../src/util/errors.js";
import { sigmoid } from "../src/util/math.js";
import { Rng } from "../src/util/rng.js";

describe("N-player env", () => {
  it("pays table[k][a] and encodes the full and count views (N = 3, hand-built steps)", () => {
    const game = nPlayerGameFromTable("pax-3", [4, 2, 0], [5, 3, 1]);
    const full = new NPlayerIteratedEnv(game, 4, "full");
    const count = new NPlayerIteratedEnv(game, 4, "count");
    assert.equal(full.states, 9);
    assert.equal(count.states, 7);
    // Joint action (C, D, D): k = 2; the cooperator gets cooperate[2] = 0, each defector defect[1] = 3.
    const actions = Uint8Array.from([0, 1, 1]);
    const f = full.step(full.reset(undefined, 1).state, actions);
    assert.deepEqual([...f.rewards], [0, 3, 3]);
    // Own views (own first, then i+1, i+2): agent 0 sees CDD = 011b, agent 1 DDC = 110b, agent 2 DCD = 101b.
    assert.deepEqual([...f.obs], [1 + 0b011, 1 + 0b110, 1 + 0b101]);
    const c = count.step(count.reset(undefined, 1).state, actions);
    assert.deepEqual([...c.rewards], [0, 3, 3]);
    // Count view: own action·N + other defectors: agent 0 C with 2 → 2; agents 1, 2 D with 1 → 3 + 1.
    assert.deepEqual([...c.obs], [1 + 2, 1 + 4, 1 + 4]);
    assert.equal(countCode(1, 1, 3), 4);
  });

  it("resets in one place after `horizon` steps and keeps the terminal observation", () => {
    const env = new NPlayerIteratedEnv(publicGoodsGame(3), 2);
    let { state } = env.reset(undefined, 2);
    const actions = Uint8Array.from([1, 1, 1, 0, 0, 0]);
    let r = env.step(state, actions);
    assert.equal(r.done, false);
    state = r.state;
    r = env.step(state, actions);
    assert.equal(r.done, true);
    assert.deepEqual([...r.obs], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...(r.info.terminalObs ?? [])], [1 + 5, 1 + 5, 1 + 5, 1, 1, 1]);
  });

  it("N = 2: both views are the two-player env's states and rewards", () => {
    const game = publicGoodsGame(2);
    const two = new IteratedGameEnv(symmetricGame("pgg-2", 4, 2, 5, 3), 1);
    for (const view of ["full", "count"] as NPlayerView[]) {
      const env = new NPlayerIteratedEnv(game, 1, view);
      for (let j = 0; j < 4; j++) {
        const actions = Uint8Array.from([j >> 1, j & 1]);
        const ours = env.step(env.reset(undefined, 1).state, actions);
        const theirs = two.step(two.reset(undefined, 1).state, actions);
        assert.deepEqual([...(ours.info.terminalObs ?? [])], [...(theirs.info.terminalObs ?? [])]);
        assert.deepEqual([...ours.rewards], [...theirs.rewards]);
      }
    }
  });

  it("refuses bad options, naming the field", () => {
    const game = publicGoodsGame(13);
    assert.throws(
      () => new NPlayerIteratedEnv(game, 10, "full"),
      (e: unknown) => e instanceof InputError && /view/.test(e.message) && /count/.test(e.message),
    );
    assert.throws(() => new NPlayerIteratedEnv(game, 0), /horizon/);
    assert.throws(() => new NPlayerIteratedEnv(game, 5, "pairs" as NPlayerView), /view.*full, count/);
  });
});

/** The exact engine's logits [N, 2^N + 1] (start last, pax's order) from ours [N, S] (start first). */
function exactLogits(theta: Float64Array, view: NPlayerView, n: number): Float64Array {
  const J = 2 ** n;
  const S = view === "full" ? J + 1 : 2 * n + 1;
  const out = new Float64Array(n * (J + 1));
  for (let i = 0; i < n; i++) {
    out[i * (J + 1) + J] = theta[i * S];
    for (let v = 0; v < J; v++) {
      // v is an own view: own action is its top bit, the others' defections the rest.
      const own = actionOf(v, 0, n);
      let others = 0;
      for (let m = 1; m < n; m++) others += actionOf(v, m, n);
      out[i * (J + 1) + v] = theta[i * S + 1 + (view === "full" ? v : countCode(own, others, n))];
    }
  }
  return out;
}

describe("N-player rollouts against the exact engine", () => {
  for (const view of ["full", "count"] as NPlayerView[]) {
    for (const n of [2, 3, 4]) {
      it(`${view} view, N = ${n}: Monte Carlo per-step values are within 4 standard errors of the exact ones`, () => {
        const gamma = 0.8;
        const T = 120; // truncation bias γ^T ≈ 2e-12
        const game = publicGoodsGame(n);
        const env = new NPlayerIteratedEnv(game, T, view);
        const S = env.states;
        const rng = Rng.seeded(11 + n);
        const theta = new Float64Array(n * S).map(() => rng.normal(0, 1.5));
        const exact = new NPlayerChain(game).evaluate(exactLogits(theta, view, n), gamma);
        assert.ok(exact);
        const games = 4000;
        const traj = rolloutNPlayer(env, theta.map(sigmoid), games, [Rng.seeded(100 + n)]);
        for (let i = 0; i < n; i++) {
          let sum = 0;
          let sumSq = 0;
          for (let g = 0; g < games; g++) {
            let value = 0;
            for (let t = 0, discount = 1 - gamma; t < T; t++, discount *= gamma) {
              value += discount * traj.rewards[(t * games + g) * n + i];
            }
            sum += value;
            sumSq += value * value;
          }
          const mean = sum / games;
          const se = Math.sqrt((sumSq / games - mean * mean) / games);
          const gap = Math.abs(mean - exact.perStep[i]);
          assert.ok(gap <= 4 * se, `agent ${i}: MC ${mean} vs exact ${exact.perStep[i]} (se ${se})`);
          assert.ok(se > 0 && se < 0.05, `se ${se}`);
        }
        // The full view's successor states are the own views of the joint action (pax's rotation).
        if (view === "full") {
          for (let t = 0; t < 3; t++) {
            let joint = 0;
            for (let i = 0; i < n; i++) joint = (joint << 1) | traj.actions[t * games * n + i];
            for (let i = 0; i < n; i++)
              assert.equal(traj.obs[(t + 1) * games * n + i], 1 + ownView(joint, i, n));
          }
        }
      });
    }
  }
});
