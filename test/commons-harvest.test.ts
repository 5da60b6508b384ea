/**
 * Commons Harvest lite (src/envs/commons/): Melting Pot's open map (64 apples, 6 independent patches), the
 * regrowth rule p[min(k, 3)] on hand-built boards (k = live apples within L1 distance 2; a patch with no apples
 * left never regrows), eating on entry, the zap beam (length, width, walls, removal for `respawnFrames` steps,
 * cooldown), the fixed harvesters (greedy empties a patch, sustainable leaves the apples it needs), and the
 * episode metrics (utilitarian, equality, sustainability, peace, collapse) on a hand-worked episode.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACTION, type CommonsParams, CommonsHarvestEnv, type CommonsState } from "../src/envs/commons/env.js";
import { HarvesterAgent } from "../src/envs/commons/fixedAgents.js";
import { OPEN_MAP, parseCommonsMap, SMALL_MAP } from "../src/envs/commons/map.js";
import { EpisodeRecorder } from "../src/envs/commons/metrics.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const BLOCK = ["WWWWWWW", "W AAA W", "W AAA W", "W AAA W", "W     W", "WP   PW", "WWWWWWW"];

function params(overrides: Partial<CommonsParams>): CommonsParams {
  return {
    players: 1,
    episodeSteps: 10_000,
    regrowth: [0, 0.0025, 0.005, 0.025],
    beamLength: 3,
    cooldown: 2,
    respawnFrames: 4,
    view: { left: 2, right: 2, forward: 3, backward: 1 },
    ...overrides,
  };
}

/** Move agent i of game g to `cell` facing `facing`. */
function put(
  env: CommonsHarvestEnv,
  state: CommonsState,
  g: number,
  i: number,
  cell: number,
  facing: number,
): void {
  const n = env.params.players;
  const old = state.position[g * n + i];
  if (old >= 0) state.occupant[g * env.cells + old] = 0;
  state.position[g * n + i] = cell;
  state.facing[g * n + i] = facing;
  state.occupant[g * env.cells + cell] = i + 1;
}

describe("Commons maps", () => {
  it("the open map has 64 apples in 6 independent patches (two of 6, four of 13) and 60 spawn points", () => {
    const map = parseCommonsMap("open", OPEN_MAP);
    assert.equal(map.appleCells.length, 64);
    assert.equal(map.spawns.length, 60);
    assert.equal(map.insideSpawns.length, 2);
    const seen = new Int32Array(64).fill(-1);
    const sizes: number[] = [];
    for (let a = 0; a < 64; a++) {
      if (seen[a] >= 0) continue;
      const stack = [a];
      seen[a] = sizes.length;
      let size = 0;
      while (stack.length) {
        const b = stack.pop() as number;
        size++;
        for (let e = map.offsets[b]; e < map.offsets[b + 1]; e++) {
          const c = map.neighbours[e];
          if (seen[c] < 0) {
            seen[c] = sizes.length;
            stack.push(c);
          }
        }
      }
      sizes.push(size);
    }
    assert.deepEqual(
      sizes.sort((x, y) => x - y),
      [6, 6, 13, 13, 13, 13],
    );
    // The centre of the 3 × 3 block has all 8 others within L1 distance 2.
    const block = parseCommonsMap("block", BLOCK);
    assert.equal(block.offsets[5] - block.offsets[4], 8);
    assert.equal(parseCommonsMap("small", SMALL_MAP).appleCells.length > 0, true);
    assert.throws(
      () => parseCommonsMap("bad", ["WWW", "WXW", "WPW", "WWW"]),
      (e: unknown) => e instanceof InputError && /unknown tile "X"/.test(e.message),
    );
  });
});

