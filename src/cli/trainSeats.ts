/**
 * The two seats of `shapelab train`, from its flags: sampled learners with the hyperparameter flags that apply to
 * each, `fixed` memory-one opponents (`--fixed`, `alld`, `allc`, `tft`), or any strategy of the registry by name.
 * A memory-one strategy becomes a `fixed` seat given by its five probabilities (exact values and P(C) per state
 * stay defined); a longer-memory one is played as itself inside the rollout (a `strategy` seat, as in the arena).
 * Also what the output says about a seat: its label, its JSON, and notes on what cannot be shown for it.
 */
import type { MatrixGame } from "../games/game.js";
import { findLearnerEntry, learnerEntries } from "../learners/registry.js";
import {
  type InitSpec,
  type LearnerSpec,
  resolveLearnerSpec,
  strategySeatSpec,
} from "../learners/sampled/train.js";
import { closestNames, splitNames, strategyByName } from "../strategies/registry.js";
import { formatMemoryDepth, type Strategy } from "../strategies/types.js";
import { InputError } from "../util/errors.js";
import { configFromFlags, type LearnerFlag, learnerFlags } from "./learnerFlags.js";
import { parseNumber } from "./options.js";

/** The fixed memory-one seats --agents knows besides `fixed` (with --fixed). */
const FIXED_SHORTHANDS: Record<string, number[]> = {
  alld: [0, 0, 0, 0, 0],
  allc: [1, 1, 1, 1, 1],
  tft: [1, 1, 0, 1, 0],
};

/**
 * Names --agents knows besides strategy names: the sampled learners (src/learners/registry.ts), `fixed` (with
 * --fixed) and three fixed shorthands.
 */
export function trainAgentNames(): string[] {
  return [...learnerEntries("sampled").map((e) => e.name), "fixed", ...Object.keys(FIXED_SHORTHANDS)];
}

/** The hyperparameter flags of `shapelab train`: one per hyperparameter name of the sampled learners. */
export function trainLearnerFlags(): LearnerFlag[] {
  return learnerFlags(learnerEntries("sampled"));
}

/**
 * `shapelab train`'s flags as commander hands them over. The learners' hyperparameter flags (`lr`, `beta`,
 * `aaVariant`, …: commander's attribute names) are generated from the learner entries, so they are not listed.
 */
export interface TrainFlags {
  game?: string;
  payoffs?: string;
  gamma: string;
  agents: string;
  fixed?: string;
  seeds: string;
  seed: string;
  batch: string;
  rollout: string;
  updates: string;
  init: string;
  evalBatch?: string;
  preset?: string;
  json?: boolean;
  quiet?: boolean;
  out?: string;
  readonly [hyperparameterFlag: string]: string | boolean | undefined;
}

export function parseInit(text: string): InitSpec {
  if (text === "zeros") return { kind: "zeros" };
  const m = /^normal(?::(.+))?$/.exec(text);
  if (m) return { kind: "normal", sd: m[1] === undefined ? 1 : parseNumber("--init", m[1], { min: 0 }) };
  throw new InputError("--init", `expected "zeros", "normal" or "normal:<sd>", got "${text}"`);
}

function parseProbabilities(text: string): number[] {
  const parts = text.split(",");
  if (parts.length !== 5) {
    throw new InputError("--fixed", `expected 5 probabilities "start,CC,CD,DC,DD" (own view), got "${text}"`);
  }
  return parts.map((p) => parseNumber("--fixed", p, { min: 0, max: 1 }));
}

/** A seat as --agents named it: the trainer's spec, a display name, and the strategy it came from (if any). */
export interface TrainSeat {
  spec: LearnerSpec;
  name: string;
  strategy?: Strategy;
}

/**
 * A strategy from the registry as a seat: memory-one strategies by their five probabilities (a `fixed` seat),
 * longer-memory ones played as themselves (a `strategy` seat). An unknown name is an InputError on `--agents`
 * whose suggestions include the learner names.
 */
