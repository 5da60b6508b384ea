/**
 * Schema pieces shared by the experiment config and by every kind: games, seeds, figures, reproductions.
 * zod v4 objects are strict: an unknown (misspelt) field is an error, not silently ignored.
 */
import * as z from "../zod.js";
import { type MatrixGame, validateGamma } from "../games/game.js";
import { MAX_PLAYERS, type NPlayerGame, nPlayerGameFromTable, publicGoodsGame } from "../games/nPlayer.js";
import { GAME_PRESET_NAMES, gamePreset, parsePayoffs } from "../games/presets.js";
import { InputError } from "../util/errors.js";
import type { GameSpec, NPlayerGameSpec } from "./types.js";
import { LIMITS, type LimitName } from "../util/limits.js";

/** A count field bounded by the one table of limits (src/util/limits.ts), the same bound as its CLI flag. */
export function countSchema(limit: LimitName, min = 1) {
  return z.number().int().min(min).max(LIMITS[limit]);
}

/** The N-player game a validated `{dilemma, players, …}` spec names (a two-player spec is refused). */
export function resolveNPlayerGameSpec(spec: GameSpec): NPlayerGame {
  if (typeof spec === "string" || !("dilemma" in spec)) {
    throw new InputError(
      "game",
      "this kind needs an N-player game: {dilemma: public-goods | ipd | table, players: N}",
    );
  }
  const { dilemma, players } = spec as NPlayerGameSpec;
  if (dilemma === "public-goods") {
    const game = publicGoodsGame(players, { endowment: spec.endowment, multiplier: spec.multiplier });
    return spec.name ? { ...game, name: spec.name } : game;
  }
  if (dilemma === "ipd") {
    const cooperate = Array.from({ length: players }, (_, k) => 4 - 2 * k);
    const defect = Array.from({ length: players }, (_, m) => 4 - 2 * (m + 1) + 3);
    return nPlayerGameFromTable(spec.name ?? `n-ipd-${players}`, cooperate, defect, { field: "game" });
  }
  if (!spec.cooperate || !spec.defect) {
    throw new InputError(
      "game",
      "dilemma: table needs cooperate (k = 0..N−1 defectors) and defect (k = 1..N)",
    );
  }
  if (spec.cooperate.length !== players) {
    throw new InputError(
      "game.cooperate",
      `must have players = ${players} entries, got ${spec.cooperate.length}`,
    );
  }
  return nPlayerGameFromTable(spec.name ?? `table-${players}`, spec.cooperate, spec.defect, {
    field: "game",
  });
}

export const GameSpecSchema = z.union([
  z.enum(GAME_PRESET_NAMES as [string, ...string[]]),
  z.strictObject({
    name: z.string().min(1).optional(),
    payoffs: z
      .array(z.number().min(-LIMITS.payoff).max(LIMITS.payoff))
      .refine((a) => a.length === 4 || a.length === 8, {
        message: "payoffs must be 4 numbers [R, S, T, P] or 8 numbers (agent 1's 2x2 matrix, then agent 2's)",
      }),
  }),
  z.strictObject({
    name: z.string().min(1).optional(),
    dilemma: z.enum(["public-goods", "ipd", "table"]),
    players: z.number().int().min(2).max(MAX_PLAYERS),
    endowment: z.number().optional(),
    multiplier: z.number().optional(),
    cooperate: z.array(z.number()).optional(),
    defect: z.array(z.number()).optional(),
  }),
]);

/** The MatrixGame a validated game spec names. */
export function resolveGameSpec(spec: GameSpec): MatrixGame {
  if (typeof spec === "string") return gamePreset(spec, "game");
  if ("dilemma" in spec) {
    throw new InputError(
      "game",
      "an N-player game ({dilemma, players}) needs an N-player kind (n-player-exact, n-agent-sampled, n-player-arena)",
    );
  }
  const game = parsePayoffs(spec.payoffs.join(","), "game.payoffs");
  return spec.name ? { ...game, name: spec.name } : game;
}

export const GammaSchema = z.number().refine(
  (g) => {
    try {
      validateGamma(g);
      return true;
    } catch {
      return false;
    }
  },
  { message: "gamma must be in [0, 1)" },
);

export const SeedsSchema = z.strictObject({
  count: countSchema("seeds"),
  base: countSchema("seed", 0).default(0),
});

const figureCommon = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .optional(),
  title: z.string().optional(),
};
export const FigureSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("learning-curve"), metric: z.string().min(1), ...figureCommon }),
  z.strictObject({
    type: z.literal("pc-bars"),
    agent: z.number().int().min(1).max(2).default(1),
    /** `pC`: the final policy's probabilities; `epC`: empirical frequencies in an evaluation rollout. */
    source: z.enum(["pC", "epC"]).default("pC"),
    ...figureCommon,
  }),
  z.strictObject({
    type: z.literal("heatmap"),
    artifact: z.string().min(1).default("payoffMatrix"),
    ...figureCommon,
  }),
  /** The Coin Game league as the AA paper draws it: split squares, row's value bottom-left (kind coin-league). */
  z.strictObject({
    type: z.literal("league-matrix"),
    artifact: z.string().min(1).default("league"),
    value: z.enum(["reward", "ownCoin"]).default("reward"),
    ...figureCommon,
  }),
  z.strictObject({ type: z.literal("bars"), metric: z.string().min(1), ...figureCommon }),
  /** Frames of one recorded episode per entry of an artifact (kind commons-harvest's `episodes`), first seed. */
  z.strictObject({
    type: z.literal("frame-strip"),
    artifact: z.string().min(1).default("episodes"),
    frames: z.number().int().min(1).max(50).default(6),
    /** Which recorded episodes (the artifact's `runs` keys), in order; default all. */
    show: z.array(z.string().min(1)).min(1).optional(),
    ...figureCommon,
  }),
  z.strictObject({
    type: z.literal("sweep-curve"),
    x: z.string().min(1),
    metric: z.string().min(1),
    /** Log scales on both axes, and each line's power-law exponent (least squares on log y vs log x) in its label. */
    logLog: z.boolean().optional(),
    ...figureCommon,
  }),
  z.strictObject({
    type: z.literal("sweep-heatmap"),
    /** A swept parameter's path, or "case" for the case names. */
    x: z.string().min(1),
    y: z.string().min(1),
    metric: z.string().min(1),
    ...figureCommon,
  }),
]);

export const ReproductionSchema = z.strictObject({
  metric: z.string().min(1),
  case: z.string().min(1).optional(),
  at: z.record(z.string(), z.unknown()).optional(),
  published: z.number(),
  tolerance: z.number().min(0).optional(),
  source: z.string().min(1),
  note: z.string().optional(),
});

/** A probability in [0, 1]. */
export const Probability = z.number().min(0).max(1);

/** Five cooperation probabilities in own-view state order [start, CC, CD, DC, DD]. */
export const MemoryOneVector = z.array(Probability).length(5);
