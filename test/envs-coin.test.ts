/**
 * Coin Game rules on hand-built positions (src/envs/coin/coinGame.ts): moves and the torus wrap, each pickup rule
 * (own, other's, simultaneous), respawn never on a player and uniform over the free cells, colour alternation,
 * reset distribution, auto-reset, observations (own side, egocentric), the two-coins variant, determinism, and
 * the rollout buffers, and a lockstep replay of single steps recorded from the numpy peer
 * (regenerate: `/usr/bin/python3 bench/peers/coin_numpy.py transitions > test/fixtures/coin-transitions.json`).
 * Statistical checks use 5-sd bounds from the exact binomial sd.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  type CoinState,
  CoinGameEnv,
  PICKED_OTHER,
  PICKED_OWN,
  WASM_STEP_MIN_BATCH,
} from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { RandomBits } from "../src/envs/coin/randomBits.js";
import { rolloutCoin } from "../src/envs/coin/rollout.js";
import { CoinMemory } from "../src/envs/coin/wasmStep.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const [LEFT, RIGHT, UP, DOWN, STAY] = [0, 1, 2, 3, 4];
const at = (r: number, c: number, W = 3) => r * W + c;

function oneCoin(p0: number, p1: number, coin: number, owner: number): CoinState {
  return { t: 0, pos: Int32Array.of(p0, p1), coins: Int32Array.of(coin), owner: Uint8Array.of(owner) };
}

/** |count − n·p| within 5 binomial sd. */
function assertBinomial(count: number, n: number, p: number, what: string) {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(
    Math.abs(count - n * p) <= 5 * sd + 1e-9,
    `${what}: ${count} of ${n}, expected ${n * p} ± ${5 * sd}`,
  );
}

