/**
 * The exact engine's WebAssembly pair step (src/exact/wasmPairStep.ts) equals the JavaScript path bit for bit, so
 * turning it on moves no number (and Node, which runs it, keeps agreeing with a browser that may not):
 * - the formula compiler (src/wasm/formula.ts) evaluates in JavaScript's order: random formulas over random
 *   lanes give the bits `new Function` gives;
 * - trainExact with the kernel on and off: final logits, P(C), rewards, the curve and the divergence reports, for
 *   LOLA–LOLA, naive–LOLA, LOLA–naive, naive–naive, several games, γ, η and lr, an odd batch (its last seed is the
 *   JavaScript path's), logits beyond exp's ported range, and runs that diverge (the kernel leaves those pairs to
 *   the JavaScript path, which reports them as before);
 * - observers of runSimultaneous see θ change in place at every step, as without the kernel;
 * - learners the kernel does not compute (LOLA with its look-ahead term, SOS, fixed) never create it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryOneGame } from "../src/exact/derivatives.js";
import { PairStepKernel, useWasmPairStep } from "../src/exact/wasmPairStep.js";
import { gamePreset } from "../src/games/presets.js";
import type { ExactLearner } from "../src/learners/exact/learner.js";
import { runSimultaneous, type TrainExactOptions, trainExact } from "../src/learners/exact/train.js";
import { createExactLearner } from "../src/learners/exact/index.js";
import { wasmApi } from "../src/wasm/api.js";
import { locals, moduleBytes, op } from "../src/wasm/bytes.js";
import { Formulas } from "../src/wasm/formula.js";
import { Rng } from "../src/util/rng.js";

function sameBits(ours: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  assert.equal(ours.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(ours[i], want[i]))
      assert.fail(`${label}[${i}]: ${ours[i]} with the kernel, ${want[i]} without`);
  }
}

function bothWays(options: TrainExactOptions) {
  useWasmPairStep(false);
  const js = trainExact(options);
  useWasmPairStep(true);
  const wasm = trainExact(options);
  return { js, wasm };
}

function assertSame(options: TrainExactOptions, label: string) {
  const { js, wasm } = bothWays(options);
  sameBits(wasm.theta, js.theta, `${label} theta`);
  sameBits(wasm.pC, js.pC, `${label} pC`);
  sameBits(wasm.rewardPerStep, js.rewardPerStep, `${label} rewardPerStep`);
  sameBits(wasm.curve, js.curve, `${label} curve`);
  assert.deepEqual(wasm.diverged, js.diverged, `${label} diverged`);
  return js;
}

describe("wasm/formula: JavaScript's evaluation order on f64x2 lanes", () => {
  it("random formulas give the bits JavaScript gives", () => {
    const rng = Rng.seeded(11);
    const names = ["a", "b", "c", "d"];
    const atom = (depth: number): string => {
      const r = rng.uniform();
      if (depth > 3 || r < 0.4) return names[Math.floor(rng.uniform() * names.length)];
      if (r < 0.5) return String(Math.round(rng.uniform() * 1000) / 8);
      if (r < 0.6) return `- ${atom(depth + 1)}`; // spaced: "--a" would be a decrement
      return `(${expr(depth + 1)})`;
    };
    const expr = (depth: number): string => {
      let s = atom(depth);
      const terms = 1 + Math.floor(rng.uniform() * 4);
      for (let t = 0; t < terms; t++) s += ` ${"+-*/"[Math.floor(rng.uniform() * 4)]} ${atom(depth)}`;
      return s;
    };
    const formulas = Array.from({ length: 40 }, () => expr(0));
    // One function: load a, b, c, d (two lanes each) from memory, store each formula's lanes after them.
    const P = ["base"] as const;
    const f = new Formulas(P.length);
    const code: number[] = [];
    names.forEach((n, k) => code.push(...op.get(0), ...op.vLoad(16 * k), ...op.set(f.local(n))));
    formulas.forEach((formula, k) => {
      code.push(...f.let(`y${k}`, formula));
      code.push(...op.get(0), ...op.get(f.local(`y${k}`)), ...op.vStore(16 * (names.length + k)));
    });
    const { declaration } = locals(P, [], [], f.names);
    const bytes = moduleBytes(
      [{ name: "run", params: [0x7f], results: [], body: [...declaration, ...code] }],
      [],
    );
    const wasm = wasmApi();
    assert.ok(wasm, "Node has WebAssembly");
    const memory = new wasm.Memory({ initial: 1 });
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
    const heap = new Float64Array(memory.buffer);
    const inputs = [
      [1.5, -0.1],
      [3e-8, 7.25],
      [-2.5, 1e300],
      [0.3, Number.POSITIVE_INFINITY],
    ];
    inputs.forEach((lanes, k) => heap.set(lanes, 2 * k));
    (instance.exports.run as (base: number) => void)(0);
    formulas.forEach((formula, k) => {
      const js = new Function(...names, `return ${formula};`) as (...x: number[]) => number;
      for (const lane of [0, 1]) {
        const want = js(...inputs.map((l) => l[lane]));
        const got = heap[2 * (names.length + k) + lane];
        assert.ok(Object.is(got, want), `${formula} (lane ${lane}): ${got} vs ${want}`);
      }
    });
  });

  it("says which formula it cannot read, and why", () => {
    const f = new Formulas(0);
    f.local("a");
    assert.throws(() => f.value("a + b"), /"b" is used before it is assigned/);
    assert.throws(() => f.value("(a + 1"), /parenthesis is not closed/);
    assert.throws(() => f.value("a +"), /ends too early/);
    assert.throws(() => f.value("a ^ 2"), /cannot read/);
  });
});

