/**
 * Learners in the arena: fixed strategies and learners (exact: naive, LOLA, SOS, look-ahead, cross-Hessian;
 * sampled: pg, a2c, aa = Advantage Alignment, lola-dice) meet in a cross-play matrix, as in the LOLA paper's
 * tournament (Foerster et al. 2018, Fig. 4) and the Advantage Alignment paper's (Duque et al. 2024).
 *
 * For each pair (row, column), over `seeds` independent seeds:
 * - learner vs fixed strategy: the learner trains from a fresh start against the strategy for the budget.
 *   A memory-one strategy becomes a `fixed` opponent given by its 5 probabilities (`trainExact` /
 *   `trainSampled`). A strategy with longer memory (Grudger, Prober, Tit For 2 Tats, Alternator, Cycler CCD, …)
 *   is played as itself inside the sampled rollout (`trainSampled` with a `strategy` seat: one fresh player per
 *   game); LOLA-DiCE then trains without its look-ahead term (a fixed strategy does not learn). Exact learners
 *   cannot train against it (the exact engine needs a memory-one chain): that cell is left empty with a note;
 * - learner vs learner: both train together from fresh starts. Two exact learners: `trainExact` for `steps`
 *   updates. Two sampled learners: `trainSampled` for `updates` updates. An exact and a sampled learner:
 *   `trainSampled` for `updates` updates with the exact learner in an exact seat (src/learners/sampled/exactSeat.ts):
 *   each update it applies its own exact rule at both seats' current logits (it sees the opponent's parameters
 *   exactly, as in the LOLA paper's exact setting) while the sampled learner learns from the rollouts;
 * - strategy vs strategy: no training.
 * Then the two final policies play an evaluation match of `evalTurns` turns (a learned policy plays as a
 * MemoryOne player; a strategy as itself); the cell holds each side's reward per turn of that match. For
 * memory-one pairs the cell also holds the exact discounted per-step value (1 − γ)·V of the final policies.
 *
 * Catalyst measure (AA paper): for each opponent o, catalyst_X(o) = r(o vs X) − r(o vs naive), the reward o gets
 * against the shaper X (AA, LOLA) minus what it gets against a naive learner; positive means X makes o better off.
 *
 * Streams: the training of pair (i, j) uses seed `hashSeed(seed, i, j)`; its evaluation matches use
 * `Rng.derive(seed, i, j, s, 7)`. Every pair is a pure function of (plan, i, j), so pairs can run on any worker.
 */
import { memoryOneGame } from "../exact/derivatives.js";
import { perStepValues } from "../exact/values.js";
import type { MatrixGame } from "../games/game.js";
import { createExactLearner, type ExactLearnerSpec } from "../learners/exact/index.js";
import {
  type AnyLearnerEntry,
  hyperparameters,
  parseHyperparameterText,
  validateConfig,
} from "../learners/hyperparameters.js";
import { learnerEntries } from "../learners/registry.js";
import { trainExact } from "../learners/exact/train.js";
import {
  type LearnerSpec,
  strategySeatSpec,
  trainSampled,
  validateLearnerSpec,
} from "../learners/sampled/train.js";
import { memoryOne } from "../strategies/memoryone.js";
import { closestAmong, closestNames, strategyByName } from "../strategies/registry.js";
import { formatMemoryDepth, type Strategy } from "../strategies/types.js";
import { InputError } from "../util/errors.js";
import { hashSeed, Rng } from "../util/rng.js";
import { mean, sd } from "../util/stats.js";
import { MatchBuffers, playInto, SUMMARY_SIZE } from "./match.js";

/** The learners an entrant can be, by family (src/learners/registry.ts); `fixed` is a strategy here. */
function arenaEntries(family: "sampled" | "exact"): AnyLearnerEntry[] {
  return learnerEntries(family).filter((e) => e.name !== "fixed");
}

/** The sampled learners' names an entrant can take. */
export function sampledArenaLearners(): string[] {
  return arenaEntries("sampled").map((e) => e.name);
}

/** The exact learners' names an entrant can take. */
export function exactArenaLearners(): string[] {
  return arenaEntries("exact").map((e) => e.name);
}

