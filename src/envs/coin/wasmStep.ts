/**
 * The one-coin Coin Game step and the random agent's moves in WebAssembly, random draws included, bit for bit
 * the draws of the JavaScript reference (coinGame.ts, randomBits.ts, fixedAgents.ts), which stays the spec.
 *
 * The generator is the caller's `Rng`, pure-rand's xoroshiro128+ (Blackman & Vigna: a = 24, b = 16, c = 37),
 * stepped here on two i64 words and handed back (`Rng.setState`):
 *   out = low 32 bits of (s0 + s1);  x = s0 ⊕ s1;  s0 ← rotl(s0, 24) ⊕ x ⊕ (x ≪ 16);  s1 ← rotl(x, 37).
 * `rng.uniform()` is pure-rand's uniformFloat64 of two outputs, u = ((o₁ & (2²⁶−1))·2²⁷ + (o₂ & (2²⁷−1)))·2⁻⁵³;
 * RandomBits splits u·2⁵³ into a 30-bit word (o₂'s 27 bits, then o₁'s low 3) and a 23-bit spare (o₁'s bits 3…25),
 * so both are built here from o₁ and o₂ without a float. `int(k)` takes ⌈log₂ k⌉ low bits of the word (a refill
 * when fewer are left: the spare, then a new uniform), rejecting values ≥ k, exactly as RandomBits.int.
 *
 * `oneCoinStep(…, mode)`: with STEP, pass 1 is coinGame.ts's first loop, in the same order,
 *   p_i = moveTo[cell_i, a_i];  on_i = [p_i = coin];  rewards = (on0 − 2(1 − o)·on1, on1 − 2o·on0);
 *   pickups = (on0·(o + 1), on1·(2 − o));  owner ← o ⊕ (on0 ∨ on1);  picked[m++] = g when on0 ∨ on1,
 * the last four read from a table of the 8 cases (on0, on1, o), computed by that same arithmetic; it returns −1 − g at the first game g with an action outside 0…3 (the games before it moved, nothing drawn, as in
 * JavaScript); pass 2 respawns each picked game in order, coin ← the int(cells − |{p0, p1}|)-th free cell. With
 * RESET, every game then starts afresh as `resetSlot` does (colour, both cells, the coin off both). One call
 * draws from one bit pool, empty at the start, as `stepInto` does after `bits.attach(rng)`. Returns m.
 *
 * `randomMoves(actions, seat, batch, generator)`: the random agent's 4 moves, one uniform() per 22 games (11 from
 * the word's low 22 bits, then 11 from the spare's), 8 games per SIMD multiply-and-shift while whole blocks fit,
 * then a byte at a time; the tail as fixedAgents.ts's writeMoves.
 *
 * `CoinMemory` holds a batch's state arrays (CoinState.pos, coins, owner), the step's buffers and the generator's
 * words in one memory of its own, made by `CoinGameEnv.reset`; a state copied out of it (cloneCoinState) steps in
 * JavaScript, which is how the tests compare the two.
 */
import type { Rng } from "../../util/rng.js";
import { type WasmApi, wasmApi } from "../../wasm/api.js";
import { I32, locals, moduleBytes, op } from "../../wasm/bytes.js";

const { get, set, i32 } = op;
const seq = (...parts: number[][]): number[] => parts.flat();

/** `oneCoinStep` modes (bits). */
export const STEP = 1;
export const RESET = 2;

/**
 * A row of the outcome table, one per (on0, on1, o) at 32·(on0 | on1 ≪ 1 | o ≪ 2): coinGame.ts's pass-1 arithmetic
 * evaluated once (`outcomeTable`), so pass 1 here is loads and stores.
 */
const OUTCOME = { rewards: 0, pickups: 16, owner: 18, picked: 19 } as const;
const OUTCOME_SHIFT = 5;
const OUTCOME_ROWS = 8;

/** The table: rewards (2 × f64), pickups (2 × u8), the new owner, 1 if picked. */
function outcomeTable(): ArrayBuffer {
  const table = new ArrayBuffer(OUTCOME_ROWS << OUTCOME_SHIFT);
  for (let row = 0; row < OUTCOME_ROWS; row++) {
    const [on0, on1, o] = [row & 1, (row >> 1) & 1, row >> 2];
    const at = row << OUTCOME_SHIFT;
    new Float64Array(table, at + OUTCOME.rewards, 2).set([on0 - 2 * (1 - o) * on1, on1 - 2 * o * on0]);
    new Uint8Array(table, at + OUTCOME.pickups, 4).set([
      on0 * (o + 1),
      on1 * (2 - o),
      o ^ (on0 | on1),
      on0 | on1,
    ]);
  }
  return table;
}

/** The generator record: xoroshiro128+'s s0 and s1 (i64), then the bit pool's spare word and its bit count. */
const GENERATOR = { s0: 0, s1: 8, spare: 16, spareLeft: 20, bytes: 24 } as const;

/** Bits RandomBits takes from one uniform(): the low word and the spare. */
const WORD_BITS = 30;
const SPARE_BITS = 23;
/** Games the random agent moves per uniform() (2 bits each, 11 from each of the two words). */
const GAMES_PER_UNIFORM = 22;
const GAMES_PER_WORD = 11;

