/**
 * The GRU surrogate's recurrence (gruChoiceModel.ts: PyTorch's GRUCell, gates r, z, n, and a Dense head over two
 * options) run on expected inputs, and differentiated through: the GRU counterpart of qLearnerMeanField.ts for
 * the gradient shaping adversary (gradientShaper.ts). With the plan ρ_τ = (ρ_{τ,0}, ρ_{τ,1}) and the policy
 * p_τ = σ(l_0 − l_1), l = W_d h_τ + b_d, the GRU's next input [r, onehot(a)] is replaced by its expectation,
 *   x̄_τ = [p_τ ρ_{τ,0} + (1 − p_τ) ρ_{τ,1}, p_τ, 1 − p_τ],     h_{τ+1} = GRU(x̄_τ, h_τ),     J = Σ_τ p_τ,
 * a mean-field model (exact for the expected input, not for the expected hidden state: the GRU is nonlinear).
 * Float64, one row, from the model's float32 weights; reverse mode through the recurrence, with the feedback
 * p_τ → x̄_τ (so not the engine's sequence BPTT, whose inputs are fixed): per step, with gh' = ∂J/∂h_{τ+1},
 *   dn = gh' ⊙ (1 − z),  dz = gh' ⊙ (h − n),  da = dn ⊙ (1 − n²),  dr = da ⊙ ĥ_n
 *   dgi = [dr ⊙ r(1 − r), dz ⊙ z(1 − z), da],  dgh = [dgi_r, dgi_z, da ⊙ r]
 *   ∂J/∂h_τ = gh' ⊙ z + W_hhᵀ dgh + (1 + ∂J/∂x̄·∂x̄/∂p) · p(1 − p)(W_d,0 − W_d,1),   ∂J/∂x̄_τ = W_ihᵀ dgi
 *   ∂J/∂ρ_{τ,0} = (∂J/∂x̄_{τ,0}) p_τ,   ∂J/∂ρ_{τ,1} = (∂J/∂x̄_{τ,0}) (1 − p_τ)
 * (ĥ_n = W_hn h + b_hn). Tested by finite differences, and its forward against the engine's GRU.
 */
import { sigmoid, tanh } from "../../util/math.js";
import type { DifferentiableSurrogate } from "./gradientShaper.js";
import type { GruChoiceModel } from "./gruChoiceModel.js";
import { GRU_INPUTS } from "./gruChoiceModel.js";
import type { GruSurrogate } from "./gruSurrogate.js";
import { TRIALS } from "./task.js";

export class GruMeanField {
  readonly H: number;
  private readonly wih: Float64Array;
  private readonly whh: Float64Array;
  private readonly bih: Float64Array;
  private readonly bhh: Float64Array;
  /** W_d,0 − W_d,1 and b_d,0 − b_d,1: the head's logit difference. */
  private readonly wDiff: Float64Array;
  private readonly bDiff: number;
  // The tape: per τ, h_τ, r, z, n, ĥ_n [R, H]; p and x̄ [R] / [R, 3].
  private readonly h: Float64Array;
  private readonly r: Float64Array;
  private readonly z: Float64Array;
  private readonly n: Float64Array;
  private readonly hn: Float64Array;
  private readonly p: Float64Array;
  private readonly x: Float64Array;
  private readonly gh: Float64Array;
  private readonly ghNext: Float64Array;
  private readonly dgi: Float64Array;
  private readonly dgh: Float64Array;
  /** A step's input and hidden projections, W_ih x̄ + b_ih and W_hh h + b_hh [3H]. */
  private readonly gi: Float64Array;
  private readonly ghv: Float64Array;

  constructor(model: GruChoiceModel) {
    const H = model.cells;
    this.H = H;
    this.wih = Float64Array.from(model.gru.weightIh.value);
    this.whh = Float64Array.from(model.gru.weightHh.value);
    this.bih = Float64Array.from(model.gru.biasIh.value);
    this.bhh = Float64Array.from(model.gru.biasHh.value);
    const w = model.head.weight.value;
    this.wDiff = Float64Array.from({ length: H }, (_, j) => w[j] - w[H + j]);
    this.bDiff = model.head.bias.value[0] - model.head.bias.value[1];
    this.h = new Float64Array((TRIALS + 1) * H);
    this.r = new Float64Array(TRIALS * H);
    this.z = new Float64Array(TRIALS * H);
    this.n = new Float64Array(TRIALS * H);
    this.hn = new Float64Array(TRIALS * H);
    this.p = new Float64Array(TRIALS);
    this.x = new Float64Array(TRIALS * GRU_INPUTS);
    this.gh = new Float64Array(H);
    this.ghNext = new Float64Array(H);
    this.dgi = new Float64Array(3 * H);
    this.dgh = new Float64Array(3 * H);
    this.gi = new Float64Array(3 * H);
    this.ghv = new Float64Array(3 * H);
  }