/** The seed post's zoo: always-cooperate, always-defect, random, TFT, a naive learner, LOLA, AA (sampled engine). */
export const SEED_POST_ZOO = [
  "Cooperator",
  "Defector",
  "Random: 0.5",
  "Tit For Tat",
  "pg",
  "lola-dice",
  "aa",
];

export type Entrant =
  | { kind: "strategy"; label: string; name: string }
  | { kind: "exact"; label: string; spec: ExactLearnerSpec }
  | { kind: "sampled"; label: string; spec: Exclude<LearnerSpec, { name: "fixed" }> };

/**
 * Hyperparameters written after a learner's name: "aa(beta=2, lr=0.05)", "lola(eta=0.5)",
 * "aa(maskQuadrants=++,--)" (a part without `=` continues the list before it). Each key must be one of the
 * entry's hyperparameters (a misspelt key is an error with a suggestion, never silently the default), each value
 * is read in the type its schema declares and checked against it. The key `label` is not a hyperparameter: it
 * names the entrant in tables and figures ("aa(label=AA recipe, beta=2)").
 */
function parseHyperparameters(
  text: string,
  entry: AnyLearnerEntry,
  entrant: string,
  field: string,
): { label?: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const known = hyperparameters(entry.schema);
  let label: string | undefined;
  let list: unknown[] | undefined;
  for (const part of text
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "")) {
    const m = part.match(/^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/);
    if (!m) {
      if (list) {
        list.push(part.replaceAll("−", "-"));
        continue;
      }
      throw new InputError(field, `"${entrant}": expected key=value pairs in parentheses, got "${part}"`);
    }
    const [, key, raw] = m;
    list = undefined;
    if (key === "label") {
      label = raw.trim();
      continue;
    }
    const param = known.find((p) => p.key === key);
    if (!param) {
      const keys = known.map((p) => p.key);
      const near = closestAmong(key, keys, 1);
      throw new InputError(
        field,
        `"${entrant}": unknown hyperparameter "${key}" for ${entry.name}` +
          (near.length > 0
            ? `; did you mean "${near[0]}"? allowed: ${keys.join(", ")}, label`
            : "; allowed: label"),
      );
    }
    const value = parseHyperparameterText(param, raw, `${field} ${entrant}: ${key}`);
    if (Array.isArray(value)) list = value;
    params[key] = value;
  }
  validateConfig(entry, params, `${field} ${entrant}`);
  return { label, params };
}

/** Names `--shapers` and `--naive` may use: every learner an entrant can be. */
export function catalystLearnerNames(): string[] {
  return [...sampledArenaLearners(), ...exactArenaLearners()];
}

/** Check `--shapers` / `--naive` names before any work: an unknown one is an error with "did you mean". */
export function checkCatalystNames(names: readonly string[], field: string): void {
  const known = catalystLearnerNames();
  for (const name of names) {
    if (known.includes(name)) continue;
    throw new InputError(
      field,
      `unknown learner "${name}"; did you mean "${closestAmong(name, known, 1)[0]}"? allowed: ${known.join(", ")}`,
    );
  }
}

/**
 * Resolve an entrant name: a learner name (pg, a2c, aa, lola-dice; naive, lola, sos, …), optionally with
 * hyperparameters "aa(beta=2)", or a strategy name. Learner hyperparameters are validated here, before any work.
 */