/** Code shared by both functions: the generator, the bit pool, int(k), on named locals. */
function drawing(L: Record<"s0" | "s1" | "x" | "out1" | "out2" | "word" | "spare", number>) {
  /** One xoroshiro128+ output into `dest` (i32), the state stepped. */
  const next = (dest: number) =>
    seq(
      get(L.s0),
      get(L.s1),
      op.i64Add,
      op.i32WrapI64,
      set(dest),
      get(L.s0),
      get(L.s1),
      op.i64Xor,
      set(L.x),
      get(L.s0),
      op.i64Const(24),
      op.i64Rotl,
      get(L.x),
      op.i64Xor,
      get(L.x),
      op.i64Const(16),
      op.i64Shl,
      op.i64Xor,
      set(L.s0),
      get(L.x),
      op.i64Const(37),
      op.i64Rotl,
      set(L.s1),
    );
  /** One uniform(): `word` = its low 30 bits, `spare` = its high 23 bits. */
  const uniform = seq(
    next(L.out1),
    next(L.out2),
    get(L.out2),
    i32(0x7ffffff),
    op.and,
    get(L.out1),
    i32(7),
    op.and,
    i32(27),
    op.shl,
    op.or,
    set(L.word),
    get(L.out1),
    i32(0x3ffffff),
    op.and,
    i32(3),
    op.shrU,
    set(L.spare),
  );
  const load = (generator: number) =>
    seq(
      get(generator),
      op.i64Load(GENERATOR.s0),
      set(L.s0),
      get(generator),
      op.i64Load(GENERATOR.s1),
      set(L.s1),
    );
  const store = (generator: number) =>
    seq(
      get(generator),
      get(L.s0),
      op.i64Store(GENERATOR.s0),
      get(generator),
      get(L.s1),
      op.i64Store(GENERATOR.s1),
    );
  return { uniform, load, store };
}

/** The bit pool and int(k), on the step function's locals. */
function pool(
  L: Record<"word" | "left" | "spare" | "bits" | "mask" | "v" | "generator", number>,
  generator: { uniform: number[]; load: (at: number) => number[]; store: (at: number) => number[] },
) {
  // Only `word` and `left` live in locals; the spare and the generator, touched once in ≈ 8 takes, stay in memory
  // (the generator record), which leaves the respawn loop registers to spare (≈ 4 % faster in all than with every value in locals).
  const { uniform, load, store } = generator;
  const refill = seq(
    get(L.generator),
    op.i32Load(GENERATOR.spareLeft),
    op.if,
    get(L.generator),
    op.i32Load(GENERATOR.spare),
    set(L.word),
    get(L.generator),
    op.i32Load(GENERATOR.spareLeft),
    set(L.left),
    get(L.generator),
    i32(0),
    op.i32Store(GENERATOR.spareLeft),
    op.else,
    load(L.generator),
    uniform,
    store(L.generator),
    get(L.generator),
    get(L.spare),
    op.i32Store(GENERATOR.spare),
    get(L.generator),
    i32(SPARE_BITS),
    op.i32Store(GENERATOR.spareLeft),
    i32(WORD_BITS),
    set(L.left),
    op.end,
  );
  /** Locals `bits` ← ⌈log₂ k⌉ = 32 − clz(k − 1) (0 for k = 1) and `mask` ← 2^bits − 1, for k given as code. */
  const bitsFor = (k: number[], bits: number, mask: number) =>
    seq(
      i32(32),
      k,
      i32(1),
      op.sub,
      op.clz,
      op.sub,
      set(bits),
      i32(1),
      get(bits),
      op.shl,
      i32(1),
      op.sub,
      set(mask),
    );
  /**
   * v ← int(k) for k in local `k`, with `bits` and `mask` set for it (bitsFor); k ≥ 1, and k = 1 draws nothing,
   * as RandomBits.int.
   */
  const int = (k: number) =>
    seq(
      op.block,
      op.loop,
      get(L.left),
      get(L.bits),
      op.ltS,
      op.if,
      refill,
      op.end,
      get(L.word),
      get(L.mask),
      op.and,
      set(L.v),
      get(L.word),
      get(L.bits),
      op.shrU,
      set(L.word),
      get(L.left),
      get(L.bits),
      op.sub,
      set(L.left),
      get(L.v),
      get(k),
      op.ltU,
      op.brIf(1),
      op.br(0),
      op.end,
      op.end,
    );
  return { int, bitsFor };
}

/** c ← the v-th cell (in order) that is neither a nor b: coinGame.ts's kthFreeCell. */
function kthFree(L: Record<"lo" | "hi" | "c", number>, v: number, a: number, b: number): number[] {
  return seq(
    get(a),
    get(b),
    get(a),
    get(b),
    op.ltS,
    op.select,
    set(L.lo),
    get(a),
    get(b),
    op.xor,
    get(L.lo),
    op.xor,
    set(L.hi),
    get(v),
    get(v),
    get(L.lo),
    op.geU,
    op.add,
    set(L.c),
    get(L.c),
    get(L.c),
    get(L.hi),
    op.geU,
    get(L.hi),
    get(L.lo),
    op.ne,
    op.and,
    op.add,
    set(L.c),
  );
}