describe("Commons regrowth", () => {
  it("an empty apple cell regrows with p[min(k, 3)] for k = 0, 1, 2, 3, 5 live neighbours (within 4 SE)", () => {
    const p: [number, number, number, number] = [0, 0.1, 0.2, 0.4];
    const env = new CommonsHarvestEnv(parseCommonsMap("block", BLOCK), params({ regrowth: p }));
    const batch = 6000;
    for (const k of [0, 1, 2, 3, 5]) {
      const rng = Rng.seeded(40 + k);
      const state = env.reset(rng, batch);
      for (let g = 0; g < batch; g++) {
        // Apple 4 (the centre) empty; the first k of the other 8 live, the rest empty.
        const others = [0, 1, 2, 3, 5, 6, 7, 8];
        state.apples.fill(0, g * 9, (g + 1) * 9);
        for (let m = 0; m < k; m++) state.apples[g * 9 + others[m]] = 1;
        assert.equal(env.liveNeighbours(state, g, 4), k);
      }
      env.stepInto(state, new Uint8Array(batch), rng, new Float64Array(batch), new Uint8Array(batch));
      let regrown = 0;
      for (let g = 0; g < batch; g++) regrown += state.apples[g * 9 + 4];
      const expected = p[Math.min(k, 3)];
      const se = Math.sqrt((expected * (1 - expected)) / batch);
      assert.ok(
        Math.abs(regrown / batch - expected) <= 4 * se + 1e-12,
        `k = ${k}: ${regrown / batch} vs ${expected}`,
      );
      if (k === 0) assert.equal(regrown, 0);
    }
  });

  it("a patch with no apples left never regrows (open substrate's probabilities, 3000 steps)", () => {
    const env = new CommonsHarvestEnv(parseCommonsMap("block", BLOCK), params({}));
    const rng = Rng.seeded(2);
    const state = env.reset(rng, 4);
    state.apples.fill(0);
    const rewards = new Float64Array(4);
    const done = new Uint8Array(4);
    for (let t = 0; t < 3000; t++) env.stepInto(state, new Uint8Array(4), rng, rewards, done);
    assert.equal(
      state.apples.reduce((a, b) => a + b, 0),
      0,
    );
  });

  it("eats on entering a live apple cell (+1), and an apple regrown under a standing agent waits", () => {
    const map = parseCommonsMap("block", BLOCK);
    const env = new CommonsHarvestEnv(map, params({ regrowth: [0, 1, 1, 1] }));
    const rng = Rng.seeded(3);
    const state = env.reset(rng, 1);
    // Agent below the block's bottom-left apple (row 3, col 2), facing north.
    put(env, state, 0, 0, 4 * 7 + 2, 0);
    const rewards = new Float64Array(1);
    const done = new Uint8Array(1);
    env.stepInto(state, Uint8Array.of(ACTION.forward), rng, rewards, done);
    assert.equal(rewards[0], 1);
    assert.equal(state.position[0], 3 * 7 + 2);
    // It regrew at once (p = 1 with live neighbours) under the agent; standing still does not eat it.
    assert.equal(state.apples[map.appleIndex[3 * 7 + 2]], 1);
    env.stepInto(state, Uint8Array.of(ACTION.noop), rng, rewards, done);
    assert.equal(rewards[0], 0);
  });
});