export function parseEntrant(name: string, game: MatrixGame, field = "--entrants", gamma = 0.96): Entrant {
  const m = name.trim().match(/^([A-Za-z][A-Za-z0-9-]*)\s*\((.*)\)$/);
  const key = (m ? m[1] : name).trim().toLowerCase();
  const sampled = arenaEntries("sampled").find((e) => e.name === key);
  const exact = arenaEntries("exact").find((e) => e.name === key);
  const entry = sampled ?? exact;
  if (entry) {
    const { label: chosenLabel, params } = m
      ? parseHyperparameters(m[2], entry, name, field)
      : { label: undefined, params: {} };
    const label = chosenLabel ?? (m ? `${entry.label}(${m[2].trim()})` : entry.label);
    if (sampled) {
      const spec = { ...params, name: key } as Exclude<LearnerSpec, { name: "fixed" }>;
      validateLearnerSpec(spec, `${field} ${name}`);
      return { kind: "sampled", label, spec };
    }
    const spec = { ...params, name: key } as ExactLearnerSpec;
    createExactLearner(spec, memoryOneGame(game, gamma), `${field} ${name}`);
    return { kind: "exact", label, spec };
  }
  try {
    const s = strategyByName(name, game, field);
    return { kind: "strategy", label: s.name, name };
  } catch (error) {
    if (!(error instanceof InputError) || !error.message.includes("unknown strategy")) throw error;
    const learners = catalystLearnerNames();
    const near = closestNames(name, game, 3, learners).map((n) => `"${n}"`);
    throw new InputError(
      field,
      `unknown entrant "${name}"; did you mean ${near.join(", ")}? Learners: ${learners.join(", ")} ` +
        '(hyperparameters in parentheses, e.g. "aa(beta=2)"); strategies: `shapelab strategies`',
    );
  }
}

export interface ArenaOptions {
  gamma?: number;
  seeds?: number;
  seed?: number;
  /** Exact learners: update steps (against strategies and exact learners; with a sampled learner, `updates`). */
  steps?: number;
  /** Sampled learners: games per seed per update, steps per game, updates. */
  batch?: number;
  rollout?: number;
  updates?: number;
  /** Turns of each evaluation match. */
  evalTurns?: number;
}

/** Plain data: everything a worker needs to play any pair. */
export interface ArenaPlan {
  game: MatrixGame;
  entrants: Entrant[];
  gamma: number;
  seeds: number;
  seed: number;
  steps: number;
  batch: number;
  rollout: number;
  updates: number;
  evalTurns: number;
}

function positiveInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new InputError(field, `must be a positive integer, got ${v}`);
  return v;
}