/** Boards of up to this many cells take pass 1 eight games at a time: a cell is a byte lane, a move a swizzle. */
const LANE_CELLS = 16;
/** The byte tables of that pass: the move table by action (4 × 16 cells), lane parity, the compaction table. */
const LANES = { moves: 0, parity: 64, compact: 80, free: 80 + 256 * 8 } as const;
const LANES_BYTES = LANES.free + LANE_CELLS * LANE_CELLS * LANE_CELLS;

/**
 * That table: moves by action, [0, 1, 0, 1, …], for each 8-bit mask the indices of its set bits in order, and
 * free[p0·256 + p1·16 + v] = the v-th cell, in order, that is neither p0 nor p1 (the respawn's choice, by its
 * definition: kthFreeCell's arithmetic is the JavaScript path's, the two are tested equal).
 */
function laneTables(moveTo: Int32Array, moveToStride: number, cells: number): Uint8Array {
  const t = new Uint8Array(LANES_BYTES);
  if (cells <= LANE_CELLS) {
    for (let a = 0; a < 4; a++)
      for (let c = 0; c < cells; c++) t[LANES.moves + 16 * a + c] = moveTo[c * moveToStride + a];
    for (let p0 = 0; p0 < cells; p0++) {
      for (let p1 = 0; p1 < cells; p1++) {
        const free = range(cells, (c) => c).filter((c) => c !== p0 && c !== p1);
        t.set(free, LANES.free + LANE_CELLS * (LANE_CELLS * p0 + p1));
      }
    }
  }
  for (let i = 0; i < 16; i++) t[LANES.parity + i] = i & 1;
  for (let mask = 0; mask < 256; mask++) {
    let k = 0;
    for (let j = 0; j < 8; j++) if (mask & (1 << j)) t[LANES.compact + 8 * mask + k++] = j;
  }
  return t;
}

const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
/** Byte i of each game's pair of lanes ← the game's byte (8 games' bytes in the low half, duplicated). */
const DUPLICATE = range(16, (i) => i >> 1);
/** Swap the two lanes of each game (self ↔ other). */
const SWAP = range(16, (i) => i ^ 1);
/** The even lanes (agent 0's, or one per game) to the low half. */
const EVENS = range(16, (i) => (2 * i) & 15);
/** The high 8 bytes to the low half. */
const HIGH_HALF = range(16, (i) => 8 + (i & 7));
/** 8 games' i16 lanes to their bytes, duplicated (the low byte of i16 lane i>>1). */
const I16_DUPLICATE = range(16, (i) => 2 * (i >> 1));

/**
 * Pass 1 over 8 games at a time while their 16 actions are all in 0…3 (a bad one, or the last < 8 games, are
 * left to the scalar loop after it, which finds the bad game as JavaScript does). Lanes are the 16 agent slots of
 * the 8 games, `[batch, 2]` order, one byte each:
 *   cell' = swizzle(T_a, cell), as ⋁_a swizzle(T_a, cell + 16a − 16a′) (out-of-range indices give 0);
 *   on = [cell' = coin];  isOwner = [o = lane parity];  other = on of the other lane;
 *   reward = (on & 1) − (isOwner & other & 2);  pickup = on & (2 + isOwner)  (isOwner is 0 or −1: 1 own, 2 other);
 *   o' = o ⊕ (on ∨ other);  picked: the games' any-bits compacted by a 256-entry table, m += popcount.
 * The same values as the outcome table of the scalar loop (both are tested against the JavaScript loop).
 */
