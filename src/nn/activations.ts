/**
 * Elementwise activations over the first n entries of a batch (no parameters). The backward pass reads the
 * forward OUTPUT y, so it may run in place (dX = dY is allowed).
 *
 *   ReLU   y = max(x, 0)     dX = dY · [y > 0]      (PyTorch's convention: zero gradient at x = 0)
 *   Tanh   y = tanh(x)       dX = dY · (1 − y²)
 */
import { exp } from "../util/math.js";
import { KernelArena, wasmElementwiseActive } from "./kernelArena.js";

/*
 * The layers' logistic and tanh, each one call of the project's engine-independent `exp` (src/util/math.ts), so
 * the bits are the same in every engine AND V8 inlines them into the loops. util/math's `tanh` goes through a
 * degree-20 expm1 and its `sigmoid` has two exp call sites; neither inlines there, and a call that is not inlined
 * returns its double boxed on the heap: 14 kB of garbage per GRU update (the allocation test in
 * test/nn-engine.test.ts caught it) and a slower loop. In IEEE arithmetic these forms need no branches:
 *   σ(x) = 1 / (1 + e^−x)            e^−x overflows to ∞ for x < −709, and 1/∞ = 0
 *   tanh(x) = 1 − 2 / (1 + e^2x)      absolute error ≈ 1e-16 (relative error grows only for |x| < 1e-8, far
 *                                     below what the float32 activations it feeds can hold)
 */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

export function tanh(x: number): number {
  return 1 - 2 / (1 + exp(2 * x));
}

export interface Activation {
  readonly name: "relu" | "tanh";
  forward(x: Float32Array, y: Float32Array, n: number): void;
  backward(y: Float32Array, dY: Float32Array, dX: Float32Array, n: number): void;
}

export const ReLU: Activation = {
  name: "relu",
  forward(x, y, n) {
    for (let i = 0; i < n; i++) {
      y[i] = Math.max(x[i], 0); // a NaN stays NaN (it is not hidden as 0)
    }
  },
  backward(y, dY, dX, n) {
    // In WebAssembly SIMD when all three live in one kernel arena (the same bits: a select, no arithmetic).
    const arena = KernelArena.of(y);
    if (arena && n % 4 === 0 && n > 0 && wasmElementwiseActive() && arena.owns(dY) && arena.owns(dX)) {
      arena.gates.reluBackward(y.byteOffset, dY.byteOffset, dX.byteOffset, n);
      return;
    }
    for (let i = 0; i < n; i++) dX[i] = y[i] > 0 ? dY[i] : 0;
  },
};

export const Tanh: Activation = {
  name: "tanh",
  forward(x, y, n) {
    for (let i = 0; i < n; i++) y[i] = tanh(x[i]);
  },
  backward(y, dY, dX, n) {
    for (let i = 0; i < n; i++) {
      const v = y[i];
      dX[i] = dY[i] * (1 - v * v);
    }
  },
};

export const ACTIVATIONS = { relu: ReLU, tanh: Tanh } as const;
export type ActivationName = keyof typeof ACTIVATIONS;
