/**
 * Benchmarks of the sampled learners (issue 3):
 *
 * - `lola-dice`: one LOLA-DiCE run on the IPD (ipd-lola, γ 0.96) at batch 128, rollout 150, 200 updates,
 *   1 look-ahead step (lr_outer 0.2, lr_inner 0.3, SGD, from zero logits): the setting of the public PyTorch
 *   re-implementation (alexis-jacq/LOLA_DiCE), which takes about 280 s on a CPU like ours. Against a peer doing
 *   the same work with PyTorch autograd + the magic box (bench/peers/lola_dice_torch.py, /usr/bin/python3, one
 *   thread) when it can run; otherwise against the 280 s figure.
 * - `aa`: ten Advantage-Alignment-vs-Advantage-Alignment seeds to tit-for-tat-like play with docs/learners.md's
 *   issue-3 recipe (running-mean variant, past opponent-action advantages, raw advantages, β 2, lr 0.5, θ = 0,
 *   batch 64 × 150, 200 updates).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tftLike } from "../src/exact/metrics.js";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { rolloutMemoryOne } from "../src/envs/rollout.js";
import { gamePreset } from "../src/games/presets.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import { Rng } from "../src/util/rng.js";
import { mean, median } from "../src/util/stats.js";
import type { Benchmark } from "./run.js";

const PEER = join(import.meta.dirname, "..", "..", "bench", "peers", "lola_dice_torch.py");
const PUBLISHED_PYTORCH_SECONDS = 280;

const DICE = { batch: 128, rollout: 150, updates: 200, lookahead: 1, lrOuter: 0.2, lrInner: 0.3 };

/** Joint (mean of both agents) exact reward per step, mean over the last 10 updates and over seeds. */
function jointLast10(exactPerStep: number[][][]): number {
  return mean(exactPerStep.slice(-10).map((u) => mean(u.map(([a, b]) => (a + b) / 2))));
}

export const lolaDiceBenchmark: Benchmark = {
  name: "lola-dice",
  description: `LOLA-DiCE on the IPD, one run: batch ${DICE.batch} × ${DICE.rollout} steps, ${DICE.updates} updates, ${DICE.lookahead} look-ahead (peer: PyTorch autograd + DiCE, 1 thread)`,
  async run() {
    const game = gamePreset("ipd-lola");
    const spec = {
      name: "lola-dice" as const,
      lookahead: DICE.lookahead,
      lrOuter: DICE.lrOuter,
      lrInner: DICE.lrInner,
    };
    const options = {
      game,
      gamma: 0.96,
      learners: [spec, spec] as const,
      batch: DICE.batch,
      rollout: DICE.rollout,
      updates: DICE.updates,
      seeds: 1,
      seed: 0,
      init: { kind: "zeros" as const },
    };
    // The batched environment alone: one rollout of 128 games × 150 steps (median of 50).
    const env = new IteratedGameEnv(game, DICE.rollout);
    const probabilities = new Float64Array(10).fill(0.5);
    const rng = Rng.derive(0);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      rolloutMemoryOne(env, probabilities, DICE.batch, rng);
      if (i >= 10) times.push(performance.now() - t0);
    }
    process.stdout.write(
      `env: one rollout of ${DICE.batch} games × ${DICE.rollout} steps (both agents sample, env steps): ${median(times).toFixed(2)} ms (median of 50)\n`,
    );
    trainSampled({ ...options, updates: 5 }); // warm-up (JIT)
    const result = trainSampled(options);
    const ours = result.elapsedMs / 1000;
    // Each update: per agent 1 look-ahead rollout + 1 outer rollout, plus the shared rollout that records rewards.
    const steps = DICE.updates * (2 * (DICE.lookahead + 1) + 1) * DICE.batch * DICE.rollout;
    process.stdout.write(
      `work: ${DICE.updates} updates × (2 agents × ${DICE.lookahead + 1} rollouts + 1) × ${DICE.batch} games × ${DICE.rollout} steps = ${steps.toLocaleString("en-US")} game steps, closed-form DiCE derivatives\n` +
        `ours: ${ours.toFixed(2)} s, joint reward/step (exact, last 10 updates) ${jointLast10(result.exactPerStep).toFixed(3)}\n` +
        `vs the public PyTorch re-implementation's ≈ ${PUBLISHED_PYTORCH_SECONDS} s: ${(PUBLISHED_PYTORCH_SECONDS / ours).toFixed(0)}× faster (goal ≥ 30×)\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), "shapelab-bench-dice-"));
    try {
      const config = join(dir, "config.json");
      writeFileSync(
        config,
        JSON.stringify({
          r1: game.r1,
          r2: game.r2,
          gamma: 0.96,
          batch: DICE.batch,
          rollout: DICE.rollout,
          updates: DICE.updates,
          lr_outer: DICE.lrOuter,
          lr_inner: DICE.lrInner,
          lookahead: DICE.lookahead,
          seed: 0,
          threads: 1,
        }),
      );
      const peer = spawnSync("/usr/bin/python3", [PEER, config], { encoding: "utf8" });
      if (peer.status !== 0) {
        const why = peer.error?.message ?? peer.stderr.trim().split("\n").pop();
        process.stdout.write(`peer unavailable (${why})\n`);
        return;
      }
      const out = JSON.parse(peer.stdout) as { elapsed_s: number; joint_per_step_last10: number };
      process.stdout.write(
        `peer: ${out.elapsed_s.toFixed(1)} s (PyTorch autograd + magic box, 1 thread), joint reward/step (sampled, last 10) ${out.joint_per_step_last10.toFixed(3)}\n` +
          `ratio: ours is ${(out.elapsed_s / ours).toFixed(0)}× faster than the peer\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const AA_RECIPE = {
  name: "aa" as const,
  variant: "running-mean" as const,
  pastAdvantage: "opponent-action" as const,
  beta: 2,
  lr: 0.5,
};

export const aaBenchmark: Benchmark = {
  name: "aa",
  description:
    "Advantage Alignment vs Advantage Alignment on the IPD, 10 seeds × 200 updates, batch 64 × 150 steps",
  async run() {
    const game = gamePreset("ipd-lola");
    const options = {
      game,
      gamma: 0.96,
      learners: [AA_RECIPE, AA_RECIPE] as const,
      batch: 64,
      rollout: 150,
      updates: 200,
      seeds: 10,
      seed: 0,
      init: { kind: "zeros" as const },
    };
    trainSampled({ ...options, seeds: 1, updates: 5 }); // warm-up (JIT)
    const result = trainSampled(options);
    const tft = tftLike(Float64Array.from(result.finalPC.flat(2)), 0.5).reduce((a, b) => a + b, 0);
    // Reciprocity (both agents): P(C) ≥ 0.8 at start and CC, ≤ 0.2 at CD and DD (DC left free; see docs/learners.md).
    const reciprocal = result.finalPC.filter((pair) =>
      pair.every((p) => p[0] >= 0.8 && p[1] >= 0.8 && p[2] <= 0.2 && p[4] <= 0.2),
    ).length;
    const joint = jointLast10(result.exactPerStep);
    process.stdout.write(
      `work: 10 seeds × 200 updates × 64 games × 150 steps, both agents with own + opponent critics\n` +
        `ours: ${(result.elapsedMs / 1000).toFixed(2)} s total; reciprocal (start, CC ≥ 0.8; CD, DD ≤ 0.2): ${reciprocal}/10 seeds; ` +
        `every P(C) within 0.5 of TFT: ${tft}/10; ` +
        `mean reward/step (exact, last 10 updates) ${joint.toFixed(3)}\n`,
    );
  },
};