function eightAtATime(
  L: Record<
    | "lanes"
    | "pPos"
    | "pCoins"
    | "pOwner"
    | "pActions"
    | "pRewards"
    | "pPickups"
    | "picked"
    | "g"
    | "m"
    | "batch"
    | "a0"
    | "p0"
    | "t0"
    | "t1"
    | "t2"
    | "t3"
    | "parity"
    | "one"
    | "two"
    | "high6"
    | "k16"
    | "k32"
    | "k48"
    | "act"
    | "cell"
    | "coin"
    | "od"
    | "on"
    | "other"
    | "isOwner"
    | "any"
    | "r"
    | "r16"
    | "q",
    number
  >,
): number[] {
  const splat = (value: number, local: number) => seq(i32(value), op.i8x16Splat, set(local));
  const store = (cursor: number, offset: number, value: number[]) =>
    seq(get(cursor), value, op.vStore(offset));
  /** The 4 f64 rewards of i32x4 `q` at pRewards + offset. */
  const rewardsOf = (offset: number) =>
    seq(
      store(L.pRewards, offset, seq(get(L.q), op.f64x2ConvertLowI32x4S)),
      store(
        L.pRewards,
        offset + 16,
        seq(get(L.q), get(L.q), op.shuffle(HIGH_HALF), op.f64x2ConvertLowI32x4S),
      ),
    );
  const setup = seq(
    ...[L.t0, L.t1, L.t2, L.t3].map((t, a) => seq(get(L.lanes), op.vLoad(LANES.moves + 16 * a), set(t))),
    get(L.lanes),
    op.vLoad(LANES.parity),
    set(L.parity),
    splat(1, L.one),
    splat(2, L.two),
    splat(0xfc, L.high6),
    splat(16, L.k16),
    splat(32, L.k32),
    splat(48, L.k48),
  );
  const eight = seq(
    // the 16 cells as bytes, and the index cell + 16·action
    get(L.pPos),
    op.vLoad(0),
    get(L.pPos),
    op.vLoad(16),
    op.i16x8NarrowI32x4U,
    get(L.pPos),
    op.vLoad(32),
    get(L.pPos),
    op.vLoad(48),
    op.i16x8NarrowI32x4U,
    op.i8x16NarrowI16x8U,
    get(L.act),
    i32(4),
    op.i8x16Shl,
    op.vOr,
    set(L.cell),
    get(L.t0),
    get(L.cell),
    op.swizzle,
    get(L.t1),
    get(L.cell),
    get(L.k16),
    op.i8x16Sub,
    op.swizzle,
    op.vOr,
    get(L.t2),
    get(L.cell),
    get(L.k32),
    op.i8x16Sub,
    op.swizzle,
    op.vOr,
    get(L.t3),
    get(L.cell),
    get(L.k48),
    op.i8x16Sub,
    op.swizzle,
    op.vOr,
    set(L.cell),
    // the new cells back as i32
    get(L.cell),
    op.i16x8ExtendLowI8x16U,
    set(L.q),
    store(L.pPos, 0, seq(get(L.q), op.i32x4ExtendLowI16x8U)),
    store(L.pPos, 16, seq(get(L.q), op.i32x4ExtendHighI16x8U)),
    get(L.cell),
    op.i16x8ExtendHighI8x16U,
    set(L.q),
    store(L.pPos, 32, seq(get(L.q), op.i32x4ExtendLowI16x8U)),
    store(L.pPos, 48, seq(get(L.q), op.i32x4ExtendHighI16x8U)),
    // coin and colour per game, in both of its lanes
    get(L.pCoins),
    op.vLoad(0),
    get(L.pCoins),
    op.vLoad(16),
    op.i16x8NarrowI32x4U,
    set(L.coin),
    get(L.coin),
    get(L.coin),
    op.shuffle(I16_DUPLICATE),
    get(L.cell),
    op.i8x16Eq,
    set(L.on),
    get(L.pOwner),
    op.load64Zero(0),
    set(L.od),
    get(L.od),
    get(L.od),
    op.shuffle(DUPLICATE),
    set(L.od),
    get(L.od),
    get(L.parity),
    op.i8x16Eq,
    set(L.isOwner),
    get(L.on),
    get(L.on),
    op.shuffle(SWAP),
    set(L.other),
    // pickups, colour, picked list
    store(L.pPickups, 0, seq(get(L.on), get(L.isOwner), get(L.two), op.i8x16Add, op.vAnd)),
    get(L.on),
    get(L.other),
    op.vOr,
    set(L.any), // 0 or −1 in both lanes of a game
    get(L.od),
    get(L.any),
    get(L.one),
    op.vAnd,
    op.vXor,
    set(L.q),
    get(L.pOwner),
    get(L.q),
    get(L.q),
    op.shuffle(EVENS),
    op.store64Lane(0, 0),
    get(L.any),
    get(L.any),
    op.shuffle(EVENS),
    op.i8x16Bitmask,
    i32(0xff),
    op.and,
    set(L.a0),
    get(L.lanes),
    get(L.a0),
    i32(3),
    op.shl,
    op.add,
    op.load64Zero(LANES.compact),
    op.i16x8ExtendLowI8x16U,
    set(L.q),
    get(L.g),
    op.i32x4Splat,
    set(L.r16),
    // picked[m … m + 7] ← g + the indices (m + 8 ≤ g + 8 ≤ batch: the unused ones are overwritten later)
    get(L.picked),
    get(L.m),
    i32(2),
    op.shl,
    op.add,
    set(L.p0),
    store(L.p0, 0, seq(get(L.q), op.i32x4ExtendLowI16x8U, get(L.r16), op.i32x4Add)),
    store(L.p0, 16, seq(get(L.q), op.i32x4ExtendHighI16x8U, get(L.r16), op.i32x4Add)),
    get(L.a0),
    op.popcnt,
    get(L.m),
    op.add,
    set(L.m),
    // rewards: (on & 1) − (isOwner & other & 2), as f64
    get(L.on),
    get(L.one),
    op.vAnd,
    get(L.isOwner),
    get(L.other),
    op.vAnd,
    get(L.two),
    op.vAnd,
    op.i8x16Sub,
    set(L.r),
    get(L.r),
    op.i16x8ExtendLowI8x16S,
    set(L.r16),
    get(L.r16),
    op.i32x4ExtendLowI16x8S,
    set(L.q),
    rewardsOf(0),
    get(L.r16),
    op.i32x4ExtendHighI16x8S,
    set(L.q),
    rewardsOf(32),
    get(L.r),
    op.i16x8ExtendHighI8x16S,
    set(L.r16),
    get(L.r16),
    op.i32x4ExtendLowI16x8S,
    set(L.q),
    rewardsOf(64),
    get(L.r16),
    op.i32x4ExtendHighI16x8S,
    set(L.q),
    rewardsOf(96),
  );
  const advance = (local: number, bytes: number) => seq(get(local), i32(bytes), op.add, set(local));
  return seq(
    setup,
    op.block,
    op.loop,
    get(L.g),
    i32(8),
    op.add,
    get(L.batch),
    op.gtS,
    op.brIf(1),
    get(L.pActions),
    op.vLoad(0),
    set(L.act),
    get(L.act),
    get(L.high6),
    op.vAnd,
    op.anyTrue,
    op.brIf(1),
    eight,
    advance(L.pPos, 64),
    advance(L.pCoins, 32),
    advance(L.pOwner, 8),
    advance(L.pActions, 16),
    advance(L.pRewards, 128),
    advance(L.pPickups, 16),
    advance(L.g, 8),
    op.br(0),
    op.end,
    op.end,
  );
}

