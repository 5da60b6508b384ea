/**
 * The data that flows through an experiment: a validated config, the run units a sweep expands to, and the
 * results each run returns. All of it is plain, JSON-serialisable data (no classes, no typed arrays, no
 * functions), so a unit can cross a worker-thread boundary today and a distributed queue later.
 */
import type * as z from "../zod.js";

/** A validated experiment config (see `config.ts` for the schema and `experiments/*.md` for examples). */
export interface ExperimentConfig {
  name: string;
  title?: string;
  description?: string;
  kind: string;
  reproduces: Reproduction[];
  game: GameSpec;
  gamma: number;
  agents: Record<string, unknown>[];
  budget: Record<string, unknown>;
  params: Record<string, unknown>;
  seeds: { count: number; base: number };
  metrics?: string[];
  figures: FigureSpec[];
  cases?: { name: string; set: Record<string, unknown> }[];
  sweep?: Record<string, unknown[]>;
  /** Named variants (src/experiments/presets.ts): preset name → overrides merged over this config. */
  presets?: Record<string, Record<string, unknown>>;
  /** The preset this config is (set by `--preset`); the store files it as the experiment `<name>@<preset>`. */
  preset?: string;
}

/** A preset name (`ipd-lola`) or explicit payoffs: 4 numbers R,S,T,P or 8 (agent 1's 2x2 then agent 2's). */
export type GameSpec = string | { name?: string; payoffs: number[] } | NPlayerGameSpec;

/** An N-player dilemma (src/games/nPlayer.ts), for the N-player kinds. */
export interface NPlayerGameSpec {
  name?: string;
  /** `public-goods`: r = ρe(N − k)/N + e·[D]; `ipd`: pax's N-player IPD r = 4 − 2k + 3·[D]; `table`: given. */
  dilemma: "public-goods" | "ipd" | "table";
  players: number;
  endowment?: number;
  multiplier?: number;
  cooperate?: number[];
  defect?: number[];
}

/** A published number this experiment is compared with. */
export interface Reproduction {
  /** Final metric name, e.g. `reward.1`; its mean over seeds (within `case`, if given) is compared. */
  metric: string;
  case?: string;
  /** Only runs at this sweep point (parameter path → value), e.g. `{"params.beta": 1}`. */
  at?: Record<string, unknown>;
  published: number;
  /** The reproduction passes when |ours − published| ≤ tolerance. */
  tolerance?: number;
  source: string;
  note?: string;
}

export type FigureSpec =
  | { type: "learning-curve"; metric: string; name?: string; title?: string }
  | { type: "pc-bars"; agent: number; source: "pC" | "epC"; name?: string; title?: string }
  | { type: "heatmap"; artifact: string; name?: string; title?: string }
  | { type: "league-matrix"; artifact: string; value: "reward" | "ownCoin"; name?: string; title?: string }
  | { type: "bars"; metric: string; name?: string; title?: string }
  | { type: "frame-strip"; artifact: string; frames: number; show?: string[]; name?: string; title?: string }
  | { type: "sweep-curve"; x: string; metric: string; logLog?: boolean; name?: string; title?: string }
  | { type: "sweep-heatmap"; x: string; y: string; metric: string; name?: string; title?: string };

/** The part of a config one run needs: everything that determines its numbers, nothing about figures. */
export interface RunConfig {
  name: string;
  kind: string;
  game: GameSpec;
  gamma: number;
  agents: Record<string, unknown>[];
  budget: Record<string, unknown>;
  params: Record<string, unknown>;
  metrics?: string[];
}

/** One run: (experiment config at one parameter point, one seed). Plain data. */
export interface RunUnit {
  /** Identity for resume: a hash of the run config and seed (same config + seed → same key). */
  key: string;
  experiment: string;
  /** Position in the sweep's expansion order (cases × grid × seeds); used only for ordering output. */
  index: number;
  caseName: string | null;
  /** The sweep values of this point, by parameter path (e.g. `{"agents.0.beta": 0.5}`). */
  point: Record<string, unknown>;
  seedIndex: number;
  seed: number;
  config: RunConfig;
}