describe("the WebAssembly pair step equals the JavaScript path, bit for bit", () => {
  const lola = { name: "lola" as const };
  const naive = { name: "naive" as const };
  const base = { game: gamePreset("ipd-lola"), gamma: 0.96, steps: 30, seeds: 41, seed: 3 };

  it("LOLA–LOLA, naive–LOLA, LOLA–naive, naive–naive (odd batch)", () => {
    for (const learners of [
      [lola, lola],
      [naive, lola],
      [lola, naive],
      [naive, naive],
    ] as const) {
      assertSame({ ...base, learners: [learners[0], learners[1]] }, learners.map((l) => l.name).join("–"));
    }
  });

  it("other games, γ, η, lr and the 200-step LOLA run the benchmark times", () => {
    assertSame(
      {
        ...base,
        game: gamePreset("ipd"),
        gamma: 0.9,
        learners: [
          { name: "lola", eta: 3, lr: 0.2 },
          { name: "naive", lr: 0.7 },
        ],
      },
      "ipd",
    );
    assertSame({ ...base, game: gamePreset("imp"), gamma: 0.5, learners: [lola, lola] }, "matching pennies");
    assertSame(
      { ...base, game: gamePreset("stag-hunt"), learners: [naive, { name: "lola", eta: 0.1 }] },
      "stag hunt",
    );
    assertSame({ ...base, steps: 200, seeds: 100, learners: [lola, lola] }, "200 steps");
  });

  it("logits beyond exp's ported range, and runs that diverge", () => {
    const seeds = 12;
    const init = new Float64Array(10 * seeds);
    Rng.seeded(5).fillNormal(init, 0, 1);
    for (let s = 0; s < seeds; s += 3) init[10 * s + (s % 10)] = s % 2 ? 705 : -705; // e^−θ beyond the port's ±700, still finite
    const far = assertSame({ ...base, seeds, steps: 5, init, learners: [lola, naive] }, "beyond ±700");
    assert.equal(far.diverged.length, 0);
    // Step sizes that overflow: every seed diverges, reported by the JavaScript path as it always was.
    const diverging = assertSame(
      { ...base, seeds: 9, steps: 20, learners: [{ name: "lola", lr: 1e305, eta: 1e300 }, naive] },
      "diverging",
    );
    assert.ok(diverging.diverged.length > 0, "the case must diverge");
  });

  it("observers see θ change in place at every step, as on the JavaScript path", () => {
    const game = memoryOneGame(gamePreset("ipd-lola"), 0.96);
    const seen = (on: boolean) => {
      useWasmPairStep(on);
      const learners = [
        createExactLearner({ name: "lola" }, game),
        createExactLearner({ name: "naive" }, game),
      ] as [ExactLearner, ExactLearner];
      const theta = new Float64Array(10 * 6);
      Rng.seeded(9).fillNormal(theta, 0, 1);
      const frames: number[] = [];
      runSimultaneous(game, learners, theta, 12, { onValues: () => frames.push(...theta) });
      return { frames, theta };
    };
    const js = seen(false);
    const wasm = seen(true);
    sameBits(wasm.frames, js.frames, "θ seen by onValues");
    sameBits(wasm.theta, js.theta, "final θ");
  });

  it("is created only for rules it computes", () => {
    const game = memoryOneGame(gamePreset("ipd-lola"), 0.96);
    const rulesOf = (spec: Parameters<typeof createExactLearner>[0]) =>
      createExactLearner(spec, game).pairRule;
    assert.deepEqual(rulesOf({ name: "lola", eta: 2 }), { kind: "lola", eta: 2 });
    assert.deepEqual(rulesOf({ name: "naive" }), { kind: "naive" });
    assert.equal(rulesOf({ name: "lola", includeLookAheadTerm: true }), undefined);
    assert.equal(rulesOf({ name: "sos" }), undefined);
    assert.equal(rulesOf({ name: "fixed" }), undefined);
    useWasmPairStep(true);
    const kernel = PairStepKernel.create(
      [3, 0, 5, 1],
      [3, 5, 0, 1],
      0.9,
      [{ kind: "naive" }, { kind: "naive" }],
      [1, 1],
      4,
    );
    assert.ok(kernel, "Node has WebAssembly SIMD");
    assert.equal(kernel.pairs, 2);
    assert.equal(
      PairStepKernel.create(
        [3, 0, 5, 1],
        [3, 5, 0, 1],
        0.9,
        [{ kind: "naive" }, { kind: "naive" }],
        [1, 1],
        1,
      ),
      undefined,
    );
  });
});