function stepFunction() {
  const P = [
    "pos",
    "coins",
    "owner",
    "actions",
    "rewards",
    "pickups",
    "picked",
    "moveTo",
    "outcomes",
    "lanes",
    "batch",
    "generator",
    "cells",
    "mode",
  ] as const;
  const { index: L, declaration } = locals(
    P,
    [
      // pass 1: cursors over the games and the game's values
      ...["g", "m", "pPos", "pCoins", "pOwner", "pActions", "pRewards", "pPickups"],
      ...["a0", "p0", "p1", "o"],
      // drawing
      ...["out1", "out2", "word", "spare", "left", "bits", "mask", "v", "k", "lo", "hi", "c", "j"],
      ...["bitsNe", "maskNe", "bitsEq", "maskEq", "bitsCells", "maskCells"],
    ],
    [],
    [
      ...["t0", "t1", "t2", "t3", "parity", "one", "two", "high6", "k16", "k32", "k48"],
      ...["act", "cell", "coin", "od", "on", "other", "isOwner", "any", "r", "r16", "q"],
    ],
    ["s0", "s1", "x"],
  );
  const { int, bitsFor } = pool(L, drawing(L));
  /** moveTo[4·cell + action] for the cell at cursor + posOffset, given 4·action. */
  const cellAfter = (posOffset: number, actionTimes4: number[]) =>
    seq(
      get(L.moveTo),
      get(L.pPos),
      op.i32Load(posOffset),
      i32(4),
      op.shl,
      op.add,
      actionTimes4,
      op.add,
      op.i32Load(0),
    );
  const advance = (local: number, bytes: number) => seq(get(local), i32(bytes), op.add, set(local));
  /**
   * Pass 1 for game g + k (k = 0, 1): its fields sit k records past the cursors (8 bytes of pos, 4 of coins, …).
   * Both actions in one 16-bit load (a0 | a1 ≪ 8); the outcome of (on0, on1, o) is one row of the table.
   */
  const game = (k: number) =>
    seq(
      get(L.pActions),
      op.i32Load16U(2 * k),
      set(L.a0),
      get(L.a0),
      i32(0xfcfc), // a bit above 0…3 in either action
      op.and,
      op.if,
      i32(-1 - k),
      get(L.g),
      op.sub,
      op.return,
      op.end,
      cellAfter(8 * k, seq(get(L.a0), i32(3), op.and, i32(2), op.shl)),
      set(L.p0),
      cellAfter(8 * k + 4, seq(get(L.a0), i32(6), op.shrU)), // a1·4, as a0 < 4
      set(L.p1),
      get(L.pPos),
      get(L.p0),
      op.i32Store(8 * k),
      get(L.pPos),
      get(L.p1),
      op.i32Store(8 * k + 4),
      get(L.pCoins),
      op.i32Load(4 * k),
      set(L.c),
      // the outcome row: outcomes + 32·(on0 | on1 ≪ 1 | o ≪ 2)
      get(L.p0),
      get(L.c),
      op.eq,
      get(L.p1),
      get(L.c),
      op.eq,
      i32(1),
      op.shl,
      op.or,
      get(L.pOwner),
      op.i32Load8U(k),
      i32(2),
      op.shl,
      op.or,
      i32(OUTCOME_SHIFT),
      op.shl,
      get(L.outcomes),
      op.add,
      set(L.o),
      get(L.pRewards),
      get(L.o),
      op.vLoad(OUTCOME.rewards),
      op.vStore(16 * k),
      get(L.pPickups),
      get(L.o),
      op.i32Load16U(OUTCOME.pickups),
      op.i32Store16(2 * k),
      get(L.pOwner),
      get(L.o),
      op.i32Load8U(OUTCOME.owner),
      op.i32Store8(k),
      get(L.picked),
      get(L.m),
      i32(2),
      op.shl,
      op.add,
      get(L.g),
      k ? seq(i32(k), op.add) : [],
      op.i32Store(0),
      get(L.m),
      get(L.o),
      op.i32Load8U(OUTCOME.picked),
      op.add,
      set(L.m),
    );
  /** Move every cursor on by n games. */
  const advanceGames = (n: number) =>
    seq(
      advance(L.pPos, 8 * n),
      advance(L.pCoins, 4 * n),
      advance(L.pOwner, n),
      advance(L.pActions, 2 * n),
      advance(L.pRewards, 16 * n),
      advance(L.pPickups, 2 * n),
      advance(L.g, n),
    );
  // Two games per round (half the cursor bookkeeping), in game order, then the odd last one.
  const firstPass = seq(
    ...[
      [L.pos, L.pPos],
      [L.coins, L.pCoins],
      [L.owner, L.pOwner],
      [L.actions, L.pActions],
      [L.rewards, L.pRewards],
      [L.pickups, L.pPickups],
    ].map(([from, to]) => seq(get(from), set(to))),
    i32(0),
    set(L.g),
    get(L.cells),
    i32(LANE_CELLS),
    op.leU,
    op.if,
    eightAtATime(L),
    op.end,
    op.block,
    op.loop,
    get(L.g),
    i32(2),
    op.add,
    get(L.batch),
    op.gtS,
    op.brIf(1),
    game(0),
    game(1),
    advanceGames(2),
    op.br(0),
    op.end,
    op.end,
    get(L.g),
    get(L.batch),
    op.ltS,
    op.if,
    game(0),
    op.end,
  );
  /** Local `addr` ← base + (index local)·size. */
  const address = (dest: number, base: number, index: number, shift: number) =>
    seq(get(base), get(index), i32(shift), op.shl, op.add, set(dest));
  /**
   * c ← a cell uniform over those neither p0 nor p1 hold: the int(k)-th free one, k = cells − 2 + [p0 = p1], from
   * the free table on small boards, by kthFree's arithmetic on others.
   */
  const offBoth = seq(
    get(L.p0),
    get(L.p1),
    op.eq,
    set(L.k),
    get(L.bitsEq),
    get(L.bitsNe),
    get(L.k),
    op.select,
    set(L.bits),
    get(L.maskEq),
    get(L.maskNe),
    get(L.k),
    op.select,
    set(L.mask),
    get(L.cells),
    i32(2),
    op.sub,
    get(L.k),
    op.add,
    set(L.k),
    int(L.k),
    get(L.cells),
    i32(LANE_CELLS),
    op.leU,
    op.if,
    get(L.lanes),
    get(L.p0),
    i32(8),
    op.shl,
    get(L.p1),
    i32(4),
    op.shl,
    op.or,
    get(L.v),
    op.or,
    op.add,
    op.i32Load8U(LANES.free),
    set(L.c),
    op.else,
    kthFree(L, L.v, L.p0, L.p1),
    op.end,
  );
  // Pass 2: picked[j] in order. (pPos reused as game g's pos address.)
  const respawns = seq(
    i32(0),
    set(L.j),
    op.block,
    op.loop,
    get(L.j),
    get(L.m),
    op.geS,
    op.brIf(1),
    get(L.picked),
    get(L.j),
    i32(2),
    op.shl,
    op.add,
    op.i32Load(0),
    set(L.g),
    address(L.pPos, L.pos, L.g, 3),
    get(L.pPos),
    op.i32Load(0),
    set(L.p0),
    get(L.pPos),
    op.i32Load(4),
    set(L.p1),
    offBoth,
    get(L.coins),
    get(L.g),
    i32(2),
    op.shl,
    op.add,
    get(L.c),
    op.i32Store(0),
    advance(L.j, 1),
    op.br(0),
    op.end,
    op.end,
  );
  // resetSlot for every game: colour int(2), cells int(cells) twice, the coin the int(cells − |{p0, p1}|)-th free.
  const resets = seq(
    i32(0),
    set(L.g),
    op.block,
    op.loop,
    get(L.g),
    get(L.batch),
    op.geS,
    op.brIf(1),
    i32(2),
    set(L.k),
    i32(1),
    set(L.bits),
    i32(1),
    set(L.mask),
    int(L.k),
    get(L.owner),
    get(L.g),
    op.add,
    get(L.v),
    op.i32Store8(0),
    get(L.cells),
    set(L.k),
    get(L.bitsCells),
    set(L.bits),
    get(L.maskCells),
    set(L.mask),
    int(L.k),
    get(L.v),
    set(L.p0),
    int(L.k),
    get(L.v),
    set(L.p1),
    address(L.pPos, L.pos, L.g, 3),
    get(L.pPos),
    get(L.p0),
    op.i32Store(0),
    get(L.pPos),
    get(L.p1),
    op.i32Store(4),
    offBoth,
    get(L.coins),
    get(L.g),
    i32(2),
    op.shl,
    op.add,
    get(L.c),
    op.i32Store(0),
    advance(L.g, 1),
    op.br(0),
    op.end,
    op.end,
  );
  const body = seq(
    i32(0),
    set(L.m),
    get(L.mode),
    i32(STEP),
    op.and,
    op.if,
    firstPass,
    op.end,
    get(L.generator),
    i32(0),
    op.i32Store(GENERATOR.spareLeft), // the pool starts empty, as after bits.attach(rng)
    bitsFor(seq(get(L.cells), i32(2), op.sub), L.bitsNe, L.maskNe),
    bitsFor(seq(get(L.cells), i32(1), op.sub), L.bitsEq, L.maskEq),
    bitsFor(get(L.cells), L.bitsCells, L.maskCells),
    get(L.mode),
    i32(STEP),
    op.and,
    op.if,
    respawns,
    op.end,
    get(L.mode),
    i32(RESET),
    op.and,
    op.if,
    resets,
    op.end,
    get(L.m),
  );
  return { name: "oneCoinStep", params: P.map(() => I32), results: [I32], body: [...declaration, ...body] };
}

