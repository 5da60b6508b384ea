/**
 * The fixed coin agents of the LOQA/AA league (src/envs/coin/fixedAgents.ts) on hand-built positions, and the
 * whole env + agents against an independent computation: test/fixtures/coin-fixed-agents.json holds the exact
 * expected per-step metrics of every fixed pair over 16-step games, from a Markov chain over all board states in
 * bench/peers/coin_numpy.py (regenerate: `/usr/bin/python3 bench/peers/coin_numpy.py fixture --steps 16`). The
 * exact values do not depend on any seed; our Monte Carlo means must fall within 5 standard errors of them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  type CoinState,
  CoinGameEnv,
  cloneCoinState,
  WASM_STEP_MIN_BATCH,
} from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { RandomBits } from "../src/envs/coin/randomBits.js";
import { CoinMemory } from "../src/envs/coin/wasmStep.js";
import { Rng } from "../src/util/rng.js";

const MOVE = "LRUD"; // left, right, up, down
const at = (r: number, c: number) => r * 3 + c;
const env = new CoinGameEnv({ episodeSteps: 16 });

/** The move string an agent in `seat` plays on the given (own cell, coin cell, coin owner) positions. */
function moves(name: string, seat: 0 | 1, cases: [number, number, number][], rng = Rng.seeded(0)): string {
  const agent = fixedCoinAgent(name, env);
  const n = cases.length;
  const state: CoinState = {
    t: 0,
    pos: Int32Array.from(cases.flatMap(([cell]) => (seat === 0 ? [cell, 8] : [8, cell]))),
    coins: Int32Array.from(cases.map(([, coin]) => coin)),
    owner: Uint8Array.from(cases.map(([, , owner]) => owner)),
  };
  const actions = new Uint8Array(2 * n);
  agent.act(state, seat, rng, actions);
  return Array.from({ length: n }, (_, g) => MOVE[actions[2 * g + seat]]).join("");
}

/** Frequencies of each move over many draws on one position. */
function freq(name: string, seat: 0 | 1, cell: number, coin: number, owner: number, n = 8000): number[] {
  const counts = [0, 0, 0, 0];
  const s = moves(
    name,
    seat,
    Array.from({ length: n }, () => [cell, coin, owner] as [number, number, number]),
  );
  for (const m of s) counts[MOVE.indexOf(m)]++;
  return counts.map((c) => c / n);
}

describe("fixed coin agents (LOQA/AA league)", () => {
  // From (0,0): a coin at (0,1) is reached by R, (1,0) by D, (0,2) by L (wrap), (2,0) by U (wrap).
  const unique: [number, number][] = [
    [at(0, 0), at(0, 1)],
    [at(0, 0), at(1, 0)],
    [at(0, 0), at(0, 2)],
    [at(0, 0), at(2, 0)],
    [at(1, 1), at(1, 2)],
    [at(2, 2), at(0, 2)],
  ];

  it("always-defect: the move closest to the coin, whatever its colour, from either seat", () => {
    for (const seat of [0, 1] as const) {
      for (const owner of [0, 1]) {
        assert.equal(
          moves(
            "always-defect",
            seat,
            unique.map(([c, k]) => [c, k, owner]),
          ),
          "RDLURD",
        );
      }
    }
  });

  it("always-cooperate: toward its own coin, away from the other's", () => {
    assert.equal(
      moves(
        "always-cooperate",
        0,
        unique.map(([c, k]) => [c, k, 0]),
      ),
      "RDLURD",
    );
    assert.equal(
      moves(
        "always-cooperate",
        1,
        unique.map(([c, k]) => [c, k, 1]),
      ),
      "RDLURD",
    );
    // Away from (0,1) from (0,0): U → (2,0) and D → (1,0) are both at distance 2; L and R are at 1 and 0.
    for (const [seat, owner] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const f = freq("always-cooperate", seat, at(0, 0), at(0, 1), owner);
      assert.equal(f[0] + f[1], 0);
      assert.ok(Math.abs(f[2] - 0.5) < 5 * Math.sqrt(0.25 / 8000), `tie U/D ${f}`);
    }
    // Away from (1,0) from (1,1): U and D reach distance 2; R → (1,2) is only 1 away through the wrap; L lands on it.
    const f = freq("always-cooperate", 0, at(1, 1), at(1, 0), 1);
    assert.equal(f[0] + f[1], 0);
    assert.ok(Math.abs(f[2] - 0.5) < 5 * Math.sqrt(0.25 / 8000), `tie U/D ${f}`);
  });

  it("ties are broken uniformly, anew every step (the league shuffles, then sorts)", () => {
    // Toward (1,1) from (0,0): R and D both reach distance 1.
    const f = freq("always-defect", 0, at(0, 0), at(1, 1), 0);
    assert.equal(f[0] + f[2], 0);
    assert.ok(Math.abs(f[1] - 0.5) < 5 * Math.sqrt(0.25 / 8000), `tie R/D ${f}`);
  });

  it("random: uniform over the 4 moves in each seat (5 actions in the two-coins variant)", () => {
    for (const seat of [0, 1] as const) {
      const f = freq("random", seat, at(0, 0), at(1, 1), 0, 20000);
      for (const p of f) assert.ok(Math.abs(p - 0.25) < 5 * Math.sqrt(0.1875 / 20000), `${f}`);
    }
    const two = new CoinGameEnv({ variant: "two-coins" });
    const n = 20000;
    const { state } = two.reset(Rng.seeded(1), n);
    const actions = new Uint8Array(2 * n);
    fixedCoinAgent("random", two).act(state, 1, Rng.seeded(2), actions);
    const counts = [0, 0, 0, 0, 0];
    for (let g = 0; g < n; g++) counts[actions[2 * g + 1]]++;
    for (const c of counts) assert.ok(Math.abs(c / n - 0.2) < 5 * Math.sqrt(0.16 / n), `${counts}`);
    assert.throws(() => fixedCoinAgent("always-defect", two, "--a"), /--a: .*one-coin variant only/);
    assert.throws(
      () => fixedCoinAgent("tft", env, "--b"),
      /--b: unknown coin agent "tft"; allowed: always-cooperate/,
    );
  });

  it("random (4 moves) draws exactly what 2 bits per game from RandomBits.take(22) give, for any batch", () => {
    for (const batch of [1, 10, 11, 12, 21, 22, 23, 44, 45, 4096]) {
      const game = new CoinGameEnv();
      const { state } = game.reset(Rng.seeded(batch), batch);
      for (const seat of [0, 1] as const) {
        const actions = new Uint8Array(2 * batch);
        fixedCoinAgent("random", game).act(state, seat, Rng.seeded(7), actions);
        const bits = new RandomBits().attach(Rng.seeded(7));
        const want = new Uint8Array(2 * batch);
        for (let g = 0; g < batch; ) {
          let w = bits.take(22);
          for (const end = Math.min(g + 11, batch); g < end; g++, w >>>= 2) want[2 * g + seat] = w & 3;
        }
        assert.deepEqual(actions, want, `batch ${batch}, seat ${seat}`);
      }
    }
  });
});

