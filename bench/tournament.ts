/**
 * Benchmark: round robins of Axelrod-named deterministic strategies, 200 turns × 10 repetitions, self-play
 * included: the 14 classics (105 pairs, 1050 matches) and the issue-10 size, 36 strategies (666 pairs, 6660
 * matches, 1.33 M turns).
 *
 * For each size, measured as a user would: the wall time of the whole command
 * (`node dist/src/cli/main.js tournament --players … --json`: Node start-up, module loading, the default worker
 * choice) against the whole peer process (`python3 bench/peers/axelrod_tournament.py`: interpreter start-up,
 * `import axelrod`, Tournament.play on one process), in alternating rounds, median of the rounds, both without the
 * sandbox's NODE_EXTRA_CA_CERTS (bench/wholeProcess.ts; ours is also timed with it where it is set). Also in process:
 * the default worker choice (from the estimated cost), 0 workers and 2 workers, median of 5 after a warm-up. Goal: ≥ 50× faster
 * than Axelrod as whole processes. The peer needs the Axelrod source on PYTHONPATH (no PyPI here; see
 * bench/peers/axelrod_fixtures.py); without it only our times are printed.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { gamePreset } from "../src/games/presets.js";
import { runTournamentParallel } from "../src/node/tournamentPool.js";
import { DETERMINISTIC_CLASSICS } from "../src/strategies/registry.js";
import { median } from "../src/util/stats.js";
import type { Benchmark } from "./run.js";
import { plainEnvironment, timeProcess } from "./wholeProcess.js";

const TURNS = 200;
const REPETITIONS = 10;
const ROUNDS = 3;
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const PEER = join(ROOT, "bench", "peers", "axelrod_tournament.py");

/** The same 36 players, in the same order, as the peer's CLASSICS + MORE. */
export const TOURNAMENT_36 = [
  ...DETERMINISTIC_CLASSICS,
  "First by Davis: 10",
  "First by Nydegger",
  "First by Shubik",
  "First by Downing",
  "Second by Tester",
  "Second by Gladstein",
  "Second by Grofman",
  "Second by Mikkelson",
  "Second by White",
  "Second by Weiner",
  "Second by Borufsen",
  "Second by Yamachi",
  "Second by Colbert",
  "Gradual",
  "Hard Prober",
  "Detective",
  "Fortress3",
  "Predator",
  "Evolved FSM 16",
  "TF1",
  "Punisher",
  "Retaliate: 0.1",
];

async function timeInProcess(players: string[], workers: number | undefined, runs: number) {
  const game = gamePreset("ipd");
  const options = { turns: TURNS, repetitions: REPETITIONS, seed: 0, workers };
  const first = await runTournamentParallel(players, game, options); // warm-up (JIT)
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    await runTournamentParallel(players, game, options);
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), matches: first.matches, ranked: first.rankedNames };
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

async function benchSize(players: string[]): Promise<void> {
  const n = players.length;
  const chosen = await timeInProcess(players, undefined, 5);
  const zero = await timeInProcess(players, 0, 5);
  const two = await timeInProcess(players, 2, 3);
  process.stdout.write(
    `${n} players, ${chosen.matches} matches: in process ${ms(chosen.seconds)} default (worker count from the estimated cost), ` +
      `${ms(zero.seconds)} 0 workers, ${ms(two.seconds)} 2 workers (median of 5/5/3)\n`,
  );
  const ours = [CLI, "tournament", "--players", players.join(";"), "--turns", String(TURNS)];
  ours.push("--repetitions", String(REPETITIONS), "--quiet", "--json");
  const peerArgs = [PEER, String(TURNS), String(REPETITIONS), String(n)];
  const probe = spawnSync("/usr/bin/python3", ["-c", "import axelrod"], { encoding: "utf8" });
  const { env: plain, extraCaCerts } = plainEnvironment();
  const rounds: { ours: number; oursCpu: number; peer: number; peerCpu: number; peerInScript: number }[] = [];
  const withCerts: number[] = [];
  let peerRanked = "";
  let ourRanked = "";
  for (let round = 0; round < ROUNDS; round++) {
    const o = timeProcess(process.execPath, ours, plain);
    if (o.error) throw new Error(`shapelab tournament failed: ${o.error}`);
    if (extraCaCerts) {
      const c = timeProcess(process.execPath, ours);
      if (c.error) throw new Error(`shapelab tournament failed: ${c.error}`);
      withCerts.push(c.wall);
    }
    ourRanked = (JSON.parse(o.stdout) as { rankedNames: string[] }).rankedNames.join(", ");
    if (probe.status !== 0) {
      rounds.push({
        ours: o.wall,
        oursCpu: o.cpu,
        peer: Number.NaN,
        peerCpu: Number.NaN,
        peerInScript: Number.NaN,
      });
      continue;
    }
    const p = timeProcess("/usr/bin/python3", peerArgs, plain);
    if (p.error) throw new Error(`peer failed: ${p.error}`);
    peerRanked = p.stdout.match(/^ranked: (.*)$/m)?.[1] ?? "";
    const inScript = Number(p.stdout.match(/seconds=([0-9.]+)/)?.[1]);
    rounds.push({ ours: o.wall, oursCpu: o.cpu, peer: p.wall, peerCpu: p.cpu, peerInScript: inScript });
  }
  const ourWall = median(rounds.map((r) => r.ours));
  const ourCpu = median(rounds.map((r) => r.oursCpu));
  process.stdout.write(
    `  whole command (shapelab tournament --players <${n}> --json, NODE_EXTRA_CA_CERTS unset): ${ms(ourWall)} wall, ` +
      `${ms(ourCpu)} CPU (median of ${ROUNDS})` +
      (extraCaCerts ? `; with this machine's NODE_EXTRA_CA_CERTS: ${ms(median(withCerts))} wall` : "") +
      "\n",
  );
  if (probe.status !== 0) {
    process.stdout.write(
      "  peer unavailable: `import axelrod` fails; put the Axelrod 4.x source on PYTHONPATH and rerun for the ratio\n",
    );
    return;
  }
  const peerWall = median(rounds.map((r) => r.peer));
  const peerIn = median(rounds.map((r) => r.peerInScript));
  const peerCpu = median(rounds.map((r) => r.peerCpu));
  const perRound = rounds.map((r) => (r.peer / r.ours).toFixed(0)).join(", ");
  process.stdout.write(
    `  peer (Axelrod, whole process): ${peerWall.toFixed(2)} s wall, ${peerCpu.toFixed(2)} s CPU; Tournament.play ` +
      `${peerIn.toFixed(2)} s wall\n` +
      `  ratio, whole processes: ${(peerWall / ourWall).toFixed(0)}× wall (per round: ${perRound}; goal ≥ 50×), ` +
      `${(peerCpu / ourCpu).toFixed(0)}× CPU; ` +
      `in process: ${(peerIn / chosen.seconds).toFixed(0)}× (Tournament.play vs our default)\n` +
      `  same ranking as Axelrod: ${peerRanked === ourRanked ? "yes" : `NO\n    ours: ${ourRanked}\n    peer: ${peerRanked}`}\n`,
  );
}

export const tournamentBenchmark: Benchmark = {
  name: "tournament",
  description: `round robins of 14 and 36 deterministic strategies, ${TURNS} turns, ${REPETITIONS} repetitions (peer: Axelrod 4.x as a whole process, if importable)`,
  async run() {
    await benchSize([...DETERMINISTIC_CLASSICS]);
    await benchSize(TOURNAMENT_36);
  },
};