function randomMovesFunction() {
  const P = ["actions", "seat", "batch", "generator"] as const;
  const { index: L, declaration } = locals(
    P,
    ["g", "p", "out1", "out2", "word", "spare", "i", "shift"],
    [],
    ["keep", "moves", "multiplier"],
    ["s0", "s1", "x", "stream"],
  );
  const { uniform, load, store } = drawing(L);
  /** 11 moves from `word`'s low 22 bits at p + offset, p + offset + 2, …: one seat of 11 games. */
  const eleven = (word: number, offset: number) =>
    seq(
      ...Array.from({ length: GAMES_PER_WORD }, (_, i) =>
        seq(get(L.p), get(word), i32(2 * i), op.shrU, i32(3), op.and, op.i32Store8(offset + 2 * i)),
      ),
    );
  /**
   * 8 games' moves (games 8j … 8j + 7 of the 22) from bits 16j … 16j + 15 of the 44-bit stream (the word's 22 move
   * bits, then the spare's): i16 lane i = ((field · 2^(14 − 2i)) mod 2^16) ≫ 14 = bits 2i, 2i + 1 of the field,
   * shifted to the seat's byte and merged over the other seat's bytes.
   */
  const eight = (j: number) =>
    seq(
      get(L.p),
      get(L.p),
      op.vLoad(16 * j),
      get(L.keep),
      op.vAnd,
      get(L.stream),
      op.i64Const(16 * j),
      op.i64ShrU,
      op.i32WrapI64,
      op.i16x8Splat,
      get(L.multiplier),
      op.i16x8Mul,
      i32(14),
      op.i16x8ShrU,
      get(L.shift),
      op.i16x8Shl,
      op.vOr,
      op.vStore(16 * j),
    );
  const body = seq(
    load(L.generator),
    i32(0),
    set(L.g),
    get(L.actions),
    set(L.p),
    // Whole blocks of 22 games as three 16-byte stores (the third runs 2 games into the next block, which
    // rewrites them), while those stay inside the batch.
    op.v128Const(
      Array.from({ length: 8 }, (_, i) => [(1 << (14 - 2 * i)) & 0xff, (1 << (14 - 2 * i)) >> 8]).flat(),
    ),
    set(L.multiplier),
    get(L.seat),
    i32(3),
    op.shl,
    set(L.shift),
    i32(0xff00),
    get(L.shift),
    op.shrU,
    op.i16x8Splat,
    set(L.keep),
    op.block,
    op.loop,
    get(L.g),
    i32(GAMES_PER_UNIFORM + 2),
    op.add,
    get(L.batch),
    op.gtS,
    op.brIf(1),
    uniform,
    get(L.word),
    i32(0x3fffff),
    op.and,
    op.i64ExtendI32U,
    get(L.spare),
    i32(0x3fffff),
    op.and,
    op.i64ExtendI32U,
    op.i64Const(2 * GAMES_PER_WORD),
    op.i64Shl,
    op.i64Or,
    set(L.stream),
    eight(0),
    eight(1),
    eight(2),
    get(L.p),
    i32(2 * GAMES_PER_UNIFORM),
    op.add,
    set(L.p),
    get(L.g),
    i32(GAMES_PER_UNIFORM),
    op.add,
    set(L.g),
    op.br(0),
    op.end,
    op.end,
    // The rest one byte at a time, at the seat's byte.
    get(L.p),
    get(L.seat),
    op.add,
    set(L.p),
    op.block,
    op.loop,
    get(L.g),
    i32(GAMES_PER_UNIFORM),
    op.add,
    get(L.batch),
    op.gtS,
    op.brIf(1),
    uniform,
    eleven(L.word, 0),
    eleven(L.spare, 2 * GAMES_PER_WORD),
    get(L.p),
    i32(2 * GAMES_PER_UNIFORM),
    op.add,
    set(L.p),
    get(L.g),
    i32(GAMES_PER_UNIFORM),
    op.add,
    set(L.g),
    op.br(0),
    op.end,
    op.end,
    // The tail (fewer than 22 games): one more uniform(), its word's moves first, then the spare's.
    get(L.g),
    get(L.batch),
    op.ltS,
    op.if,
    uniform,
    i32(0),
    set(L.i),
    op.block,
    op.loop,
    get(L.g),
    get(L.batch),
    op.geS,
    op.brIf(1),
    get(L.i),
    i32(GAMES_PER_WORD),
    op.eq,
    op.if,
    get(L.spare),
    set(L.word),
    op.end,
    get(L.p),
    get(L.word),
    i32(3),
    op.and,
    op.i32Store8(0),
    get(L.word),
    i32(2),
    op.shrU,
    set(L.word),
    get(L.p),
    i32(2),
    op.add,
    set(L.p),
    get(L.i),
    i32(1),
    op.add,
    set(L.i),
    get(L.g),
    i32(1),
    op.add,
    set(L.g),
    op.br(0),
    op.end,
    op.end,
    op.end,
    store(L.generator),
  );
  return { name: "randomMoves", params: P.map(() => I32), results: [], body: [...declaration, ...body] };
}

