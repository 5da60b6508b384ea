/**
 * Neural coin seats (src/envs/coin/neuralAgent.ts): a network's logits become actions by softmax sampling, a GRU
 * carries its state between steps, an agent file round-trips, and a network of the wrong shape is refused. The
 * policies are built so the expected play is known exactly: a bias-only MLP is a fixed categorical distribution.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { fixedCoinAgent } from "../src/envs/coin/fixedAgents.js";
import { playCoinMatch } from "../src/envs/coin/match.js";
import { neuralCoinAgent, neuralCoinAgentFromFile } from "../src/envs/coin/neuralAgent.js";
import { saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import { MLP } from "../src/nn/mlp.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const env = new CoinGameEnv({ episodeSteps: 16 });
const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/** A one-layer MLP 36 → 4 with zero weights and the given biases: π = softmax(bias) in every state. */
function biasOnly(bias: number[]): MLP {
  const net = new MLP({ kind: "mlp", sizes: [36, 4], activation: "relu" });
  net.params.values.fill(0);
  net.params.values.set(bias, 36 * 4);
  return net;
}

function frequencies(agent: ReturnType<typeof neuralCoinAgent>, n: number): number[] {
  const { state } = env.reset(Rng.seeded(1), n);
  const actions = new Uint8Array(2 * n);
  agent.reset?.(n);
  agent.act(state, 0, Rng.seeded(2), actions);
  const counts = [0, 0, 0, 0];
  for (let g = 0; g < n; g++) counts[actions[2 * g]]++;
  return counts.map((c) => c / n);
}

describe("neural coin seats", () => {
  it("sample from softmax(logits): a bias-only MLP plays its fixed distribution", () => {
    const bias = [0, Math.log(2), Math.log(3), Math.log(4)]; // π = (1, 2, 3, 4)/10
    const n = 40000;
    const f = frequencies(neuralCoinAgent(biasOnly(bias), env, "mlp"), n);
    f.forEach((p, a) => {
      const q = (a + 1) / 10;
      assert.ok(Math.abs(p - q) < 5 * Math.sqrt((q * (1 - q)) / n), `action ${a}: ${p} vs ${q}`);
    });
    // A logit 40 above the others is a deterministic "right": always-right vs always-right never differs.
    assert.deepEqual(frequencies(neuralCoinAgent(biasOnly([0, 40, 0, 0]), env, "right"), 1000), [0, 1, 0, 0]);
  });

  it("a GRU actor carries h between steps; reset starts fresh games from h = 0; a saved file plays the same", () => {
    const net = new RecurrentNet(coinActorArchitecture());
    net.init(Rng.seeded(3), "orthogonal", 1);
    const text = saveNetwork(net, { note: "test" }, "test");
    const play = (agent: ReturnType<typeof neuralCoinAgent>) =>
      playCoinMatch(env, agent, fixedCoinAgent("random", env), { games: 256, seed: 5 });
    const a = play(neuralCoinAgent(net, env, "gru"));
    const b = play(neuralCoinAgentFromFile(text, env, "gru"));
    assert.deepEqual(b.rewards, a.rewards);
    // The same agent object again: reset() zeroes h, so the second match equals the first.
    const agent = neuralCoinAgent(net, env, "gru");
    assert.deepEqual(play(agent).rewards, play(agent).rewards);
    // The state matters: stepping the GRU once by hand from h = 0 gives the first step's logits, not the second's.
    const ws = net.workspace(1, 1);
    const { state } = env.reset(Rng.seeded(1), 1);
    const x = new Float32Array(36);
    env.observeAgentInto(state, 0, x);
    const first = [...net.forward(x, ws)];
    ws.gru.hs.copyWithin(0, 64, 128);
    const second = [...net.forward(x, ws)];
    assert.notDeepEqual(second, first);
  });

  it("refuses a network of the wrong shape, naming the field", () => {
    const wide = new CoinGameEnv({ height: 4, width: 4 });
    assert.throws(
      () => neuralCoinAgent(biasOnly([0, 0, 0, 0]), wide, "mlp", "--a"),
      (e: unknown) =>
        e instanceof InputError &&
        /^--a: the network maps 36 inputs to 4 actions; .* needs 64 inputs/.test(e.message),
    );
  });

  it("shapelab match --env coin takes an agent file for --a or --b", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-coin-agent-"));
    try {
      const file = join(dir, "right.json");
      writeFileSync(file, saveNetwork(biasOnly([0, 40, 0, 0]), {}, "test"));
      const r = spawnSync(
        process.execPath,
        [cli, "match", "--env", "coin", "--a", file, "--b", "random", "--json"],
        {
          encoding: "utf8",
        },
      );
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.deepEqual(j.names, [file, "random"]);
      const missing = spawnSync(
        process.execPath,
        [cli, "match", "--env", "coin", "--a", join(dir, "none.json"), "--b", "random"],
        { encoding: "utf8" },
      );
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /--a: cannot read the agent file .*none\.json" \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
