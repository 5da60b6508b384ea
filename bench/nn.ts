/**
 * Benchmarks of the neural engine (src/nn) against PyTorch 1.13 on one thread, float32, in the same run
 * (bench/peers/nn_torch.py, /usr/bin/python3). Both sides start from the same parameters and inputs, run the
 * same policy-gradient update
 *   forward → L = −(1/N) Σ A log π(a) − 0.01·(1/N) Σ H → backward → Adam (lr 1e-3)
 * and the bench checks that they computed the same thing (first loss and the parameters after one update).
 *
 *   nn-mlp: MLP 36 → 64 → 64 → 4 (tanh), batch 4096                                            goal ratio ≥ 1.0
 *   nn-gru: coin actor Linear 36 → 64, ReLU, GRU 64, Linear → 4 logits, 16 steps × batch 512, BPTT  goal ≥ 0.7
 *
 * Timing: rounds alternate ours (best of OUR_REPEATS blocks of UPDATES updates) and one peer run (its own best of
 * the same), so a busy spell of the shared machine hits both; the best per-update times are compared. The ratio
 * is peer time / our time (> 1: we are faster).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Architecture, coinActorArchitecture, describeArchitecture } from "../src/nn/architecture.js";
import { createNetwork } from "../src/nn/agentFile.js";
import { CategoricalHead } from "../src/nn/heads.js";
import { MLP } from "../src/nn/mlp.js";
import { Adam } from "../src/nn/optim.js";
import type { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";
import type { Benchmark } from "./run.js";

const PEER = join(import.meta.dirname, "..", "..", "bench", "peers", "nn_torch.py");
const ROUNDS = 3;
const OUR_REPEATS = 3;
const UPDATES = 10;
const WARMUP = 10;
const LR = 1e-3;
const ENTROPY_COEF = 0.01;

interface Case {
  architecture: Architecture;
  /** rows of one update = steps × batch */
  steps: number;
  batch: number;
  goal: number;
  work: string;
}

interface PeerResult {
  update_ms: number;
  update_cpu_ms: number;
  loss0: number;
  params1: number[];
  torch: string;
}

/** One update of our engine, with everything preallocated; returns the loss. */
function makeUpdate(c: Case, seed: number) {
  const rng = Rng.seeded(seed);
  const net = createNetwork(c.architecture);
  net.init(rng, "torch");
  const initial = Float32Array.from(net.params.values);
  const rows = c.steps * c.batch;
  const inputs = c.architecture.kind === "mlp" ? c.architecture.sizes[0] : c.architecture.inputs;
  const actionsCount = 4;
  // Coin-game-like inputs for the GRU (sparse one-hot cells), standard normal for the MLP.
  const x = Float32Array.from({ length: rows * inputs }, () =>
    c.architecture.kind === "gru" ? (rng.uniform() < 0.11 ? 1 : 0) : rng.normal(),
  );
  const actions = Int32Array.from({ length: rows }, () => rng.int(actionsCount));
  const advantages = Float32Array.from({ length: rows }, () => rng.normal());
  const head = new CategoricalHead(actionsCount, rows);
  const dLogits = new Float32Array(rows * actionsCount);
  const adam = new Adam(net.params.values, { lr: LR });
  let update: () => number;
  if (net instanceof MLP) {
    const ws = net.workspace(rows);
    update = () => {
      const loss = head.policyGradient(net.forward(x, ws), actions, advantages, ENTROPY_COEF, dLogits, rows);
      net.params.zeroGrad();
      net.backward(x, dLogits, ws);
      adam.step(net.params.grads);
      return loss;
    };
  } else {
    const recurrent = net as RecurrentNet;
    const ws = recurrent.workspace(c.steps, c.batch);
    update = () => {
      const loss = head.policyGradient(
        recurrent.forward(x, ws),
        actions,
        advantages,
        ENTROPY_COEF,
        dLogits,
        rows,
      );
      recurrent.params.zeroGrad();
      recurrent.backward(x, dLogits, ws);
      adam.step(recurrent.params.grads);
      return loss;
    };
  }
  return { net, initial, x, actions, advantages, update };
}

function timeOurs(update: () => number): { wall: number; cpu: number } {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < OUR_REPEATS; r++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for (let u = 0; u < UPDATES; u++) update();
    const used = process.cpuUsage(cpuStart);
    wall = Math.min(wall, (performance.now() - started) / UPDATES);
    cpu = Math.min(cpu, (used.user + used.system) / 1000 / UPDATES);
  }
  return { wall, cpu };
}

function runPeer(config: object): PeerResult | { unavailable: string } {
  const dir = (config as { dir: string }).dir;
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify(config));
  const peer = spawnSync("/usr/bin/python3", [PEER, file], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (peer.status !== 0) {
    return {
      unavailable: peer.error?.message ?? peer.stderr.trim().split("\n").pop() ?? `exit ${peer.status}`,
    };
  }
  return JSON.parse(peer.stdout) as PeerResult;
}

