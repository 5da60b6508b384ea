/**
 * The GRU surrogate of the bandit task (src/envs/bandit/gruChoiceModel.ts, gruSurrogate.ts, choiceData.ts):
 * - the likelihood's gradient (with a missed trial masked out) against central finite differences in float64
 *   terms of the same forward;
 * - the surrogate, driven by a subject's own choices, gives exactly the model's sequence likelihood, and its
 *   one-step look-ahead equals the policy after the real step;
 * - fitted to Q-learner data (seeded, ours), the GRU predicts held-out subjects far better than chance and close
 *   to the generating model's own NLL;
 * - the CSV loader reads the published columns and names the line and column of every bad value.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { banditBaseline, playBanditSessions } from "../src/envs/bandit/adversaries.js";
import { type ChoiceData, parseChoiceCsv, simulateChoiceData } from "../src/envs/bandit/choiceData.js";
import { GruChoiceModel } from "../src/envs/bandit/gruChoiceModel.js";
import { GruSurrogate } from "../src/envs/bandit/gruSurrogate.js";
import { QLearnerSurrogate, qLearnerNll } from "../src/envs/bandit/qLearner.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const schedules = () =>
  ["random", "threshold", "lookahead", "primacy"].map((n) => banditBaseline(n as "random"));
const qData = (subjects: number, seed: number) =>
  simulateChoiceData((n) => new QLearnerSurrogate(n), schedules(), subjects, Rng.seeded(seed));

describe("GRU choice model", () => {
  it("the NLL gradient matches central finite differences (missed trials masked)", () => {
    const data = qData(4, 11);
    const actions = Int8Array.from(data.actions);
    actions[7] = -1; // a missed trial: no likelihood term, zero input at the next step
    const masked: ChoiceData = { ...data, actions };
    const model = new GruChoiceModel(4).init(Rng.seeded(5));
    model.gradient(masked);
    const grads = Float64Array.from(model.params.grads);
    const values = model.params.values;
    const h = 1e-2; // float32 parameters: a large step, and a loose tolerance, compared with the gradient's scale
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < values.length; i++) {
      const keep = values[i];
      values[i] = keep + h;
      const up = model.nll(masked);
      values[i] = keep - h;
      const down = model.nll(masked);
      values[i] = keep;
      worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grads[i]));
      scale = Math.max(scale, Math.abs(grads[i]));
    }
    assert.ok(scale > 1e-3, `gradient scale ${scale}`);
    assert.ok(worst < 2e-3 * Math.max(1, scale) + 5e-4, `worst |fd − analytic| ${worst} (scale ${scale})`);
  });

  it("the surrogate replays a subject's choices with the model's own likelihood, and looks ahead exactly", () => {
    const data = qData(6, 12);
    const model = new GruChoiceModel(10).init(Rng.seeded(6));
    const surrogate = new GruSurrogate(model, data.subjects);
    const T = data.trials;
    const choices = new Int32Array(data.subjects);
    const rewards = new Float64Array(2 * data.subjects);
    let nll = 0;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < data.subjects; s++) {
        const a = data.actions[s * T + t];
        const p = surrogate.probabilityOfTarget(s);
        nll -= Math.log(a === 0 ? p : 1 - p);
        choices[s] = a;
        rewards[2 * s + a] = data.rewards[s * T + t];
        rewards[2 * s + 1 - a] = 0;
      }
      const ahead = Array.from({ length: data.subjects }, (_, s) =>
        surrogate.probabilityAfter(s, choices[s], rewards[2 * s + choices[s]]),
      );
      surrogate.learn(choices, rewards);
      for (let s = 0; s < data.subjects; s++)
        assert.ok(Math.abs(ahead[s] - surrogate.probabilityOfTarget(s)) < 1e-6, `trial ${t}, subject ${s}`);
    }
    const perChoice = nll / (T * data.subjects);
    assert.ok(Math.abs(perChoice - model.nll(data)) < 1e-5, `${perChoice} vs ${model.nll(data)}`);
  });

  it("fitted to Q-learner data, it predicts held-out subjects far above chance, near the Q-learner's own NLL", () => {
    // 150 training subjects, 100 held out, 300 full-batch Adam steps at the paper's lr 0.005 (seeded; the bounds
    // are properties, not pinned numbers: measured held-out 0.545 against the Q-learner's 0.528, chance 0.693).
    const train = qData(150, 1);
    const test = qData(100, 2);
    const model = new GruChoiceModel(10).init(Rng.seeded(3));
    const fit = model.fit(train, { steps: 300, test });
    const reference = qLearnerNll(test);
    const testNll = fit.testNll as number;
    assert.ok(testNll < Math.log(2) - 0.1, `held-out NLL ${testNll} is not clearly below log 2`);
    assert.ok(
      testNll - reference < 0.04,
      `held-out NLL ${testNll} vs the generating Q-learner's ${reference}`,
    );
    assert.ok(fit.log[0][1] > fit.trainNll, "training lowered the NLL");
    // The one-step shaper runs against the fitted GRU and biases it above a random schedule.
    const random = playBanditSessions(banditBaseline("random"), new GruSurrogate(model, 1000), Rng.seeded(8));
    const shaped = playBanditSessions(
      banditBaseline("lookahead"),
      new GruSurrogate(model, 1000),
      Rng.seeded(8),
    );
    const mean = (b: Float64Array) => b.reduce((s, x) => s + x, 0) / b.length;
    assert.ok(mean(shaped) > mean(random) + 0.05, `lookahead ${mean(shaped)} vs random ${mean(random)}`);
  });
});

describe("choice CSV loader", () => {
  it("reads the published columns (any order, extra columns ignored), pads shorter subjects", () => {
    const text =
      "idx,action,reward,id,block,schedule_type\n0,0,1,a,1,static\n1,1,0,a,1,static\n0,1,1,b,1,dynamic\n";
    const data = parseChoiceCsv(text, "choices.csv");
    assert.deepEqual(data.ids, ["a", "b"]);
    assert.equal(data.trials, 2);
    assert.deepEqual(Array.from(data.actions), [0, 1, 1, -1]);
    assert.deepEqual(Array.from(data.rewards), [1, 0, 1, 0]);
  });

  it("names the line and column of every bad value", () => {
    const bad: [string, RegExp][] = [
      ["", /choices\.csv: is empty/],
      ["id,action\n", /choices\.csv:1: the header has no column "reward"/],
      ["id,action,reward\n", /no data rows/],
      ["id,action,reward\na,2,1\n", /choices\.csv:2 action: must be 0 or 1/],
      ["id,action,reward\na,0,1\na,1,x\n", /choices\.csv:3 reward: must be a finite number; got "x"/],
      ["id,action,reward\na,0\n", /choices\.csv:2: has 2 fields, the header has 3/],
      ["id,action,reward\n,0,1\n", /choices\.csv:2 id: is empty/],
    ];
    for (const [text, message] of bad) {
      assert.throws(
        () => parseChoiceCsv(text, "choices.csv"),
        (e: unknown) => e instanceof InputError && message.test(e.message),
      );
    }
  });
});
