/**
 * Population dynamics on top of matches.
 *
 * Moran process (birth–death), following Axelrod's MoranProcess (axelrod/moran.py; Moran 1958, Nowak 2006 ch. 6):
 * a population of N individuals (strategies, repeats allowed). Each step every pair of individuals plays a match;
 * an individual's fitness is the sum of its scores per turn. One individual is chosen to reproduce with
 * probability proportional to fitness; with probability `mutationRate` its offspring is instead of a uniformly
 * chosen *other* type from the initial population; the offspring replaces an individual chosen uniformly at
 * random (possibly the parent). Without mutation the process stops when one type has taken over (fixation);
 * with mutation it runs for `steps` steps.
 *
 * Ecological variant, following Axelrod's Ecosystem (axelrod/ecosystem.py): shares x_i of each strategy evolve by
 * discrete replicator dynamics on a tournament's payoff matrix A (mean payoff per turn of row vs column):
 *     f_i = Σ_j A_ij x_j,     x_i ← x_i f_i / Σ_k x_k f_k.
 * Fitness must be non-negative (true for Axelrod's (3, 0, 5, 1)); negative payoffs are an input error.
 */
import type { MatrixGame } from "../games/game.js";
import { InputError } from "../util/errors.js";
import { Rng } from "../util/rng.js";
import { MatchBuffers, playInto, SUMMARY_SIZE } from "./match.js";
import { type StrategySpec, specName, strategyFromSpec } from "./tournament.js";

/** The Moran process's step cap when none is given. */
export const DEFAULT_MORAN_STEPS = 10_000;

export interface MoranOptions {
  /** Turns per match (Axelrod's default for the Moran process: 100). */
  turns?: number;
  noise?: number;
  mutationRate?: number;
  seed?: number;
  /** Stop after this many steps (required to end when mutationRate > 0; default 10 000). */
  steps?: number;
}

export interface MoranResult {
  /** Type names, in order of first appearance. */
  types: string[];
  /** Count of each type (by `types` order) after each step, starting with the initial population. */
  populations: number[][];
  /** The type that fixated, or null if the run stopped first (or mutation keeps it going). */
  winner: string | null;
  steps: number;
}

export function runMoran(
  population: StrategySpec[],
  game: MatrixGame,
  options: MoranOptions = {},
): MoranResult {
  const turns = options.turns ?? 100;
  const noise = options.noise ?? 0;
  const mutationRate = options.mutationRate ?? 0;
  const maxSteps = options.steps ?? DEFAULT_MORAN_STEPS;
  if (population.length < 2)
    throw new InputError("--population", "a Moran process needs at least 2 individuals");
  if (!(mutationRate >= 0 && mutationRate <= 1))
    throw new InputError("--mutation", `must be in [0, 1], got ${mutationRate}`);
  if (!(noise >= 0 && noise <= 1)) throw new InputError("--noise", `must be in [0, 1], got ${noise}`);
  if (!Number.isInteger(turns) || turns < 1)
    throw new InputError("--turns", `must be a positive integer, got ${turns}`);
  if (!Number.isInteger(maxSteps) || maxSteps < 0)
    throw new InputError("--steps", `must be an integer ≥ 0, got ${maxSteps}`);
  const seed = options.seed ?? 0;

  const types: string[] = [];
  const typeSpecs: StrategySpec[] = [];
  for (const spec of population) {
    const name = specName(spec);
    if (!types.includes(name)) {
      types.push(name);
      typeSpecs.push(spec);
    }
  }
  const strategies = typeSpecs.map((s) => strategyFromSpec(s, game, "--population"));
  // Deterministic pairs (no noise, neither stochastic) give the same match every time: cache them by type pair.
  const deterministic = strategies.map((s) => noise === 0 && !s.classifier.stochastic);
  const cache = new Map<number, [number, number]>();
  const buffers = new MatchBuffers();
  const summary = new Float64Array(SUMMARY_SIZE);
  const perTurn = (a: number, b: number, rng: Rng): [number, number] => {
    const key = a * types.length + b;
    const cacheable = deterministic[a] && deterministic[b];
    const hit = cacheable ? cache.get(key) : undefined;
    if (hit) return hit;
    playInto(strategies[a].create(), strategies[b].create(), game, turns, noise, rng, buffers, summary, 0);
    const out: [number, number] = [summary[1] / turns, summary[2] / turns];
    if (cacheable) cache.set(key, out);
    return out;
  };

  const individuals = population.map((s) => types.indexOf(specName(s)));
  const counts = () => types.map((_, t) => individuals.filter((x) => x === t).length);
  const populations = [counts()];
  const rng = Rng.derive(seed, 0);
  const n = individuals.length;
  const fitness = new Float64Array(n);
  let step = 0;
  let winner: string | null = null;
  for (; step < maxSteps; step++) {
    if (mutationRate === 0 && individuals.every((t) => t === individuals[0])) break;
    fitness.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [fi, fj] = perTurn(individuals[i], individuals[j], Rng.derive(seed, 1, step, i, j));
        fitness[i] += fi;
        fitness[j] += fj;
      }
    }
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (fitness[i] < 0)
        throw new InputError("game", "the Moran process needs non-negative payoffs (fitness < 0)");
      total += fitness[i];
    }
    // Birth ∝ fitness (uniform if every fitness is 0).
    let parent = n - 1;
    if (total > 0) {
      const r = rng.uniform() * total;
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += fitness[i];
        if (acc >= r) {
          parent = i;
          break;
        }
      }
    } else {
      parent = rng.int(n);
    }
    let child = individuals[parent];
    if (mutationRate > 0 && types.length > 1 && rng.uniform() < mutationRate) {
      const k = rng.int(types.length - 1);
      child = k >= child ? k + 1 : k;
    }
    individuals[rng.int(n)] = child;
    populations.push(counts());
  }
  if (mutationRate === 0 && individuals.every((t) => t === individuals[0])) winner = types[individuals[0]];
  return { types, populations, winner, steps: step };
}

export interface EcosystemResult {
  names: string[];
  /** Shares after each step, starting with the initial shares. */
  shares: number[][];
}

/** Discrete replicator dynamics on a payoff matrix (Axelrod's Ecosystem). */
export function runEcosystem(
  names: string[],
  payoffMatrix: number[][],
  options: { steps?: number; initial?: number[] } = {},
): EcosystemResult {
  const n = names.length;
  const steps = options.steps ?? 100;
  const initial = options.initial ?? new Array(n).fill(1 / n);
  if (initial.length !== n || initial.some((x) => !(x >= 0)) || initial.every((x) => x === 0)) {
    throw new InputError("--initial", `needs ${n} non-negative shares, not all zero`);
  }
  const sum0 = initial.reduce((a, b) => a + b, 0);
  let x = initial.map((v) => v / sum0);
  const shares = [x];
  for (let t = 0; t < steps; t++) {
    const f = payoffMatrix.map((row) => row.reduce((acc, a, j) => acc + a * x[j], 0));
    const w = x.map((v, i) => v * f[i]);
    const total = w.reduce((a, b) => a + b, 0);
    if (f.some((v) => v < 0) || !(total > 0)) {
      throw new InputError(
        "game",
        "replicator dynamics needs non-negative payoffs with positive mean fitness",
      );
    }
    x = w.map((v) => v / total);
    shares.push(x);
  }
  return { names, shares };
}
