/**
 * Benchmark: one neural LOLA-DiCE update on the Coin Game (src/learners/neural/lolaDice.ts), against the cost of
 * the pieces it is made of, at the `small` preset's sizes (3×3, 16 steps, batch 128, width 32) and at the paper
 * preset's (50 steps, batch 512, width 64). No peer implementation runs here (POLA's is JAX); the figure of merit
 * is the update's cost in units of one first-order score gradient (forward + backward through time of one actor
 * over the batch): an update is one look-ahead rollout, two first-order gradients of the opponent and one of the
 * agent, three forward passes for the importance weights and the Hessian-vector product's two points, and one
 * more backward pass of the agent. Each figure is the fastest of 3 runs after a warm-up.
 */
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { lolaDiceEntry, lolaDiceSchema } from "../src/learners/neural/lolaDice.js";
import { rolloutNeuralCoin, seatView } from "../src/learners/neural/rollout.js";
import { CoinScorePolicy } from "../src/learners/neural/scorePolicy.js";
import type { Benchmark } from "./run.js";

const RUNS = 3;
const SIZES = [
  { label: "small", episodeSteps: 16, games: 128, width: 32 },
  { label: "paper", episodeSteps: 50, games: 512, width: 64 },
] as const;

function fastest(run: () => void): number {
  run(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    run();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

export const lolaDiceNeuralBenchmark: Benchmark = {
  name: "lola-dice-neural",
  description: "one neural LOLA-DiCE update on the Coin Game, in units of one first-order score gradient",
  async run() {
    for (const size of SIZES) {
      const env = new CoinGameEnv({ episodeSteps: size.episodeSteps });
      const config = lolaDiceSchema.parse({ width: size.width });
      const a = lolaDiceEntry.create(config, { env, seed: 1 });
      const b = lolaDiceEntry.create(config, { env, seed: 2 });
      a.setOpponent?.(b.policy, 0);
      const play = () =>
        rolloutNeuralCoin(env, [{ policy: a.policy }, { policy: b.policy }], { games: size.games, seed: 3 });
      const view = seatView(play(), 0);
      const T = view.horizon;
      const rows = T * view.games;
      const score = new CoinScorePolicy(env.obsSize, size.width, env.nActions);
      const theta = Float64Array.from(a.policy.net.params.values);
      const coefficients = new Float64Array(rows).fill(1 / view.games);
      const grad = new Float64Array(theta.length);
      const gradientSeconds = fastest(() =>
        score.scoreGradient(theta, view.own, T, view.games, coefficients, grad),
      );
      const rolloutSeconds = fastest(play);
      let u = 0;
      const updateSeconds = fastest(() => a.update(view, u++));
      process.stdout.write(
        `  ${size.label}: ${size.games} games × ${T} steps, width ${size.width}: update ${(updateSeconds * 1000).toFixed(0)} ms` +
          ` = ${(updateSeconds / gradientSeconds).toFixed(1)} score gradients (one: ${(gradientSeconds * 1000).toFixed(0)} ms;` +
          ` one rollout: ${(rolloutSeconds * 1000).toFixed(0)} ms)\n`,
      );
    }
  },
};
