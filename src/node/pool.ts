/**
 * A pool of worker threads for run units (piscina). One thread per core by default
 * (`os.availableParallelism()`); `workers` overrides it. Results depend only on each unit (its seed is in the
 * unit), never on which thread ran it or when, so any number of workers gives identical numbers.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { RunResult, RunUnit } from "../experiments/types.js";

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export class RunPool {
  private readonly piscina: Piscina<RunUnit, RunResult>;

  constructor(readonly workers: number = defaultWorkers()) {
    this.piscina = new Piscina<RunUnit, RunResult>({
      filename: new URL("./runWorkerEntry.cjs", import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      // Keep at most a couple of queued units per thread; the runner feeds the pool as results come back.
      maxQueue: Math.max(4, 4 * workers),
      idleTimeout: 1000,
    });
  }

  run(unit: RunUnit, signal?: AbortSignal): Promise<RunResult> {
    return this.piscina.run(unit, { signal });
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
