/**
 * The one-coin step's first pass in WebAssembly (scalar: the work per game is a handful of loads and stores, so
 * what JavaScript pays is its bounds checks and tagging, not arithmetic). It computes exactly what
 * `CoinGameEnv.oneCoinInto`'s first loop computes, in the same order:
 *   p_i = moveTo[5·pos_i + a_i];  on_i = [p_i = coin];  rewards = (on0 − 2(1 − o)·on1, on1 − 2o·on0);
 *   pickups = (on0·(o + 1), on1·(2 − o));  owner ← o ⊕ (on0 ∨ on1);  picked[m++] = g when on0 ∨ on1
 * and returns m, or −1 − g at the first game g with an action outside 0…3 (the games before it are stepped, as
 * in JavaScript). The respawns (random draws) stay in JavaScript, in game order, so the draws are unchanged.
 *
 * `CoinMemory` holds a batch's state arrays (CoinState.pos, coins, owner) and the step's buffers in one memory of
 * its own, made by `CoinGameEnv.reset`; a state copied out of it (cloneCoinState) steps in JavaScript.
 */
import { I32, locals, moduleBytes, op } from "../../nn/wasmBytes.js";

const { get, set } = op;

function stepModuleBytes(): Uint8Array {
  const P = ["pos", "coins", "owner", "actions", "rewards", "pickups", "picked", "moveTo", "batch"] as const;
  const { index: L, declaration } = locals(
    P,
    ["g", "m", "a0", "a1", "p0", "p1", "o", "on0", "on1", "any"],
    [],
    [],
  );
  const cellAfter = (posOffset: number, action: number) => [
    ...get(L.moveTo),
    ...get(L.pos),
    ...op.i32Load(posOffset),
    ...op.i32(5),
    ...op.mul,
    ...get(action),
    ...op.add,
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(0),
  ];
  const reward = (mine: number, theirs: number, ownerFactor: number[]) => [
    ...get(mine),
    ...op.i32(2),
    ...ownerFactor,
    ...op.mul,
    ...get(theirs),
    ...op.mul,
    ...op.sub,
    ...op.f64ConvertI32S,
  ];
  const advance = (local: number, bytes: number) => [
    ...get(local),
    ...op.i32(bytes),
    ...op.add,
    ...set(local),
  ];
  /** Game g + k (k = 0, 1): its fields sit k records past the pointers (8 bytes of pos, 4 of coins, …). */
  const game = (k: number): number[] => [
    ...get(L.actions),
    ...op.i32Load8U(2 * k),
    ...set(L.a0),
    ...get(L.actions),
    ...op.i32Load8U(2 * k + 1),
    ...set(L.a1),
    ...get(L.a0),
    ...get(L.a1),
    ...op.or,
    ...op.i32(3),
    ...op.gtU,
    ...op.if,
    ...op.i32(-1 - k),
    ...get(L.g),
    ...op.sub,
    ...op.return,
    ...op.end,
    ...cellAfter(8 * k, L.a0),
    ...set(L.p0),
    ...cellAfter(8 * k + 4, L.a1),
    ...set(L.p1),
    ...get(L.pos),
    ...get(L.p0),
    ...op.i32Store(8 * k),
    ...get(L.pos),
    ...get(L.p1),
    ...op.i32Store(8 * k + 4),
    ...get(L.p0),
    ...get(L.coins),
    ...op.i32Load(4 * k),
    ...op.eq,
    ...set(L.on0),
    ...get(L.p1),
    ...get(L.coins),
    ...op.i32Load(4 * k),
    ...op.eq,
    ...set(L.on1),
    ...get(L.owner),
    ...op.i32Load8U(k),
    ...set(L.o),
    ...get(L.rewards),
    ...reward(L.on0, L.on1, [...op.i32(1), ...get(L.o), ...op.sub]),
    ...op.f64Store(16 * k),
    ...get(L.rewards),
    ...reward(L.on1, L.on0, get(L.o)),
    ...op.f64Store(16 * k + 8),
    ...get(L.pickups),
    ...get(L.on0),
    ...get(L.o),
    ...op.i32(1),
    ...op.add,
    ...op.mul,
    ...op.i32Store8(2 * k),
    ...get(L.pickups),
    ...get(L.on1),
    ...op.i32(2),
    ...get(L.o),
    ...op.sub,
    ...op.mul,
    ...op.i32Store8(2 * k + 1),
    ...get(L.on0),
    ...get(L.on1),
    ...op.or,
    ...set(L.any),
    ...get(L.owner),
    ...get(L.o),
    ...get(L.any),
    ...op.xor,
    ...op.i32Store8(k),
    ...get(L.picked),
    ...get(L.m),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...get(L.g),
    ...(k ? [...op.i32(k), ...op.add] : []),
    ...op.i32Store(0),
    ...get(L.m),
    ...get(L.any),
    ...op.add,
    ...set(L.m),
  ];
  /** Move every pointer on by n games. */
  const advanceGames = (n: number) => [
    ...advance(L.pos, 8 * n),
    ...advance(L.coins, 4 * n),
    ...advance(L.owner, n),
    ...advance(L.actions, 2 * n),
    ...advance(L.rewards, 16 * n),
    ...advance(L.pickups, 2 * n),
    ...advance(L.g, n),
  ];
  // Two games per pass (half the pointer bookkeeping), in game order, then the odd last one.
  const body = [
    ...op.i32(0),
    ...set(L.m),
    ...op.i32(0),
    ...set(L.g),
    ...op.block,
    ...op.loop,
    ...get(L.g),
    ...op.i32(2),
    ...op.add,
    ...get(L.batch),
    ...op.gtS,
    ...op.brIf(1),
    ...game(0),
    ...game(1),
    ...advanceGames(2),
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...get(L.g),
    ...get(L.batch),
    ...op.ltS,
    ...op.if,
    ...game(0),
    ...op.end,
    ...get(L.m),
  ];
  return moduleBytes([
    { name: "oneCoinStep", params: P.map(() => I32), results: [I32], body: [...declaration, ...body] },
  ]);
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type StepFunction = (...args: number[]) => number;

let compiled: { api: WasmApi; module: object } | null | undefined;
function stepModule() {
  if (compiled === undefined) {
    compiled = null;
    try {
      const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      const bytes = stepModuleBytes();
      if (api?.validate(bytes)) compiled = { api, module: new api.Module(bytes) };
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const memories = new WeakMap<ArrayBufferLike, CoinMemory>();

/** A batch's one-coin state and step buffers in one WebAssembly memory (see the header). */
export class CoinMemory {
  static of(pos: Int32Array): CoinMemory | undefined {
    return memories.get(pos.buffer);
  }

  /** Undefined where the engine has no WebAssembly. */
  static create(batch: number, moveTo: Int32Array): CoinMemory | undefined {
    const c = stepModule();
    return c ? new CoinMemory(c, batch, moveTo) : undefined;
  }

  readonly pos: Int32Array;
  readonly coins: Int32Array;
  readonly owner: Uint8Array;
  readonly actions: Uint8Array;
  readonly rewards: Float64Array;
  readonly pickups: Uint8Array;
  readonly picked: Int32Array;
  private readonly moveTo: Int32Array;
  private readonly step: StepFunction;

  private constructor(c: { api: WasmApi; module: object }, batch: number, moveTo: Int32Array) {
    // Bytes of each array, 8-byte aligned one after the other (the Float64 rewards need it).
    const layout = {
      pos: 8 * batch,
      rewards: 16 * batch,
      coins: 4 * batch,
      picked: 4 * batch,
      moveTo: 4 * moveTo.length,
      owner: batch,
      actions: 2 * batch,
      pickups: 2 * batch,
    };
    const offset = {} as Record<keyof typeof layout, number>;
    let bytes = 0;
    for (const [key, size] of Object.entries(layout)) {
      offset[key as keyof typeof layout] = bytes;
      bytes += 8 * Math.ceil(size / 8);
    }
    const memory = new c.api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const buffer = memory.buffer;
    this.pos = new Int32Array(buffer, offset.pos, 2 * batch);
    this.rewards = new Float64Array(buffer, offset.rewards, 2 * batch);
    this.coins = new Int32Array(buffer, offset.coins, batch);
    this.picked = new Int32Array(buffer, offset.picked, batch);
    this.moveTo = new Int32Array(buffer, offset.moveTo, moveTo.length);
    this.moveTo.set(moveTo);
    this.owner = new Uint8Array(buffer, offset.owner, batch);
    this.actions = new Uint8Array(buffer, offset.actions, 2 * batch);
    this.pickups = new Uint8Array(buffer, offset.pickups, 2 * batch);
    this.step = new c.api.Instance(c.module, { env: { memory } }).exports.oneCoinStep as StepFunction;
    memories.set(buffer, this);
  }

  /**
   * The first pass over this memory's state with `actions` (copied in unless they live here); the rewards and
   * pickups land in this.rewards / this.pickups. Returns the number of games picked (their indices in
   * this.picked), or −1 − g for a bad action at game g.
   */
  firstPass(actions: Uint8Array): number {
    if (actions !== this.actions) this.actions.set(actions);
    const batch = this.owner.length;
    return this.step(
      this.pos.byteOffset,
      this.coins.byteOffset,
      this.owner.byteOffset,
      this.actions.byteOffset,
      this.rewards.byteOffset,
      this.pickups.byteOffset,
      this.picked.byteOffset,
      this.moveTo.byteOffset,
      batch,
    );
  }
}