/** What one run returns. Metric names are `family.detail`, e.g. `reward.1`, `pC.1.CC`, `tft.2`. */
export interface RunResult {
  final: Record<string, number>;
  /** Time series on a shared step axis: `values[name][i]` was recorded at `steps[i]`. */
  series: { steps: number[]; values: Record<string, number[]> };
  /** Extra JSON data (a payoff matrix, action strings …), stored as files beside the store. */
  artifacts: Record<string, unknown>;
  /** Compute time of the run itself, in ms (not part of the deterministic results). */
  elapsedMs: number;
}

/**
 * What a kind may read from outside its config while the config is resolved, before planning (kind.resolve).
 * The Node runner supplies it (src/node/configSources.ts): files on disk and the run store. Kinds stay
 * isomorphic: they never open a file themselves, and a unit carries everything its run needs.
 */
export interface ConfigSources {
  /** A text file's contents (size-capped); a missing or unreadable file is an InputError naming `field`. */
  readText(path: string, field: string, maxBytes: number): string;
  /**
   * The complete runs of the latest config of experiment `name` in the store, in plan order, with their
   * artifacts read; an InputError naming `field` when the store has none.
   */
  storedRuns(name: string, field: string): Promise<StoredResult[]>;
}

/** A finished run as `ConfigSources.storedRuns` returns it. */
export interface StoredResult {
  key: string;
  seed: number;
  caseName: string | null;
  point: Record<string, unknown>;
  config: RunConfig;
  final: Record<string, number>;
  artifacts: Record<string, unknown>;
}

/**
 * Where a long run keeps its resumable state (a training's weights and step): the run store (src/node/
 * checkpointFiles.ts's `storeCheckpointSink`), a file (the CLI's `train`), memory in tests. One interface for all.
 */
export interface CheckpointSink {
  load(): string | undefined;
  save(text: string): void;
  clear(): void;
}

/** What the thread that runs a unit may hand its kind besides (config, seed): never anything the numbers depend on. */
export interface RunContext {
  /** This run's checkpoint, keyed by its run key and code version; a kind that resumes from it must give the
   * numbers of an uninterrupted run. */
  checkpoint?: CheckpointSink;
  /**
   * The unit's own progress (e.g. training updates done of total), for the runner's bar: a unit that trains for
   * minutes would otherwise show nothing until it ends. A kind calls it as it goes; it may be called often (the
   * thread running the unit passes it on at most a few times a second).
   */
  progress?: UnitProgress;
}

/** `done` of `total` parts of one unit's work are finished (0 ≤ done ≤ total). */
export type UnitProgress = (done: number, total: number) => void;

/** A kind of experiment: how to validate its agents/budget/params, and how to run one unit. */
export interface ExperimentKind {
  name: string;
  description: string;
  agents: z.ZodType<Record<string, unknown>[]>;
  budget: z.ZodType<Record<string, unknown>>;
  params: z.ZodType<Record<string, unknown>>;
  /**
   * The part of a run config the run reads (default: all of it). A sweep whose values give equal effective
   * configs in some case is an error (the kind ignores that field there), not a set of identical runs.
   */
  effective?(config: RunConfig): unknown;
  /** Checks beyond the schemas (e.g. strategy names known for the game); throws InputError naming the field. */
  check?(config: RunConfig): void;
  /**
   * Replace references to outside data (agent files by path, agents trained by another experiment in the store)
   * by the data itself, so that every unit is self-contained and its key changes when that data does. Called by
   * the Node runner and the report before planning; a kind without it needs nothing from outside.
   */
  resolve?(config: ExperimentConfig, sources: ConfigSources): Promise<ExperimentConfig>;
  /** The kind saves and resumes its state through `RunContext.checkpoint` (a store then opens a sink for it). */
  resumable?: boolean;
  /** Game presets this kind accepts (default: any game). */
  games?: readonly string[];
  /** Metric families the kind records (the prefix before the first dot of each metric name). */
  metricFamilies: readonly string[];
  /**
   * Run one unit. Must depend only on `config` and `seed` (derive every random stream from `seed`); `context`
   * may let a long run save and resume its state, which must not change its numbers.
   */
  run(
    config: RunConfig,
    seed: number,
    context?: RunContext,
  ): Omit<RunResult, "elapsedMs"> | Promise<Omit<RunResult, "elapsedMs">>;
}
