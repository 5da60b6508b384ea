/**
 * Benchmark (issue 12 §3): Coin Game environment steps per second, one-coin 3×3, batch 4096, uniformly random
 * actions for both seats (the league's `random` agent), against bench/peers/coin_numpy.py, an independent numpy
 * implementation of the same batched env, timed in the same run. Goal: ≥ 20× numpy.
 *
 * The work per step, both sides: both seats' random moves (in the timed loop; the "step alone" figure draws them
 * before the clock starts), moves, rewards (float64) and pickups of every game, a respawn draw for each game with a
 * pickup, and every 50 steps (the training episode length) a reset of all games. No observations: a random agent
 * reads none (a learner's rollout writes them, `observeAgentInto`, as its network's input; not timed here).
 * Ours steps with the env's own buffers (`stepBuffers`: actions, rewards, pickups in its WebAssembly memory).
 *
 * Clock: CPU time of the process (Node's process.cpuUsage, Python's process_time), as bench/nn.ts does: on the
 * shared machine wall time swings with the other jobs far more than CPU time does; wall time is printed too.
 * Each side: the fastest of 9 runs of 200 steps after a warm-up of 20 (noise only adds time: timeit's rule), in 3 rounds
 * of (ours, numpy) close in time; the ratio printed is the median round's.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { AGENTS, CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { median } from "../src/util/stats.js";
import { Rng } from "../src/util/rng.js";
import type { Benchmark } from "./run.js";

const BATCH = 4096;
const STEPS = 200;
const RUNS = 9;
const WARM_UP = 20;
const PEER = join(import.meta.dirname, "..", "..", "bench", "peers", "coin_numpy.py");

/** CPU and wall seconds of one call of `f`. */
function clocked(f: () => void): { cpu: number; wall: number } {
  const cpuStart = process.cpuUsage();
  const t = performance.now();
  f();
  const used = process.cpuUsage(cpuStart);
  return { cpu: (used.user + used.system) / 1e6, wall: (performance.now() - t) / 1000 };
}

interface Times {
  /** With the action draws: CPU, wall seconds. */
  cpu: number;
  wall: number;
  /** The env step alone. */
  cpuStepOnly: number;
  wallStepOnly: number;
}

function timeOurs(): Times {
  const env = new CoinGameEnv({ episodeSteps: 50 });
  const rng = Rng.derive(0, 1);
  const { state } = env.reset(rng, BATCH);
  const random = fixedCoinAgent("random", env);
  // The env's own buffers (in its WebAssembly memory): a rollout loop's actions in, rewards and pickups out.
  const buffers = env.stepBuffers(state);
  const withActions = () => {
    for (let s = 0; s < STEPS; s++) {
      random.act(state, 0, rng, buffers.actions);
      random.act(state, 1, rng, buffers.actions);
      env.stepInto(state, buffers.actions, rng, buffers);
    }
  };
  const drawn = new Uint8Array(STEPS * AGENTS * BATCH);
  for (let s = 0; s < STEPS; s++) {
    const view = drawn.subarray(s * AGENTS * BATCH, (s + 1) * AGENTS * BATCH);
    random.act(state, 0, rng, view);
    random.act(state, 1, rng, view);
  }
  const stepOnly = () => {
    for (let s = 0; s < STEPS; s++) {
      env.stepInto(state, drawn.subarray(s * AGENTS * BATCH, (s + 1) * AGENTS * BATCH), rng, buffers);
    }
  };
  // Warm-up: V8 compiles WebAssembly first with its baseline compiler and swaps in the optimised code once it is
  // hot (dynamic tiering, in the background); 3 rounds left the first of the bench's 3 rounds ≈ 20 % slow.
  for (let k = 0; k < WARM_UP; k++) {
    withActions();
    stepOnly();
  }
  const a = [];
  const b = [];
  for (let k = 0; k < RUNS; k++) {
    a.push(clocked(withActions));
    b.push(clocked(stepOnly));
  }
  const fastest = (runs: { cpu: number; wall: number }[], key: "cpu" | "wall") =>
    Math.min(...runs.map((r) => r[key]));
  return {
    cpu: fastest(a, "cpu"),
    wall: fastest(a, "wall"),
    cpuStepOnly: fastest(b, "cpu"),
    wallStepOnly: fastest(b, "wall"),
  };
}

function timePeer(): (Times & { numpy: string }) | string {
  const r = spawnSync(
    "/usr/bin/python3",
    [PEER, "bench", "--batch", String(BATCH), "--steps", String(STEPS), "--runs", String(RUNS)],
    { encoding: "utf8" },
  );
  if (r.status !== 0)
    return `numpy peer unavailable (${(r.stderr || String(r.error)).trim().split("\n").pop()})`;
  return JSON.parse(r.stdout);
}

/** Rounds of (ours, peer): the machine may be shared, so each ratio pairs two runs made close in time. */
const ROUNDS = 3;

export const coinBenchmark: Benchmark = {
  name: "coin",
  description: `Coin Game env steps, 3×3 one coin, batch ${BATCH}, random actions, ${STEPS} steps (peer: numpy)`,
  async run() {
    const work = BATCH * STEPS;
    const rate = (s: number) => `${(work / s / 1e6).toFixed(1)} M game-steps/s`;
    const ms = (s: number) => `${(s * 1000).toFixed(2)} ms`;
    process.stdout.write(
      `work: ${STEPS} steps × ${BATCH} games = ${work} game-steps per run, ${ROUNDS} rounds; CPU time (wall)\n`,
    );
    const ratios: number[] = [];
    const ratiosStepOnly: number[] = [];
    const line = (t: Times) =>
      `${ms(t.cpu)} (${ms(t.wall)}; ${rate(t.cpu)}) with action draws, ` +
      `${ms(t.cpuStepOnly)} (${ms(t.wallStepOnly)}) env step alone`;
    for (let round = 1; round <= ROUNDS; round++) {
      const ours = timeOurs();
      const peer = timePeer();
      process.stdout.write(`round ${round}: ours ${line(ours)}\n`);
      if (typeof peer === "string") {
        process.stdout.write(`${peer}\n`);
        return;
      }
      ratios.push(peer.cpu / ours.cpu);
      ratiosStepOnly.push(peer.cpuStepOnly / ours.cpuStepOnly);
      process.stdout.write(
        `round ${round}: numpy ${peer.numpy} ${line(peer)}; ratio ${ratios[round - 1].toFixed(1)}×, ` +
          `${ratiosStepOnly[round - 1].toFixed(1)}× step alone\n`,
      );
    }
    process.stdout.write(
      `ratio (numpy CPU time / ours, median of ${ROUNDS} rounds): ${median(ratios).toFixed(1)}× with action draws, ` +
        `${median(ratiosStepOnly).toFixed(1)}× env step alone (goal ≥ 20×)\n`,
    );
  },
};
