/**
 * The explorer's sampled-learner run, without the DOM (the page's worker and the Node tests share it): the page's
 * settings become the options of one `trainSampled` call (src/learners/sampled/train.ts), built the way
 * `shapelab train` builds them from its flags (src/cli/trainSeats.ts), so the same settings give the same numbers
 * as the CLI with the same seed. Differences from the CLI: each agent has its own learning rate (the actor lr of
 * pg, a2c and aa, lola-dice's outer lr; blank = the learner's default), and the AA options apply to AA seats only.
 *
 * The summaries are the CLI's (src/learners/sampled/summary.ts): the reward per step of the last 10 updates,
 * exact (1 − γ)·V where both seats are memory-one.
 */
import {
  AA_PAST_ADVANTAGES,
  AA_VARIANTS,
  type AaPastAdvantage,
  type AaVariant,
} from "../src/learners/sampled/aa.js";
import {
  type LearnerSpec,
  type TrainSampledOptions,
  validateLearnerSpec,
} from "../src/learners/sampled/train.js";
import { InputError, requireOneOf } from "../src/util/errors.js";
import { settingsGame } from "./gameSetting.js";

/** Learners, then the CLI's fixed memory-one shorthands (own view: start, CC, CD, DC, DD). */
export const SAMPLED_PAGE_AGENTS = ["aa", "lola-dice", "pg", "a2c", "tft", "alld", "allc"] as const;
export type SampledPageAgent = (typeof SAMPLED_PAGE_AGENTS)[number];
const FIXED: Record<string, number[]> = {
  tft: [1, 1, 0, 1, 0],
  alld: [0, 0, 0, 0, 0],
  allc: [1, 1, 1, 1, 1],
};

export const INIT_KINDS = ["zeros", "normal"] as const;

export interface SampledSettings {
  game: string;
  /** Custom payoffs ("R,S,T,P" or eight numbers); "" = the preset `game`. */
  payoffs: string;
  gamma: number;
  agents: [SampledPageAgent, SampledPageAgent];
  /** Each agent's learning rate; null = the learner's default. */
  lr: [number | null, number | null];
  /** AA's alignment weight β; null = its default (1). */
  beta: number | null;
  aaVariant: AaVariant;
  aaPast: AaPastAdvantage;
  init: (typeof INIT_KINDS)[number];
  batch: number;
  rollout: number;
  updates: number;
  seeds: number;
  seed: number;
}

/**
 * The defaults: the aa-tft recipe (`shapelab train --agents aa,aa --aa-variant running-mean --aa-past
 * opponent-action --beta 2 --lr 0.5 --init zeros`), shortened to 2 seeds × 32 games × 50 steps × 100 updates so
 * it ends in about a second on a small machine; it still ends tit-for-tat-like (P(C | CD), P(C | DD) ≈ 0.05).
 */
export const DEFAULT_SAMPLED: SampledSettings = {
  game: "ipd-lola",
  payoffs: "",
  gamma: 0.96,
  agents: ["aa", "aa"],
  lr: [0.5, 0.5],
  beta: 2,
  aaVariant: "running-mean",
  aaPast: "opponent-action",
  init: "zeros",
  batch: 32,
  rollout: 50,
  updates: 100,
  seeds: 2,
  seed: 0,
};

function seatSpec(settings: SampledSettings, agent: 0 | 1): LearnerSpec {
  const name = requireOneOf(`agent ${agent + 1}`, settings.agents[agent], SAMPLED_PAGE_AGENTS);
  const lr = settings.lr[agent] ?? undefined;
  switch (name) {
    case "tft":
    case "alld":
    case "allc":
      return { name: "fixed", pC: FIXED[name] };
    case "pg":
    case "a2c":
      return lr === undefined ? { name } : { name, lr };
    case "lola-dice":
      return lr === undefined ? { name } : { name, lrOuter: lr };
    case "aa": {
      const spec: LearnerSpec = {
        name,
        variant: requireOneOf("AA variant", settings.aaVariant, AA_VARIANTS),
        pastAdvantage: requireOneOf("AA past term", settings.aaPast, AA_PAST_ADVANTAGES),
      };
      if (lr !== undefined) spec.lr = lr;
      if (settings.beta !== null) spec.beta = settings.beta;
      return spec;
    }
  }
}

/** The trainSampled options of the settings; an InputError names the page's field when one is out of range. */
export function sampledOptions(settings: SampledSettings): TrainSampledOptions {
  const game = settingsGame(settings);
  const learners = [seatSpec(settings, 0), seatSpec(settings, 1)] as const;
  learners.forEach((spec, i) => {
    validateLearnerSpec(spec, `agent ${i + 1}`, game);
  });
  const init = requireOneOf("init", settings.init, INIT_KINDS);
  if (!(settings.gamma >= 0 && settings.gamma < 1))
    throw new InputError("γ", `must be in [0, 1), got ${settings.gamma}`);
  return {
    game,
    gamma: settings.gamma,
    learners,
    batch: settings.batch,
    rollout: settings.rollout,
    updates: settings.updates,
    seeds: settings.seeds,
    seed: settings.seed,
    init: init === "zeros" ? { kind: "zeros" } : { kind: "normal", sd: 1 },
  };
}
