/**
 * Kind `coin-league`: the Advantage Alignment paper's Coin Game league (src/arena/coinLeague.ts has the protocol:
 * every pair of members once, i ≤ j, `games` fresh games of `turns` steps; per cell both sides' reward per step
 * and own-coin fraction; the catalyst measure). One run = the whole league on one evaluation seed; the
 * experiment's seeds are evaluation seeds, and the spread over training seeds is the sd over a cell's pairs.
 *
 * Agents (entrants), in any mix:
 *   {fixed: always-cooperate | always-defect | random, label?}      a fixed league agent
 *   {file: path/to/agent.json, label?}                               a saved neural agent (docs/nn.md)
 *   {from: coin-train, preset?: small, learners?: [aa, ppo, …], seeds?: n}
 *                                                                    the agents a coin-train experiment in the
 *                                                                    same store trained (its latest config; with
 *                                                                    `preset`, its latest run of that preset:
 *                                                                    src/experiments/presets.ts)
 *   {agent: "<agent-file text>", label, member?}                     an agent inline (what the two above become)
 * `file` and `from` are read by the Node runner before planning (`resolve` below), so each unit carries the
 * agents' weights and its key changes when they do: retraining makes the league rerun, and nothing else does.
 * Entrants with the same label are members of one player (e.g. AA of seeds 0, 1, 2).
 *
 * A coin-train run hands over its trained actor as the artifact `agent` (the agent-file text, or an object
 * `{agent | text, learner?, seed?}`), its learner's name as the artifact `learner` (else the run config's
 * `agents[0].learner`, `params.learner` or the case name), and its seed. A player is labelled by the run's case
 * name when the training config has cases (coin-train's: AA, PAA, PPO, PPO-sum), else by the learner.
 *
 * Records (metric families; <P>, <Q> are player labels, row P against column Q):
 *   reward           `reward.<P>.<Q>`: P's reward per step against Q (mean over the cell's pairs)
 *   opponentReward   `opponentReward.<P>.<Q>`: Q's reward per step in those games
 *   ownCoin          `ownCoin.<P>.<Q>`: P's own-coin fraction (absent when P picked up no coin)
 *   opponentOwnCoin  `opponentOwnCoin.<P>.<Q>`
 *   pickups          `pickups.<P>.<Q>`: P's pickups per step
 *   catalyst         `catalyst.<X>.<o>` = r(o vs X) − r(o vs naive) for each shaper X present, o not a cooperator
 *   catalystMin      `catalystMin.<X>`: the least of those (> 0: every non-cooperator is better off against X)
 * Artifacts: `league` (the matrix with spreads over pairs, for the `league-matrix` figure; its rowReward and
 * colReward also suit the `heatmap` figure), `members`, `notes`.
 */
import * as z from "../../zod.js";
import {
  FIXED_AGENT_LABELS,
  type LeagueCell,
  type LeagueMember,
  leagueCatalyst,
  leagueCells,
  leagueEnv,
  leaguePlayers,
  playLeague,
} from "../../arena/coinLeague.js";
import { FIXED_COIN_AGENTS } from "../../envs/coin/fixedAgents.js";
import { neuralCoinAgent } from "../../envs/coin/neuralAgent.js";
import { NEURAL_LEARNERS } from "../../learners/neural/index.js";
import { MAX_SIDE } from "../../envs/coin/params.js";
import { loadNetwork } from "../../nn/agentFile.js";
import { InputError } from "../../util/errors.js";
import { LIMITS } from "../../util/limits.js";
import { PresetNameSchema, presetExperimentName } from "../presets.js";
import { countSchema } from "../schemas.js";
import type { ConfigSources, ExperimentConfig, ExperimentKind, RunConfig, StoredResult } from "../types.js";

/** Labels are parts of metric names (`reward.<P>.<Q>`), so they hold no dot. */
const Label = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^.]+$/, "a label may not contain a dot (labels are parts of metric names)");

const FixedEntrant = z.strictObject({ fixed: z.enum(FIXED_COIN_AGENTS), label: Label.optional() });
const FileEntrant = z.strictObject({ file: z.string().min(1), label: Label.optional() });
const FromEntrant = z.strictObject({
  from: z.string().min(1),
  /** Read the runs of this preset of `from` (`run coin-train --preset small`); default: its base config. */
  preset: PresetNameSchema.optional(),
  /** Learner names to take (default: every learner the experiment trained). */
  learners: z.array(z.string().min(1)).min(1).optional(),
  /** At most this many agents per learner (the first seeds). */
  seeds: countSchema("seeds").optional(),
});
const InlineEntrant = z.strictObject({
  agent: z.string().min(1),
  label: Label,
  member: z.string().optional(),
});
const Entrant = z.union([FixedEntrant, FileEntrant, FromEntrant, InlineEntrant]);
type EntrantSpec = z.output<typeof Entrant>;

