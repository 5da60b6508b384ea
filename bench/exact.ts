/**
 * Benchmark: exact LOLA–LOLA on the IPD (ipd-lola, γ = 0.96, lr = η = 1), 1000 seeds × 200 updates, in process,
 * against a peer doing the same work with batched PyTorch autograd in float64 on one thread
 * (bench/peers/exact_lola_torch.py, run with /usr/bin/python3). Both start from the same logits; the bench checks
 * that they end at the same mean reward and prints our time, updates per second, the peer's time and the ratio.
 *
 * `ours` is the default path, the WebAssembly SIMD pair step (src/exact/wasmPairStep.ts); each round also times
 * the JavaScript path alone (the pair step off) and the bench checks that both end at the same bits.
 *
 * Measured as a user would see it: the wall time of the same work (the 200 updates of 1000 seeds, from the same
 * init; the peer times its own update loop, so interpreter start-up and `import torch` are not counted, nor is our
 * Node start-up), in ROUNDS alternating rounds (one run of ours, then one peer run, so a slow spell of the shared
 * machine hits both), and the MEDIAN of the rounds on each side; the ratio is median(peer) / median(ours). CPU
 * time (user + system) is printed beside it.
 *
 * Then as whole processes, which is what a user timing the two commands sees: `node dist/src/cli/main.js exact
 * --agents lola,lola --seeds 1000 --steps 200 --json` (Node start-up, loading the command, the same init, the JSON
 * output) against `python3 exact_lola_torch.py` doing one timed run (interpreter start-up, `import torch`, a warm-up
 * step, the run), alternating, WHOLE_ROUNDS rounds, medians of wall and (with GNU time) CPU time. Both run without
 * NODE_EXTRA_CA_CERTS, which a machine does not set by default; where it is set (this project's sandboxes), ours is
 * also timed with it, since Node then parses the certificate file before any code runs (bench/wholeProcess.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gamePreset } from "../src/games/presets.js";
import { useWasmPairStep } from "../src/exact/wasmPairStep.js";
import { initialTheta, trainExact } from "../src/learners/exact/train.js";
import { mean, median } from "../src/util/stats.js";
import type { Benchmark } from "./run.js";
import { type ProcessTiming, plainEnvironment, timeProcess } from "./wholeProcess.js";

const SEEDS = 1000;
const STEPS = 200;
/** Alternating rounds: one run of ours (about 0.1 s), then one peer run (about 1 s); medians compared. */
const ROUNDS = 7;
/** Whole-process rounds: ours (≈ 0.3 s), the peer (≈ 3 s), ours with the sandbox's CA file (see wholeProcesses). */
const WHOLE_ROUNDS = 5;
const CLI = join(import.meta.dirname, "..", "..", "dist", "src", "cli", "main.js");
const PEER = join(import.meta.dirname, "..", "..", "bench", "peers", "exact_lola_torch.py");