describe("Commons zap", () => {
  const map = parseCommonsMap("block", [
    "WWWWWWW",
    "W     W",
    "W     W",
    "W     W",
    "W     W",
    "WPPPPPW",
    "WWWWWWW",
  ]);
  const cell = (r: number, c: number) => r * 7 + c;

  it("hits the nearest agent within 3 cells ahead, 3 wide; the target misses respawnFrames steps and respawns on P", () => {
    const env = new CommonsHarvestEnv(map, params({ players: 2, respawnFrames: 4, cooldown: 2 }));
    const rng = Rng.seeded(5);
    const state = env.reset(rng, 1);
    put(env, state, 0, 0, cell(4, 3), 0); // facing north
    put(env, state, 0, 1, cell(1, 2), 0); // 3 ahead, one lane left
    const rewards = new Float64Array(2);
    const done = new Uint8Array(1);
    env.stepInto(state, Uint8Array.of(ACTION.zap, ACTION.noop), rng, rewards, done);
    assert.equal(state.position[1], -1);
    const absent: number[] = [];
    for (let t = 0; t < 6; t++) {
      env.stepInto(state, Uint8Array.of(ACTION.noop, ACTION.noop), rng, rewards, done);
      absent.push(state.position[1] < 0 ? 1 : 0);
    }
    // Removed during the next 3 steps' ends, back at the end of the 4th: it missed 4 steps' actions.
    assert.deepEqual(absent, [1, 1, 1, 0, 0, 0]);
    assert.ok(map.spawns.includes(state.position[1]));
  });

  it("does not reach 4 cells ahead, is blocked by walls, and waits out its cooldown", () => {
    const env = new CommonsHarvestEnv(map, params({ players: 2, cooldown: 2 }));
    const rng = Rng.seeded(6);
    const state = env.reset(rng, 1);
    put(env, state, 0, 0, cell(5, 3), 0);
    put(env, state, 0, 1, cell(1, 3), 0); // 4 ahead: out of reach
    const rewards = new Float64Array(2);
    const done = new Uint8Array(1);
    const zap = Uint8Array.of(ACTION.zap, ACTION.noop);
    env.stepInto(state, zap, rng, rewards, done);
    assert.equal(state.position[1], cell(1, 3));
    // Move the target into reach: the cooldown (2) blocks the next step's zap, the one after fires.
    put(env, state, 0, 1, cell(3, 3), 0);
    env.stepInto(state, zap, rng, rewards, done);
    assert.equal(state.position[1], cell(3, 3), "cooling down");
    env.stepInto(state, zap, rng, rewards, done);
    assert.equal(state.position[1], -1);
    // Facing a wall: no hit behind it.
    const s2 = env.reset(rng, 1);
    put(env, s2, 0, 0, cell(1, 1), 3); // facing west, wall adjacent
    put(env, s2, 0, 1, cell(1, 2), 0);
    env.stepInto(s2, zap, rng, rewards, done);
    assert.equal(s2.position[1], cell(1, 2));
  });
});

describe("Commons fixed agents", () => {
  it("the greedy harvester walks the shortest path to the nearest apple (turning by relative moves)", () => {
    const map = parseCommonsMap("line", ["WWWWWWW", "W    AW", "W     W", "WP    W", "WWWWWWW"]);
    const env = new CommonsHarvestEnv(map, params({ regrowth: [0, 0, 0, 0] }));
    const rng = Rng.seeded(7);
    const state = env.reset(rng, 1);
    put(env, state, 0, 0, 3 * 7 + 1, 1); // bottom-left, facing east
    const agent = new HarvesterAgent(env);
    const rewards = new Float64Array(1);
    const done = new Uint8Array(1);
    let total = 0;
    const moves: number[] = [];
    for (let t = 0; t < 8; t++) {
      const a = agent.act(state, 0, 0);
      moves.push(a);
      env.stepInto(state, Uint8Array.of(a), rng, rewards, done);
      total += rewards[0];
    }
    // Six steps (4 east, 2 north, in BFS order) eat the apple; then nothing is left: NOOP.
    assert.equal(total, 1);
    assert.equal(
      moves.slice(6).every((m) => m === ACTION.noop),
      true,
    );
    assert.equal(
      moves.slice(0, 6).every((m) => m !== ACTION.noop),
      true,
    );
  });

  it("greedy harvesters collapse the small map's commons; sustainable ones keep apples alive (2000 steps)", () => {
    const map = parseCommonsMap("small", SMALL_MAP);
    const env = new CommonsHarvestEnv(map, params({ players: 4, regrowth: [0, 0.0025, 0.005, 0.025] }));
    const live = (minNeighbours: number) => {
      const rng = Rng.seeded(8);
      const state = env.reset(rng, 1);
      const agent = new HarvesterAgent(env, { minNeighbours });
      const actions = new Uint8Array(4);
      const rewards = new Float64Array(4);
      const done = new Uint8Array(1);
      let eaten = 0;
      for (let t = 0; t < 2000; t++) {
        for (let i = 0; i < 4; i++) actions[i] = agent.act(state, 0, i);
        env.stepInto(state, actions, rng, rewards, done);
        eaten += rewards.reduce((a, b) => a + b, 0);
      }
      return { live: env.liveApples(state, 0), eaten };
    };
    const greedy = live(0);
    const sustainable = live(3);
    assert.equal(greedy.live, 0, "greedy harvesting leaves no apple");
    assert.ok(sustainable.live >= 10, `sustainable keeps ${sustainable.live} apples`);
    assert.ok(
      sustainable.eaten > greedy.eaten,
      `over 2000 steps sustainable eats more: ${sustainable.eaten} vs ${greedy.eaten}`,
    );
  });
});

