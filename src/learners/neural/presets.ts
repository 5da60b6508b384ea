/**
 * Coin Game training presets (`--preset` of `shapelab train --env coin`, `params.preset` of the `coin-train`
 * experiment). A preset fills the budget, the board and each learner's options; anything given explicitly wins.
 *
 * - `paper`: the published hyperparameters of the Advantage Alignment coin agents (hp pickled in MiladInk/loqa
 *   `league/` checkpoints `aa_baseline_minimal_state_*`; /work/shared/research/advantage_alignment.md §2.2):
 *   GRU 64, batch 512 games of 50 steps, Adam lr 1e-3 (actor) / 1e-2 (critics), entropy 0.1, β 1, grad clip 10,
 *   TD(0) advantages (λ = 0), self-play against an agent replay buffer (capacity 10000, a snapshot every 10
 *   updates, every game against a past copy: `cur_agent_frac 0`). 25 000 updates (the checkpoints' name,
 *   `minimal_state_25400`, read as the update count): ≈ 30 A100-minutes in the paper, far beyond a CPU session.
 * - `small`: what fits the issue's budget (the whole coin-train + coin-league under 60 minutes on 2 cores): a 3×3
 *   board, 16-step games (the league's length), width-32 networks, batch 128; see experiments/coin-train.md for
 *   the measured time and numbers.
 */
import type { ReplayConfig } from "./replay.js";

/** What one training run of a preset costs: learning updates, each from a batch of games. */
export interface CoinBudget {
  readonly updates: number;
  readonly batch: number;
}

/** A preset's own budget (`updates`, `batch`) is every learner's unless `budgetOf` gives one its own. */
export interface CoinPreset extends CoinBudget {
  readonly summary: string;
  readonly episodeSteps: number;
  /**
   * A learner whose budget differs from the preset's (`small`: AA's one-batch REINFORCE steps need 900 updates of
   * 256 games where PPO's epochs over 128 games need 300).
   */
  readonly budgetOf?: Readonly<Record<string, Partial<CoinBudget>>>;
  /** Options per learner name (merged under any explicitly given). */
  readonly learners: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly replay?: Partial<ReplayConfig>;
}

/** Tuned on seed 1 (experiments/coin-train.md lists the runs): Adam 3e-3 / 5e-3, 2 critic epochs. */
const SMALL_COMMON = { width: 32, lr: 3e-3, lrCritic: 5e-3, entropy: 0.01, criticEpochs: 2, minibatches: 4 };
/** PPO's 4 epochs × 4 minibatches of whole games, advantages z-scored per minibatch (CleanRL's default). */
const SMALL_PROXIMAL = { epochs: 4, normalizeAdvantages: true };
const PAPER_COMMON = {
  width: 64,
  lr: 1e-3,
  lrCritic: 1e-2,
  entropy: 0.1,
  maxGradNorm: 10,
  gamma: 0.96,
  gaeLambda: 0,
};

export const COIN_PRESETS: Readonly<Record<string, CoinPreset>> = {
  small: {
    summary:
      "3×3, 16-step games, width 32, batch 128, 300 updates (AA 900 × 256), self-play + replay: minutes per run on one core",
    episodeSteps: 16,
    batch: 128,
    updates: 300,
    budgetOf: { aa: { updates: 900, batch: 256 } },
    learners: {
      // AA: the AA coin code's TD(0) advantages and raw A*, entropy 0.05, 8 REINFORCE steps per update, β 5, 900
      // updates of 256 games (`budgetOf`). At β 1 it levels off at own-coin 0.73–0.79; β 3–5 lifts it, and 256 games
      // per update (against 128) steady it: β 5 × 256 is the setting that met own-coin ≥ 0.8 and Always-Defect
      // ≥ −0.15 on each of seeds 0–2. GAE λ ≥ 0.55 with z-scored A* cooperates more (0.84–1.00) but is exploited
      // (−0.17 to −0.30 against Always-Defect). experiments/coin-train.md, "AA: tuning the plain update".
      aa: { ...SMALL_COMMON, beta: 5, actorMinibatches: 8, entropy: 0.05, gaeLambda: 0 },
      paa: { ...SMALL_COMMON, ...SMALL_PROXIMAL, beta: 1 },
      ppo: { ...SMALL_COMMON, ...SMALL_PROXIMAL },
      "ppo-sum": { ...SMALL_COMMON, ...SMALL_PROXIMAL },
      // POLA's coin LOLA-DiCE rates (η = lr = 0.003), centred rewards.
      "lola-dice": { width: 32 },
    },
    replay: { size: 1000, every: 10, fraction: 0.5, sampling: "uniform" },
  },
  paper: {
    summary:
      "the AA paper's coin hyperparameters: GRU 64, batch 512 × 50 steps, lr 1e-3/1e-2, entropy 0.1, β 1, replay",
    episodeSteps: 50,
    batch: 512,
    updates: 25_000,
    learners: {
      aa: { ...PAPER_COMMON, beta: 1 },
      paa: { ...PAPER_COMMON, beta: 1 },
      ppo: PAPER_COMMON,
      "ppo-sum": PAPER_COMMON,
      // POLA's coin LOLA-DiCE (Silent-Zebra/POLA README): η = lr = 0.003, loaded DiCE with GAE λ = 1, lr_v 5e-4.
      "lola-dice": { width: 64, baseline: "critic", lrInner: 0.003, lr: 0.003, gaeLambda: 1, lrCritic: 5e-4 },
    },
    replay: { size: 10_000, every: 10, fraction: 1, sampling: "uniform" },
  },
};

export const COIN_PRESET_NAMES = Object.keys(COIN_PRESETS);

/** The budget `preset` gives `learner`: its own updates and batch where the preset has them, else the preset's. */
export function presetBudget(preset: CoinPreset, learner: string): CoinBudget {
  const own = preset.budgetOf?.[learner];
  return { updates: own?.updates ?? preset.updates, batch: own?.batch ?? preset.batch };
}
