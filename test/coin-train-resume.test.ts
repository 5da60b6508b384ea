/**
 * Checkpoints inside experiment runs: `shapelab run` of a tiny coin-train, SIGKILLed once the run has saved a
 * checkpoint in the store (on a worker thread), then run again, resumes from that checkpoint and stores exactly
 * the numbers, curves and agent of an uninterrupted run (on the main thread, in another store). The kind reads
 * the sink it is handed (a sink that stops the run after its second save leaves a checkpoint a second run
 * resumes from), and a finished run leaves no checkpoint behind. With SHAPELAB_TEST_POSTGRES (.ci/services) the
 * same kill and resume on a PostgreSQL store.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { validateConfig } from "../src/experiments/config.js";
import { coinTrainKind } from "../src/experiments/kinds/coinTrain.js";
import { planRuns } from "../src/experiments/plan.js";
import type { CheckpointSink } from "../src/experiments/types.js";
import { runCheckpointKey } from "../src/node/checkpointFiles.js";
import { PostgresStore } from "../src/node/postgresStore.js";
import { RunStore } from "../src/node/store.js";
import { codeVersion } from "../src/node/version.js";
import { freshDatabase, POSTGRES_URL } from "./scaleoutServices.js";

const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "shapelab-coin-resume-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// 200 updates of 4 four-step games with width-4 networks: a couple of seconds, 19 checkpoints (every 10 updates).
const configText = `name: coin-train-tiny
kind: coin-train
game: ipd
agents:
  - {learner: ppo, width: 4, epochs: 1, minibatches: 1, criticEpochs: 1}
budget: {updates: 200, batch: 4, turns: 4, evalGames: 4}
seeds: {count: 1, base: 0}
`;
const configFile = join(dir, "tiny.yaml");
writeFileSync(configFile, configText);
const config = validateConfig({
  name: "coin-train-tiny",
  kind: "coin-train",
  game: "ipd",
  agents: [{ learner: "ppo", width: 4, epochs: 1, minibatches: 1, criticEpochs: 1 }],
  budget: { updates: 200, batch: 4, turns: 4, evalGames: 4 },
  seeds: { count: 1, base: 0 },
});
const [unit] = planRuns(config);

function runCli(store: string, workers: string) {
  return spawnSync(
    process.execPath,
    [cli, "run", configFile, "--store", store, "--workers", workers, "--quiet"],
    {
      encoding: "utf8",
    },
  );
}

/** Start `shapelab run` on `store`, SIGKILL it as soon as `checkpointSaved()` says the run has saved one. */
async function killAfterCheckpoint(store: string, checkpointSaved: () => Promise<boolean>): Promise<void> {
  const child = spawn(
    process.execPath,
    [cli, "run", configFile, "--store", store, "--workers", "1", "--quiet"],
    {
      stdio: "ignore",
    },
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let seen = false;
  for (let tries = 0; tries < 3000 && !seen && child.exitCode === null; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    seen = await checkpointSaved().catch(() => false); // the store may not exist yet
  }
  assert.ok(seen, "the run saved a checkpoint into the store before it finished");
  child.kill("SIGKILL");
  await exited;
}

/** The stored run: final metrics, series and artifacts as the store holds them. */
function stored(storeDir: string) {
  const store = RunStore.open(storeDir, { readonly: true });
  try {
    const [run] = store.runsByKeys([unit.key]);
    assert.equal(run?.status, "complete");
    const artifact = (name: string) => JSON.parse(readFileSync(join(storeDir, run.artifacts[name]), "utf8"));
    return {
      final: run.final,
      metrics: store.metrics(run.id),
      agent: artifact("agent") as string,
      evaluation: artifact("evaluation") as unknown,
      training: artifact("training") as { updates: number; resumedFrom: number },
      checkpointLeft: store.getCheckpoint(runCheckpointKey(unit.key, codeVersion())),
    };
  } finally {
    store.close();
  }
}

describe("coin-train checkpoints in the run store", () => {
  it("a SIGKILLed `shapelab run` resumes from the store's checkpoint: the numbers of an uninterrupted run", async () => {
    const whole = join(dir, "whole");
    const r = runCli(whole, "0");
    assert.equal(r.status, 0, r.stderr);
    const reference = stored(whole);
    assert.equal(reference.training.resumedFrom, 0);

    const killed = join(dir, "killed");
    const key = runCheckpointKey(unit.key, codeVersion());
    await killAfterCheckpoint(killed, async () => {
      const store = RunStore.open(killed, { readonly: true });
      try {
        return store.getCheckpoint(key) !== undefined;
      } finally {
        store.close();
      }
    });

    const again = runCli(killed, "1");
    assert.equal(again.status, 0, again.stderr);
    const resumed = stored(killed);
    assert.ok(resumed.training.resumedFrom >= 10, `resumed from update ${resumed.training.resumedFrom}`);
    assert.deepEqual(resumed.final, reference.final);
    assert.deepEqual(resumed.metrics, reference.metrics);
    assert.equal(resumed.agent, reference.agent);
    assert.deepEqual(resumed.evaluation, reference.evaluation);
    assert.equal(resumed.checkpointLeft, undefined, "a finished run clears its checkpoint");
    assert.equal(reference.checkpointLeft, undefined);
  });

  it("the kind saves to and resumes from the sink it is handed", async () => {
    class Stop extends Error {}
    const memory: CheckpointSink & { text?: string; saves: number } = {
      saves: 0,
      load: () => memory.text,
      save(text) {
        memory.text = text;
        memory.saves++;
        if (memory.saves === 2) throw new Stop("stopped after the second checkpoint");
      },
      clear() {
        memory.text = undefined;
      },
    };
    const small = validateConfig({ ...config, budget: { updates: 35, batch: 4, turns: 4, evalGames: 4 } });
    const [u] = planRuns(small);
    const plain = await coinTrainKind.run(u.config, u.seed);
    await assert.rejects(async () => coinTrainKind.run(u.config, u.seed, { checkpoint: memory }), Stop);
    const resumed = await coinTrainKind.run(u.config, u.seed, { checkpoint: memory });
    assert.deepEqual(resumed.artifacts.training, { updates: 35, resumedFrom: 20 });
    assert.deepEqual(resumed.final, plain.final);
    assert.deepEqual(resumed.series, plain.series);
    assert.equal(resumed.artifacts.agent, plain.artifacts.agent);
    assert.equal(memory.text, undefined);
  });
});

describe("coin-train checkpoints in a PostgreSQL store", {
  skip: POSTGRES_URL ? false : "SHAPELAB_TEST_POSTGRES not set (.ci/services)",
}, () => {
  it("a SIGKILLed `shapelab run` resumes from the PostgreSQL checkpoint: the numbers of an uninterrupted run", async () => {
    const whole = join(dir, "whole-for-pg");
    assert.equal(runCli(whole, "0").status, 0);
    const reference = stored(whole);
    const db = await freshDatabase();
    try {
      const key = runCheckpointKey(unit.key, codeVersion());
      const watch = await PostgresStore.open(db.url);
      try {
        await killAfterCheckpoint(db.url, async () => (await watch.getCheckpoint(key)) !== undefined);
        const again = runCli(db.url, "1");
        assert.equal(again.status, 0, again.stderr);
        const [run] = await watch.runsByKeys([unit.key]);
        assert.equal(run.status, "complete");
        const training = (await watch.readArtifact(run, "training")) as { resumedFrom: number };
        assert.ok(training.resumedFrom >= 10, `resumed from update ${training.resumedFrom}`);
        assert.deepEqual(run.final, reference.final);
        assert.equal(await watch.readArtifact(run, "agent"), reference.agent);
        assert.equal(await watch.getCheckpoint(key), undefined, "a finished run clears its checkpoint");
      } finally {
        await watch.close();
      }
    } finally {
      await db.drop();
    }
  });
});