describe("coin game: moves and rules (3×3, one coin)", () => {
  const env = new CoinGameEnv({ episodeSteps: 50 });
  const rng = Rng.seeded(1);

  it("moves wrap around the torus (LOQA MOVES: left, right, up, down as (row, column) steps)", () => {
    assert.equal(env.cellAfter(at(0, 0), LEFT), at(0, 2));
    assert.equal(env.cellAfter(at(0, 2), RIGHT), at(0, 0));
    assert.equal(env.cellAfter(at(0, 1), UP), at(2, 1));
    assert.equal(env.cellAfter(at(2, 1), DOWN), at(0, 1));
    assert.equal(env.cellAfter(at(1, 1), RIGHT), at(1, 2));
    assert.equal(env.distance(at(0, 0), at(2, 2)), 2); // 1 + 1 through the wrap
    assert.equal(env.distance(at(0, 0), at(1, 1)), 2);
    const wide = new CoinGameEnv({ height: 3, width: 5 });
    assert.equal(wide.distance(at(0, 0, 5), at(0, 4, 5)), 1);
    assert.equal(wide.distance(at(0, 0, 5), at(2, 2, 5)), 3);
    // Both agents move at once; no coin reached: nothing is paid and the coin stays.
    const r = env.step(oneCoin(at(0, 0), at(2, 2), at(1, 1), 0), Uint8Array.of(LEFT, DOWN), rng);
    assert.deepEqual([...r.state.pos], [at(0, 2), at(0, 2)]);
    assert.deepEqual([...r.rewards], [0, 0]);
    assert.deepEqual([...r.info.pickups], [0, 0]);
    assert.equal(r.state.coins[0], at(1, 1));
    assert.equal(r.state.owner[0], 0);
    assert.equal(r.state.t, 1);
  });

  it("own-colour pickup: +1 to the picker, nothing to the other; the colour flips, the coin respawns off both", () => {
    const r = env.step(oneCoin(at(1, 0), at(2, 2), at(1, 1), 0), Uint8Array.of(RIGHT, LEFT), rng);
    assert.deepEqual([...r.rewards], [1, 0]);
    assert.deepEqual([...r.info.pickups], [PICKED_OWN, 0]);
    assert.equal(r.state.owner[0], 1);
    assert.ok(![at(1, 1), at(2, 1)].includes(r.state.coins[0]));
    const blue = env.step(oneCoin(at(2, 2), at(1, 0), at(1, 1), 1), Uint8Array.of(LEFT, RIGHT), rng);
    assert.deepEqual([...blue.rewards], [0, 1]);
    assert.deepEqual([...blue.info.pickups], [0, PICKED_OWN]);
    assert.equal(blue.state.owner[0], 0);
  });

  it("other-colour pickup: +1 to the picker, −2 to the coin's owner", () => {
    const red = env.step(oneCoin(at(1, 0), at(2, 2), at(1, 1), 1), Uint8Array.of(RIGHT, LEFT), rng);
    assert.deepEqual([...red.rewards], [1, -2]);
    assert.deepEqual([...red.info.pickups], [PICKED_OTHER, 0]);
    assert.equal(red.state.owner[0], 0);
    const blue = env.step(oneCoin(at(2, 2), at(1, 0), at(1, 1), 0), Uint8Array.of(LEFT, RIGHT), rng);
    assert.deepEqual([...blue.rewards], [-2, 1]);
    assert.deepEqual([...blue.info.pickups], [0, PICKED_OTHER]);
  });

  it("simultaneous pickup: both +1 and the owner −2 (net −1), whichever colour (no red priority)", () => {
    for (const owner of [0, 1]) {
      const r = env.step(oneCoin(at(1, 0), at(1, 2), at(1, 1), owner), Uint8Array.of(RIGHT, LEFT), rng);
      assert.deepEqual([...r.rewards], owner === 0 ? [-1, 1] : [1, -1]);
      assert.deepEqual(
        [...r.info.pickups],
        owner === 0 ? [PICKED_OWN, PICKED_OTHER] : [PICKED_OTHER, PICKED_OWN],
      );
      assert.equal(r.state.owner[0], 1 - owner);
      // Both agents on (1, 1): 8 free cells.
      assert.notEqual(r.state.coins[0], at(1, 1));
    }
  });

  it("the respawn is uniform over the cells neither agent holds, and never on an agent", () => {
    const n = 14000;
    for (const [p1, a1, occupied] of [
      [at(2, 2), LEFT, [at(1, 1), at(2, 1)]], // agents on two cells: 7 free
      [at(1, 2), LEFT, [at(1, 1)]], // both on the coin's cell: 8 free
    ] as const) {
      const counts = new Array(9).fill(0);
      for (let k = 0; k < n; k++) {
        const s = oneCoin(at(1, 0), p1, at(1, 1), 0);
        env.stepInto(s, Uint8Array.of(RIGHT, a1), Rng.seeded(k), {
          rewards: new Float64Array(2),
          pickups: new Uint8Array(2),
        });
        counts[s.coins[0]]++;
      }
      const free = 9 - occupied.length;
      for (let c = 0; c < 9; c++) {
        if ((occupied as readonly number[]).includes(c))
          assert.equal(counts[c], 0, `coin respawned on agent cell ${c}`);
        else assertBinomial(counts[c], n, 1 / free, `cell ${c}`);
      }
    }
  });

  it("random play: coin never on an agent, colour flips exactly at pickups, rewards follow the rule", () => {
    const batch = 512;
    const r = Rng.seeded(3);
    let { state } = env.reset(r, batch);
    let pickupsSeen = 0;
    for (let step = 0; step < 49; step++) {
      const actions = Uint8Array.from({ length: 2 * batch }, () => r.int(4));
      const before = { owner: state.owner.slice(), coins: state.coins.slice() };
      const out = env.step(state, actions, r);
      state = out.state;
      for (let g = 0; g < batch; g++) {
        const [p0, p1] = [state.pos[2 * g], state.pos[2 * g + 1]];
        assert.ok(state.coins[g] !== p0 && state.coins[g] !== p1, "coin on an agent");
        const on0 = p0 === before.coins[g];
        const on1 = p1 === before.coins[g];
        const o = before.owner[g];
        const expected = [(on0 ? 1 : 0) - (o === 0 && on1 ? 2 : 0), (on1 ? 1 : 0) - (o === 1 && on0 ? 2 : 0)];
        assert.deepEqual([out.rewards[2 * g], out.rewards[2 * g + 1]], expected);
        if (on0 || on1) {
          pickupsSeen++;
          assert.equal(state.owner[g], 1 - o, "colour alternates after a pickup");
        } else {
          assert.equal(state.owner[g], o);
          assert.equal(state.coins[g], before.coins[g], "the coin stays without a pickup");
        }
      }
    }
    assert.ok(pickupsSeen > 1000, `too few pickups to test: ${pickupsSeen}`);
  });

  it("reset follows LOQA's init: colour uniform, agents independent uniform (may coincide), coin off both", () => {
    const n = 36000;
    const { state } = env.reset(Rng.seeded(11), n);
    let blue = 0;
    let same = 0;
    const coinCells = new Array(9).fill(0);
    for (let g = 0; g < n; g++) {
      blue += state.owner[g];
      const [p0, p1, c] = [state.pos[2 * g], state.pos[2 * g + 1], state.coins[g]];
      if (p0 === p1) same++;
      assert.ok(c !== p0 && c !== p1);
      coinCells[c]++;
    }
    assertBinomial(blue, n, 0.5, "blue coins");
    assertBinomial(same, n, 1 / 9, "agents on one cell");
    for (let c = 0; c < 9; c++) assertBinomial(coinCells[c], n, 1 / 9, `coin on cell ${c}`); // symmetric board
  });

  it("fixed-length episodes: done after episodeSteps, state reset in place, terminalObs kept", () => {
    const short = new CoinGameEnv({ episodeSteps: 4 });
    const r = Rng.seeded(5);
    let { state } = short.reset(r, 8);
    const actions = new Uint8Array(16).fill(RIGHT);
    for (let k = 1; k <= 3; k++) {
      const out = short.step(state, actions, r);
      assert.equal(out.done, false);
      assert.equal(out.state.t, k);
      assert.equal(out.info.terminalObs, undefined);
      state = out.state;
    }
    const last = short.step(state, actions, r);
    assert.equal(last.done, true);
    assert.equal(last.state.t, 0);
    assert.ok(last.info.terminalObs);
    // The terminal observation shows where agent 0 moved to (right of its cell before the step).
    for (let g = 0; g < 8; g++) {
      const moved = short.cellAfter(state.pos[2 * g], RIGHT);
      assert.equal(last.info.terminalObs[g * 72 + moved], 1);
    }
    // stepInto: the same auto-reset, in place.
    const s = short.reset(Rng.seeded(5), 8).state;
    const buffers = { rewards: new Float64Array(16), pickups: new Uint8Array(16) };
    const dones = [1, 2, 3, 4, 5].map(() => short.stepInto(s, actions, r, buffers));
    assert.deepEqual(dones, [false, false, false, true, false]);
    assert.equal(s.t, 1);
  });

  it("observations: 4×3×3 one-hot from each agent's side (self, other, own coin, other coin); egocentric", () => {
    // Red at (0,0), blue at (2,1), a blue coin at (1,2).
    const s = oneCoin(at(0, 0), at(2, 1), at(1, 2), 1);
    const obs = env.observe(s);
    assert.equal(obs.length, 72);
    const ones = (from: number) => [...obs.subarray(from, from + 36)].flatMap((v, i) => (v === 1 ? [i] : []));
    assert.deepEqual(ones(0), [at(0, 0), 9 + at(2, 1), 27 + at(1, 2)]); // the coin is the other's: channel 3
    assert.deepEqual(ones(36), [at(2, 1), 9 + at(0, 0), 18 + at(1, 2)]); // blue sees its own coin: channel 2
    assert.equal(
      obs.reduce((a, b) => a + b, 0),
      6,
    );
    const agent1 = new Float32Array(36);
    env.observeAgentInto(s, 1, agent1);
    assert.deepEqual([...agent1], [...obs.subarray(36)]);
    // Egocentric (pax): shift so the observer sits at (1, 1); (x + 1 − self) mod 3 per axis.
    const ego = new CoinGameEnv({ egocentric: true }).observe(s);
    const egoOnes = (from: number) =>
      [...ego.subarray(from, from + 36)].flatMap((v, i) => (v === 1 ? [i] : []));
    assert.deepEqual(egoOnes(0), [at(1, 1), 9 + at(0, 2), 27 + at(2, 0)]);
    assert.deepEqual(egoOnes(36), [at(1, 1), 9 + at(2, 0), 18 + at(0, 2)]);
  });

  it("bad input: an unknown action, a wrong actions length, bad params (InputError naming the field)", () => {
    const s = oneCoin(at(0, 0), at(1, 1), at(2, 2), 0);
    assert.throws(
      () => env.step(s, Uint8Array.of(STAY, LEFT), rng),
      /allowed 0\.\.3 \(left, right, up, down\)/,
    );
    assert.throws(() => env.step(s, Uint8Array.of(LEFT), rng), /expected 2 entries/);
    assert.throws(
      () => new CoinGameEnv({ height: 1 }),
      (e: unknown) => e instanceof InputError && /height/.test(e.message),
    );
    assert.throws(() => new CoinGameEnv({ episodeSteps: 0 }), /episodeSteps/);
    // biome-ignore lint/suspicious/noExplicitAny: a bad value from an untyped config
    assert.throws(() => new CoinGameEnv({ variant: "three" as any }), /allowed: one-coin, two-coins/);
  });

  it("WebAssembly reset and step (draws included) equal the JavaScript loops bit for bit, generator too", () => {
    const words = (r: Rng) => r.state().join(",");
    for (const [height, width] of [
      [3, 3],
      [5, 5],
      [4, 5],
      [2, 2],
      [3, 5],
    ]) {
      const game = new CoinGameEnv({ height, width, episodeSteps: 7 });
      const batch = WASM_STEP_MIN_BATCH + 37;
      for (const seed of [3, 11, 12345]) {
        // reset: WebAssembly's games are resetSlot's, drawn from one bit pool in game order.
        const [resetRng, slotRng] = [Rng.seeded(seed), Rng.seeded(seed)];
        const { state: inWasm } = game.reset(resetRng, batch);
        assert.ok(CoinMemory.of(inWasm.pos), "reset's state lives in WebAssembly memory");
        const plain: CoinState = {
          t: 0,
          pos: new Int32Array(2 * batch),
          coins: new Int32Array(batch),
          owner: new Uint8Array(batch),
        };
        const bits = new RandomBits().attach(slotRng);
        for (let g = 0; g < batch; g++) game.resetSlot(plain, g, bits);
        for (const key of ["pos", "coins", "owner"] as const)
          assert.deepEqual(inWasm[key], plain[key], `${height}×${width} seed ${seed} reset: ${key}`);
        assert.equal(words(resetRng), words(slotRng), "the generator after reset");
        // Edge cases written into the first games: both agents on one cell next to the coin, both stepping onto
        // it, the coin under an agent (not a state the rules make, stepped the same all the same), corners.
        const n = height * width;
        const edges = [
          [0, 0, 1, 1, RIGHT, RIGHT],
          [0, 0, 1, 0, RIGHT, RIGHT],
          [1, 1, 1, 0, LEFT, UP],
          [0, n - 1, 0, 1, DOWN, UP],
          [n - 1, n - 1, n - 2, 0, LEFT, LEFT],
        ];
        const actions = new Uint8Array(2 * batch);
        edges.forEach(([p0, p1, coin, o, a0, a1], g) => {
          for (const s of [inWasm, plain]) {
            s.pos[2 * g] = p0;
            s.pos[2 * g + 1] = p1;
            s.coins[g] = coin;
            s.owner[g] = o;
          }
          actions[2 * g] = a0;
          actions[2 * g + 1] = a1;
        });
        const [rngA, rngB, draws] = [Rng.seeded(seed + 1), Rng.seeded(seed + 1), Rng.seeded(4)];
        const outA = game.stepBuffers(inWasm);
        assert.equal(
          CoinMemory.of(outA.rewards),
          CoinMemory.of(inWasm.pos),
          "stepBuffers in the state's memory",
        );
        const outB = { rewards: new Float64Array(2 * batch), pickups: new Uint8Array(2 * batch) };
        for (let step = 0; step < 40; step++) {
          if (step > 0) for (let i = 0; i < actions.length; i++) actions[i] = draws.int(4);
          outA.actions.set(actions);
          const where = `${height}×${width} seed ${seed} step ${step}`;
          assert.equal(
            game.stepInto(inWasm, outA.actions, rngA, outA),
            game.stepInto(plain, actions, rngB, outB),
          );
          for (const key of ["pos", "coins", "owner"] as const)
            assert.deepEqual(inWasm[key], plain[key], `${where}: ${key}`);
          assert.deepEqual(outA.rewards, outB.rewards, `${where}: rewards`);
          assert.deepEqual(outA.pickups, outB.pickups, `${where}: pickups`);
          assert.equal(inWasm.t, plain.t);
          assert.equal(words(rngA), words(rngB), `${where}: the generator`);
        }
        // Actions from a caller's own array are copied in: the same step.
        for (let i = 0; i < actions.length; i++) actions[i] = draws.int(4);
        game.stepInto(inWasm, actions, rngA, outB);
        game.stepInto(plain, actions, rngB, outB);
        assert.deepEqual(inWasm.pos, plain.pos);
        assert.equal(words(rngA), words(rngB));
      }
      const { state: inWasm } = game.reset(Rng.seeded(3), batch);
      const rng = Rng.seeded(8);
      const before = words(rng);
      const actions = new Uint8Array(2 * batch);
      const out = { rewards: new Float64Array(2 * batch), pickups: new Uint8Array(2 * batch) };
      actions[2 * 5 + 1] = 4; // stay is not an action of the one-coin game
      assert.throws(
        () => game.stepInto(inWasm, actions, rng, out),
        /^RangeError: actions\[5\]: \d, 4; allowed 0\.\.3/,
      );
      actions[2 * 4] = 9; // an even game too (the first pass takes games two at a time)
      assert.throws(
        () => game.stepInto(inWasm, actions, rng, out),
        /^RangeError: actions\[4\]: 9, \d; allowed 0\.\.3/,
      );
      actions.fill(0);
      actions[2 * (batch - 1)] = 200; // the last game
      assert.throws(() => game.stepInto(inWasm, actions, rng, out), /actions\[1060\]: 200, 0/);
      assert.equal(words(rng), before, "a refused step draws nothing");
    }
  });

  it("determinism: the same seed gives the same games; another seed gives others", () => {
    const play = (seed: number) => {
      const r = Rng.seeded(seed);
      let { state } = env.reset(r, 64);
      const rewards: number[] = [];
      for (let k = 0; k < 60; k++) {
        const out = env.step(
          state,
          Uint8Array.from({ length: 128 }, () => r.int(4)),
          r,
        );
        state = out.state;
        rewards.push(...out.rewards);
      }
      return { rewards, pos: [...state.pos], coins: [...state.coins] };
    };
    assert.deepEqual(play(42), play(42));
    assert.notDeepEqual(play(42).rewards, play(43).rewards);
  });
});

