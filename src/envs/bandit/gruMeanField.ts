/**
 * The GRU surrogate's recurrence (gruChoiceModel.ts: PyTorch's GRUCell, gates r, z, n, and a Dense head over two
 * options), averaged over its next choice and reward, and differentiated through: the GRU counterpart of
 * qLearnerMeanField.ts for the gradient shaping adversary (gradientShaper.ts). With the plan
 * ρ_τ = (ρ_{τ,0}, ρ_{τ,1}) and the policy p_τ = σ(l_0 − l_1), l = W_d h_τ + b_d, the next hidden state is the exact
 * expectation of the GRU's next state given h_τ, over the four (choice a, reward r) outcomes (each an input the GRU
 * was fitted on, [r, onehot(a)]):
 *   h_{τ+1} = Σ_b w_b · GRU(x_b, h_τ),   x_b ∈ {[0,1,0], [1,1,0], [0,0,1], [1,0,1]},
 *   w = [p(1 − ρ_0), p ρ_0, (1 − p)(1 − ρ_1), (1 − p) ρ_1],                J = Σ_τ p_τ;
 * a mean-field model: the spread of h over histories is collapsed to its mean after each trial (the exact
 * expectation branches 4^R ways). Float64, one row, from the model's float32 weights. Reverse mode, per step, with
 * G = ∂J/∂h_{τ+1} and each branch's GRU backward at fixed input (gh' = w_b G):
 *   dn = gh' ⊙ (1 − z),  dz = gh' ⊙ (h − n),  da = dn ⊙ (1 − n²),  dr = da ⊙ ĥ_n   (ĥ_n = W_hn h + b_hn)
 *   dgh = [dr ⊙ r(1 − r), dz ⊙ z(1 − z), da ⊙ r],   ∂J/∂h_τ += gh' ⊙ z + W_hhᵀ dgh
 *   ∂J/∂w_b = G · GRU(x_b, h_τ);  ∂J/∂ρ_0 = p(∂J/∂w_1 − ∂J/∂w_0),  ∂J/∂ρ_1 = (1 − p)(∂J/∂w_3 − ∂J/∂w_2)
 *   ∂J/∂p = 1 + Σ_b ∂J/∂w_b ∂w_b/∂p,   ∂J/∂h_τ += ∂J/∂p · p(1 − p)(W_d,0 − W_d,1)
 * Tested by finite differences, and its branches against the engine's GRU.
 */
import { sigmoid, tanh } from "../../util/math.js";
import type { DifferentiableSurrogate } from "./gradientShaper.js";
import type { GruChoiceModel } from "./gruChoiceModel.js";
import { GRU_INPUTS } from "./gruChoiceModel.js";
import type { GruSurrogate } from "./gruSurrogate.js";
import { TRIALS } from "./task.js";

