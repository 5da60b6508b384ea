import { test } from "node:test";
import { assertSameInNodeAndChromium, skipWithoutChromium } from "./browserHarness.js";

/**
 * The scenario. Self-contained (it is serialised into the page): `base` is the URL of the compiled dist/src.
 * Returns hex/base64 fingerprints, so equality means the same bits.
 */
async function fingerprint(base: string): Promise<Record<string, string>> {
  const { Rng } = await import(`${base}/util/rng.js`);
  const { RecurrentNet } = await import(`${base}/nn/recurrent.js`);
  const { MLP } = await import(`${base}/nn/mlp.js`);
  const { CategoricalHead } = await import(`${base}/nn/heads.js`);
  const { Adam, clipGradNorm } = await import(`${base}/nn/optim.js`);
  const { encodeBase64 } = await import(`${base}/nn/agentFile.js`);
  const { coinActorArchitecture } = await import(`${base}/nn/architecture.js`);
  const bits = (a: Float32Array) => encodeBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const f64 = (x: number) => encodeBase64(new Uint8Array(Float64Array.of(x).buffer));
  const out: Record<string, string> = {};

  for (const scheme of ["torch", "orthogonal"]) {
    const net = new RecurrentNet(coinActorArchitecture());
    net.init(Rng.seeded(42), scheme);
    out[`actor init ${scheme}`] = bits(net.params.values);
  }

  // A GRU actor update: 6 steps × batch 8.
  const rng = Rng.seeded(7);
  const actor = new RecurrentNet(coinActorArchitecture());
  actor.init(rng, "orthogonal");
  const [T, B] = [6, 8];
  const ws = actor.workspace(T, B);
  const x = Float32Array.from({ length: T * B * 36 }, () => (rng.uniform() < 0.1 ? 1 : 0));
  const actions = Int32Array.from({ length: T * B }, () => rng.int(4));
  const adv = Float32Array.from({ length: T * B }, () => rng.normal());
  const dLogits = new Float32Array(T * B * 4);
  const loss = new CategoricalHead(4, T * B).policyGradient(
    actor.forward(x, ws),
    actions,
    adv,
    0.1,
    dLogits,
    T * B,
  );
  actor.backward(x, dLogits, ws);
  out["actor loss"] = f64(loss);
  out["actor grads"] = bits(actor.params.grads);
  out["actor grad norm"] = f64(clipGradNorm(actor.params.grads, 1));
  new Adam(actor.params.values, { lr: 1e-3 }).step(actor.params.grads);
  out["actor after Adam"] = bits(actor.params.values);

  // An MLP update: 36 → 64 → 64 → 4 (tanh), batch 64.
  const mlp = new MLP({ kind: "mlp", sizes: [36, 64, 64, 4], activation: "tanh" });
  mlp.init(rng, "torch");
  const rows = 64;
  const mws = mlp.workspace(rows);
  const mx = Float32Array.from({ length: rows * 36 }, () => rng.normal());
  const mActions = Int32Array.from({ length: rows }, () => rng.int(4));
  const mAdv = Float32Array.from({ length: rows }, () => rng.normal());
  const dOut = new Float32Array(rows * 4);
  const head = new CategoricalHead(4, rows);
  out["mlp loss"] = f64(head.policyGradient(mlp.forward(mx, mws), mActions, mAdv, 0.01, dOut, rows));
  mlp.backward(mx, dOut, mws);
  new Adam(mlp.params.values).step(mlp.params.grads);
  out["mlp after Adam"] = bits(mlp.params.values);
  return out;
}

test("nn: the same seed gives bit-identical parameters, losses and gradients in Node and in Chromium", async (t) => {
  if (skipWithoutChromium(t)) return;
  await assertSameInNodeAndChromium(fingerprint);
});