describe("coin game: the two-coins variant (pax)", () => {
  const env = new CoinGameEnv({ variant: "two-coins" });
  const rng = Rng.seeded(2);
  const two = (p0: number, p1: number, red: number, blue: number): CoinState => ({
    t: 0,
    pos: Int32Array.of(p0, p1),
    coins: Int32Array.of(red, blue),
    owner: Uint8Array.of(0),
  });

  it("each coin: +1 to whoever lands on it, −2 to its owner when the other agent does; stay is an action", () => {
    assert.equal(env.nActions, 5);
    // Each agent takes its own coin.
    let r = env.step(two(at(1, 0), at(0, 1), at(1, 1), at(0, 0)), Uint8Array.of(RIGHT, LEFT), rng);
    assert.deepEqual([...r.rewards], [1, 1]);
    assert.deepEqual([...r.info.pickups], [PICKED_OWN, PICKED_OWN]);
    // Red takes the blue coin: blue pays −2; the red coin stays where it was.
    r = env.step(two(at(1, 0), at(2, 2), at(0, 2), at(1, 1)), Uint8Array.of(RIGHT, STAY), rng);
    assert.deepEqual([...r.rewards], [1, -2]);
    assert.deepEqual([...r.info.pickups], [PICKED_OTHER, 0]);
    assert.equal(r.state.coins[0], at(0, 2));
    // Both coins on one cell, red lands there: +1 +1 for red, −2 for blue.
    r = env.step(two(at(1, 0), at(2, 2), at(1, 1), at(1, 1)), Uint8Array.of(RIGHT, STAY), rng);
    assert.deepEqual([...r.rewards], [2, -2]);
    // Blue stays on a coin that respawned under it: it picks it up.
    r = env.step(two(at(0, 0), at(2, 2), at(2, 2), at(1, 1)), Uint8Array.of(UP, STAY), rng);
    assert.deepEqual([...r.rewards], [-2, 1]);
    // Both on the red coin: red +1, blue +1, red −2.
    r = env.step(two(at(1, 0), at(1, 2), at(1, 1), at(0, 0)), Uint8Array.of(RIGHT, LEFT), rng);
    assert.deepEqual([...r.rewards], [-1, 1]);
  });

  it("a picked coin respawns uniformly on any cell (agents' cells included); reset is 4 uniform cells", () => {
    const n = 9000;
    const counts = new Array(9).fill(0);
    for (let k = 0; k < n; k++) {
      const r = env.step(
        two(at(1, 0), at(2, 2), at(1, 1), at(0, 0)),
        Uint8Array.of(RIGHT, STAY),
        Rng.seeded(k),
      );
      counts[r.state.coins[0]]++;
    }
    for (let c = 0; c < 9; c++) assertBinomial(counts[c], n, 1 / 9, `red coin on cell ${c}`);
    const { state } = env.reset(Rng.seeded(9), n);
    let redOnRed = 0;
    for (let g = 0; g < n; g++) if (state.pos[2 * g] === state.coins[2 * g]) redOnRed++;
    assertBinomial(redOnRed, n, 1 / 9, "red agent reset onto the red coin");
  });

  it("observations: own coin in channel 2 for each agent", () => {
    const obs = env.observe(two(at(0, 0), at(2, 1), at(1, 2), at(2, 0)));
    const ones = (from: number) => [...obs.subarray(from, from + 36)].flatMap((v, i) => (v === 1 ? [i] : []));
    assert.deepEqual(ones(0), [at(0, 0), 9 + at(2, 1), 18 + at(1, 2), 27 + at(2, 0)]);
    assert.deepEqual(ones(36), [at(2, 1), 9 + at(0, 0), 18 + at(2, 0), 27 + at(1, 2)]);
  });
});

