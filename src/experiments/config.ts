/**
 * The experiment config: a YAML or JSON document validated by zod. Shape (see experiments/*.yaml):
 *
 *   name: exact-ipd                # lower-case, dashes
 *   kind: exact-train              # which entry point runs it (`shapelab experiments --kinds`)
 *   game: ipd-lola                 # a preset, or { payoffs: [R, S, T, P] } / 8 numbers for a bimatrix game
 *   gamma: 0.96
 *   agents: [ {learner: lola, lr: 1, eta: 1}, {learner: naive, lr: 1} ]   # checked by the kind
 *   budget: { steps: 200 }         # checked by the kind
 *   params: {}                     # kind-specific knobs, checked by the kind
 *   seeds: { count: 50, base: 0 }  # run seeds base, base+1, …
 *   metrics: [reward, pC, tft]     # metric families to record (default: all the kind has)
 *   figures: [ {type: learning-curve, metric: reward}, {type: pc-bars, agent: 1} ]
 *   cases: [ {name: NL-NL, set: {agents.0.learner: naive}} ]   # named variants (optional)
 *   sweep: { agents.0.beta: [0, 0.5, 1] }                         # a grid, crossed with cases and seeds
 *   reproduces: [ {metric: reward.1, case: LOLA-LOLA, published: -1.06, tolerance: 0.1, source: "…"} ]
 *   presets: { paper: {budget: {steps: 600}, seeds: {count: 50}} }  # named variants (presets.ts), `run --preset`
 *
 * `cases[].set` and `sweep` keys are dotted paths into game/gamma/agents/budget/params. Every error is an
 * InputError naming the field path, the value found and what is allowed.
 */
import * as z from "../zod.js";
import { InputError } from "../util/errors.js";
import { LIMITS } from "../util/limits.js";
import { KINDS, KIND_NAMES } from "./registry.js";
import { FigureSchema, GameSpecSchema, GammaSchema, ReproductionSchema, SeedsSchema } from "./schemas.js";
import type { ExperimentConfig, ExperimentKind, RunConfig } from "./types.js";
import { canonicalJson } from "./plan.js";
import { OVERRIDE_ROOTS, setPath } from "./paths.js";
import { mergePreset, PresetNameSchema, PresetsSchema } from "./presets.js";
import { parseOrThrow, showValue } from "./validate.js";

const Record = z.record(z.string(), z.unknown());

export const ConfigShellSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "lower-case letters, digits and dashes" }),
  title: z.string().optional(),
  description: z.string().optional(),
  kind: z.enum(KIND_NAMES as [string, ...string[]]),
  reproduces: z.array(ReproductionSchema).default([]),
  game: GameSpecSchema,
  gamma: GammaSchema.default(0.96),
  agents: z.array(Record).default([]),
  budget: Record.default({}),
  params: Record.default({}),
  seeds: SeedsSchema.default({ count: 1, base: 0 }),
  metrics: z.array(z.string().min(1)).min(1).optional(),
  figures: z.array(FigureSchema).default([]),
  cases: z
    .array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/), set: Record }))
    .min(1)
    .optional(),
  sweep: z.record(z.string().min(1), z.array(z.unknown()).min(1).max(LIMITS.sweepValues)).optional(),
  presets: PresetsSchema.optional(),
  preset: PresetNameSchema.optional(),
});

// The fields a case or sweep may change, and dotted-path setting, live in paths.ts (presets use them too).
export { OVERRIDE_ROOTS, setPath };

/** Largest number of runs one config may expand to. */
export const MAX_RUNS = LIMITS.runs;

type Shell = z.output<typeof ConfigShellSchema>;

/** Validate the kind-specific pieces (agents, budget, params) and return the run config with defaults filled. */
export function resolveRunConfig(shell: Shell | ExperimentConfig, note = ""): RunConfig {
  const kind = KINDS[shell.kind];
  const game = parseOrThrow(GameSpecSchema, shell.game, "game", note);
  if (kind.games && !(typeof game === "string" && kind.games.includes(game))) {
    throw new InputError(
      "game",
      `got ${showValue(game)}${note}; kind ${kind.name} allows: ${kind.games.join(", ")}`,
    );
  }
  const gamma = parseOrThrow(GammaSchema, shell.gamma, "gamma", note);
  const agents = parseOrThrow(kind.agents, shell.agents, "agents", note);
  const budget = parseOrThrow(kind.budget, shell.budget, "budget", note);
  const params = parseOrThrow(kind.params, shell.params, "params", note);
  const out: RunConfig = { name: shell.name, kind: shell.kind, game, gamma, agents, budget, params };
  if (shell.metrics) out.metrics = [...shell.metrics];
  try {
    kind.check?.(out);
  } catch (error) {
    if (error instanceof InputError && note)
      throw new InputError(error.field, `${error.message.slice(error.field.length + 2)}${note}`);
    throw error;
  }
  return out;
}

function family(metric: string): string {
  return metric.split(".")[0];
}

function checkMetricFamily(kind: ExperimentKind, field: string, metric: string): void {
  if (!kind.metricFamilies.includes(family(metric))) {
    throw new InputError(
      field,
      `got ${showValue(metric)}; allowed metric families for kind ${kind.name}: ${kind.metricFamilies.join(", ")}`,
    );
  }
}

/** Number of points in a sweep grid (1 when there is none). */
export function gridSize(sweep: Record<string, unknown[]> | undefined): number {
  return Object.values(sweep ?? {}).reduce((n, values) => n * values.length, 1);
}