type StepFunction = (...args: number[]) => number;
type MovesFunction = (actions: number, seat: number, batch: number, generator: number) => void;

let compiled: { api: WasmApi; module: object } | null | undefined;
function coinModule() {
  if (compiled === undefined) {
    compiled = null;
    try {
      const api = wasmApi();
      const bytes = moduleBytes([stepFunction(), randomMovesFunction()]);
      if (api?.validate(bytes)) compiled = { api, module: new api.Module(bytes) };
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const memories = new WeakMap<ArrayBufferLike, CoinMemory>();

/** A batch's one-coin state, step buffers and generator words in one WebAssembly memory (see the header). */
export class CoinMemory {
  static of(array: ArrayBufferView): CoinMemory | undefined {
    return memories.get(array.buffer);
  }

  /** Undefined where the engine has no WebAssembly. */
  static create(
    batch: number,
    moveTo: Int32Array,
    moveToStride: number,
    cells: number,
  ): CoinMemory | undefined {
    const c = coinModule();
    return c ? new CoinMemory(c, batch, moveTo, moveToStride, cells) : undefined;
  }

  readonly pos: Int32Array;
  readonly coins: Int32Array;
  readonly owner: Uint8Array;
  readonly actions: Uint8Array;
  readonly rewards: Float64Array;
  readonly pickups: Uint8Array;
  readonly picked: Int32Array;
  private readonly moveTo: Int32Array;
  private readonly outcomes: Uint8Array;
  private readonly lanes: Uint8Array;
  /** xoroshiro128+'s state as the kernels read it: s0 (low, high word), s1 (low, high). */
  private readonly generator: Int32Array;
  private readonly cells: number;
  private readonly step: StepFunction;
  private readonly moves: MovesFunction;

  private constructor(
    c: { api: WasmApi; module: object },
    batch: number,
    moveTo: Int32Array,
    moveToStride: number,
    cells: number,
  ) {
    // Bytes of each array, 8-byte aligned one after the other (the Float64 rewards and the i64 words need it).
    const layout = {
      pos: 8 * batch,
      rewards: 16 * batch,
      coins: 4 * batch,
      picked: 4 * batch,
      moveTo: 16 * cells,
      outcomes: OUTCOME_ROWS << OUTCOME_SHIFT,
      lanes: LANES_BYTES,
      generator: GENERATOR.bytes,
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
    // moveTo with 4 entries per cell (the one-coin moves), so pass 1 indexes it by shifts.
    this.moveTo = new Int32Array(buffer, offset.moveTo, 4 * cells);
    for (let c = 0; c < cells; c++)
      for (let a = 0; a < 4; a++) this.moveTo[4 * c + a] = moveTo[c * moveToStride + a];
    this.outcomes = new Uint8Array(buffer, offset.outcomes, OUTCOME_ROWS << OUTCOME_SHIFT);
    this.outcomes.set(new Uint8Array(outcomeTable()));
    this.lanes = new Uint8Array(buffer, offset.lanes, LANES_BYTES);
    this.lanes.set(laneTables(moveTo, moveToStride, cells));
    this.generator = new Int32Array(buffer, offset.generator, 4);
    this.owner = new Uint8Array(buffer, offset.owner, batch);
    this.actions = new Uint8Array(buffer, offset.actions, 2 * batch);
    this.pickups = new Uint8Array(buffer, offset.pickups, 2 * batch);
    this.cells = cells;
    const exports = new c.api.Instance(c.module, { env: { memory } }).exports;
    this.step = exports.oneCoinStep as StepFunction;
    this.moves = exports.randomMoves as MovesFunction;
    memories.set(buffer, this);
  }

  /**
   * `mode` (STEP, RESET or both) over this memory's state, drawing from `rng`, with `actions` (copied in unless
   * they live here); the rewards and pickups land in this.rewards / this.pickups. Returns the number of games
   * picked, or −1 − g for a bad action at game g (then nothing was drawn and `rng` is as it was).
   */
  run(mode: number, actions: Uint8Array | undefined, rng: Rng): number {
    if (actions && actions !== this.actions) this.actions.set(actions);
    this.takeGenerator(rng);
    const m = this.step(
      this.pos.byteOffset,
      this.coins.byteOffset,
      this.owner.byteOffset,
      this.actions.byteOffset,
      this.rewards.byteOffset,
      this.pickups.byteOffset,
      this.picked.byteOffset,
      this.moveTo.byteOffset,
      this.outcomes.byteOffset,
      this.lanes.byteOffset,
      this.owner.length,
      this.generator.byteOffset,
      this.cells,
      mode,
    );
    if (m >= 0) this.giveGenerator(rng);
    return m;
  }

  /** The random agent's 4 moves for one seat into this.actions (fixedAgents.ts's draws). */
  randomMoves(seat: 0 | 1, rng: Rng): void {
    this.takeGenerator(rng);
    this.moves(this.actions.byteOffset, seat, this.owner.length, this.generator.byteOffset);
    this.giveGenerator(rng);
  }

  /** pure-rand's state() is (s0 high, s0 low, s1 high, s1 low); the kernels read little-endian i64 words. */
  private takeGenerator(rng: Rng): void {
    const [s0hi, s0lo, s1hi, s1lo] = rng.state();
    const g = this.generator;
    g[0] = s0lo;
    g[1] = s0hi;
    g[2] = s1lo;
    g[3] = s1hi;
  }

  private giveGenerator(rng: Rng): void {
    const g = this.generator;
    rng.setState([g[1], g[0], g[3], g[2]]);
  }
}
