/**
 * The matrix a `coin-league` experiment prints after `shapelab run`: per case, each row player's reward per step
 * against each column player, then the opponent's, with the row's own-coin fraction in brackets, read from the
 * kind's final metrics (`reward.<P>.<Q>`, `opponentReward.<P>.<Q>`, `ownCoin.<P>.<Q>`) averaged over seeds; then
 * the catalyst measure. Labels hold no dots (the kind refuses them), so a metric name splits at its dots.
 */
import type { GroupSummary } from "../experiments/aggregate.js";

/** Players in the order their `reward.<P>.<Q>` metrics appear. */
export function leaguePlayerNames(group: GroupSummary): string[] {
  const names = new Set<string>();
  for (const metric of Object.keys(group.final)) {
    const [family, row, col] = metric.split(".");
    if (family !== "reward" || col === undefined) continue;
    names.add(row);
    names.add(col);
  }
  return [...names];
}

const show = (x: number | undefined, digits: number) => (x === undefined ? "–" : x.toFixed(digits));

export function leagueLines(groups: readonly GroupSummary[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    const players = leaguePlayerNames(g);
    if (players.length === 0) continue;
    const at = (family: string, p: string, q: string) => g.final[`${family}.${p}.${q}`]?.mean;
    const w = Math.max(...players.map((p) => p.length), 6);
    const cw = Math.max(22, ...players.map((p) => p.length + 2));
    lines.push(
      `  ${g.label} (n=${g.n}): row's reward / opponent's reward per step (row's own-coin fraction)`,
      `    ${"".padEnd(w)}${players.map((q) => q.padStart(cw)).join("")}`,
    );
    for (const p of players) {
      const cells = players.map((q) =>
        `${show(at("reward", p, q), 2)} / ${show(at("opponentReward", p, q), 2)} (${show(at("ownCoin", p, q), 2)})`.padStart(
          cw,
        ),
      );
      lines.push(`    ${p.padEnd(w)}${cells.join("")}`);
    }
    for (const metric of Object.keys(g.final)) {
      if (!metric.startsWith("catalystMin.")) continue;
      const shaper = metric.slice("catalystMin.".length);
      const each = Object.entries(g.final)
        .filter(([m]) => m.startsWith(`catalyst.${shaper}.`))
        .map(([m, v]) => ({ opponent: m.slice(`catalyst.${shaper}.`.length), mean: v.mean }));
      // The verdict is on the means over seeds shown here (catalystMin itself is the mean of each seed's least).
      const least = Math.min(...each.map((e) => e.mean));
      const listed = each.map((e) => `${e.opponent} ${e.mean >= 0 ? "+" : ""}${e.mean.toFixed(3)}`);
      const verdict =
        least > 0 ? "every non-cooperator is better off" : "NOT every non-cooperator is better off";
      lines.push(
        `    catalyst of ${shaper} (r(o vs ${shaper}) − r(o vs naive), non-cooperators o): ${listed.join(", ")}; ` +
          `least ${least.toFixed(3)} → ${verdict}`,
      );
    }
  }
  return lines;
}
