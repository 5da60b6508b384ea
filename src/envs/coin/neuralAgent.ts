/**
 * A Coin Game seat played by a network of the neural engine (src/nn): an MLP, or the AA/POLA/LOQA actor
 * Dense → ReLU → GRU → logits, read from an agent file (src/nn/agentFile.ts, docs/nn.md).
 *
 * Each step the seat observes its own side of the board (`observeAgentInto`: 4·H·W floats), the network gives
 * one logit per action, and the action is drawn from π = softmax(logits) by inversion: the first a with
 * u < Σ_{b ≤ a} π_b, one `rng.uniform()` per game (exp from src/util/elementary.ts, the same bits in Node and in
 * the browser). A GRU carries its hidden state from step to step and starts each batch of games from h₀ = 0.
 */
import { type Network, loadNetwork } from "../../nn/agentFile.js";
import type { MLPWorkspace } from "../../nn/mlp.js";
import { RecurrentNet, type RecurrentWorkspace } from "../../nn/recurrent.js";
import { exp } from "../../util/elementary.js";
import { InputError } from "../../util/errors.js";
import type { CoinGameEnv } from "./coinGame.js";
import type { CoinAgent } from "./fixedAgents.js";

/** The network's input and output sizes must be the env's observation and action counts. */
function checkShape(network: Network, env: CoinGameEnv, field: string): void {
  const a = network.architecture;
  const inputs = a.kind === "mlp" ? a.sizes[0] : a.inputs;
  const outputs = a.kind === "mlp" ? a.sizes[a.sizes.length - 1] : a.outputs;
  if (inputs !== env.obsSize || outputs !== env.nActions) {
    const { height, width, variant } = env.params;
    throw new InputError(
      field,
      `the network maps ${inputs} inputs to ${outputs} actions; this ${height}×${width} ${variant} game needs ` +
        `${env.obsSize} inputs (4·H·W) and ${env.nActions} actions`,
    );
  }
}

export function neuralCoinAgent(
  network: Network,
  env: CoinGameEnv,
  name: string,
  field = "agent",
): CoinAgent {
  checkShape(network, env, field);
  const k = env.nActions;
  let batch = 0;
  let x = new Float32Array(0);
  let mlpWs: MLPWorkspace | undefined;
  let gruWs: RecurrentWorkspace | undefined;
  const recurrent = network instanceof RecurrentNet;
  const prepare = (n: number) => {
    batch = n;
    x = new Float32Array(n * env.obsSize);
    if (network instanceof RecurrentNet) gruWs = network.workspace(1, n);
    else mlpWs = network.workspace(n);
  };
  return {
    name,
    reset(n) {
      if (n !== batch) prepare(n);
      gruWs?.gru.hs.fill(0); // h₀ = 0 for fresh games
    },
    act(state, seat, rng, actions) {
      const n = state.owner.length;
      if (n !== batch) prepare(n);
      env.observeAgentInto(state, seat, x);
      let logits: Float32Array;
      if (recurrent) {
        const ws = gruWs as RecurrentWorkspace;
        logits = (network as RecurrentNet).forward(x, ws);
        // h₁ of this step is the next step's h₀.
        const H = ws.gru.hs.length / 2;
        ws.gru.hs.copyWithin(0, H, 2 * H);
      } else {
        logits = network.forward(x, mlpWs as MLPWorkspace);
      }
      for (let g = 0; g < n; g++) {
        const row = g * k;
        let max = logits[row];
        for (let a = 1; a < k; a++) if (logits[row + a] > max) max = logits[row + a];
        let total = 0;
        for (let a = 0; a < k; a++) total += exp(logits[row + a] - max);
        let u = rng.uniform() * total;
        let choice = k - 1;
        for (let a = 0; a < k - 1; a++) {
          u -= exp(logits[row + a] - max);
          if (u < 0) {
            choice = a;
            break;
          }
        }
        actions[2 * g + seat] = choice;
      }
    },
  };
}

/** A neural seat from the text of an agent file; `source` names the file in error messages. */
export function neuralCoinAgentFromFile(
  text: string,
  env: CoinGameEnv,
  source: string,
  field = "agent",
): CoinAgent {
  const { network } = loadNetwork(text, undefined, source);
  return neuralCoinAgent(network, env, source, field);
}
