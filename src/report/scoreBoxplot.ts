/**
 * Box plots of a tournament's normalised scores, one box per player over its repetitions, players in rank order:
 * the figure Axelrod's `Plot(results).boxplot()` draws (its `_boxplot_dataset` is the normalised scores per
 * repetition, ordered by `ranking`). Isomorphic: rows + a Vega-Lite spec, rendered by src/report/render.ts or
 * written with src/node/figures.ts.
 */
import type { TopLevelSpec } from "vega-lite";

export interface ScoreRow {
  [column: string]: string | number | boolean | null;
  player: string;
  repetition: number;
  score: number;
}

/** One row per (player, repetition) from `normalisedScores[player][repetition]`. */
export function scoreRows(
  players: readonly string[],
  normalisedScores: readonly (readonly number[])[],
): ScoreRow[] {
  const rows: ScoreRow[] = [];
  players.forEach((player, i) => {
    normalisedScores[i].forEach((score, repetition) => {
      rows.push({ player, repetition, score });
    });
  });
  return rows;
}

export function scoreBoxplotSpec(rankedNames: readonly string[], options: { title: string }): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: options.title,
      subtitle: "normalised score (mean per turn) over repetitions, in rank order",
    },
    width: Math.max(300, 40 * rankedNames.length),
    height: 260,
    data: { values: [] },
    mark: { type: "boxplot", extent: "min-max" },
    encoding: {
      x: { field: "player", type: "nominal", sort: [...rankedNames], title: null, axis: { labelAngle: -40 } },
      y: { field: "score", type: "quantitative", title: "normalised score", scale: { zero: false } },
    },
  } as TopLevelSpec;
}
