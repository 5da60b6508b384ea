/**
 * Every backward pass of src/nn against central finite differences of its own forward pass.
 *
 * One harness for every layer: a scalar loss L = Σ c ⊙ output with fixed random c (so ∂L/∂output = c), or the
 * layer's own loss for the heads; each input or parameter entry p is moved to p ± h in float32 and
 *   (L(p + h) − L(p − h)) / (p₊ − p₋)
 * (the denominator is the float32 step actually taken) is compared with the analytic gradient. The engine stores
 * float32, so L carries ≈1e-7 relative rounding and the quotient ≈1e-7/h; with h = 1e-3 the stated tolerance is
 *   |fd − analytic| ≤ 2e-3 · max|analytic| + 1e-2 · |analytic|.
 * Sizes are deliberately not multiples of 4, so the blocked kernel's leftover rows and columns are covered too.
 * ReLU inputs are kept ≥ 0.05 away from the kink.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReLU, Tanh } from "../src/nn/activations.js";
import { GRUCell } from "../src/nn/gru.js";
import { CategoricalHead, squaredErrorLoss } from "../src/nn/heads.js";
import { Linear } from "../src/nn/linear.js";
import { MLP } from "../src/nn/mlp.js";
import { Parameters } from "../src/nn/params.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { Rng } from "../src/util/rng.js";

const H = 1e-3;

function randomArray(n: number, rng: Rng, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = scale * (2 * rng.uniform() - 1);
  return a;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Compare `analytic` with central differences of `loss` in every entry of `values`. */
function checkGradient(label: string, values: Float32Array, analytic: ArrayLike<number>, loss: () => number) {
  const fd = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const p = values[i];
    values[i] = p + H;
    const up = values[i];
    const lUp = loss();
    values[i] = p - H;
    const down = values[i];
    const lDown = loss();
    values[i] = p;
    fd[i] = (lUp - lDown) / (up - down);
  }
  let scale = 0;
  for (let i = 0; i < fd.length; i++) scale = Math.max(scale, Math.abs(analytic[i]));
  assert.ok(scale > 0, `${label}: the gradient is identically zero (the check would be empty)`);
  for (let i = 0; i < fd.length; i++) {
    const tol = 2e-3 * scale + 1e-2 * Math.abs(analytic[i]);
    assert.ok(
      Math.abs(fd[i] - analytic[i]) <= tol,
      `${label}[${i}]: analytic ${analytic[i]}, finite difference ${fd[i]}`,
    );
  }
}

