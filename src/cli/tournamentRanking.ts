/**
 * The ranking a `tournament`-kind experiment prints after `shapelab run`: per case (and sweep point), players in
 * rank order with their median normalised score (Axelrod's ranking score), read from the kind's final metrics
 * `rank.<name>` (0-based) and `score.<name>`, averaged over seeds. Ranking by the mean rank over seeds is what a
 * table of several seeds can honestly show; with one seed (the shipped configs) it is the tournament's ranking.
 */
import type { GroupSummary } from "../experiments/aggregate.js";

export interface RankedPlayer {
  name: string;
  /** Mean over seeds of the 0-based rank. */
  rank: number;
  /** Mean over seeds of the median normalised score. */
  score: number;
}

export function rankedPlayers(group: GroupSummary): RankedPlayer[] {
  const out: RankedPlayer[] = [];
  for (const [metric, summary] of Object.entries(group.final)) {
    if (!metric.startsWith("rank.")) continue;
    const name = metric.slice("rank.".length);
    out.push({ name, rank: summary.mean, score: group.final[`score.${name}`]?.mean ?? Number.NaN });
  }
  return out.sort((a, b) => a.rank - b.rank || b.score - a.score);
}

/** Text lines: a header per group, then `  1. Defector  2.600` per player. */
export function rankingLines(groups: readonly GroupSummary[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const players = rankedPlayers(g);
    if (players.length === 0) continue;
    const width = Math.max(...players.map((p) => p.name.length));
    lines.push(`  ${g.label} (n=${g.n}): ranking by median normalised score`);
    players.forEach((p, k) => {
      lines.push(`    ${String(k + 1).padStart(2)}. ${p.name.padEnd(width)}  ${p.score.toFixed(3)}`);
    });
  }
  return lines;
}
