/**
 * The neural engine's fast paths equal its reference paths bit for bit (issue 12's speed work may not move a
 * number):
 * - the WebAssembly port of exp (src/nn/wasmGates.ts) returns elementary.ts's exp, all 64 bits, over random and
 *   edge arguments (the port's range boundary ±700, overflow, underflow, subnormal results, NaN, ±∞, ±0);
 * - matmulTransposedA(A) equals matmul(transpose(A)), in an arena and copied in, split over K or not, and
 *   addColumnSums(A) equals addRowSums(Aᵀ);
 * - a GRU forward + BPTT on an arena workspace (WebAssembly gates, products in place) equals one on plain
 *   Float32Arrays (the JavaScript loops, products copied in), with h₀ ≠ 0: outputs, every gradient, ∂L/∂h₀;
 * - the whole coin actor update (RecurrentNet, the bench's network) with the elementwise kernels on and off.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coinActorArchitecture } from "../src/nn/architecture.js";
import {
  addColumnSums,
  addRowSums,
  K_CHUNK,
  matmul,
  matmulTransposedA,
  transpose,
  useSimdKernel,
} from "../src/nn/gemm.js";
import { GRUCell, GRUWorkspace } from "../src/nn/gru.js";
import { CategoricalHead } from "../src/nn/heads.js";
import { KernelArena, useWasmElementwise, wasmElementwiseActive } from "../src/nn/kernelArena.js";
import { Parameters } from "../src/nn/params.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { exp } from "../src/util/elementary.js";
import { Rng } from "../src/util/rng.js";

function sameBits(ours: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  assert.equal(ours.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(ours[i], want[i])) assert.fail(`${label}[${i}]: ${ours[i]} vs reference ${want[i]}`);
  }
}

const uniform = (rng: Rng, n: number, lo: number, hi: number) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());

describe("nn fast paths equal the reference paths bit for bit", () => {
  it("the elementwise kernels are on (the fast path is the one tested)", () => {
    assert.ok(KernelArena.create(4, 4), "WebAssembly SIMD is available in Node 20");
    assert.equal(wasmElementwiseActive(), true);
  });

  it("the WebAssembly exp port returns elementary.ts's exp, all 64 bits", () => {
    const rng = Rng.seeded(12);
    const edges = [
      0,
      -0,
      1,
      -1,
      699.9999,
      700,
      -700,
      700.0000001,
      -700.0000001,
      709.7,
      709.78,
      710,
      -708,
      -709.1,
      -720,
      -744.4,
      -745.2,
      -800,
      1e-300,
      -1e-300,
      5e-324,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Math.LN2 / 128,
      -Math.LN2 / 128,
      88.72,
      -87.33,
    ];
    const x = new Float64Array(200_000 + edges.length + (edges.length % 2));
    x.set(edges);
    for (let i = edges.length; i < x.length; i++) {
      const u = rng.uniform();
      x[i] = i % 3 === 0 ? 1400 * u - 700 : i % 3 === 1 ? 40 * u - 20 : (u - 0.5) * 1e-6;
    }
    const arena = KernelArena.create(4 * x.length + 8, 4);
    assert.ok(arena);
    const xs = arena.take(2 * x.length);
    const ys = arena.take(2 * x.length);
    new Float64Array(xs.buffer, xs.byteOffset, x.length).set(x);
    arena.gates.expArray(xs.byteOffset, ys.byteOffset, x.length);
    const got = new Float64Array(ys.buffer, ys.byteOffset, x.length);
    sameBits(got, Array.from(x, exp), "exp");
  });

  for (const [M, N, K] of [
    [4, 4, 1],
    [8, 12, 5],
    [192, 64, 2 * K_CHUNK + 3],
    [4, 64, K_CHUNK],
    [64, 36, 3 * K_CHUNK],
    [6, 5, 7],
  ] as const) {
    for (const accumulate of [false, true]) {
      it(`Aᵀ·B read in place = transpose then A·B: ${M}×${N}, K = ${K}${accumulate ? ", accumulating" : ""}`, () => {
        const rng = Rng.seeded(M * 7 + N * 3 + K);
        const a = uniform(rng, K * M, -1, 1);
        const b = uniform(rng, K * N, -1, 1);
        const c0 = uniform(rng, M * N, -1, 1);
        const aT = new Float32Array(M * K);
        transpose(a, aT, K, M);
        const want = Float32Array.from(c0);
        matmul(aT, b, want, M, N, K, accumulate);
        const copied = Float32Array.from(c0);
        matmulTransposedA(a, b, copied, M, N, K, accumulate);
        sameBits(copied, want, "copied in");
        const arena = KernelArena.create(K * M + K * N + M * N + 12, M * N + 4);
        assert.ok(arena);
        const [ia, ib, ic] = [arena.take(K * M), arena.take(K * N), arena.take(M * N)];
        ia.set(a);
        ib.set(b);
        ic.set(c0);
        matmulTransposedA(ia, ib, ic, M, N, K, accumulate);
        sameBits(ic, want, "in the arena");
        const foreignC = Float32Array.from(c0);
        matmulTransposedA(ia, ib, foreignC, M, N, K, accumulate);
        sameBits(foreignC, want, "C outside the arena");
        const sumsWant = c0.slice(0, M);
        addRowSums(aT, sumsWant, M, K);
        const sums = c0.slice(0, M);
        addColumnSums(ia, sums, K, M);
        sameBits(sums, sumsWant, "column sums");
        // The JavaScript kernel (engines without SIMD): its strided read of A equals it on Aᵀ too.
        useSimdKernel(false);
        try {
          const jsWant = Float32Array.from(c0);
          matmul(aT, b, jsWant, M, N, K, accumulate);
          const js = Float32Array.from(c0);
          matmulTransposedA(a, b, js, M, N, K, accumulate);
          sameBits(js, jsWant, "JavaScript kernel");
        } finally {
          useSimdKernel(true);
        }
      });
    }
  }

  it("GRU 8 → 6, 5 steps × batch 7, h₀ ≠ 0: an arena workspace equals a plain one (outputs, gradients, ∂L/∂h₀)", () => {
    const [inputs, hidden, steps, batch] = [8, 6, 5, 7];
    const run = (arena: boolean) => {
      const params = new Parameters(GRUCell.parameterCount(inputs, hidden));
      const cell = new GRUCell(params, "gru", inputs, hidden);
      params.done();
      const rng = Rng.seeded(5);
      cell.init(rng, { kind: "torch" });
      const rows = steps * batch;
      // The arena also holds dOut, as RecurrentNet's does, so the backward gates run in WebAssembly.
      const shared = arena
        ? KernelArena.create(
            GRUWorkspace.arenaFloats(steps, batch, hidden) + rows * hidden,
            GRUWorkspace.arenaScratch(inputs, hidden),
          )
        : null;
      const ws = new GRUWorkspace(steps, batch, hidden, { inputs, arena: shared });
      assert.equal(ws.arena !== undefined, arena);
      const x = uniform(rng, steps * batch * inputs, -2, 2);
      ws.hs.set(uniform(rng, batch * hidden, -1, 1)); // h₀
      const dOut = uniform(rng, steps * batch * hidden, -1, 1);
      const dX = new Float32Array(steps * batch * inputs);
      // Large pre-activations too: the exp port hands |x| > 700 to the JavaScript exp.
      cell.weightIh.value[0] = 400;
      cell.forward(x, ws);
      const dOutHere = shared ? shared.take(dOut.length) : dOut;
      dOutHere.set(dOut);
      cell.backward(x, dOutHere, dX, ws);
      return { outputs: ws.outputs.slice(), grads: params.grads.slice(), dX, dh0: ws.dhPrev.slice() };
    };
    const fast = run(true);
    const reference = run(false);
    sameBits(fast.outputs, reference.outputs, "h_1 … h_T");
    sameBits(fast.grads, reference.grads, "gradients");
    sameBits(fast.dX, reference.dX, "∂L/∂x");
    sameBits(fast.dh0, reference.dh0, "∂L/∂h₀");
  });

  it("the coin actor's update (36 → 64 → GRU 64 → 4, 16 steps × 64): elementwise kernels on = off", () => {
    const [steps, batch] = [16, 64];
    const rows = steps * batch;
    const run = () => {
      const net = new RecurrentNet(coinActorArchitecture());
      const rng = Rng.seeded(0);
      net.init(rng, "torch");
      const ws = net.workspace(steps, batch);
      assert.ok(ws.arena, "a workspace this large lives in a kernel arena");
      const x = Float32Array.from({ length: rows * 36 }, () => (rng.uniform() < 0.11 ? 1 : 0));
      const actions = Int32Array.from({ length: rows }, () => rng.int(4));
      const advantages = Float32Array.from({ length: rows }, () => rng.normal());
      const head = new CategoricalHead(4, rows);
      const dLogits = new Float32Array(rows * 4);
      const loss = head.policyGradient(net.forward(x, ws), actions, advantages, 0.01, dLogits, rows);
      net.params.zeroGrad();
      net.backward(x, dLogits, ws);
      return { loss, logits: ws.output.slice(), grads: net.params.grads.slice(), dh0: ws.gru.dhPrev.slice() };
    };
    const fast = run();
    useWasmElementwise(false);
    let reference: ReturnType<typeof run>;
    try {
      reference = run();
    } finally {
      useWasmElementwise(true);
    }
    assert.ok(Object.is(fast.loss, reference.loss), `loss ${fast.loss} vs ${reference.loss}`);
    sameBits(fast.logits, reference.logits, "logits");
    sameBits(fast.grads, reference.grads, "gradients");
    sameBits(fast.dh0, reference.dh0, "∂L/∂h₀");
  });
});