describe("coin game: RandomBits", () => {
  it("int(k) is uniform over [0, k) and a pure function of the attached generator", () => {
    for (const k of [2, 3, 4, 7, 9, 36]) {
      const bits = new RandomBits().attach(Rng.seeded(k));
      const n = 20000;
      const counts = new Array(k).fill(0);
      for (let i = 0; i < n; i++) counts[bits.int(k)]++;
      for (let v = 0; v < k; v++) assertBinomial(counts[v], n, 1 / k, `k=${k}, value ${v}`);
    }
    const draw = () => {
      const bits = new RandomBits().attach(Rng.seeded(99));
      return Array.from({ length: 100 }, () => bits.int(7));
    };
    assert.deepEqual(draw(), draw());
  });
});

describe("coin game: rollouts", () => {
  it("rolloutCoin records [T, batch, 2] buffers of the same games as playCoinMatch (same seed)", () => {
    const env = new CoinGameEnv({ episodeSteps: 16 });
    const agents = () => [fixedCoinAgent("always-defect", env), fixedCoinAgent("random", env)] as const;
    const [a, b] = agents();
    const tr = rolloutCoin(env, a, b, { games: 256, seed: 4 });
    const [c, d] = agents();
    const m = playCoinMatch(env, c, d, { games: 256, seed: 4 });
    const mean = (i: number) =>
      tr.rewards.filter((_, k) => k % 2 === i).reduce((s, x) => s + x, 0) / (256 * 16);
    assert.deepEqual([mean(0), mean(1)], m.rewards);
    assert.equal(tr.obs.length, 16 * 256 * 2 * 36);
    // Every recorded observation is one-hot per channel: self, other, and the coin in channel 2 or 3.
    for (let k = 0; k < 16 * 256 * 2; k++) {
      const o = tr.obs.subarray(k * 36, (k + 1) * 36);
      const perChannel = [0, 1, 2, 3].map((ch) => o.subarray(ch * 9, ch * 9 + 9).reduce((s, x) => s + x, 0));
      assert.equal(perChannel[0] + perChannel[1], 2);
      assert.equal(perChannel[2] + perChannel[3], 1);
    }
    // The first observations are those of the reset state.
    const first = env.reset(Rng.derive(4, 0), 256);
    assert.deepEqual([...tr.obs.subarray(0, 256 * 72)], [...first.obs]);
  });
});