const BRANCHES = 4;
/** The inputs [r, onehot(a)] of the four outcomes, in the order of w. */
const BRANCH_INPUTS = [
  [0, 1, 0],
  [1, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
] as const;

export class GruMeanField {
  readonly H: number;
  private readonly whh: Float64Array;
  private readonly bhh: Float64Array;
  /** W_ih x_b + b_ih of each branch's constant input [4, 3H]. */
  private readonly giBranch: Float64Array;
  /** W_d,0 − W_d,1 and b_d,0 − b_d,1: the head's logit difference. */
  private readonly wDiff: Float64Array;
  private readonly bDiff: number;
  // The tape: per τ, h_τ [R+1, H]; per τ and branch, the gates r, z, n, ĥ_n and the branch's next state [R, 4, H].
  private readonly h: Float64Array;
  private readonly r: Float64Array;
  private readonly z: Float64Array;
  private readonly n: Float64Array;
  private readonly hn: Float64Array;
  private readonly next: Float64Array;
  private readonly p: Float64Array;
  private readonly gh: Float64Array;
  private readonly G: Float64Array;
  private readonly dgh: Float64Array;
  private readonly ghv: Float64Array;

  constructor(model: GruChoiceModel) {
    const H = model.cells;
    this.H = H;
    const wih = model.gru.weightIh.value;
    const bih = model.gru.biasIh.value;
    this.whh = Float64Array.from(model.gru.weightHh.value);
    this.bhh = Float64Array.from(model.gru.biasHh.value);
    this.giBranch = new Float64Array(BRANCHES * 3 * H);
    BRANCH_INPUTS.forEach((x, b) => {
      for (let row = 0; row < 3 * H; row++) {
        let a = bih[row];
        for (let i = 0; i < GRU_INPUTS; i++) a += wih[row * GRU_INPUTS + i] * x[i];
        this.giBranch[b * 3 * H + row] = a;
      }
    });
    const w = model.head.weight.value;
    this.wDiff = Float64Array.from({ length: H }, (_, j) => w[j] - w[H + j]);
    this.bDiff = model.head.bias.value[0] - model.head.bias.value[1];
    this.h = new Float64Array((TRIALS + 1) * H);
    const tape = TRIALS * BRANCHES * H;
    this.r = new Float64Array(tape);
    this.z = new Float64Array(tape);
    this.n = new Float64Array(tape);
    this.hn = new Float64Array(tape);
    this.next = new Float64Array(tape);
    this.p = new Float64Array(TRIALS);
    this.gh = new Float64Array(H);
    this.G = new Float64Array(H);
    this.dgh = new Float64Array(3 * H);
    this.ghv = new Float64Array(3 * H);
  }

  private policy(tau: number): number {
    const { H, h } = this;
    let d = this.bDiff;
    for (let j = 0; j < H; j++) d += this.wDiff[j] * h[tau * H + j];
    return sigmoid(d);
  }

  /** The outcome weights w of trial τ into out[0…4). */
  private static weights(p: number, rho: Float64Array, tau: number, out: number[]): void {
    out[0] = p * (1 - rho[2 * tau]);
    out[1] = p * rho[2 * tau];
    out[2] = (1 - p) * (1 - rho[2 * tau + 1]);
    out[3] = (1 - p) * rho[2 * tau + 1];
  }

  /** Each branch's GRU(x_b, h_τ), gates on the tape; h_{τ+1} = Σ_b w_b · that. */
  private step(tau: number, w: number[]): void {
    const { H, whh, bhh, h, ghv } = this;
    for (let row = 0; row < 3 * H; row++) {
      let a = bhh[row];
      for (let k = 0; k < H; k++) a += whh[row * H + k] * h[tau * H + k];
      ghv[row] = a;
    }
    for (let j = 0; j < H; j++) h[(tau + 1) * H + j] = 0;
    for (let b = 0; b < BRANCHES; b++) {
      const gi = b * 3 * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(this.giBranch[gi + j] + ghv[j]);
        const z = sigmoid(this.giBranch[gi + H + j] + ghv[H + j]);
        const n = tanh(this.giBranch[gi + 2 * H + j] + r * ghv[2 * H + j]);
        const k = (tau * BRANCHES + b) * H + j;
        this.r[k] = r;
        this.z[k] = z;
        this.n[k] = n;
        this.hn[k] = ghv[2 * H + j];
        const next = (1 - z) * n + z * h[tau * H + j];
        this.next[k] = next;
        h[(tau + 1) * H + j] += w[b] * next;
      }
    }
  }

  /** J = Σ_τ p_τ over R trials from hidden state h0 (one row), with ∂J/∂ρ into grad [R, 2]. */
  targetChoices(h0: ArrayLike<number>, rho: Float64Array, R: number, grad: Float64Array): number {
    const { H, whh } = this;
    for (let j = 0; j < H; j++) this.h[j] = h0[j];
    const w = [0, 0, 0, 0];
    let J = 0;
    // ---- forward
    for (let tau = 0; tau < R; tau++) {
      const p = this.policy(tau);
      this.p[tau] = p;
      J += p;
      GruMeanField.weights(p, rho, tau, w);
      if (tau < R - 1) this.step(tau, w); // the last state is never read
    }
    // ---- backward: G = ∂J/∂h_{τ+1}, gh = ∂J/∂h_τ
    const { G, gh, dgh } = this;
    const gw = [0, 0, 0, 0];
    G.fill(0);
    for (let tau = R - 1; tau >= 0; tau--) {
      const p = this.p[tau];
      GruMeanField.weights(p, rho, tau, w);
      gh.fill(0);
      gw.fill(0);
      if (tau < R - 1) {
        for (let b = 0; b < BRANCHES; b++) {
          for (let j = 0; j < H; j++) {
            const k = (tau * BRANCHES + b) * H + j;
            gw[b] += G[j] * this.next[k];
            const g = w[b] * G[j];
            const r = this.r[k];
            const z = this.z[k];
            const n = this.n[k];
            const dn = g * (1 - z);
            const dz = g * (this.h[tau * H + j] - n);
            const da = dn * (1 - n * n);
            dgh[j] = da * this.hn[k] * r * (1 - r);
            dgh[H + j] = dz * z * (1 - z);
            dgh[2 * H + j] = da * r;
            gh[j] += g * z;
          }
          for (let row = 0; row < 3 * H; row++) {
            const a = dgh[row];
            for (let k = 0; k < H; k++) gh[k] += whh[row * H + k] * a;
          }
        }
      }
      grad[2 * tau] = p * (gw[1] - gw[0]);
      grad[2 * tau + 1] = (1 - p) * (gw[3] - gw[2]);
      const rho0 = rho[2 * tau];
      const rho1 = rho[2 * tau + 1];
      const gp = 1 + gw[0] * (1 - rho0) + gw[1] * rho0 - gw[2] * (1 - rho1) - gw[3] * rho1;
      const dp = gp * p * (1 - p);
      for (let j = 0; j < H; j++) G[j] = gh[j] + dp * this.wDiff[j];
    }
    return J;
  }

  /** The hidden state h_τ of the last forward, and branch b's GRU(x_b, h_τ) (for the test against the engine). */
  hiddenAt(tau: number): Float64Array {
    return this.h.subarray(tau * this.H, (tau + 1) * this.H);
  }

  branchAt(tau: number, b: number): Float64Array {
    const o = (tau * BRANCHES + b) * this.H;
    return this.next.subarray(o, o + this.H);
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