export const exactBenchmark: Benchmark = {
  name: "exact",
  description: `exact LOLA–LOLA on the IPD, ${SEEDS} seeds × ${STEPS} updates (peer: PyTorch autograd, float64, 1 thread)`,
  async run() {
    const game = gamePreset("ipd-lola");
    const options = {
      game,
      gamma: 0.96,
      learners: [{ name: "lola" as const }, { name: "lola" as const }] as [
        { name: "lola" },
        { name: "lola" },
      ],
      steps: STEPS,
      seeds: SEEDS,
      seed: 0,
    };
    const init = initialTheta(options);
    // Warm-up (JIT), of both paths.
    trainExact({ ...options, seeds: 100, init: init.slice(0, 1000) });
    useWasmPairStep(false);
    trainExact({ ...options, seeds: 100, init: init.slice(0, 1000) });
    useWasmPairStep(true);
    const dir = mkdtempSync(join(tmpdir(), "shapelab-bench-exact-"));
    try {
      // Rounds that alternate ours and the peer, so a slow spell of a shared machine hits both sides alike; every
      // run does the full work from the same init.
      const rounds: { ours: number; oursCpu: number; js: number; peer: number; peerCpu: number }[] = [];
      let result = trainExact({ ...options, init });
      let jsResult = result;
      let peer: PeerResult | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        const cpuStart = process.cpuUsage();
        result = trainExact({ ...options, init });
        const cpu = process.cpuUsage(cpuStart);
        const ours = (performance.now() - started) / 1000;
        const oursCpu = (cpu.user + cpu.system) / 1e6;
        // The same run on the JavaScript path alone (the WebAssembly pair step off): what the kernel gains.
        useWasmPairStep(false);
        const jsStarted = performance.now();
        jsResult = trainExact({ ...options, init });
        const js = (performance.now() - jsStarted) / 1000;
        useWasmPairStep(true);
        const run = runPeer(dir, init, STEPS, 1);
        if ("unavailable" in run) {
          process.stdout.write(`ours: ${ours.toFixed(3)} s wall, ${oursCpu.toFixed(3)} s CPU
`);
          process.stdout.write(`peer unavailable (${run.unavailable})
`);
          return;
        }
        peer = run;
        rounds.push({ ours, oursCpu, js, peer: run.elapsed_s, peerCpu: run.cpu_s });
      }
      if (!peer) return;
      const mid = (key: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[key]));
      const ours = mid("ours");
      const oursCpu = mid("oursCpu");
      const peerWall = mid("peer");
      const peerCpu = mid("peerCpu");
      const updates = SEEDS * STEPS;
      const ourMean = [0, 1].map((i) => mean(result.rewardPerStep.filter((_, k) => k % 2 === i)));
      // Per seed: do both end at the same logits? LOLA with lr = 1 amplifies rounding differences on some seeds
      // over 200 steps, so count seeds, and check a short run (20 steps) where every seed must agree.
      const agreeing = seedsAgreeing(peer.theta, result.theta, 1e-6);
      const meanGap = Math.max(...peer.mean_reward.map((v, i) => Math.abs(v - ourMean[i])));
      const short = runPeer(dir, init, 20, 1);
      const ourShort = trainExact({ ...options, init, steps: 20 });
      const shortGap = "theta" in short ? maxAbsDiff(short.theta, ourShort.theta) : Number.NaN;
      const same = meanGap < 0.01 && shortGap < 1e-8;
      const roundRatios = rounds.map((r) => (r.peer / r.ours).toFixed(1)).join(", ");
      const jsWall = mid("js");
      const sameBits = result.theta.every((v, i) => Object.is(v, jsResult.theta[i]));
      process.stdout.write(
        `work: ${SEEDS} seeds × ${STEPS} simultaneous LOLA updates of both agents = ${updates} pair updates\n` +
          `ours: ${ours.toFixed(3)} s wall, ${oursCpu.toFixed(3)} s CPU (median of ${ROUNDS} alternating rounds), ` +
          `${Math.round(updates / ours).toLocaleString("en-US")} pair updates/s, ` +
          `mean reward/step ${ourMean.map((v) => v.toFixed(4)).join(" / ")}\n` +
          `peer: ${peerWall.toFixed(3)} s wall, ${peerCpu.toFixed(3)} s CPU (median of the same rounds; PyTorch ` +
          `${peer.torch} autograd, float64, 1 thread), mean reward/step ` +
          `${peer.mean_reward.map((v) => v.toFixed(4)).join(" / ")}\n` +
          `same computation: ${same ? "yes" : "NO"}: after 20 steps max |Δθ| = ${shortGap.toExponential(1)} over all ` +
          `seeds; after ${STEPS}, mean rewards differ by ${meanGap.toExponential(1)} and ${agreeing}/${SEEDS} seeds ` +
          `match to 1e-6 (the others drift apart chaotically from rounding differences)\n` +
          `ratio: ours is ${(peerWall / ours).toFixed(1)}× faster than the peer in wall time (median/median; goal ` +
          `≥ 10×), ${(peerCpu / oursCpu).toFixed(1)}× in CPU time; wall ratio per round: ${roundRatios}\n` +
          `JavaScript path alone (WebAssembly pair step off, same rounds): ${jsWall.toFixed(3)} s wall, ` +
          `${(peerWall / jsWall).toFixed(1)}× the peer; the pair step is ${(jsWall / ours).toFixed(1)}× faster, ` +
          `final logits ${sameBits ? "identical to the bit" : "DIFFERENT"}\n`,
      );
      wholeProcesses(dir, init);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * The same work as whole processes, alternating, medians (see the header), in the environment of
 * bench/wholeProcess.ts: both without NODE_EXTRA_CA_CERTS, and ours with it too where this machine sets it.
 */
function wholeProcesses(dir: string, init: Float64Array): void {
  const game = gamePreset("ipd-lola");
  const config = join(dir, "whole.json");
  const peerConfig = { theta: Array.from(init), r1: game.r1, r2: game.r2, gamma: 0.96, lr: 1, eta: 1 };
  writeFileSync(config, JSON.stringify({ ...peerConfig, steps: STEPS, repeats: 1 }));
  const ours = [CLI, "exact", "--agents", "lola,lola", "--game", "ipd-lola", "--seeds", String(SEEDS)];
  ours.push("--steps", String(STEPS), "--seed", "0", "--json", "--quiet");
  const { env: plain, extraCaCerts: extraCerts } = plainEnvironment();
  const rounds: { ours: ProcessTiming; peer: ProcessTiming; oursWithCerts?: ProcessTiming }[] = [];
  const checked = (t: ProcessTiming, what: string) => {
    if (t.error) throw new Error(`${what} failed: ${t.error}`);
    return t;
  };
  for (let round = 0; round < WHOLE_ROUNDS; round++) {
    rounds.push({
      ours: checked(timeProcess(process.execPath, ours, plain), "shapelab exact"),
      peer: checked(timeProcess("/usr/bin/python3", [PEER, config], plain), "the peer"),
      oursWithCerts: extraCerts ? checked(timeProcess(process.execPath, ours), "shapelab exact") : undefined,
    });
  }
  const mid = (side: "ours" | "peer" | "oursWithCerts", key: "wall" | "cpu") =>
    median(rounds.map((r) => r[side]?.[key] ?? Number.NaN));
  const ratio = (side: "ours" | "oursWithCerts") =>
    `${(mid("peer", "wall") / mid(side, "wall")).toFixed(1)}× wall, ${(mid("peer", "cpu") / mid(side, "cpu")).toFixed(1)}× CPU`;
  const roundRatios = rounds.map((r) => (r.peer.wall / r.ours.wall).toFixed(1)).join(", ");
  process.stdout.write(
    `whole processes (shapelab exact --agents lola,lola --seeds ${SEEDS} --steps ${STEPS} --json vs the peer ` +
      `script, median of ${WHOLE_ROUNDS} alternating rounds, NODE_EXTRA_CA_CERTS unset): ours ` +
      `${mid("ours", "wall").toFixed(2)} s wall, ${mid("ours", "cpu").toFixed(2)} s CPU; peer ` +
      `${mid("peer", "wall").toFixed(2)} s wall, ${mid("peer", "cpu").toFixed(2)} s CPU; ratio ${ratio("ours")} ` +
      `(goal ≥ 10×); wall ratio per round: ${roundRatios}\n`,
  );
  if (extraCerts) {
    process.stdout.write(
      `  with this machine's NODE_EXTRA_CA_CERTS=${extraCerts} (Node parses it at start-up, nodejs/node#40524): ` +
        `ours ${mid("oursWithCerts", "wall").toFixed(2)} s wall, ${mid("oursWithCerts", "cpu").toFixed(2)} s CPU; ` +
        `ratio ${ratio("oursWithCerts")}\n`,
    );
  }
}

interface PeerResult {
  elapsed_s: number;
  cpu_s: number;
  mean_reward: number[];
  theta: number[];
  torch: string;
}

/** Run the PyTorch peer from `init` for `steps` LOLA updates (best of `repeats` timings). */
function runPeer(
  dir: string,
  init: Float64Array,
  steps: number,
  repeats: number,
): PeerResult | { unavailable: string } {
  const game = gamePreset("ipd-lola");
  const config = join(dir, `init-${steps}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      theta: Array.from(init),
      r1: game.r1,
      r2: game.r2,
      gamma: 0.96,
      lr: 1,
      eta: 1,
      steps,
      repeats,
    }),
  );
  const peer = spawnSync("/usr/bin/python3", [PEER, config], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (peer.status !== 0) {
    return {
      unavailable: peer.error?.message ?? peer.stderr.trim().split("\n").pop() ?? `exit ${peer.status}`,
    };
  }
  return JSON.parse(peer.stdout) as PeerResult;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function seedsAgreeing(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): number {
  let n = 0;
  for (let s = 0; s < a.length / 10; s++) {
    let d = 0;
    for (let k = 0; k < 10; k++) d = Math.max(d, Math.abs(a[10 * s + k] - b[10 * s + k]));
    if (d < tolerance) n++;
  }
  return n;
}