describe("coin game: lockstep with the numpy peer's recorded transitions", () => {
  it("300 random boards and actions on 3×3 and 4×5: the same moves, rewards, pickups, colour and coin", () => {
    const { transitions } = JSON.parse(
      readFileSync(
        join(import.meta.dirname, "..", "..", "test", "fixtures", "coin-transitions.json"),
        "utf8",
      ),
    ) as {
      transitions: {
        height: number;
        width: number;
        cells: number[];
        coin: number;
        owner: number;
        actions: number[];
        nextCells: number[];
        rewards: number[];
        own: number[];
        other: number[];
        nextOwner: number;
        nextCoin: number;
      }[];
    };
    assert.equal(transitions.length, 300);
    const envs = new Map<string, CoinGameEnv>();
    for (const [k, x] of transitions.entries()) {
      const key = `${x.height}×${x.width}`;
      if (!envs.has(key)) envs.set(key, new CoinGameEnv({ height: x.height, width: x.width }));
      const env = envs.get(key) as CoinGameEnv;
      const r = env.step(
        oneCoin(x.cells[0], x.cells[1], x.coin, x.owner),
        Uint8Array.from(x.actions),
        Rng.seeded(k),
      );
      const what = `transition ${k} (${key})`;
      assert.deepEqual([...r.state.pos], x.nextCells, what);
      assert.deepEqual([...r.rewards], x.rewards, what);
      assert.deepEqual(
        [...r.info.pickups],
        [0, 1].map((i) => x.own[i] * PICKED_OWN + x.other[i] * PICKED_OTHER),
        what,
      );
      assert.equal(r.state.owner[0], x.nextOwner, what);
      const picked = x.own.some(Boolean) || x.other.some(Boolean);
      // Without a pickup the coin stays; after one both respawn off the agents (the draws differ).
      if (!picked) assert.equal(r.state.coins[0], x.nextCoin, what);
      else assert.ok(!x.nextCells.includes(r.state.coins[0]) && !x.nextCells.includes(x.nextCoin), what);
    }
  });
});
