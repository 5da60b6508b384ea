/**
 * src/nn beyond the gradients: seeded initialisers (orthogonality, PyTorch's bounds, same seed → same weights),
 * optimiser option validation, agent files (round trip, wrong architecture, corrupt bodies) and memory: 10,000
 * updates of an MLP and of a Linear → GRU → head network allocate (almost) nothing and retain nothing.
 *
 * Memory is measured with V8's GCProfiler: bytes allocated = growth of the used heap over the loop plus what every
 * garbage collection during it freed. After warm-up the engine itself allocates nothing; what V8 still allocates
 * is a few boxed doubles per update (float return values that are not inlined, such as the loss and the gradient
 * norm). The bound is 100 bytes per update on average: one typed array made per update (≥ 200 bytes of heap
 * objects) fails it, and so does a sigmoid or tanh call left un-inlined in a layer's loop (kilobytes per update).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";
import { decodeAgent, decodeBase64, encodeBase64, loadNetwork, saveNetwork } from "../src/nn/agentFile.js";
import { coinActorArchitecture, coinCriticArchitecture } from "../src/nn/architecture.js";
import { CategoricalHead, squaredErrorLoss } from "../src/nn/heads.js";
import { GRUCell, GRUWorkspace } from "../src/nn/gru.js";
import { kaimingUniform, orthogonal, xavierUniform } from "../src/nn/init.js";
import { arenaFloats, KernelArena } from "../src/nn/kernelArena.js";
import { MLP } from "../src/nn/mlp.js";
import { Adam, clipGradNorm, SGD } from "../src/nn/optim.js";
import { Parameters } from "../src/nn/params.js";
import { RecurrentNet } from "../src/nn/recurrent.js";
import { readAgentFile, writeAgentFile } from "../src/node/agentFiles.js";
import { codeVersion } from "../src/node/version.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

describe("nn initialisers", () => {
  for (const [rows, cols] of [
    [7, 4],
    [4, 7],
    [64, 64],
  ]) {
    it(`orthogonal ${rows}×${cols} (gain 2): W·Wᵀ or Wᵀ·W is 4·I`, () => {
      const w = new Float32Array(rows * cols);
      orthogonal(w, rows, cols, Rng.seeded(11), 2);
      const tall = rows >= cols;
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let s = 0;
          for (let i = 0; i < Math.max(rows, cols); i++) {
            s += tall ? w[i * cols + a] * w[i * cols + b] : w[a * cols + i] * w[b * cols + i];
          }
          assert.ok(Math.abs(s - (a === b ? 4 : 0)) < 1e-5, `(${a}, ${b}) = ${s}`);
        }
      }
    });
  }

  it("xavier and kaiming uniform fill [−bound, bound] as PyTorch defines the bounds", () => {
    const w = new Float32Array(64 * 36);
    const cases: [string, () => void, number][] = [
      ["xavier gain 1", () => xavierUniform(w, 64, 36, Rng.seeded(1)), Math.sqrt(6 / 100)],
      ["kaiming relu", () => kaimingUniform(w, 36, Rng.seeded(2), "relu"), Math.sqrt(6 / 36)],
      ["kaiming leaky a=√5", () => kaimingUniform(w, 36, Rng.seeded(3), "leaky_relu", Math.sqrt(5)), 1 / 6],
    ];
    for (const [label, fill, bound] of cases) {
      fill();
      const max = Math.max(...w.map(Math.abs));
      assert.ok(max <= bound && max > 0.99 * bound, `${label}: max |w| = ${max}, bound ${bound}`);
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      assert.ok(Math.abs(mean) < 0.05 * bound, `${label}: mean ${mean}`);
    }
  });

  it("the same seed gives the same parameters, another seed others (torch and orthogonal schemes)", () => {
    for (const scheme of ["torch", "orthogonal"] as const) {
      const make = (seed: number) => {
        const net = new RecurrentNet(coinActorArchitecture());
        net.init(Rng.seeded(seed), scheme);
        return net.params.values;
      };
      assert.deepEqual(make(5), make(5));
      assert.notDeepEqual(make(5), make(6));
    }
    // PyTorch's Linear default: |w| ≤ 1/√fanIn in the first layer (fan-in 36).
    const net = new MLP({ kind: "mlp", sizes: [36, 64, 4], activation: "relu" });
    net.init(Rng.seeded(1));
    assert.ok(Math.max(...net.layers[0].weight.value.map(Math.abs)) <= 1 / 6);
  });

  it("the coin nets have the sizes of the references: actor 36 → 64 → GRU 64 → 4, critic 37 → … → 1", () => {
    assert.equal(
      new RecurrentNet(coinActorArchitecture()).params.size,
      36 * 64 + 64 + 3 * 64 * 130 + 64 * 4 + 4,
    );
    assert.equal(
      new RecurrentNet(coinCriticArchitecture()).params.size,
      37 * 64 + 64 + 3 * 64 * 130 + 64 + 1,
    );
  });
});

describe("nn optimisers: options are validated with the field named", () => {
  const p = new Float32Array(3);
  const cases: [string, () => unknown][] = [
    ["lr", () => new Adam(p, { lr: -1 })],
    ["betas[1]", () => new Adam(p, { betas: [0.9, 1] })],
    ["eps", () => new Adam(p, { eps: Number.NaN })],
    ["momentum", () => new SGD(p, { lr: 0.1, momentum: -0.5 })],
    ["nesterov", () => new SGD(p, { lr: 0.1, nesterov: true })],
    ["maxNorm", () => clipGradNorm(p, 0)],
  ];
  for (const [field, make] of cases) {
    it(field, () => assert.throws(make, (e: unknown) => e instanceof InputError && e.field === field));
  }

  it("clipGradNorm scales to the norm and leaves small gradients alone", () => {
    const g = Float32Array.from([3, 4]);
    assert.equal(clipGradNorm(g, 10), 5);
    assert.deepEqual([...g], [3, 4]);
    clipGradNorm(g, 1);
    assert.ok(Math.abs(Math.hypot(g[0], g[1]) - 1) < 1e-6 && Math.abs(g[0] / g[1] - 0.75) < 1e-6);
  });
});

describe("nn agent files", () => {
  const actor = () => {
    const net = new RecurrentNet(coinActorArchitecture());
    net.init(Rng.seeded(3), "orthogonal");
    return net;
  };
  const config = { learner: "aa", lr: 1e-3, seed: 3 };

  it("round trip: same weights bit for bit, architecture, config and code version", () => {
    const net = actor();
    const text = saveNetwork(net, config, "0.1.0+test");
    const loaded = loadNetwork(text, coinActorArchitecture());
    assert.deepEqual(loaded.network.params.values, net.params.values);
    assert.deepEqual(loaded.network.architecture, net.architecture);
    assert.deepEqual(loaded.config, config);
    assert.equal(loaded.codeVersion, "0.1.0+test");
  });

  it("on disk (src/node/agentFiles.ts): written with this code's version, read back; a missing file is named", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapelab-agent-"));
    try {
      const path = join(dir, "actor.json");
      const net = actor();
      writeAgentFile(path, net, config);
      const loaded = readAgentFile(path, coinActorArchitecture());
      assert.deepEqual(loaded.network.params.values, net.params.values);
      assert.equal(loaded.codeVersion, codeVersion());
      const missing = join(dir, "nope.json");
      assert.throws(
        () => readAgentFile(missing),
        (e: unknown) =>
          e instanceof InputError &&
          e.field === missing &&
          /cannot read the agent file \(ENOENT\)/.test(e.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("base64 matches Node's Buffer for every length 0…40", () => {
    const rng = Rng.seeded(9);
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      const text = encodeBase64(bytes);
      assert.equal(text, Buffer.from(bytes).toString("base64"));
      assert.deepEqual(decodeBase64(text), bytes);
    }
  });

  const rejects = (text: string, field: string, message: RegExp, expected = coinActorArchitecture()) =>
    assert.throws(
      () => decodeAgent(text, expected, "actor.json"),
      (e: unknown) => e instanceof InputError && e.field === field && message.test(e.message),
    );

  it("a wrong architecture is refused, naming what the file holds and what is needed", () => {
    const text = saveNetwork(actor(), config, "x");
    rejects(
      text,
      "actor.json.architecture",
      /holds gru 36→dense 64→GRU 64→4, but gru 37→dense 64→GRU 64→1/,
      coinCriticArchitecture(),
    );
    const doc = JSON.parse(text);
    doc.architecture.kind = "cnn";
    rejects(JSON.stringify(doc), "actor.json.architecture.kind", /allowed: mlp, gru/);
    doc.architecture = { ...coinActorArchitecture(), hidden: 32 };
    rejects(JSON.stringify(doc), "actor.json.architecture", /GRU 32/);
  });

  it("corrupt bodies are refused: an edited byte, a truncated body, bad base64, a wrong count, not JSON, NaN", () => {
    const text = saveNetwork(actor(), config, "x");
    const doc = JSON.parse(text);
    const b64: string = doc.parameters.base64;
    const edit = (patch: (d: typeof doc) => void) => {
      const d = JSON.parse(text);
      patch(d);
      return JSON.stringify(d);
    };
    const flipped = b64[100] === "A" ? "B" : "A";
    rejects(
      edit((d) => (d.parameters.base64 = b64.slice(0, 100) + flipped + b64.slice(101))),
      "actor.json.parameters.fnv1a32",
      /corrupt body/,
    );
    rejects(
      edit((d) => (d.parameters.base64 = b64.slice(0, 400))),
      "actor.json.parameters.base64",
      /corrupt body: 300 bytes/,
    );
    rejects(
      edit((d) => (d.parameters.base64 = `*${b64.slice(1)}`)),
      "actor.json.parameters.base64",
      /not valid base64/,
    );
    rejects(
      edit((d) => (d.parameters.count = 5)),
      "actor.json.parameters.count",
      /has 27588/,
    );
    rejects(
      edit((d) => (d.format = "onnx")),
      "actor.json.format",
      /shapelab-agent/,
    );
    rejects(text.slice(0, 50), "actor.json", /not a JSON agent file/);
    const nan = actor();
    nan.params.values[7] = Number.NaN;
    rejects(saveNetwork(nan, config, "x"), "actor.json.parameters.base64", /parameter 7 is NaN/);
  });
});

describe("nn memory: 10,000 updates allocate < 100 bytes each on average and retain nothing", () => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;

  /**
   * The least allocation of three measured passes (and the last pass's retention): on a loaded machine V8's
   * optimising compiler runs late on its background thread, and the first pass then still boxes doubles in
   * unoptimised code (seen: 437 bytes per update in one full-suite run at load 8, 17–37 alone). A real leak or a
   * per-update allocation shows in every pass.
   */
  function measure(update: () => void) {
    let best = { allocated: Number.POSITIVE_INFINITY, retained: 0 };
    for (let pass = 0; pass < 3; pass++) {
      const m = measureOnce(update);
      best = { allocated: Math.min(best.allocated, m.allocated), retained: m.retained };
    }
    return best;
  }

  function measureOnce(update: () => void) {
    for (let i = 0; i < 3000; i++) update(); // warm-up: let the JIT settle
    gc();
    const start = v8.getHeapStatistics();
    const profiler = new v8.GCProfiler();
    profiler.start();
    for (let i = 0; i < 10_000; i++) update();
    const end = v8.getHeapStatistics();
    const { statistics } = profiler.stop();
    let freed = 0;
    for (const s of statistics)
      freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
    const allocated = end.used_heap_size - start.used_heap_size + freed;
    gc();
    const retained = v8.getHeapStatistics().used_heap_size - start.used_heap_size;
    return { allocated, retained };
  }

  it("MLP 8 → 16 → 16 → 4, batch 32: forward, policy loss, backward, clip, Adam", (t) => {
    const rng = Rng.seeded(0);
    const net = new MLP({ kind: "mlp", sizes: [8, 16, 16, 4], activation: "relu" });
    net.init(rng);
    const rows = 32;
    const ws = net.workspace(rows);
    const head = new CategoricalHead(4, rows);
    const adam = new Adam(net.params.values);
    const x = Float32Array.from({ length: rows * 8 }, () => rng.uniform());
    const actions = Int32Array.from({ length: rows }, () => rng.int(4));
    const adv = Float32Array.from({ length: rows }, () => rng.normal());
    const dOut = new Float32Array(rows * 4);
    const { allocated, retained } = measure(() => {
      head.policyGradient(net.forward(x, ws), actions, adv, 0.01, dOut, rows);
      net.params.zeroGrad();
      net.backward(x, dOut, ws);
      clipGradNorm(net.params.grads, 1);
      adam.step(net.params.grads);
    });
    t.diagnostic(`allocated ${allocated} bytes over 10,000 updates, retained ${retained}`);
    assert.ok(allocated < 1_000_000, `allocated ${allocated} bytes over 10,000 updates`);
    assert.ok(retained < 256 * 1024, `retained ${retained} bytes`);
  });

  it("Linear → GRU → value head (6 → 8 → 8 → 1), 4 steps × batch 8: forward, value loss, BPTT, SGD", (t) => {
    const rng = Rng.seeded(1);
    const net = new RecurrentNet({ kind: "gru", inputs: 6, dense: 8, hidden: 8, outputs: 1 });
    net.init(rng);
    const ws = net.workspace(4, 8);
    const sgd = new SGD(net.params.values, { lr: 1e-3, momentum: 0.9 });
    const x = Float32Array.from({ length: 32 * 6 }, () => rng.uniform());
    const targets = Float32Array.from({ length: 32 }, () => rng.normal());
    const dOut = new Float32Array(32);
    const { allocated, retained } = measure(() => {
      squaredErrorLoss(net.forward(x, ws), targets, dOut, 32);
      net.params.zeroGrad();
      net.backward(x, dOut, ws);
      sgd.step(net.params.grads);
    });
    t.diagnostic(`allocated ${allocated} bytes over 10,000 updates, retained ${retained}`);
    assert.ok(allocated < 1_000_000, `allocated ${allocated} bytes over 10,000 updates`);
    assert.ok(retained < 256 * 1024, `retained ${retained} bytes`);
  });

  it("GRU cell 6 → 8 on a kernel arena (WebAssembly gates, products in place), 4 steps × batch 8: BPTT, SGD", (t) => {
    const [inputs, hidden, steps, batch] = [6, 8, 4, 8];
    const rows = steps * batch;
    const params = new Parameters(GRUCell.parameterCount(inputs, hidden));
    const cell = new GRUCell(params, "gru", inputs, hidden);
    params.done();
    cell.init(Rng.seeded(2), { kind: "torch" });
    // A workspace this small keeps plain arrays by default; this one is given an arena, with dOut in it too.
    const arena = KernelArena.create(
      GRUWorkspace.arenaFloats(steps, batch, hidden) + arenaFloats(rows * hidden, rows * inputs),
      GRUWorkspace.arenaScratch(inputs, hidden),
    );
    assert.ok(arena);
    const ws = cell.workspace(steps, batch, arena);
    const dOut = arena.take(rows * hidden).fill(0.01);
    const x = arena.take(rows * inputs).fill(0.5);
    const sgd = new SGD(params.values, { lr: 1e-3 });
    const { allocated, retained } = measure(() => {
      cell.forward(x, ws);
      params.zeroGrad();
      cell.backward(x, dOut, null, ws);
      sgd.step(params.grads);
    });
    t.diagnostic(`allocated ${allocated} bytes over 10,000 updates, retained ${retained}`);
    assert.ok(allocated < 1_000_000, `allocated ${allocated} bytes over 10,000 updates`);
    assert.ok(retained < 256 * 1024, `retained ${retained} bytes`);
  });
});