describe("nn backward passes against finite differences", () => {
  it("Linear: dW, db and dX (7 rows, 5 → 6)", () => {
    const rng = Rng.seeded(1);
    const rows = 7;
    const params = new Parameters(Linear.parameterCount(5, 6));
    const layer = new Linear(params, "l", 5, 6);
    params.done();
    layer.init(rng, { kind: "torch" });
    const x = randomArray(rows * 5, rng);
    const c = randomArray(rows * 6, rng);
    const y = new Float32Array(rows * 6);
    const dX = new Float32Array(rows * 5);
    const scratch = new Float32Array(rows * 6);
    const loss = () => {
      layer.forward(x, y, rows);
      return dot(c, y);
    };
    loss();
    params.zeroGrad();
    layer.backward(x, c, dX, rows, scratch);
    checkGradient("Linear dW,db", params.values, params.grads, loss);
    checkGradient("Linear dX", x, dX, loss);
  });

  for (const act of [ReLU, Tanh]) {
    it(`${act.name}: dX`, () => {
      const rng = Rng.seeded(2);
      const n = 23;
      const x = randomArray(n, rng, 2);
      for (let i = 0; i < n; i++) if (Math.abs(x[i]) < 0.05) x[i] = 0.05 * Math.sign(x[i] || 1);
      const c = randomArray(n, rng);
      const y = new Float32Array(n);
      const dX = new Float32Array(n);
      const loss = () => {
        act.forward(x, y, n);
        return dot(c, y);
      };
      loss();
      act.backward(y, c, dX, n);
      checkGradient(`${act.name} dX`, x, dX, loss);
    });
  }

  it("GRUCell over 3 steps × batch 6 (3 → 5): BPTT weight gradients, dX and dh0", () => {
    const rng = Rng.seeded(3);
    const [T, B, I, Hd] = [3, 6, 3, 5];
    const params = new Parameters(GRUCell.parameterCount(I, Hd));
    const gru = new GRUCell(params, "gru", I, Hd);
    params.done();
    gru.init(rng, { kind: "orthogonal", gain: 1.5 });
    for (const s of [gru.biasIh, gru.biasHh]) s.value.set(randomArray(s.value.length, rng, 0.5));
    const ws = gru.workspace(T, B);
    const x = randomArray(T * B * I, rng);
    const h0 = ws.hs.subarray(0, B * Hd);
    h0.set(randomArray(B * Hd, rng, 0.8));
    const c = randomArray(T * B * Hd, rng);
    const dX = new Float32Array(T * B * I);
    const loss = () => {
      gru.forward(x, ws);
      return dot(c, ws.outputs);
    };
    loss();
    params.zeroGrad();
    gru.backward(x, c, dX, ws);
    const dh0 = Float32Array.from(ws.dhPrev);
    checkGradient("GRU params", params.values, params.grads, loss);
    checkGradient("GRU dX", x, dX, loss);
    checkGradient("GRU dh0", h0, dh0, loss);
  });

  it("CategoricalHead: ∂(Σ g·log π(a) + e·H)/∂logits, including a row with a large logit", () => {
    const rng = Rng.seeded(4);
    const [rows, A] = [5, 4];
    const logits = randomArray(rows * A, rng, 3);
    logits[2] = 30; // log-softmax must stay finite and exact far from 0
    const actions = [0, 3, 1, 2, 2];
    const g = randomArray(rows, rng);
    const e = randomArray(rows, rng);
    const head = new CategoricalHead(A, rows);
    const lp = new Float32Array(rows);
    const loss = () => {
      head.forward(logits, rows);
      head.logProbOf(actions, lp, rows);
      return dot(g, lp) + dot(e, head.entropies);
    };
    loss();
    const dLogits = new Float32Array(rows * A);
    head.backward(actions, g, e, dLogits, rows);
    checkGradient("categorical dLogits", logits, dLogits, loss);
    // Probabilities sum to one and the entropy of a uniform row is log A.
    for (let n = 0; n < rows; n++) {
      let s = 0;
      for (let j = 0; j < A; j++) s += Math.exp(head.logProbs[n * A + j]);
      assert.ok(Math.abs(s - 1) < 1e-6, `row ${n} sums to ${s}`);
    }
    head.forward(new Float32Array(A), 1);
    assert.ok(Math.abs(head.entropies[0] - Math.log(A)) < 1e-6);
  });

  it("squaredErrorLoss: ∂L/∂v", () => {
    const rng = Rng.seeded(5);
    const v = randomArray(9, rng);
    const y = randomArray(9, rng);
    const dV = new Float32Array(9);
    const scratch = new Float32Array(9);
    squaredErrorLoss(v, y, dV, 9, 0.5);
    checkGradient("mse dV", v, dV, () => squaredErrorLoss(v, y, scratch, 9, 0.5));
  });

  it("MLP 6 → 9 → 7 → 3 (tanh) with the policy-gradient loss: every parameter", () => {
    const rng = Rng.seeded(6);
    const net = new MLP({ kind: "mlp", sizes: [6, 9, 7, 3], activation: "tanh" });
    net.init(rng, "orthogonal", 1);
    const rows = 10;
    const ws = net.workspace(rows);
    const x = randomArray(rows * 6, rng);
    const actions = Array.from({ length: rows }, () => rng.int(3));
    const adv = randomArray(rows, rng);
    const head = new CategoricalHead(3, rows);
    const dOut = new Float32Array(rows * 3);
    const loss = () => head.policyGradient(net.forward(x, ws), actions, adv, 0.1, dOut, rows);
    loss();
    net.params.zeroGrad();
    net.backward(x, dOut, ws);
    checkGradient("MLP params", net.params.values, Float32Array.from(net.params.grads), loss);
  });

  it("RecurrentNet (Linear → ReLU → GRU → head), 4 steps × batch 5, value loss: every parameter", () => {
    const rng = Rng.seeded(7);
    const net = new RecurrentNet({ kind: "gru", inputs: 4, dense: 6, hidden: 5, outputs: 1 });
    net.init(rng, "torch");
    const [T, B] = [4, 5];
    const ws = net.workspace(T, B);
    const x = randomArray(T * B * 4, rng);
    const targets = randomArray(T * B, rng);
    const dOut = new Float32Array(T * B);
    const loss = () => squaredErrorLoss(net.forward(x, ws), targets, dOut, T * B);
    // Keep the dense layer's pre-activations away from ReLU's kink, so no ±h step crosses it: shift the bias
    // of any unit with a pre-activation within 1e-2 of 0 (any seed works).
    const rows = T * B;
    const dense = net.architecture.dense;
    for (let j = 0; j < dense; j++) {
      for (let attempt = 0; attempt < 100; attempt++) {
        net.dense.forward(x, ws.embedded, rows);
        let near = false;
        for (let r = 0; r < rows; r++) if (Math.abs(ws.embedded[r * dense + j]) < 1e-2) near = true;
        if (!near) break;
        net.dense.bias.value[j] += 0.013;
      }
    }
    loss();
    net.params.zeroGrad();
    net.backward(x, dOut, ws);
    checkGradient("RecurrentNet params", net.params.values, Float32Array.from(net.params.grads), loss);
  });
});
