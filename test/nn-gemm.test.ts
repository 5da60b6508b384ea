/**
 * The engine's one matrix product, C (+)= A·B (src/nn/gemm.ts), on both kernels — WebAssembly SIMD and plain
 * JavaScript — against a float64 triple loop, on shapes that hit every tile and leftover path (M, N multiples
 * of 4 and not; 8-wide and 4-wide SIMD tiles; K = 1). Inputs are float32 in [−1, 1); the float32-accumulating
 * SIMD kernel must agree to 2e-6·K (a float32 rounding per multiply-add, worst case), the float64-accumulating
 * JS kernel to float32 output rounding (6e-8 relative).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matmul, matmulJs, simdKernelActive, useSimdKernel } from "../src/nn/gemm.js";
import { Rng } from "../src/util/rng.js";

const SHAPES: [number, number, number][] = [
  [4, 4, 1],
  [4, 8, 3],
  [8, 12, 5],
  [12, 36, 64],
  [64, 64, 4096],
  [4096, 4, 64],
  [5, 7, 6],
  [3, 1, 9],
  [16, 6, 2],
];

function reference(
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array,
  M: number,
  N: number,
  K: number,
  acc: boolean,
) {
  const out = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = acc ? c0[m * N + n] : 0;
      for (let k = 0; k < K; k++) s += a[m * K + k] * b[k * N + n];
      out[m * N + n] = s;
    }
  }
  return out;
}

describe("nn matmul", () => {
  it("the WebAssembly SIMD kernel is available in Node 20 (the fast path is the one tested)", () => {
    assert.equal(simdKernelActive(), true);
  });

  for (const [M, N, K] of SHAPES) {
    for (const acc of [false, true]) {
      it(`${M}×${K} · ${K}×${N}${acc ? " accumulating" : ""}: SIMD and JS kernels`, () => {
        const rng = Rng.seeded(M * 1000 + N * 10 + K);
        const rand = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
        const a = rand(M * K);
        const b = rand(K * N);
        const c0 = rand(M * N);
        const want = reference(a, b, c0, M, N, K, acc);
        const simd = Float32Array.from(c0);
        matmul(a, b, simd, M, N, K, acc);
        const js = Float32Array.from(c0);
        matmulJs(a, b, js, M, N, K, acc);
        for (let i = 0; i < M * N; i++) {
          assert.ok(Math.abs(simd[i] - want[i]) <= 2e-6 * (K + 1), `SIMD [${i}] ${simd[i]} vs ${want[i]}`);
          assert.ok(
            Math.abs(js[i] - want[i]) <= 6e-8 * Math.abs(want[i]) + 1e-12,
            `JS [${i}] ${js[i]} vs ${want[i]}`,
          );
        }
      });
    }
  }

  for (const [M, N, K] of [
    [8, 12, 5],
    [5, 6, 3],
  ]) {
    it(`${M}×${K} · ${K}×${N} with a bias row and ReLU (fused on SIMD, separate passes in JS)`, () => {
      const rng = Rng.seeded(M + N + K);
      const rand = (n: number) => Float32Array.from({ length: n }, () => 2 * rng.uniform() - 1);
      const [a, b, bias] = [rand(M * K), rand(K * N), rand(N)];
      const want = reference(a, b, new Float32Array(M * N), M, N, K, false);
      const c = new Float32Array(M * N);
      matmul(a, b, c, M, N, K, false, bias, true);
      let negatives = 0;
      for (let i = 0; i < M * N; i++) {
        const v = want[i] + bias[i % N];
        if (v < 0) negatives++;
        assert.ok(Math.abs(c[i] - Math.max(v, 0)) <= 1e-5, `[${i}] ${c[i]} vs ${Math.max(v, 0)}`);
      }
      assert.ok(negatives > 0, "the ReLU was exercised");
    });
  }

  it("with the SIMD kernel off, matmul is the JS kernel bit for bit; operands longer than the product are fine", () => {
    const rng = Rng.seeded(3);
    const a = Float32Array.from({ length: 8 * 8 + 5 }, () => rng.uniform());
    const b = Float32Array.from({ length: 8 * 4 + 3 }, () => rng.uniform());
    const viaJs = new Float32Array(8 * 4);
    matmulJs(a, b, viaJs, 8, 4, 8, false);
    try {
      useSimdKernel(false);
      const off = new Float32Array(8 * 4);
      matmul(a, b, off, 8, 4, 8, false);
      assert.deepEqual(off, viaJs);
    } finally {
      useSimdKernel(true);
    }
    const simd = new Float32Array(8 * 4);
    matmul(a, b, simd, 8, 4, 8, false);
    for (let i = 0; i < simd.length; i++) assert.ok(Math.abs(simd[i] - viaJs[i]) < 1e-5);
  });
});
