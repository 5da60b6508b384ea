/**
 * The two seats of `shapelab train`, from its flags: sampled learners with the hyperparameter flags that apply to
 * each, `fixed` memory-one opponents (`--fixed`, `alld`, `allc`, `tft`), or any strategy of the registry by name.
 * A memory-one strategy becomes a `fixed` seat given by its five probabilities (exact values and P(C) per state
 * stay defined); a longer-memory one is played as itself inside the rollout (a `strategy` seat, as in the arena).
 * Also what the output says about a seat: its label, its JSON, and notes on what cannot be shown for it.
 */
import type { MatrixGame } from "../games/game.js";
import { AA_PAST_ADVANTAGES, AA_VARIANTS, parseQuadrants } from "../learners/sampled/aa.js";
import { OPTIMIZERS } from "../learners/sampled/learner.js";
import {
  type InitSpec,
  type LearnerSpec,
  resolveLearnerSpec,
  strategySeatSpec,
} from "../learners/sampled/train.js";
import { closestNames, splitNames, strategyByName } from "../strategies/registry.js";
import { formatMemoryDepth, type Strategy } from "../strategies/types.js";
import { InputError, requireOneOf } from "../util/errors.js";
import type { LimitName } from "../util/limits.js";
import { parseCount, parseNumber } from "./options.js";

/**
 * Names --agents knows besides strategy names: the sampled learners, `fixed` (with --fixed) and three fixed
 * shorthands.
 */
export const TRAIN_AGENT_NAMES = ["pg", "a2c", "aa", "lola-dice", "fixed", "alld", "allc", "tft"] as const;
type TrainAgentName = (typeof TRAIN_AGENT_NAMES)[number];
const FIXED_SHORTHANDS: Record<string, number[]> = {
  alld: [0, 0, 0, 0, 0],
  allc: [1, 1, 1, 1, 1],
  tft: [1, 1, 0, 1, 0],
};

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
  lr?: string;
  optimizer?: string;
  lrCritic?: string;
  criticSweeps?: string;
  beta?: string;
  entropy?: string;
  normalize?: boolean;
  gaeLambda?: string;
  aaVariant?: string;
  aaPast?: string;
  maskQuadrants?: string;
  discountSteps: boolean;
  lrInner?: string;
  lrOuter?: string;
  lookahead?: string;
  baseline?: boolean;
  magicBox: boolean;
  preset?: string;
  json?: boolean;
  quiet?: boolean;
  out?: string;
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
    const near = closestNames(name, game, 3, TRAIN_AGENT_NAMES).map((n) => `"${n}"`);
    throw new InputError(
      "--agents",
      `unknown agent "${name}"; did you mean ${near.join(", ")}? Learners: pg, a2c, aa, lola-dice; fixed ` +
        "memory-one: fixed (with --fixed), alld, allc, tft; or any strategy name (`shapelab strategies`)",
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
  const num = (
    flag: string,
    value: string | undefined,
    range: { min?: number; max?: number } = { min: 0 },
  ) => (value === undefined ? undefined : parseNumber(flag, value, range));
  const int = (flag: string, value: string | undefined, min: number, limit: LimitName) =>
    value === undefined ? undefined : parseCount(flag, value, limit, min);
  const lr = num("--lr", flags.lr);
  const optimizer =
    flags.optimizer === undefined ? undefined : requireOneOf("--optimizer", flags.optimizer, OPTIMIZERS);
  const lrCritic = num("--lr-critic", flags.lrCritic);
  const criticSweeps = int("--critic-sweeps", flags.criticSweeps, 1, "criticSweeps");
  const entropy = num("--entropy", flags.entropy);
  const gaeLambda = num("--gae-lambda", flags.gaeLambda, { min: 0, max: 1 });
  const normalize = flags.normalize;
  const used = new Set<string>();
  const learnerSpec = (name: TrainAgentName): LearnerSpec => {
    const drop = <T extends object>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    switch (name) {
      case "alld":
      case "allc":
      case "tft":
        return { name: "fixed", pC: FIXED_SHORTHANDS[name] };
      case "fixed":
        if (flags.fixed === undefined)
          throw new InputError("--fixed", "is required when an agent is `fixed`");
        used.add("fixed");
        return { name: "fixed", pC: parseProbabilities(flags.fixed) };
      case "pg":
        return drop({ name, lr, optimizer, lrCritic, normalize, entropy });
      case "a2c":
        return drop({ name, lr, optimizer, lrCritic, criticSweeps, gaeLambda, normalize, entropy });
      case "aa":
        used.add("aa");
        return drop({
          name,
          lr,
          optimizer,
          lrCritic,
          criticSweeps,
          gaeLambda,
          normalize,
          entropy,
          beta: num("--beta", flags.beta),
          variant:
            flags.aaVariant === undefined
              ? undefined
              : requireOneOf("--aa-variant", flags.aaVariant, AA_VARIANTS),
          pastAdvantage:
            flags.aaPast === undefined
              ? undefined
              : requireOneOf("--aa-past", flags.aaPast, AA_PAST_ADVANTAGES),
          maskQuadrants:
            flags.maskQuadrants === undefined
              ? undefined
              : parseQuadrants("--mask-quadrants", flags.maskQuadrants),
          discountSteps: flags.discountSteps,
        });
      case "lola-dice":
        used.add("lola-dice");
        return drop({
          name,
          lrOuter: num("--lr-outer", flags.lrOuter),
          lrInner: num("--lr-inner", flags.lrInner),
          lookahead: int("--lookahead", flags.lookahead, 0, "diceLookahead"),
          optimizer,
          baseline: flags.baseline,
          lrCritic,
          magicBox: flags.magicBox,
        });
    }
  };
  const seats = names.map((raw): TrainSeat => {
    const key = raw.toLowerCase();
    if (!(TRAIN_AGENT_NAMES as readonly string[]).includes(key)) return strategySeat(raw, game);
    const spec = learnerSpec(key as TrainAgentName);
    return { spec, name: spec.name === "fixed" ? `fixed ${spec.pC.join("/")}` : spec.name };
  });
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
