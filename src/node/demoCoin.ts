/**
 * The Coin Game part of the demo (`npm start`): which experiments train and pit neural agents and how to run them,
 * the fixed agents' league rows beside the AA league's published reference points (a fraction of a second), and,
 * when pretrained agent files ship in `experiments/agents/*.json` (the hook: drop agent files there, e.g. a small
 * AA and PPO pair saved by `shapelab train --env coin … --out`), their league rows against each other and the
 * fixed agents, without any training. Each file is one player, labelled by the learner its config names
 * (`config.learner` or `config.learner.learner`, e.g. "aa" → AA) or else by its file name.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  FIXED_AGENT_LABELS,
  type LeagueCell,
  type LeagueMember,
  leagueCells,
  leaguePlayers,
  playLeague,
} from "../arena/coinLeague.js";
import { FIXED_COIN_AGENTS } from "../envs/coin/fixedAgents.js";
import { LEARNER_LABELS } from "../experiments/kinds/coinLeague.js";
import { loadNetwork } from "../nn/agentFile.js";
import { fixed } from "../util/format.js";
import { LIMITS } from "../util/limits.js";
import { readTextCapped } from "./files.js";
import { PACKAGE_ROOT } from "./version.js";

/** Where pretrained agents may ship (the demo's hook; absent or empty: the demo shows the fixed agents only). */
export const SHIPPED_AGENTS_DIR = join(PACKAGE_ROOT, "experiments", "agents");

/** The demo's league protocol: the AA league's 16-step games, more games than its 32 for steadier numbers. */
const DEMO_LEAGUE = { games: 256, turns: 16, height: 3, width: 3, seed: 0, bothSeats: false };

/**
 * The learner an agent file's config names: `config.learner` as a name, or as `{ learner: name, config }` (what
 * `shapelab train --env coin --out` writes).
 */
function learnerName(config: unknown): unknown {
  const learner = (config as { learner?: unknown } | null)?.learner;
  return typeof learner === "object" && learner !== null
    ? (learner as { learner?: unknown }).learner
    : learner;
}

/** Agent files in `dir` as league members, one player each (see the header). */
export function shippedAgents(dir: string): LeagueMember[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const text = readTextCapped(path, LIMITS.agentFileBytes, path);
      const { config } = loadNetwork(text, undefined, path);
      const learner = learnerName(config);
      const label =
        typeof learner === "string" ? (LEARNER_LABELS[learner] ?? learner) : f.replace(/\.json$/, "");
      return { player: `${label} (${f})`, member: f, agent: { agentFile: text } };
    });
}

const cellText = (c: LeagueCell) =>
  c.rowReward.mean === null
    ? "–"
    : `${fixed(c.rowReward.mean, 2)} / ${fixed(c.colReward.mean as number, 2)}` +
      ` (${c.rowOwnCoin.mean === null ? "–" : fixed(c.rowOwnCoin.mean, 2)})`;

/** Rows `rows` of a league's matrix as text: row's / opponent's reward per step (row's own-coin fraction). */
function matrixLines(members: LeagueMember[], rows: number): string[] {
  const cells = leagueCells(members, playLeague(members, DEMO_LEAGUE));
  const players = leaguePlayers(members);
  const w = Math.max(...players.map((p) => p.length));
  const cw = Math.max(22, ...players.map((p) => p.length + 2));
  return [
    `  ${"".padEnd(w)}${players.map((p) => p.padStart(cw)).join("")}`,
    ...players
      .slice(0, rows)
      .map((p, i) => `  ${p.padEnd(w)}${cells[i].map((c) => cellText(c).padStart(cw)).join("")}`),
  ];
}

export function coinDemoSection(agentsDir = SHIPPED_AGENTS_DIR): string {
  const fixedMembers: LeagueMember[] = FIXED_COIN_AGENTS.map((name) => ({
    player: FIXED_AGENT_LABELS[name],
    member: name,
    agent: { fixed: name },
  }));
  const lines = [
    `Fixed agents, ${DEMO_LEAGUE.games} games × ${DEMO_LEAGUE.turns} steps per pair (row's / opponent's reward per step, row's own-coin):`,
    ...matrixLines(fixedMembers, fixedMembers.length),
    "  AA league (published): Always-Defect vs Always-Cooperate 0.631 / −0.269, vs Random 0.526 / −0.534.",
  ];
  const shipped = shippedAgents(agentsDir);
  if (shipped.length > 0) {
    lines.push(
      `Pretrained agents shipped in ${agentsDir} (no training now):`,
      ...matrixLines([...shipped, ...fixedMembers], shipped.length),
    );
  } else {
    lines.push(`(No pretrained agents in ${agentsDir}: agent files placed there get a league row here.)`);
  }
  lines.push(
    "Train and pit neural agents (minutes to hours on a CPU, so not part of this demo):",
    "  shapelab run coin-train                  # AA, PAA, PPO, PPO-sum on the Coin Game, 3 seeds (the small preset)",
    "  shapelab run coin-league                 # every pair with the fixed agents: the AA paper's league matrix",
    "  shapelab report coin-league              # the matrix figure (row's value bottom-left) and the catalyst",
    "  shapelab tournament --env coin --players a.json,always-defect,random   # agent files in a round robin",
    "  shapelab explore                         # Coin Game viewer: load an agent file, watch it play, its league row",
  );
  return lines.join("\n");
}
