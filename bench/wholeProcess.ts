/**
 * Timing a whole process, as a user timing a command sees it: the wall time from spawn to exit, and the CPU time
 * (user + system) from GNU time where it is installed (NaN otherwise). Used by the benchmarks that compare our
 * command with a peer's script (bench/exact.ts, bench/tournament.ts).
 *
 * The environment. This project's sandboxes set NODE_EXTRA_CA_CERTS (for their TLS proxy); Node 20 then parses that
 * certificate file at start-up, before running any code (with OpenSSL 3, ≈ 90 ms per process on the benchmark
 * machine; nodejs/node#40524), and nothing a command does can avoid it. A machine does not set it by default, so
 * the comparisons run both commands in `plainEnvironment()`; where it is set, the benchmarks also time ours with it
 * and print that beside. Python does not read it.
 */
import { spawnSync } from "node:child_process";

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = spawnSync(GNU_TIME, ["-f", "%U", "true"]).status === 0;

export interface ProcessTiming {
  wall: number;
  cpu: number;
  stdout: string;
  /** The last line of stderr when the process failed, else undefined. */
  error?: string;
}

/** Spawn `command args` in `env` and time it to its exit. */
export function timeProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessTiming {
  const options = { encoding: "utf8", maxBuffer: 1 << 26, env } as const;
  const started = performance.now();
  const r = hasGnuTime
    ? spawnSync(GNU_TIME, ["-f", "cpu=%U+%S", command, ...args], options)
    : spawnSync(command, args, options);
  const wall = (performance.now() - started) / 1000;
  const m = (r.stderr ?? "").match(/cpu=([0-9.]+)\+([0-9.]+)/);
  const cpu = m ? Number(m[1]) + Number(m[2]) : Number.NaN;
  if (r.status !== 0) {
    const error = r.error?.message ?? (r.stderr ?? "").trim().split("\n").pop() ?? `exit ${r.status}`;
    return { wall, cpu, stdout: "", error };
  }
  return { wall, cpu, stdout: r.stdout };
}

/** This process's environment without NODE_EXTRA_CA_CERTS, and the file it named (undefined when unset). */
export function plainEnvironment(): { env: NodeJS.ProcessEnv; extraCaCerts: string | undefined } {
  const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...env } = process.env;
  return { env, extraCaCerts };
}
