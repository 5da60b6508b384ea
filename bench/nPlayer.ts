/**
 * Benchmark of the sampled N-player engine (issue 16): for N = 8 and 32 and each opponent-critic scheme, the
 * wall time of one rollout (8 games × 50 steps, count view) and of one learner update, over 40 updates of the
 * public-goods game from seed 0. No peer: pax runs N-player games on JAX/GPU, which this machine lacks.
 */
import { publicGoodsGame } from "../src/games/nPlayer.js";
import { N_PLAYER_SCHEMES } from "../src/learners/sampled/nPlayer/aa.js";
import { trainNPlayerSampled } from "../src/learners/sampled/nPlayer/train.js";
import type { Benchmark } from "./run.js";

const UPDATES = 40;

export const nPlayerBenchmark: Benchmark = {
  name: "n-player",
  description: `N-player AA, N = 8 and 32, each scheme: ${UPDATES} updates of 8 games × 50 steps (ms per rollout and per update)`,
  async run() {
    for (const players of [8, 32]) {
      for (const scheme of N_PLAYER_SCHEMES) {
        const r = trainNPlayerSampled({
          game: publicGoodsGame(players),
          gamma: 0.96,
          learner: { scheme },
          steps: UPDATES,
          seed: 0,
          gamesPerSeed: 8,
          horizon: 50,
          evalGames: 8,
        });
        process.stdout.write(
          `N = ${String(players).padStart(2)}  ${scheme.padEnd(10)}  rollout ${(r.rolloutMs / UPDATES).toFixed(2)} ms  update ${(r.updateMs / UPDATES).toFixed(2)} ms  critic tables ${r.criticTables}\n`,
        );
      }
    }
  },
};
