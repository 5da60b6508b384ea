/**
 * Benchmark: the issue-4 workload, a round-robin tournament of the 14 deterministic classics (Axelrod names and
 * semantics), 200 turns, 10 repetitions = 105 pairs (self-play included) × 10 = 1050 matches, 210 000 turns.
 *
 * Prints our time in process (0 workers and 2 workers, median of 5 after a warm-up), the time of the whole
 * command (`shapelab tournament …`, spawned, median of 3: Node start-up and module loading included), and matches
 * per second. The goal is ≥ 50× faster than the Axelrod Python library 4.x on the same tournament; Axelrod
 * cannot be installed here (no PyPI), so that ratio is measured outside with bench/peers/axelrod_tournament.py,
 * which this bench runs when `import axelrod` works and otherwise reports as unavailable.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { runTournamentParallel } from "../src/node/tournamentPool.js";
import { gamePreset } from "../src/games/presets.js";
import { DETERMINISTIC_CLASSICS } from "../src/strategies/registry.js";
import { median } from "../src/util/stats.js";
import type { Benchmark } from "./run.js";

const TURNS = 200;
const REPETITIONS = 10;
const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const PEER = join(ROOT, "bench", "peers", "axelrod_tournament.py");

async function timeInProcess(
  workers: number,
  runs: number,
): Promise<{ seconds: number; matches: number; top: string }> {
  const game = gamePreset("ipd");
  const options = { turns: TURNS, repetitions: REPETITIONS, seed: 0, workers };
  const first = await runTournamentParallel([...DETERMINISTIC_CLASSICS], game, options); // warm-up (JIT)
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    await runTournamentParallel([...DETERMINISTIC_CLASSICS], game, options);
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), matches: first.matches, top: first.rankedNames.slice(0, 3).join(", ") };
}

export const tournamentBenchmark: Benchmark = {
  name: "tournament",
  description: `round robin of the ${DETERMINISTIC_CLASSICS.length} deterministic classics, ${TURNS} turns, ${REPETITIONS} repetitions (peer: Axelrod 4.x, if installed)`,
  async run() {
    const inProcess = await timeInProcess(0, 5);
    process.stdout.write(
      `in process, 0 workers: ${(inProcess.seconds * 1000).toFixed(1)} ms for ${inProcess.matches} matches ` +
        `(${Math.round(inProcess.matches / inProcess.seconds)} matches/s, ` +
        `${((inProcess.matches * TURNS) / inProcess.seconds / 1e6).toFixed(2)} M turns/s); top 3: ${inProcess.top}\n`,
    );
    const pooled = await timeInProcess(2, 5);
    process.stdout.write(
      `in process, 2 workers: ${(pooled.seconds * 1000).toFixed(1)} ms (${Math.round(pooled.matches / pooled.seconds)} matches/s; ` +
        "includes starting the worker threads)\n",
    );
    const args = [
      CLI,
      "tournament",
      "--turns",
      String(TURNS),
      "--repetitions",
      String(REPETITIONS),
      "--quiet",
      "--json",
    ];
    const wall: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { encoding: "utf8" });
      wall.push((performance.now() - t) / 1000);
      if (r.status !== 0) throw new Error(`shapelab tournament failed: ${r.stderr}`);
    }
    const command = median(wall);
    process.stdout.write(
      `whole command (node dist/src/cli/main.js tournament --turns ${TURNS} --repetitions ${REPETITIONS} --json): ` +
        `${command.toFixed(2)} s (${Math.round(inProcess.matches / command)} matches/s)\n`,
    );
    const probe = spawnSync("/usr/bin/python3", ["-c", "import axelrod"], { encoding: "utf8" });
    if (probe.status !== 0) {
      process.stdout.write(
        "peer unavailable: the Axelrod Python library is not installed (no PyPI here); run\n" +
          `  python3 ${PEER}\n` +
          "where it is installed and divide its time by ours for the ratio (goal ≥ 50×).\n",
      );
      return;
    }
    const peer = spawnSync("/usr/bin/python3", [PEER, String(TURNS), String(REPETITIONS)], {
      encoding: "utf8",
    });
    const seconds = Number(peer.stdout.match(/seconds=([0-9.]+)/)?.[1]);
    if (peer.status !== 0 || !Number.isFinite(seconds)) {
      process.stdout.write(`peer unavailable: ${peer.stderr.trim().split("\n").pop()}\n`);
      return;
    }
    process.stdout.write(
      `peer (Axelrod): ${seconds.toFixed(2)} s; ratio ${(seconds / inProcess.seconds).toFixed(0)}× in process, ` +
        `${(seconds / command).toFixed(1)}× whole command\n`,
    );
  },
};