describe("fixed coin agents: the random agent's WebAssembly draws", () => {
  it("equal the JavaScript draws (the env's own actions buffer), generator state included", () => {
    for (const batch of [
      WASM_STEP_MIN_BATCH,
      1025,
      1033,
      1034,
      1035,
      1045,
      1046,
      1047,
      1056,
      1057,
      1058,
      1079,
      4096,
    ]) {
      const game = new CoinGameEnv();
      const { state } = game.reset(Rng.seeded(batch), batch);
      const plain = cloneCoinState(state);
      const { actions } = game.stepBuffers(state);
      assert.ok(CoinMemory.of(actions), "the buffer lives in the state's memory");
      const want = new Uint8Array(2 * batch);
      const random = fixedCoinAgent("random", game);
      for (const seed of [7, 8]) {
        const [fast, reference] = [Rng.seeded(seed), Rng.seeded(seed)];
        for (const seat of [0, 1] as const) {
          random.act(state, seat, fast, actions);
          random.act(plain, seat, reference, want);
        }
        assert.deepEqual(actions, want, `batch ${batch}, seed ${seed}`);
        assert.deepEqual(fast.state(), reference.state(), `batch ${batch}: the generator`);
      }
    }
  });
});

interface FixturePair {
  a: string;
  b: string;
  exact: { rewards: number[]; pickupsPerStep: number[]; ownCoin: (number | null)[] };
}

describe("fixed pairs against the exact Markov-chain expectations (numpy peer fixture, 3×3, 16 steps)", () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "..", "test", "fixtures", "coin-fixed-agents.json"), "utf8"),
  ) as { steps: number; pairs: FixturePair[] };

  it("has all 9 ordered pairs at 16 steps", () => {
    assert.equal(fixture.steps, 16);
    assert.equal(fixture.pairs.length, 9);
  });

  for (const pair of fixture.pairs) {
    it(`${pair.a} vs ${pair.b}: reward and pickups per step within 5 standard errors`, () => {
      const games = 4096;
      const a = fixedCoinAgent(pair.a, env);
      const b = fixedCoinAgent(pair.b, env);
      // Per-game sums, for the standard error of the per-step means.
      const envRng = Rng.derive(5, 0);
      const seatRngs = [Rng.derive(5, 1), Rng.derive(5, 2)];
      const { state } = env.reset(envRng, games);
      const actions = new Uint8Array(2 * games);
      const out = { rewards: new Float64Array(2 * games), pickups: new Uint8Array(2 * games) };
      const reward = new Float64Array(2 * games);
      const picks = new Float64Array(2 * games);
      for (let t = 0; t < 16; t++) {
        a.act(state, 0, seatRngs[0], actions);
        b.act(state, 1, seatRngs[1], actions);
        env.stepInto(state, actions, envRng, out);
        for (let i = 0; i < 2 * games; i++) {
          reward[i] += out.rewards[i] / 16;
          picks[i] += (out.pickups[i] & 1) + (out.pickups[i] >> 1);
        }
      }
      for (const seat of [0, 1]) {
        for (const [what, values, expected] of [
          ["reward", reward, pair.exact.rewards[seat]],
          ["pickups", picks.map((x) => x / 16), pair.exact.pickupsPerStep[seat]],
        ] as const) {
          const xs = Array.from({ length: games }, (_, g) => values[2 * g + seat]);
          const mean = xs.reduce((s, x) => s + x, 0) / games;
          const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (games - 1));
          const bound = 5 * (sd / Math.sqrt(games)) + 1e-12;
          assert.ok(
            Math.abs(mean - expected) <= bound,
            `seat ${seat} ${what}: ${mean} vs exact ${expected} (±${bound})`,
          );
        }
      }
      // The match runner (what `shapelab match --env coin` prints) on another seed: own-coin within 0.03.
      const r = playCoinMatch(env, a, b, { games, seed: 1 });
      for (const seat of [0, 1]) {
        const expected = pair.exact.ownCoin[seat];
        const got = r.ownCoin[seat];
        if (expected === 1) assert.equal(got, 1, "always-cooperate never takes the other's coin");
        else
          assert.ok(
            got !== null && expected !== null && Math.abs(got - expected) < 0.03,
            `ownCoin ${got} vs ${expected}`,
          );
      }
    });
  }
});
