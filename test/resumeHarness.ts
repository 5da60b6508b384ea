/**
 * The resume check several kinds' tests share: a sweep run whole into one store, and into another interrupted after
 * two stored runs and then rerun, must store the same finals.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ExperimentConfig } from "../src/experiments/types.js";
import { type RunSummary, runExperiment } from "../src/node/runner.js";
import { RunStore } from "../src/node/store.js";

/**
 * Runs `config` (more than two runs) whole into `dir`/whole, and into `dir`/parts stopped after two runs, then
 * resumed; asserts the resumed call skips what the first stored and that both stores hold equal finals.
 * Returns both calls' summaries and the uninterrupted run's finals, in plan order.
 */
export async function assertResumeEqualsWhole(
  config: ExperimentConfig,
  dir: string,
): Promise<{ first: RunSummary; second: RunSummary; finals: Record<string, number>[] }> {
  const whole = RunStore.open(join(dir, "whole"));
  const parts = RunStore.open(join(dir, "parts"));
  try {
    const full = await runExperiment(config, whole, { workers: 0, quiet: true });
    const abort = new AbortController();
    const first = await runExperiment(config, parts, {
      workers: 0,
      quiet: true,
      signal: abort.signal,
      onStored: (done) => done >= 2 && abort.abort(),
    });
    assert.ok(
      first.interrupted && first.completed >= 2 && first.completed < full.total,
      JSON.stringify(first),
    );
    const second = await runExperiment(config, parts, { workers: 0, quiet: true });
    assert.equal(second.skipped, first.completed);
    const finals = (store: RunStore, keys: string[]) => store.runsByKeys(keys).map((r) => r.final);
    assert.deepEqual(finals(parts, second.keys), finals(whole, full.keys));
    return { first, second, finals: finals(whole, full.keys) };
  } finally {
    whole.close();
    parts.close();
  }
}