const BudgetSchema = z.strictObject({
  /** Games per pair, in one batch (the AA league: 32). */
  games: countSchema("batch").default(32),
  /** Steps per game (the AA league: 16; LOQA's: 50). */
  turns: countSchema("rollout").default(16),
});
const ParamsSchema = z.strictObject({
  height: z.number().int().min(2).max(MAX_SIDE).default(3),
  width: z.number().int().min(2).max(MAX_SIDE).default(3),
  /** Play both seat orders of every pair (the AA code plays each unordered pair once). */
  bothSeats: z.boolean().default(false),
  /** Players whose catalyst measure is recorded, when present. */
  shapers: z.array(Label).default(["AA", "PAA"]),
  /** The naive learner of the catalyst measure. */
  naive: Label.default("PPO"),
  /** Players left out of the catalyst's opponents (the claim is about non-cooperators). */
  cooperators: z.array(Label).default(["Always-Cooperate"]),
});

/** Player labels of the coin-train learners, from their registry entries (`shortLabel`, else `label`). */
export const LEARNER_LABELS: Record<string, string> = Object.fromEntries(
  NEURAL_LEARNERS.map((e) => [e.name, e.shortLabel ?? e.label]),
);

function entrants(config: RunConfig): EntrantSpec[] {
  return config.agents.map((a) => Entrant.parse(a));
}

/** The league's members; an entrant that still names a file or an experiment has not been resolved. */
function members(config: RunConfig): LeagueMember[] {
  return entrants(config).map((e, i) => {
    if ("fixed" in e)
      return { player: e.label ?? FIXED_AGENT_LABELS[e.fixed], member: e.fixed, agent: { fixed: e.fixed } };
    if ("agent" in e) return { player: e.label, member: e.member ?? `#${i}`, agent: { agentFile: e.agent } };
    throw new InputError(
      `agents[${i}]`,
      `"${"file" in e ? e.file : e.from}" is read by the Node runner (shapelab run) before the league is planned; ` +
        "here the entrant was not resolved",
    );
  });
}

/** A file's default label: its name without folders and `.json`, dots made underscores (labels hold none). */
function fileLabel(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.json$/i, "").replace(/\./g, "_") || "agent";
}

const isString = (x: unknown): x is string => typeof x === "string";

/** The trained actor a coin-train run hands over, and its learner's name (see the header). */
export function trainedAgent(run: StoredResult): { text: string; learner: string | undefined } | undefined {
  const raw = run.artifacts.agent;
  const holder = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const text = isString(raw) ? raw : [holder.agent, holder.text].find(isString);
  if (text === undefined) return undefined;
  const first = run.config.agents[0] as Record<string, unknown> | undefined;
  const learner = [
    holder.learner,
    run.artifacts.learner,
    first?.learner,
    run.config.params.learner,
    run.caseName,
  ].find(isString);
  return { text, learner };
}

/**
 * A trained agent's player label: its case's name when the training config has cases (coin-train's are AA, PAA,
 * PPO, PPO-sum; two cases of one learner stay two players), else the learner's short label.
 */
function trainedLabel(learner: string, caseName: string | null): string {
  return caseName ? caseName.replace(/\./g, "_") : (LEARNER_LABELS[learner] ?? learner);
}

/** The agents of a `from` entrant, as inline entrants. */
async function fromStore(e: z.output<typeof FromEntrant>, field: string, sources: ConfigSources) {
  const from = presetExperimentName(e.from, e.preset);
  const runs = await sources.storedRuns(from, `${field}.from`);
  const found = runs.flatMap((run) => {
    const agent = trainedAgent(run);
    return agent ? [{ ...agent, seed: run.seed, caseName: run.caseName }] : [];
  });
  if (found.length === 0) {
    throw new InputError(
      `${field}.from`,
      `the ${runs.length} complete run(s) of "${from}" hold no trained agent (artifact "agent")`,
    );
  }
  const learners = [...new Set(found.map((a) => a.learner ?? "agent"))];
  (e.learners ?? []).forEach((name, k) => {
    if (!learners.includes(name)) {
      throw new InputError(
        `${field}.learners[${k}]`,
        `"${from}" trained no "${name}" agent; it has: ${learners.join(", ")}`,
      );
    }
  });
  return (e.learners ?? learners).flatMap((name) =>
    found
      .filter((a) => (a.learner ?? "agent") === name)
      .slice(0, e.seeds)
      .map((a) => ({ agent: a.text, label: trainedLabel(name, a.caseName), member: `seed ${a.seed}` })),
  );
}

/** Decode an agent file and check that its network fits the league's board (an InputError naming `field`). */
function fitsBoard(text: string, params: { height: number; width: number }, field: string): void {
  const { network } = loadNetwork(text, undefined, field);
  neuralCoinAgent(network, leagueEnv({ ...params, turns: 1 }), field, field);
}