/**
 * A sweep must change the runs: in every case, its values must give different effective configs (what the kind
 * reads). Sweeping a field the kind ignores there (e.g. `agents.0.eta` where agent 0 is a naive learner) would
 * run identical copies and is an error naming the case.
 */
function checkSweepMatters(kind: ExperimentKind, shell: Shell, path: string, values: unknown[]): void {
  if (values.length < 2) return;
  const effective = kind.effective ?? ((c: RunConfig) => c);
  const cases = shell.cases ?? [{ name: null as string | null, set: {} as Record<string, unknown> }];
  for (const c of cases) {
    let base: Shell = shell;
    for (const [p, v] of Object.entries(c.set)) base = setPath(base, p, v, `case ${c.name}`);
    const seen = new Set(
      values.map((v) =>
        canonicalJson(effective(resolveRunConfig(setPath(base, path, v, `sweep["${path}"]`)))),
      ),
    );
    if (seen.size < values.length) {
      throw new InputError(
        `sweep["${path}"]`,
        `${c.name ? `in case "${c.name}" ` : ""}the ${kind.name} kind ignores this field (or values repeat): ` +
          `${values.length} values give ${seen.size} distinct run(s); sweep a field the case's learners read, or ` +
          "move the sweep into cases",
      );
    }
  }
}

/**
 * Validate a parsed YAML/JSON document as an experiment config. Throws an InputError (field path, value,
 * allowed) on the first problem. Each case and each sweep value is checked on its own against the kind's schema,
 * so an error names the case or sweep entry it came from.
 */
export function validateConfig(raw: unknown): ExperimentConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError(
      "(config)",
      `got ${showValue(raw)}; expected a mapping with name, kind, game, agents …`,
    );
  }
  const shell = parseOrThrow(ConfigShellSchema, raw);
  const kind = KINDS[shell.kind];
  resolveRunConfig(shell);

  shell.metrics?.forEach((m, i) => {
    checkMetricFamily(kind, `metrics[${i}]`, m);
  });
  const caseNames = new Set<string>();
  shell.cases?.forEach((c, i) => {
    if (caseNames.has(c.name)) throw new InputError(`cases[${i}].name`, `duplicate case name "${c.name}"`);
    caseNames.add(c.name);
    let resolved: Shell = shell;
    for (const [path, value] of Object.entries(c.set)) {
      resolved = setPath(resolved, path, value, `cases[${i}].set["${path}"]`);
    }
    resolveRunConfig(resolved, ` (in case "${c.name}", cases[${i}])`);
  });
  for (const [path, values] of Object.entries(shell.sweep ?? {})) {
    values.forEach((value, j) => {
      const field = `sweep["${path}"][${j}]`;
      resolveRunConfig(setPath(shell, path, value, field), ` (from ${field})`);
    });
    checkSweepMatters(kind, shell, path, values);
  }
  const total = (shell.cases?.length ?? 1) * gridSize(shell.sweep) * shell.seeds.count;
  if (total > MAX_RUNS) {
    throw new InputError(
      "sweep",
      `expands to ${total} runs (cases × grid × seeds); at most ${MAX_RUNS} allowed`,
    );
  }
  shell.figures.forEach((f, i) => {
    if (f.type === "pc-bars") checkMetricFamily(kind, `figures[${i}].source`, f.source);
    if (
      f.type !== "pc-bars" &&
      f.type !== "heatmap" &&
      f.type !== "league-matrix" &&
      f.type !== "frame-strip"
    )
      checkMetricFamily(kind, `figures[${i}].metric`, f.metric);
    const axes = f.type === "sweep-curve" ? { x: f.x } : f.type === "sweep-heatmap" ? { x: f.x, y: f.y } : {};
    for (const [axis, path] of Object.entries(axes)) {
      if (path in (shell.sweep ?? {}) || (f.type === "sweep-heatmap" && path === "case" && shell.cases))
        continue;
      const keys = Object.keys(shell.sweep ?? {});
      throw new InputError(
        `figures[${i}].${axis}`,
        `got ${showValue(path)}; allowed: a sweep parameter (${keys.length ? keys.join(", ") : "this config has no sweep"})`,
      );
    }
  });
  shell.reproduces.forEach((r, i) => {
    checkMetricFamily(kind, `reproduces[${i}].metric`, r.metric);
    for (const path of Object.keys(r.at ?? {})) {
      if (!(path in (shell.sweep ?? {}))) {
        throw new InputError(
          `reproduces[${i}].at["${path}"]`,
          `not a sweep parameter; allowed: ${Object.keys(shell.sweep ?? {}).join(", ") || "(no sweep)"}`,
        );
      }
    }
    if (r.case !== undefined && !caseNames.has(r.case)) {
      throw new InputError(
        `reproduces[${i}].case`,
        `got ${showValue(r.case)}; allowed: ${[...caseNames].join(", ") || "(no cases defined)"}`,
      );
    }
  });
  checkPresets(shell);
  return shell as ExperimentConfig;
}

/** Every preset must give a valid config; an error names the preset and the field. */
function checkPresets(shell: Shell): void {
  if (shell.presets === undefined) return;
  if (shell.preset !== undefined) {
    throw new InputError(
      "preset",
      `got ${showValue(shell.preset)} beside presets; \`preset\` records the preset a config was made from ` +
        "(by --preset), so a config holds one or the other",
    );
  }
  for (const name of Object.keys(shell.presets)) {
    try {
      validateConfig(mergePreset(shell, name));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const at = error.field.startsWith("presets.") ? error.field : `presets.${name}: ${error.field}`;
      throw new InputError(at, error.message.slice(error.field.length + 2));
    }
  }
}
