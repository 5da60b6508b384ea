/**
 * Benchmark (issue 12 §3): Coin Game environment steps per second, one-coin 3×3, batch 4096, uniformly random
 * actions for both seats (the league's `random` agent), against bench/peers/coin_numpy.py, an independent numpy
 * implementation of the same batched env, timed in the same run. Goal: ≥ 20× numpy.
 *
 * Two figures each side: with the random actions drawn inside the timed loop (what a rollout pays), and the env
 * step alone (actions drawn before the clock starts). Both sides auto-reset every 50 steps (the training episode
 * length). Each side: the fastest of 5 runs of 200 steps after a warm-up (on a shared machine, noise only adds
 * time: timeit's rule), in 3 rounds of (ours, numpy) close in time; the ratio printed is the median round's.
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
const RUNS = 5;
const PEER = join(import.meta.dirname, "..", "..", "bench", "peers", "coin_numpy.py");

function timeOurs(): { seconds: number; secondsStepOnly: number } {
  const env = new CoinGameEnv({ episodeSteps: 50 });
  const rng = Rng.derive(0, 1);
  const { state } = env.reset(rng, BATCH);
  const random = fixedCoinAgent("random", env);
  // The env's own buffers (in its WebAssembly memory): a rollout loop's actions in, rewards and pickups out.
  const buffers = env.stepBuffers(state);
  const withActions = () => {
    const t = performance.now();
    for (let s = 0; s < STEPS; s++) {
      random.act(state, 0, rng, buffers.actions);
      random.act(state, 1, rng, buffers.actions);
      env.stepInto(state, buffers.actions, rng, buffers);
    }
    return (performance.now() - t) / 1000;
  };
  const drawn = new Uint8Array(STEPS * AGENTS * BATCH);
  for (let s = 0; s < STEPS; s++) {
    const view = drawn.subarray(s * AGENTS * BATCH, (s + 1) * AGENTS * BATCH);
    random.act(state, 0, rng, view);
    random.act(state, 1, rng, view);
  }
  const stepOnly = () => {
    const t = performance.now();
    for (let s = 0; s < STEPS; s++) {
      env.stepInto(state, drawn.subarray(s * AGENTS * BATCH, (s + 1) * AGENTS * BATCH), rng, buffers);
    }
    return (performance.now() - t) / 1000;
  };
  for (let k = 0; k < 3; k++) {
    withActions(); // warm-up (JIT)
    stepOnly();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    a.push(withActions());
    b.push(stepOnly());
  }
  return { seconds: Math.min(...a), secondsStepOnly: Math.min(...b) };
}

function timePeer(): { seconds: number; secondsStepOnly: number; numpy: string } | string {
  const r = spawnSync(
    "/usr/bin/python3",
    [PEER, "bench", "--batch", String(BATCH), "--steps", String(STEPS)],
    {
      encoding: "utf8",
    },
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
      `work: ${STEPS} steps × ${BATCH} games = ${work} game-steps per run, ${ROUNDS} rounds\n`,
    );
    const ratios: number[] = [];
    const ratiosStepOnly: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const ours = timeOurs();
      const peer = timePeer();
      process.stdout.write(
        `round ${round}: ours ${ms(ours.seconds)} (${rate(ours.seconds)}) with action draws, ` +
          `${ms(ours.secondsStepOnly)} env step alone\n`,
      );
      if (typeof peer === "string") {
        process.stdout.write(`${peer}\n`);
        return;
      }
      ratios.push(peer.seconds / ours.seconds);
      ratiosStepOnly.push(peer.secondsStepOnly / ours.secondsStepOnly);
      process.stdout.write(
        `round ${round}: numpy ${peer.numpy} ${ms(peer.seconds)} (${rate(peer.seconds)}) with action draws, ` +
          `${ms(peer.secondsStepOnly)} env step alone; ratio ${ratios[round - 1].toFixed(1)}×, ` +
          `${ratiosStepOnly[round - 1].toFixed(1)}× step alone\n`,
      );
    }
    process.stdout.write(
      `ratio (numpy time / ours, median of ${ROUNDS} rounds): ${median(ratios).toFixed(1)}× with action draws, ` +
        `${median(ratiosStepOnly).toFixed(1)}× env step alone (goal ≥ 20×)\n`,
    );
  },
};
