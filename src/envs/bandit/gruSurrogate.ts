/**
 * A fitted GRU choice model (gruChoiceModel.ts) run as a surrogate of a human in the bandit task, as the paper's
 * `nc/learner_env.py` wraps its frozen GRU: h_1 = GRU(0, 0) gives the first policy; after each trial the GRU
 * takes [r_t, onehot(a_t)] of the learner's own choice and observed reward, so π_{t+1} = softmax(Dense(h_{t+1})).
 * `probabilityAfter` runs the four hypothetical next inputs (choice, reward) ∈ {0,1}² as one batched GRU step, so
 * the one-step shaping adversary and the policy-gradient features work as they do for the Q-learner.
 */
import { exp } from "../../util/math.js";
import type { Rng } from "../../util/rng.js";
import type { GRUWorkspace } from "../../nn/gru.js";
import { type GruChoiceModel, writeChoiceInput } from "./gruChoiceModel.js";
import type { BanditSurrogate } from "./surrogate.js";

/** P(option 0) of a two-logit row: σ(z_0 − z_1). */
function target(logits: Float32Array, row: number): number {
  return 1 / (1 + exp(logits[2 * row + 1] - logits[2 * row]));
}

export class GruSurrogate implements BanditSurrogate {
  readonly stateSize: number;
  /** h_t of every game [games, cells]. */
  readonly h: Float32Array;
  private readonly pTarget: Float64Array;
  private readonly step: GRUWorkspace;
  private readonly x: Float32Array;
  private readonly logits: Float32Array;
  private readonly ahead: GRUWorkspace;
  private readonly xAhead: Float32Array;
  private readonly logitsAhead: Float32Array;
  /** P(target) after each hypothetical (choice, reward), [games, 4] in the order 2·choice + reward. */
  private readonly pAhead: Float64Array;
  private aheadFresh = false;

  constructor(
    readonly model: GruChoiceModel,
    readonly games: number,
  ) {
    const H = model.cells;
    this.stateSize = H;
    this.h = new Float32Array(games * H);
    this.pTarget = new Float64Array(games);
    this.step = model.gru.workspace(1, games);
    this.x = new Float32Array(games * 3);
    this.logits = new Float32Array(games * 2);
    this.ahead = model.gru.workspace(1, 4 * games);
    this.xAhead = new Float32Array(4 * games * 3);
    for (let g = 0; g < games; g++)
      for (let k = 0; k < 4; k++) writeChoiceInput(this.xAhead, 4 * g + k, k >> 1, k & 1);
    this.logitsAhead = new Float32Array(4 * games * 2);
    this.pAhead = new Float64Array(4 * games);
    this.advance(); // the dummy first step: x = 0 from h = 0
  }

  /** One GRU step of every game from this.h with input this.x; refreshes the policy. */
  private advance(): void {
    const H = this.model.cells;
    this.step.hs.set(this.h);
    this.model.gru.forward(this.x, this.step);
    this.h.set(this.step.outputs.subarray(0, this.games * H));
    this.model.head.forward(this.h, this.logits, this.games);
    for (let g = 0; g < this.games; g++) this.pTarget[g] = target(this.logits, g);
    this.aheadFresh = false;
  }

  probabilityOfTarget(g: number): number {
    return this.pTarget[g];
  }

  probabilityAfter(g: number, choice: number, reward: number): number {
    if (!this.aheadFresh) {
      const H = this.model.cells;
      for (let game = 0; game < this.games; game++)
        for (let k = 0; k < 4; k++)
          this.ahead.hs.set(this.h.subarray(game * H, (game + 1) * H), (4 * game + k) * H);
      this.model.gru.forward(this.xAhead, this.ahead);
      this.model.head.forward(this.ahead.outputs, this.logitsAhead, 4 * this.games);
      for (let r = 0; r < 4 * this.games; r++) this.pAhead[r] = target(this.logitsAhead, r);
      this.aheadFresh = true;
    }
    return this.pAhead[4 * g + 2 * choice + (reward > 0 ? 1 : 0)];
  }

  writeState(g: number, out: Float64Array, o: number): void {
    const H = this.model.cells;
    for (let j = 0; j < H; j++) out[o + j] = this.h[g * H + j];
  }

  choose(rng: Rng, out: Int32Array): void {
    for (let g = 0; g < this.games; g++) out[g] = rng.uniform() < this.pTarget[g] ? 0 : 1;
  }

  learn(choices: ArrayLike<number>, rewards: ArrayLike<number>): void {
    for (let g = 0; g < this.games; g++) writeChoiceInput(this.x, g, choices[g], rewards[2 * g + choices[g]]);
    this.advance();
  }
}
