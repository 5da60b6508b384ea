/**
 * The GRU model of a learner's choices (Dezfouli, Nock & Dayan 2020; the released `rnn_learner.py`, class
 * `RNNAgent`): one GRU layer of `cells` units over the input x_t = [r_{t−1}, onehot(a_{t−1})] (x_1 = 0: the
 * sequence is shifted right), initial state 0, and the policy π_t = softmax(Dense(h_t)) over the two options.
 * Keras's GRU with reset_after = True is the same function as PyTorch's GRUCell (src/nn/gru.ts): r is applied
 * after the recurrent product, and each gate has an input and a recurrent bias.
 *
 * Fitted by maximum likelihood, full batch, one Adam step per "epoch" (lr 0.005 as the paper):
 *   L(θ) = −(1/N) Σ_subjects Σ_t [a_t ≠ −1] log π_t(a_t),   N = the number of choices that count.
 * The released code minimises the sum, not the mean; Adam's step does not depend on that scale (but for ε), and
 * the mean reads directly as NLL per choice (log 2 = 0.693 is chance). Missed or padded trials (a = −1) add
 * nothing, as there. Initialisation: PyTorch's defaults (Keras's are glorot/orthogonal; ours, stated).
 */
import { GRUCell, type GRUWorkspace } from "../../nn/gru.js";
import { CategoricalHead } from "../../nn/heads.js";
import { Linear } from "../../nn/linear.js";
import { Adam } from "../../nn/optim.js";
import { Parameters } from "../../nn/params.js";
import type { Rng } from "../../util/rng.js";
import type { ChoiceData } from "./choiceData.js";

export const GRU_INPUTS = 3;
const OPTIONS = 2;

/** The time-major input rows of a GRU step: [r, onehot(a)] (a = −1 gives zeros, as the released one-hot). */
export function writeChoiceInput(x: Float32Array, row: number, action: number, reward: number): void {
  const o = row * GRU_INPUTS;
  x[o] = action < 0 ? 0 : reward;
  x[o + 1] = action === 0 ? 1 : 0;
  x[o + 2] = action === 1 ? 1 : 0;
}

/** Buffers of one pass over a data set (made once per data set; a step allocates nothing). */
class Pass {
  readonly rows: number;
  readonly x: Float32Array;
  readonly targets: Int32Array;
  readonly dLogProb: Float32Array;
  readonly ws: GRUWorkspace;
  readonly logits: Float32Array;
  readonly dLogits: Float32Array;
  readonly dHidden: Float32Array;
  readonly scratch: Float32Array;
  readonly head: CategoricalHead;
  readonly counted: number;

  constructor(model: GruChoiceModel, data: ChoiceData) {
    const { subjects: S, trials: T } = data;
    this.rows = S * T;
    this.x = new Float32Array(this.rows * GRU_INPUTS);
    this.targets = new Int32Array(this.rows);
    this.dLogProb = new Float32Array(this.rows);
    let counted = 0;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < S; s++) {
        const row = t * S + s; // time-major
        if (t > 0) writeChoiceInput(this.x, row, data.actions[s * T + t - 1], data.rewards[s * T + t - 1]);
        const a = data.actions[s * T + t];
        this.targets[row] = Math.max(0, a); // a masked row still needs a valid index
        if (a >= 0) counted++;
      }
    }
    this.counted = counted;
    for (let t = 0; t < T; t++)
      for (let s = 0; s < S; s++) this.dLogProb[t * S + s] = data.actions[s * T + t] < 0 ? 0 : -1 / counted;
    this.ws = model.gru.workspace(T, S);
    this.logits = new Float32Array(this.rows * OPTIONS);
    this.dLogits = new Float32Array(this.rows * OPTIONS);
    this.dHidden = new Float32Array(this.rows * model.cells);
    this.scratch = new Float32Array(this.rows * OPTIONS);
    this.head = new CategoricalHead(OPTIONS, this.rows);
  }
}

export interface GruFitOptions {
  steps: number;
  /** Adam step size (default 0.005, the paper's). */
  lr?: number;
  /** Held-out data: its NLL is logged every `every` steps (default 100, as the released code). */
  test?: ChoiceData;
  every?: number;
  onLog?: (step: number, trainNll: number, testNll: number) => void;
}

export interface GruFitResult {
  /** Train NLL per choice after the last step, and held-out NLL per choice (NaN-free: undefined without test). */
  trainNll: number;
  testNll?: number;
  /** [step, train NLL, test NLL] every `every` steps. */
  log: [number, number, number][];
}

export class GruChoiceModel {
  readonly params: Parameters;
  readonly gru: GRUCell;
  readonly head: Linear;

  constructor(readonly cells = 10) {
    this.params = new Parameters(
      GRUCell.parameterCount(GRU_INPUTS, cells) + Linear.parameterCount(cells, OPTIONS),
    );
    this.gru = new GRUCell(this.params, "gru", GRU_INPUTS, cells);
    this.head = new Linear(this.params, "dense", cells, OPTIONS);
    this.params.done();
  }

  init(rng: Rng): this {
    this.gru.init(rng, { kind: "torch" });
    this.head.init(rng, { kind: "torch" });
    return this;
  }

  /** Forward over the pass's data; returns NLL per counted choice. */
  private forward(pass: Pass): number {
    this.gru.forward(pass.x, pass.ws);
    this.head.forward(pass.ws.outputs, pass.logits, pass.rows);
    pass.head.forward(pass.logits, pass.rows);
    let loss = 0;
    const lp = pass.head.logProbs;
    for (let n = 0; n < pass.rows; n++) if (pass.dLogProb[n] !== 0) loss -= lp[n * OPTIONS + pass.targets[n]];
    return loss / pass.counted;
  }

  /** NLL per choice of `data` under the model (log 2 ≈ 0.693 is chance). */
  nll(data: ChoiceData): number {
    return this.forward(new Pass(this, data));
  }

  /** NLL per choice of `data`, with its gradient w.r.t. every parameter left in params.grads. */
  gradient(data: ChoiceData): number {
    return this.lossAndGradient(new Pass(this, data));
  }

  private lossAndGradient(pass: Pass): number {
    const loss = this.forward(pass);
    this.params.zeroGrad();
    pass.head.backward(pass.targets, pass.dLogProb, null, pass.dLogits, pass.rows);
    this.head.backward(pass.ws.outputs, pass.dLogits, pass.dHidden, pass.rows, pass.scratch);
    this.gru.backward(pass.x, pass.dHidden, null, pass.ws);
    return loss;
  }

  /** Maximum likelihood by full-batch Adam; returns the final NLLs and the log. */
  fit(train: ChoiceData, options: GruFitOptions): GruFitResult {
    const pass = new Pass(this, train);
    const testPass = options.test ? new Pass(this, options.test) : undefined;
    const adam = new Adam(this.params.values, { lr: options.lr ?? 0.005 });
    const every = options.every ?? 100;
    const log: [number, number, number][] = [];
    let trainNll = Number.NaN;
    for (let step = 1; step <= options.steps; step++) {
      trainNll = this.lossAndGradient(pass);
      adam.step(this.params.grads);
      if (step % every === 0 || step === options.steps) {
        const testNll = testPass ? this.forward(testPass) : Number.NaN;
        log.push([step, trainNll, testNll]);
        options.onLog?.(step, trainNll, testNll);
      }
    }
    const final = this.forward(pass);
    return { trainNll: final, testNll: testPass ? this.forward(testPass) : undefined, log };
  }
}
