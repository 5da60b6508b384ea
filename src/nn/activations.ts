/**
 * Elementwise activations over the first n entries of a batch (no parameters). The backward pass reads the
 * forward OUTPUT y, so it may run in place (dX = dY is allowed).
 *
 *   ReLU   y = max(x, 0)     dX = dY · [y > 0]      (PyTorch's convention: zero gradient at x = 0)
 *   Tanh   y = tanh(x)       dX = dY · (1 − y²)
 */
import { tanh } from "./elementary.js";

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
