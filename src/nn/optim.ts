/**
 * Optimisers over one flat parameter vector, sorted in order of increasing complexity (as tinygrad's optim.py):
 * SGD, then Adam, then clipping by global norm. Option names and update rules are PyTorch 1.13's
 * (torch/optim/sgd.py, adam.py `_single_tensor_adam`, torch/nn/utils/clip_grad.py), validated in the
 * constructor. State is allocated once; a step allocates nothing.
 */
import { InputError } from "../util/errors.js";

function check(field: string, value: number, lo: number, hi: number, loOpen = false, hiOpen = false): number {
  const ok =
    Number.isFinite(value) && (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    throw new InputError(
      field,
      `must be in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}, got ${value}`,
    );
  }
  return value;
}

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/**
 * SGD (Sutskever et al. 2013 for momentum, as PyTorch implements it):
 *   g ← g + λθ;   b ← g (first step) or μb + (1 − τ)g;   g ← g + μb (nesterov) or b;   θ ← θ − lr·g
 */
export class SGD {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly buffer: Float32Array;
  private started = false;

  constructor(
    readonly params: Float32Array,
    options: SGDOptions,
  ) {
    this.lr = check("lr", options.lr, 0, Number.POSITIVE_INFINITY, false, true);
    this.momentum = check("momentum", options.momentum ?? 0, 0, Number.POSITIVE_INFINITY, false, true);
    this.dampening = check("dampening", options.dampening ?? 0, 0, 1);
    this.weightDecay = check(
      "weightDecay",
      options.weightDecay ?? 0,
      0,
      Number.POSITIVE_INFINITY,
      false,
      true,
    );
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new InputError("nesterov", "needs momentum > 0 and dampening = 0 (as in PyTorch)");
    }
    this.buffer = new Float32Array(this.momentum > 0 ? params.length : 0);
  }

  step(grads: Float32Array): void {
    const { params, lr, momentum, dampening, weightDecay, nesterov, buffer } = this;
    const first = !this.started;
    for (let i = 0; i < params.length; i++) {
      let g = grads[i] + weightDecay * params[i];
      if (momentum > 0) {
        const b = first ? g : momentum * buffer[i] + (1 - dampening) * g;
        buffer[i] = b;
        g = nesterov ? g + momentum * buffer[i] : buffer[i];
      }
      params[i] -= lr * g;
    }
    this.started = true;
  }
}

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015, https://arxiv.org/abs/1412.6980), exactly as PyTorch 1.13's single-tensor path:
 *   g ← g + λθ (L2 decay, not AdamW);   m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * β₁ᵗ and β₂ᵗ are kept as running products in float64. Defaults are PyTorch's: lr 1e-3, betas (0.9, 0.999),
 * eps 1e-8, weightDecay 0.
 */
export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private beta1Power = 1;
  private beta2Power = 1;
  /** Number of steps taken. */
  t = 0;

  constructor(
    readonly params: Float32Array,
    options: AdamOptions = {},
  ) {
    this.lr = check("lr", options.lr ?? 1e-3, 0, Number.POSITIVE_INFINITY, false, true);
    const [b1, b2] = options.betas ?? [0.9, 0.999];
    this.beta1 = check("betas[0]", b1, 0, 1, false, true);
    this.beta2 = check("betas[1]", b2, 0, 1, false, true);
    this.eps = check("eps", options.eps ?? 1e-8, 0, Number.POSITIVE_INFINITY, false, true);
    this.weightDecay = check(
      "weightDecay",
      options.weightDecay ?? 0,
      0,
      Number.POSITIVE_INFINITY,
      false,
      true,
    );
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }

  step(grads: Float32Array): void {
    const { params, m, v, beta1, beta2, eps, weightDecay } = this;
    this.t++;
    this.beta1Power *= beta1;
    this.beta2Power *= beta2;
    const stepSize = this.lr / (1 - this.beta1Power);
    const bias2Sqrt = Math.sqrt(1 - this.beta2Power);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] + weightDecay * params[i];
      const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
      const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
    }
  }

  /** Moments and step count, e.g. to save a training state. */
  state(): { t: number; m: Float32Array; v: Float32Array } {
    return { t: this.t, m: this.m, v: this.v };
  }
}

/**
 * Scale gradients so their global L2 norm is at most maxNorm (PyTorch's clip_grad_norm_): with
 * ‖g‖ = √Σg², g ← g · min(1, maxNorm / (‖g‖ + 1e-6)). Returns ‖g‖ before clipping.
 */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  check("maxNorm", maxNorm, 0, Number.POSITIVE_INFINITY, true, true);
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i] * grads[i];
  const norm = Math.sqrt(sum);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] *= coef;
  return norm;
}