describe("nn: bad arguments throw a RangeError naming them (never a silent NaN)", () => {
  const net = new MLP({ kind: "mlp", sizes: [3, 4, 2], activation: "relu" });
  net.init(Rng.seeded(0));
  const ws = net.workspace(5);
  const head = new CategoricalHead(2, 5);
  const dLogits = new Float32Array(10);
  const cases: [string, () => unknown, RegExp][] = [
    [
      "short input",
      () => net.forward(new Float32Array(14), ws),
      /^x: holds 14 values, the call needs at least 15$/,
    ],
    ["short dOut", () => net.backward(new Float32Array(15), new Float32Array(3), ws), /^dOut: holds 3/],
    [
      "action out of range",
      () => head.policyGradient(new Float32Array(10), [0, 1, 2, 0, 1], new Float32Array(5), 0, dLogits, 5),
      /^actions\[2\] = 2: an action must be an integer in \[0, 2\)$/,
    ],
    [
      "too few advantages",
      () => head.policyGradient(new Float32Array(10), [0, 1, 1, 0, 1], new Float32Array(4), 0, dLogits, 5),
      /^advantages: holds 4/,
    ],
    ["too many rows", () => head.forward(new Float32Array(12), 6), /^rows: 6 is more than this head's 5$/],
  ];
  for (const [label, call, message] of cases) {
    it(label, () => assert.throws(call, (e: unknown) => e instanceof RangeError && message.test(e.message)));
  }
});
