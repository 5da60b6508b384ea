/**
 * `npm run bench`: every benchmark, one after another. Each prints the work done, our time and, where a peer
 * implementation can run on this machine, the peer's time and the ratio. Run one with `npm run bench -- <name>`.
 */
import { coinBenchmark } from "./coin.js";
import { exactBenchmark } from "./exact.js";
import { lolaDiceNeuralBenchmark } from "./lolaDiceNeural.js";
import { nnGruBenchmark, nnMlpBenchmark } from "./nn.js";
import { nPlayerBenchmark } from "./nPlayer.js";
import { aaBenchmark, lolaDiceBenchmark } from "./sampled.js";
import { queueBenchmark } from "./queue.js";
import { sweepBenchmark } from "./sweep.js";
import { tournamentBenchmark } from "./tournament.js";

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

const benchmarks: Benchmark[] = [
  exactBenchmark,
  tournamentBenchmark,
  lolaDiceBenchmark,
  aaBenchmark,
  nPlayerBenchmark,
  sweepBenchmark,
  queueBenchmark,
  nnMlpBenchmark,
  nnGruBenchmark,
  coinBenchmark,
  lolaDiceNeuralBenchmark,
];

const only = process.argv[2];
for (const b of benchmarks) {
  if (only && b.name !== only) continue;
  process.stdout.write(`\n== ${b.name}: ${b.description}\n`);
  await b.run();
}
if (only && !benchmarks.some((b) => b.name === only)) {
  process.stderr.write(`unknown benchmark "${only}"; allowed: ${benchmarks.map((b) => b.name).join(", ")}\n`);
  process.exitCode = 2;
}