export function planArena(names: string[], game: MatrixGame, options: ArenaOptions = {}): ArenaPlan {
  if (names.length < 2) throw new InputError("--entrants", "the arena needs at least 2 entrants");
  const gamma = options.gamma ?? 0.96;
  if (!(gamma >= 0 && gamma < 1)) throw new InputError("--gamma", `must be in [0, 1), got ${gamma}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new InputError("--seed", `must be an integer, got ${seed}`);
  return {
    game,
    entrants: names.map((n) => parseEntrant(n, game, "--entrants", gamma)),
    gamma,
    seeds: positiveInt("--seeds", options.seeds ?? 4),
    seed,
    steps: positiveInt("--steps", options.steps ?? 200),
    batch: positiveInt("--batch", options.batch ?? 64),
    rollout: positiveInt("--rollout", options.rollout ?? 50),
    updates: positiveInt("--updates", options.updates ?? 300),
    evalTurns: positiveInt("--eval-turns", options.evalTurns ?? 200),
  };
}

export interface PairResult {
  i: number;
  j: number;
  /** Per seed: [row's reward per turn, column's reward per turn] in the evaluation match; `[seeds, 2]`. */
  rewards: Float64Array | null;
  /** Per seed exact per-step values (1 − γ)·V of the final policies (memory-one pairs); `[seeds, 2]`. */
  exact: Float64Array | null;
  /** Final policies [seeds][2][5] where both sides are memory-one. */
  policies: number[][][] | null;
  /** Final logits of the learning sides, [seeds][2] of 5 logits each (null for a strategy side). */
  logits: (number[] | null)[][] | null;
  note?: string;
}

/** A side's policy per seed: learned pC, or a strategy (memory-one vector when it has one). */
interface Side {
  strategy?: Strategy;
  pC?: number[][]; // [seeds][5]
  /** A learner's final logits (sigmoid = pC), [seeds][5]. */
  theta?: number[][];
}

function strategyOf(plan: ArenaPlan, e: Entrant): Strategy {
  return strategyByName((e as { name: string }).name, plan.game);
}

/** Train (when a learner is involved) and evaluate pair (i, j). */
export function playArenaPair(plan: ArenaPlan, i: number, j: number): PairResult {
  const a = plan.entrants[i];
  const b = plan.entrants[j];
  const S = plan.seeds;
  const trainSeed = hashSeed(plan.seed, i, j);
  const sides: [Side, Side] = [{}, {}];
  const empty = (note: string): PairResult => ({
    i,
    j,
    rewards: null,
    exact: null,
    policies: null,
    logits: null,
    note,
  });

  const learnerKinds = [a.kind, b.kind].filter((k) => k !== "strategy");
  const hasSampled = a.kind === "sampled" || b.kind === "sampled";
  for (const [k, e] of [a, b].entries()) {
    if (e.kind === "strategy") {
      const s = strategyOf(plan, e);
      sides[k].strategy = s;
      if (learnerKinds.length > 0 && !s.memoryOne && (a.kind === "exact" || b.kind === "exact")) {
        return empty(
          `${s.name} (memory depth ${formatMemoryDepth(s.classifier.memoryDepth)}) is not memory-one: exact learners ` +
            "train only against memory-one opponents (sampled learners can train against it)",
        );
      }
    }
  }
  const fixedPC = (k: 0 | 1) => [...(sides[k].strategy!.memoryOne as readonly number[])];
  /** A strategy as a sampled-training opponent: memory-one ones by their probabilities, others played as themselves. */
  const sampledOpponent = (e: Entrant, k: 0 | 1): LearnerSpec =>
    strategySeatSpec(sides[k].strategy!, (e as { name: string }).name);
  let note: string | undefined;
  if (learnerKinds.length > 0 && !hasSampled) {
    const spec = (e: Entrant, k: 0 | 1): ExactLearnerSpec =>
      e.kind === "exact" ? e.spec : { name: "fixed", probabilities: fixedPC(k) };
    const r = trainExact({
      game: plan.game,
      gamma: plan.gamma,
      learners: [spec(a, 0), spec(b, 1)],
      steps: plan.steps,
      seeds: S,
      seed: trainSeed,
    });
    if (r.diverged.length > 0) {
      const seeds = [...new Set(r.diverged.map((d) => d.seed))];
      note = `${a.label} vs ${b.label}: seed(s) ${seeds.join(", ")} diverged and were frozen at their last finite parameters`;
    }
    for (const k of [0, 1] as const) {
      if (plan.entrants[k === 0 ? i : j].kind === "exact") {
        sides[k].pC = Array.from({ length: S }, (_, s) =>
          Array.from(r.pC.subarray(10 * s + 5 * k, 10 * s + 5 * k + 5)),
        );
        sides[k].theta = Array.from({ length: S }, (_, s) =>
          Array.from(r.theta.subarray(10 * s + 5 * k, 10 * s + 5 * k + 5)),
        );
      }
    }
  } else if (learnerKinds.length > 0) {
    // An exact learner facing a sampled one takes an exact seat (its own rule on the exact values).
    const spec = (e: Entrant, k: 0 | 1): LearnerSpec =>
      e.kind === "sampled"
        ? e.spec
        : e.kind === "exact"
          ? { name: "exact", exact: e.spec }
          : sampledOpponent(e, k);
    const r = trainSampled({
      game: plan.game,
      gamma: plan.gamma,
      learners: [spec(a, 0), spec(b, 1)],
      batch: plan.batch,
      rollout: plan.rollout,
      updates: plan.updates,
      seeds: S,
      seed: trainSeed,
    });
    if (r.diverged.length > 0) {
      const seeds = [...new Set(r.diverged.map((d) => d.seed))];
      note = `${a.label} vs ${b.label}: seed(s) ${seeds.join(", ")} of the exact seat diverged and were frozen at their last finite parameters`;
    }
    for (const k of [0, 1] as const) {
      if (plan.entrants[k === 0 ? i : j].kind !== "strategy") {
        sides[k].pC = r.finalPC.map((seed) => seed[k]);
        sides[k].theta = r.finalTheta.map((seed) => seed[k]);
      }
    }
  }

  const rewards = new Float64Array(2 * S);
  const buffers = new MatchBuffers();
  const summary = new Float64Array(SUMMARY_SIZE);
  const policyOf = (k: 0 | 1, s: number): Strategy => {
    const side = sides[k];
    if (side.strategy) return side.strategy;
    const v = side.pC![s];
    return memoryOne([v[1], v[2], v[3], v[4]], v[0], `${plan.entrants[k === 0 ? i : j].label} (learned)`);
  };
  const vector = (k: 0 | 1, s: number): number[] | null => {
    const side = sides[k];
    if (side.pC) return side.pC[s];
    return side.strategy?.memoryOne ? [...side.strategy.memoryOne] : null;
  };
  const memoryOnePair = vector(0, 0) !== null && vector(1, 0) !== null;
  const exactInput = memoryOnePair ? new Float64Array(10 * S) : null;
  const policies: number[][][] | null = memoryOnePair ? [] : null;
  for (let s = 0; s < S; s++) {
    const pa = policyOf(0, s);
    const pb = policyOf(1, s);
    playInto(
      pa.create(),
      pb.create(),
      plan.game,
      plan.evalTurns,
      0,
      Rng.derive(plan.seed, i, j, s, 7),
      buffers,
      summary,
      0,
    );
    rewards[2 * s] = summary[1] / plan.evalTurns;
    rewards[2 * s + 1] = summary[2] / plan.evalTurns;
    if (exactInput && policies) {
      const va = vector(0, s)!;
      const vb = vector(1, s)!;
      exactInput.set(va, 10 * s);
      exactInput.set(vb, 10 * s + 5);
      policies.push([va, vb]);
    }
  }
  const exact = exactInput ? perStepValues(plan.game, exactInput, plan.gamma) : null;
  const logits =
    sides[0].theta || sides[1].theta
      ? Array.from({ length: S }, (_, s) => [sides[0].theta?.[s] ?? null, sides[1].theta?.[s] ?? null])
      : null;
  return { i, j, rewards, exact, policies, logits, note };
}

export interface CatalystEntry {
  shaper: string;
  naive: string;
  /** Per opponent (entrant order): mean over seeds of r(o vs shaper) − r(o vs naive), and its sd; null if missing. */
  mean: (number | null)[];
  sd: (number | null)[];
}

export interface ArenaResult {
  game: string;
  gamma: number;
  seeds: number;
  seed: number;
  entrants: string[];
  kinds: string[];
  budget: { steps: number; batch: number; rollout: number; updates: number; evalTurns: number };
  /** rowReward[i][j]: mean over seeds of i's reward per turn against j (null when the pair could not be played). */
  rowReward: (number | null)[][];
  rowRewardSd: (number | null)[][];
  /** colReward[i][j]: mean over seeds of j's reward per turn against i. */
  colReward: (number | null)[][];
  colRewardSd: (number | null)[][];
  /** Exact per-step values (1 − γ)·V of the final policies, row's, mean over seeds (memory-one pairs). */
  exactRowReward: (number | null)[][];
  /** Per seed rewards [i][j][s] = [i's, j's]. */
  perSeed: ([number, number][] | null)[][];
  /** Final memory-one policies of each pair per seed [i][j][s] = [i's pC, j's pC] (null if not memory-one). */
  policies: (number[][][] | null)[][];
  /** Final logits of the learners of each pair per seed [i][j][s] = [i's, j's] (null for a strategy side). */
  logits: ((number[] | null)[][] | null)[][];
  notes: string[];
  catalyst: CatalystEntry[];
}

export function arenaPairs(plan: ArenaPlan): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < plan.entrants.length; i++)
    for (let j = i; j < plan.entrants.length; j++) pairs.push([i, j]);
  return pairs;
}

/** Assemble pair results (i ≤ j) into the cross-play matrix and the catalyst measure. */
export function assembleArena(
  plan: ArenaPlan,
  pairs: PairResult[],
  catalyst: { shapers: string[]; naive?: string },
): ArenaResult {
  const n = plan.entrants.length;
  const grid = <T>(v: T) => Array.from({ length: n }, () => new Array<T>(n).fill(v));
  const rowReward = grid<number | null>(null);
  const rowRewardSd = grid<number | null>(null);
  const colReward = grid<number | null>(null);
  const colRewardSd = grid<number | null>(null);
  const exactRowReward = grid<number | null>(null);
  const perSeed = grid<[number, number][] | null>(null);
  const policies = grid<number[][][] | null>(null);
  const logits = grid<(number[] | null)[][] | null>(null);
  const notes: string[] = [];
  for (const p of pairs) {
    if (p.note) notes.push(p.note);
    if (!p.rewards) continue;
    const S = plan.seeds;
    const first = Array.from({ length: S }, (_, s) => p.rewards![2 * s]);
    const second = Array.from({ length: S }, (_, s) => p.rewards![2 * s + 1]);
    const fill = (r: number, c: number, own: number[], other: number[], swap: boolean) => {
      rowReward[r][c] = mean(own);
      rowRewardSd[r][c] = sd(own);
      colReward[r][c] = mean(other);
      colRewardSd[r][c] = sd(other);
      perSeed[r][c] = own.map((x, s) => [x, other[s]]);
      if (p.exact) {
        exactRowReward[r][c] = mean(Array.from({ length: S }, (_, s) => p.exact![2 * s + (swap ? 1 : 0)]));
      }
      policies[r][c] = p.policies ? p.policies.map(([x, y]) => (swap ? [y, x] : [x, y])) : null;
      logits[r][c] = p.logits ? p.logits.map(([x, y]) => (swap ? [y, x] : [x, y])) : null;
    };
    fill(p.i, p.j, first, second, false);
    if (p.i !== p.j) fill(p.j, p.i, second, first, true);
  }
  const labels = plan.entrants.map((e) => e.label);
  const findLearner = (name: string) =>
    plan.entrants.findIndex((e) => e.kind !== "strategy" && e.spec.name === name);
  const catalystEntries: CatalystEntry[] = [];
  const naiveName = catalyst.naive;
  const naive = naiveName !== undefined ? findLearner(naiveName) : -1;
  if (naive >= 0) {
    for (const shaperName of catalyst.shapers) {
      const x = findLearner(shaperName);
      if (x < 0) continue;
      const m: (number | null)[] = [];
      const d: (number | null)[] = [];
      for (let o = 0; o < n; o++) {
        const vsX = perSeed[o][x];
        const vsNaive = perSeed[o][naive];
        if (!vsX || !vsNaive) {
          m.push(null);
          d.push(null);
          continue;
        }
        const diff = vsX.map(([r], s) => r - vsNaive[s][0]);
        m.push(mean(diff));
        d.push(sd(diff));
      }
      catalystEntries.push({ shaper: labels[x], naive: labels[naive], mean: m, sd: d });
    }
  }
  return {
    game: plan.game.name,
    gamma: plan.gamma,
    seeds: plan.seeds,
    seed: plan.seed,
    entrants: labels,
    kinds: plan.entrants.map((e) => e.kind),
    budget: {
      steps: plan.steps,
      batch: plan.batch,
      rollout: plan.rollout,
      updates: plan.updates,
      evalTurns: plan.evalTurns,
    },
    rowReward,
    rowRewardSd,
    colReward,
    colRewardSd,
    exactRowReward,
    perSeed,
    policies,
    logits,
    notes,
    catalyst: catalystEntries,
  };
}

/** The whole arena in this thread (browser-safe). `onPair(done, total)` reports progress. */
export function runArena(
  names: string[],
  game: MatrixGame,
  options: ArenaOptions & {
    shapers?: string[];
    naive?: string;
    onPair?: (done: number, total: number) => void;
  } = {},
): ArenaResult {
  const plan = planArena(names, game, options);
  const pairs = arenaPairs(plan);
  const results = pairs.map(([i, j], k) => {
    const r = playArenaPair(plan, i, j);
    options.onPair?.(k + 1, pairs.length);
    return r;
  });
  return assembleArena(plan, results, {
    shapers: options.shapers ?? ["aa", "lola-dice", "lola"],
    naive: options.naive ?? defaultNaive(plan),
  });
}

/** The naive learner of the catalyst measure: pg if present, else a2c, else exact naive. */
export function defaultNaive(plan: ArenaPlan): string | undefined {
  for (const name of ["pg", "a2c", "naive"]) {
    if (plan.entrants.some((e) => e.kind !== "strategy" && e.spec.name === name)) return name;
  }
  return undefined;
}