describe("Commons episode metrics", () => {
  it("utilitarian, equality, sustainability, peace and collapse on a hand-worked 3-step episode", () => {
    const map = parseCommonsMap("line", ["WWWWW", "W A W", "W   W", "WP PW", "WWWWW"]);
    const env = new CommonsHarvestEnv(map, params({ players: 2, regrowth: [0, 0, 0, 0] }));
    const rng = Rng.seeded(9);
    const state = env.reset(rng, 1);
    const recorder = new EpisodeRecorder(env, 0);
    // Step 0: agent 0 eats the only apple (reward 1); agent 1 is then removed for steps 1 and 2.
    state.apples[0] = 0;
    recorder.record(state, Float64Array.of(1, 0));
    state.position[1] = -1;
    recorder.record(state, Float64Array.of(0, 0));
    recorder.record(state, Float64Array.of(0, 0));
    const m = recorder.metrics();
    assert.deepEqual(m.returns, [1, 0]);
    assert.equal(m.utilitarian, 1 / 3);
    // Gini: Σ|Ri − Rj| = 2, 2N·ΣR = 4 → equality 1/2.
    assert.equal(m.equality, 0.5);
    // Agent 0 earned at t = 0; agent 1 never (counts T = 3): (0 + 3)/2.
    assert.equal(m.sustainability, 1.5);
    // 2 agents × 3 steps − 2 removed agent-steps, per step.
    assert.equal(m.peace, 4 / 3);
    assert.deepEqual(m.liveApples, [0, 0, 0]);
    assert.equal(m.collapseStep, 0);
  });
});

describe("Commons observations", () => {
  it("egocentric windows are rotated to the facing: ahead is up, the agent's right is to the right", () => {
    // 6 × 7 map; agent 0 at (2, 2), an apple at (2, 4) two cells east, agent 1 at (1, 2) one cell north.
    const map = parseCommonsMap("obs", ["WWWWWWW", "W     W", "W   A W", "W     W", "WPPPPPW", "WWWWWWW"]);
    const view = { left: 1, right: 1, forward: 2, backward: 0 };
    const env = new CommonsHarvestEnv(map, params({ players: 2, view, regrowth: [0, 0, 0, 0] }));
    const state = env.reset(Rng.seeded(1), 1);
    put(env, state, 0, 0, 2 * 7 + 2, 1); // facing east
    put(env, state, 0, 1, 1 * 7 + 2, 0);
    const out = new Float32Array(3 * 3 * 4);
    env.observeInto(state, 0, 0, out);
    const at = (row: number, col: number) =>
      Array.from(out.subarray((row * 3 + col) * 4, (row * 3 + col + 1) * 4));
    // Rows: 2 ahead, 1 ahead, the agent's own row; columns: its left (north), centre, its right (south).
    assert.deepEqual(at(2, 1), [0, 0, 1, 0], "self at the bottom centre");
    assert.deepEqual(at(0, 1), [0, 1, 0, 0], "the apple two cells ahead (east)");
    assert.deepEqual(at(2, 0), [0, 0, 0, 1], "the other agent on its left (north)");
    // Facing north instead: the apple is now on the right, two columns away, outside this 3-wide window;
    // the other agent is straight ahead.
    put(env, state, 0, 0, 2 * 7 + 2, 0);
    env.observeInto(state, 0, 0, out);
    assert.deepEqual(at(1, 1), [0, 0, 0, 1]);
    assert.deepEqual(at(0, 1), [1, 0, 0, 0], "the wall two cells north");
  });
});