export function strategySeat(name: string, game: MatrixGame): TrainSeat {
  let strategy: Strategy;
  try {
    strategy = strategyByName(name, game, "--agents");
  } catch (error) {
    if (!(error instanceof InputError) || !error.message.includes("unknown strategy")) throw error;
    const near = closestNames(name, game, 3, trainAgentNames()).map((n) => `"${n}"`);
    const learners = learnerEntries("sampled").map((e) => e.name);
    throw new InputError(
      "--agents",
      `unknown agent "${name}"; did you mean ${near.join(", ")}? Learners: ${learners.join(", ")}; fixed ` +
        `memory-one: fixed (with --fixed), ${Object.keys(FIXED_SHORTHANDS).join(", ")}; or any strategy name ` +
        "(`shapelab strategies`)",
    );
  }
  return { spec: strategySeatSpec(strategy), name: strategy.name, strategy };
}

/** A strategy seat that is not memory-one: no P(C) per state, no exact value. */
export function playedAsItself(seat: TrainSeat): boolean {
  return seat.spec.name === "strategy";
}

/**
 * Build both seats from the flags: learner names (any case), `fixed` and its shorthands, or strategy names. A
 * hyperparameter flag applies to every seat whose learner uses it.
 */
export function trainSeatsFromFlags(flags: TrainFlags, game: MatrixGame): [TrainSeat, TrainSeat] {
  const names = splitNames(flags.agents);
  if (names.length !== 2)
    throw new InputError(
      "--agents",
      `expected two agents "a,b" (learners or strategy names; separate them with ";" when a name holds a ` +
        `comma, e.g. "aa; ZD-Extort-2: 0.1, 0.5"), got "${flags.agents}"`,
    );
  const hyperparameterFlags = trainLearnerFlags();
  const used = new Set<string>();
  const seatOf = (raw: string): TrainSeat => {
    const key = raw.toLowerCase();
    const shorthand = FIXED_SHORTHANDS[key];
    if (shorthand) return { spec: { name: "fixed", pC: shorthand }, name: `fixed ${shorthand.join("/")}` };
    if (key === "fixed") {
      if (flags.fixed === undefined) throw new InputError("--fixed", "is required when an agent is `fixed`");
      used.add("fixed");
      const pC = parseProbabilities(flags.fixed);
      return { spec: { name: "fixed", pC }, name: `fixed ${pC.join("/")}` };
    }
    const entry = findLearnerEntry("sampled", key);
    if (!entry) return strategySeat(raw, game);
    const config = configFromFlags(entry, hyperparameterFlags, flags);
    return { spec: { name: entry.name, ...config } as LearnerSpec, name: entry.name };
  };
  const seats = names.map(seatOf);
  if (flags.fixed !== undefined && !used.has("fixed"))
    throw new InputError("--fixed", "needs an agent named `fixed`");
  return seats as [TrainSeat, TrainSeat];
}

/** "agent 2 (Grudger)": the seat's label in tables and figure legends. */
export function seatLabel(seat: TrainSeat, index: number): string {
  return `agent ${index + 1} (${seat.name})`;
}

/** What the output cannot show for these seats, and why (printed in the summary and the JSON). */
export function seatNotes(seats: readonly TrainSeat[]): string[] {
  const notes: string[] = [];
  seats.forEach((seat, i) => {
    if (!seat.strategy || !playedAsItself(seat)) return;
    notes.push(
      `${seatLabel(seat, i)} is not memory-one (memory depth ${formatMemoryDepth(seat.strategy.classifier.memoryDepth)}): ` +
        "it is played as itself in every game, has no P(C) per state (only the empirical frequencies of the " +
        "evaluation rollout), and the pair has no exact value; rewards are the sampled means of the training rollouts",
    );
    const other = seats[1 - i];
    if (other.spec.name === "lola-dice")
      notes.push(
        `${seatLabel(other, 1 - i)} learns without its look-ahead term against a fixed strategy (it does not learn)`,
      );
  });
  return notes;
}

/** A seat's spec for the JSON output, every hyperparameter resolved, with the strategy it came from. */
export function seatJson(seat: TrainSeat): Record<string, unknown> {
  const spec = resolveLearnerSpec(seat.spec);
  if (!seat.strategy) return spec;
  return {
    ...spec,
    strategy: seat.strategy.name,
    memoryDepth: formatMemoryDepth(seat.strategy.classifier.memoryDepth),
  };
}