/** A cell's values as final metrics, under P's name (row) against Q's (column). */
function cellMetrics(cell: LeagueCell, final: Record<string, number>): void {
  const at = `${cell.row}.${cell.col}`;
  const put = (name: string, v: number | null) => {
    if (v !== null) final[`${name}.${at}`] = v;
  };
  put("reward", cell.rowReward.mean);
  put("opponentReward", cell.colReward.mean);
  put("ownCoin", cell.rowOwnCoin.mean);
  put("opponentOwnCoin", cell.colOwnCoin.mean);
  put("pickups", cell.rowPickups.mean);
}

/** A matrix of one statistic over the cells (null where a cell has no value). */
function matrix(cells: LeagueCell[][], pick: (c: LeagueCell) => number | null): (number | null)[][] {
  return cells.map((row) => row.map(pick));
}

export const coinLeagueKind: ExperimentKind = {
  name: "coin-league",
  description: "the AA paper's Coin Game league: trained agents and fixed agents, every pair, the catalyst",
  agents: z.array(Entrant).min(1),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: [
    "reward",
    "opponentReward",
    "ownCoin",
    "opponentOwnCoin",
    "pickups",
    "catalyst",
    "catalystMin",
  ],
  async resolve(config: ExperimentConfig, sources: ConfigSources): Promise<ExperimentConfig> {
    const params = ParamsSchema.safeParse(config.params);
    // Agents that do not fit the board are refused here, under the entrant the user wrote (one `from` entrant
    // becomes many agents, so the resolved list's indices would not point back at the config).
    const fits = (text: string, field: string) => {
      if (params.success) fitsBoard(text, params.data, field);
    };
    const resolved = await Promise.all(
      config.agents.map(async (raw, i) => {
        const parsed = Entrant.safeParse(raw);
        if (!parsed.success) return [raw]; // validation names the field
        const e = parsed.data;
        const field = `agents[${i}]`;
        if ("file" in e) {
          const text = sources.readText(e.file, `${field}.file`, LIMITS.agentFileBytes);
          fits(text, `${field}.file`);
          return [{ agent: text, label: e.label ?? fileLabel(e.file), member: e.file }];
        }
        if ("from" in e) {
          const found = await fromStore(e, field, sources);
          for (const a of found) fits(a.agent, `${field}.from (${a.label}, ${a.member})`);
          return found;
        }
        return [raw];
      }),
    );
    return { ...config, agents: resolved.flat() };
  },
  check(config) {
    const params = ParamsSchema.parse(config.params);
    entrants(config).forEach((e, i) => {
      if ("agent" in e) fitsBoard(e.agent, params, `agents[${i}]`);
    });
  },
  run(config: RunConfig, seed: number) {
    const { games, turns } = BudgetSchema.parse(config.budget);
    const params = ParamsSchema.parse(config.params);
    const league = members(config);
    const fields = league.map((_, i) => `agents[${i}]`);
    const { height, width, bothSeats } = params;
    const pairs = playLeague(league, { games, turns, seed, height, width, bothSeats }, fields);
    const cells = leagueCells(league, pairs);
    const final: Record<string, number> = {};
    for (const row of cells) for (const cell of row) cellMetrics(cell, final);
    const catalyst = leagueCatalyst(cells, params);
    for (const c of catalyst.results) {
      for (const b of c.byOpponent) final[`catalyst.${c.shaper}.${b.opponent}`] = b.value;
      final[`catalystMin.${c.shaper}`] = c.min;
    }
    const players = leaguePlayers(league);
    const notes = catalyst.missing.map(
      (name) =>
        `no player "${name}" in this league: the catalyst measure needs it (params.shapers / params.naive)`,
    );
    return {
      final,
      series: { steps: [], values: {} },
      artifacts: {
        league: {
          rows: players,
          cols: players,
          pairs: matrix(cells, (c) => c.pairs),
          rowReward: matrix(cells, (c) => c.rowReward.mean),
          colReward: matrix(cells, (c) => c.colReward.mean),
          rowRewardSd: matrix(cells, (c) => c.rowReward.sd),
          colRewardSd: matrix(cells, (c) => c.colReward.sd),
          rowOwnCoin: matrix(cells, (c) => c.rowOwnCoin.mean),
          colOwnCoin: matrix(cells, (c) => c.colOwnCoin.mean),
          rowOwnCoinSd: matrix(cells, (c) => c.rowOwnCoin.sd),
          colOwnCoinSd: matrix(cells, (c) => c.colOwnCoin.sd),
          catalyst: catalyst.results,
        },
        members: league.map((m) => ({ player: m.player, member: m.member })),
        notes,
      },
    };
  },
};