const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function runCase(c: Case): Promise<void> {
  const ours = makeUpdate(c, 0);
  const dir = mkdtempSync(join(tmpdir(), "shapelab-bench-nn-"));
  try {
    writeFileSync(join(dir, "params.f32"), bytes(ours.initial));
    writeFileSync(join(dir, "x.f32"), bytes(ours.x));
    writeFileSync(join(dir, "actions.i32"), bytes(ours.actions));
    writeFileSync(join(dir, "advantages.f32"), bytes(ours.advantages));
    const config = {
      ...c.architecture,
      steps: c.steps,
      batch: c.batch,
      rows: c.steps * c.batch,
      dir,
      entropy_coef: ENTROPY_COEF,
      lr: LR,
      warmup: WARMUP,
      updates: UPDATES,
      repeats: OUR_REPEATS,
    };
    // Same computation: the first update from the same start.
    const loss0 = ours.update();
    const params1 = Float32Array.from(ours.net.params.values);
    for (let i = 0; i < WARMUP; i++) ours.update(); // JIT warm-up
    const rounds: { ours: number; oursCpu: number; peer: number; peerCpu: number }[] = [];
    let peer: PeerResult | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const mine = timeOurs(ours.update);
      const run = runPeer(config);
      if ("unavailable" in run) {
        process.stdout.write(`ours: ${mine.wall.toFixed(1)} ms per update (${mine.cpu.toFixed(1)} ms CPU)\n`);
        process.stdout.write(`peer unavailable (${run.unavailable})\n`);
        return;
      }
      peer = run;
      rounds.push({ ours: mine.wall, oursCpu: mine.cpu, peer: run.update_ms, peerCpu: run.update_cpu_ms });
    }
    if (!peer) return;
    const best = (key: keyof (typeof rounds)[number]) => Math.min(...rounds.map((r) => r[key]));
    let paramGap = 0;
    for (let i = 0; i < params1.length; i++)
      paramGap = Math.max(paramGap, Math.abs(params1[i] - peer.params1[i]));
    const lossGap = Math.abs(loss0 - peer.loss0);
    // Adam's first step moves each weight by ≈ lr·sign(g), so a gradient entry near 0 can flip under float32
    // rounding: parameters agree to a hundredth of one step.
    const same = lossGap < 1e-5 * Math.max(1, Math.abs(peer.loss0)) && paramGap < 1e-2 * LR;
    const ratio = best("peer") / best("ours");
    const cpuRatio = best("peerCpu") / best("oursCpu");
    process.stdout.write(
      `work: ${c.work}; ${describeArchitecture(c.architecture)}, ${ours.net.params.size} parameters\n` +
        `ours: ${best("ours").toFixed(1)} ms per update wall, ${best("oursCpu").toFixed(1)} ms CPU ` +
        `(best of ${ROUNDS} rounds × ${OUR_REPEATS} × ${UPDATES} updates)\n` +
        `peer: ${best("peer").toFixed(1)} ms per update wall, ${best("peerCpu").toFixed(1)} ms CPU ` +
        `(PyTorch ${peer.torch}, float32, 1 thread, same best-of)\n` +
        `same computation: ${same ? "yes" : "NO"}: first loss ${loss0.toFixed(6)} vs ${peer.loss0.toFixed(6)}, ` +
        `parameters after one update differ by at most ${paramGap.toExponential(1)}\n` +
        `ratio: ${ratio.toFixed(2)}× PyTorch's speed in wall time, ${cpuRatio.toFixed(2)}× in CPU time ` +
        `(goal ≥ ${c.goal}); per round (CPU): ${rounds.map((r) => (r.peerCpu / r.oursCpu).toFixed(2)).join(", ")}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const nnMlpBenchmark: Benchmark = {
  name: "nn-mlp",
  description: "MLP policy-gradient update 36→64→64→4 (tanh), batch 4096, Adam (peer: PyTorch, 1 thread)",
  run: () =>
    runCase({
      architecture: { kind: "mlp", sizes: [36, 64, 64, 4], activation: "tanh" },
      steps: 1,
      batch: 4096,
      goal: 1.0,
      work: "one update = forward, policy-gradient loss with entropy, backward, Adam, over 4096 rows",
    }),
};

export const nnGruBenchmark: Benchmark = {
  name: "nn-gru",
  description: "GRU-64 coin actor forward + BPTT, 16 steps × batch 512, Adam (peer: PyTorch, 1 thread)",
  run: () =>
    runCase({
      architecture: coinActorArchitecture(),
      steps: 16,
      batch: 512,
      goal: 0.7,
      work: "one update = forward over 16 steps, policy-gradient loss with entropy, BPTT, Adam, batch 512",
    }),
};
