/**
 * src/nn against PyTorch on the same weights and inputs: test/fixtures/nn_torch.json, written by
 * bench/peers/nn_fixture_torch.py (torch 1.13; regenerate with `/usr/bin/python3 bench/peers/nn_fixture_torch.py`).
 *
 * The reference gradients are float64; ours run on Float32Array storage (products accumulated in float64, every
 * stored activation rounded to float32), so each gradient entry must agree to
 *   |ours − torch| ≤ 1e-5 · max|torch| + 1e-4 · |torch|
 * (a few float32 ulps of the largest entry; measured errors are below 1e-6 relative).
 * The optimiser cases run in float32 in PyTorch too and must agree to 1e-5 absolute.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { GRUArchitecture, MLPArchitecture } from "../src/nn/architecture.js";
import { CategoricalHead, squaredErrorLoss } from "../src/nn/heads.js";
import { orthogonalFrom } from "../src/nn/init.js";
import { MLP } from "../src/nn/mlp.js";
import { Adam, clipGradNorm, SGD } from "../src/nn/optim.js";
import { RecurrentNet } from "../src/nn/recurrent.js";

const FIXTURE = join(import.meta.dirname, "..", "..", "test", "fixtures", "nn_torch.json");
// biome-ignore lint/suspicious/noExplicitAny: a JSON fixture
const fixture: Record<string, any> = JSON.parse(readFileSync(FIXTURE, "utf8"));

function assertClose(ours: ArrayLike<number>, want: number[], label: string, absolute?: number) {
  assert.equal(ours.length, want.length, `${label}: length`);
  const scale = Math.max(...want.map(Math.abs));
  for (let i = 0; i < want.length; i++) {
    const tol = absolute ?? 1e-5 * scale + 1e-4 * Math.abs(want[i]);
    assert.ok(
      Math.abs(ours[i] - want[i]) <= tol,
      `${label}[${i}]: ${ours[i]} vs torch ${want[i]} (tol ${tol})`,
    );
  }
}

/** Forward, loss and backward of an MLP case; returns the loss, gradients in net.params.grads. */
// biome-ignore lint/suspicious/noExplicitAny: a JSON fixture
function mlpLoss(net: MLP, c: any): number {
  const ws = net.workspace(c.rows);
  const x = Float32Array.from(c.x);
  const out = net.forward(x, ws);
  const dOut = new Float32Array(out.length);
  let loss: number;
  if (c.targets) {
    loss = squaredErrorLoss(out, c.targets, dOut, c.rows);
  } else {
    const head = new CategoricalHead(net.architecture.sizes.at(-1)!, c.rows);
    loss = head.policyGradient(out, c.actions, c.advantages, c.entropyCoef, dOut, c.rows);
  }
  net.params.zeroGrad();
  net.backward(x, dOut, ws);
  return loss;
}

function mlpFrom(caseName: string): MLP {
  const c = fixture[caseName];
  const net = new MLP(c.architecture as MLPArchitecture);
  net.params.values.set(c.params);
  return net;
}

describe("nn against PyTorch (fixture)", () => {
  for (const name of ["mlp_relu", "mlp_tanh", "mlp_value"]) {
    it(`${name}: loss and every parameter gradient`, () => {
      const c = fixture[name];
      const net = mlpFrom(name);
      const loss = mlpLoss(net, c);
      assert.ok(Math.abs(loss - c.loss) <= 1e-6 * Math.max(1, Math.abs(c.loss)), `loss ${loss} vs ${c.loss}`);
      assertClose(net.params.grads, c.grads, name);
    });
  }

  for (const name of ["gru_actor", "gru_critic"]) {
    it(`${name}: Linear → GRU → head over ${fixture[name].steps} steps, BPTT gradients and ∂L/∂h0`, () => {
      const c = fixture[name];
      const arch = c.architecture as GRUArchitecture;
      const net = new RecurrentNet(arch);
      net.params.values.set(c.params);
      const ws = net.workspace(c.steps, c.batch);
      ws.gru.hs.set(c.h0); // h0 occupies the first batch·hidden floats
      const x = Float32Array.from(c.x);
      const out = net.forward(x, ws);
      const dOut = new Float32Array(out.length);
      const rows = c.steps * c.batch;
      const loss =
        arch.outputs === 1
          ? squaredErrorLoss(out, c.targets, dOut, rows)
          : new CategoricalHead(arch.outputs, rows).policyGradient(
              out,
              c.actions,
              c.advantages,
              c.entropyCoef,
              dOut,
              rows,
            );
      assert.ok(Math.abs(loss - c.loss) <= 1e-6 * Math.max(1, Math.abs(c.loss)), `loss ${loss} vs ${c.loss}`);
      net.params.zeroGrad();
      net.backward(x, dOut, ws);
      assertClose(net.params.grads, c.grads, name);
      assertClose(ws.gru.dhPrev, c.gradH0, `${name} dh0`);
    });
  }

  it("clipGradNorm + Adam (lr, betas, eps, weightDecay as PyTorch names them): 5 steps match torch.optim.Adam", () => {
    const c = fixture.adam;
    const net = mlpFrom(c.case);
    const adam = new Adam(net.params.values, {
      lr: c.options.lr,
      betas: c.options.betas,
      eps: c.options.eps,
      weightDecay: c.options.weightDecay,
    });
    for (let s = 0; s < c.steps; s++) {
      mlpLoss(net, fixture[c.case]);
      const norm = clipGradNorm(net.params.grads, c.clip);
      assert.ok(Math.abs(norm - c.norms[s]) <= 1e-5 * c.norms[s], `step ${s} norm ${norm} vs ${c.norms[s]}`);
      adam.step(net.params.grads);
    }
    assertClose(net.params.values, c.params, "adam params", 1e-5);
  });

  for (const o of fixture.orthogonal) {
    it(`orthogonal ${o.rows}×${o.cols} (gain ${o.gain}) from the same normal draws equals torch.nn.init.orthogonal_`, () => {
      const w = new Float32Array(o.rows * o.cols);
      orthogonalFrom(Float64Array.from(o.normals), o.rows, o.cols, o.gain, w);
      assertClose(w, o.weight, "orthogonal", 1e-6);
    });
  }

  it("SGD with momentum and weight decay: 3 steps match torch.optim.SGD", () => {
    const c = fixture.sgd;
    const net = mlpFrom(c.case);
    const sgd = new SGD(net.params.values, c.options);
    for (let s = 0; s < c.steps; s++) {
      mlpLoss(net, fixture[c.case]);
      sgd.step(net.params.grads);
    }
    assertClose(net.params.values, c.params, "sgd params", 1e-5);
  });
});