  private policy(tau: number): number {
    const { H, h } = this;
    let d = this.bDiff;
    for (let j = 0; j < H; j++) d += this.wDiff[j] * h[tau * H + j];
    return sigmoid(d);
  }

  /** h_{τ+1} = GRU(x̄_τ, h_τ), keeping the gates on the tape. */
  private step(tau: number): void {
    const { H, wih, whh, bih, bhh, h, gi, ghv } = this;
    const I = GRU_INPUTS;
    for (let row = 0; row < 3 * H; row++) {
      let a = bih[row];
      for (let i = 0; i < I; i++) a += wih[row * I + i] * this.x[tau * I + i];
      gi[row] = a;
      let b = bhh[row];
      for (let k = 0; k < H; k++) b += whh[row * H + k] * h[tau * H + k];
      ghv[row] = b;
    }
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gi[j] + ghv[j]);
      const z = sigmoid(gi[H + j] + ghv[H + j]);
      const n = tanh(gi[2 * H + j] + r * ghv[2 * H + j]);
      const k = tau * H + j;
      this.r[k] = r;
      this.z[k] = z;
      this.n[k] = n;
      this.hn[k] = ghv[2 * H + j];
      h[(tau + 1) * H + j] = (1 - z) * n + z * h[k];
    }
  }

  /** J = Σ_τ p_τ over R trials from hidden state h0 (float32, one row), with ∂J/∂ρ into grad [R, 2]. */
  targetChoices(h0: ArrayLike<number>, rho: Float64Array, R: number, grad: Float64Array): number {
    const { H, wih, whh } = this;
    const I = GRU_INPUTS;
    for (let j = 0; j < H; j++) this.h[j] = h0[j];
    let J = 0;
    // ---- forward
    for (let tau = 0; tau < R; tau++) {
      const p = this.policy(tau);
      this.p[tau] = p;
      J += p;
      this.x[tau * I] = p * rho[2 * tau] + (1 - p) * rho[2 * tau + 1];
      this.x[tau * I + 1] = p;
      this.x[tau * I + 2] = 1 - p;
      if (tau < R - 1) this.step(tau); // the last state is never read
    }
    // ---- backward
    const gh = this.gh;
    const ghNext = this.ghNext;
    ghNext.fill(0); // ∂J/∂h_R
    for (let tau = R - 1; tau >= 0; tau--) {
      gh.fill(0);
      let gx0 = 0;
      let gx1 = 0;
      let gx2 = 0;
      if (tau < R - 1) {
        for (let j = 0; j < H; j++) {
          const k = tau * H + j;
          const g = ghNext[j];
          const r = this.r[k];
          const z = this.z[k];
          const n = this.n[k];
          const dn = g * (1 - z);
          const dz = g * (this.h[k] - n);
          const da = dn * (1 - n * n);
          const dr = da * this.hn[k];
          this.dgi[j] = dr * r * (1 - r);
          this.dgi[H + j] = dz * z * (1 - z);
          this.dgi[2 * H + j] = da;
          this.dgh[j] = this.dgi[j];
          this.dgh[H + j] = this.dgi[H + j];
          this.dgh[2 * H + j] = da * r;
          gh[j] += g * z;
        }
        for (let row = 0; row < 3 * H; row++) {
          const a = this.dgh[row];
          for (let k = 0; k < H; k++) gh[k] += whh[row * H + k] * a;
          const b = this.dgi[row];
          gx0 += wih[row * I] * b;
          gx1 += wih[row * I + 1] * b;
          gx2 += wih[row * I + 2] * b;
        }
      }
      const p = this.p[tau];
      grad[2 * tau] = gx0 * p;
      grad[2 * tau + 1] = gx0 * (1 - p);
      const gp = 1 + gx0 * (rho[2 * tau] - rho[2 * tau + 1]) + gx1 - gx2;
      const dp = gp * p * (1 - p);
      for (let j = 0; j < H; j++) ghNext[j] = gh[j] + dp * this.wDiff[j];
    }
    return J;
  }

  /** The hidden state h_τ of the last forward (for the test against the engine's GRU). */
  hiddenAt(tau: number): Float64Array {
    return this.h.subarray(tau * this.H, (tau + 1) * this.H);
  }
}

/** The shaper's view of a GRU surrogate: the mean-field recurrence from game g's hidden state. */
export function gruDifferentiable(learner: GruSurrogate): DifferentiableSurrogate {
  const field = new GruMeanField(learner.model);
  const H = learner.model.cells;
  return {
    plannedTargetChoices(g, _trial, rho, R, grad) {
      return field.targetChoices(learner.h.subarray(g * H, (g + 1) * H), rho, R, grad);
    },
  };
}
