/**
 * Kernel arenas: a workspace's buffers allocated inside a WebAssembly memory of their own, so the SIMD kernels
 * (wasmKernel.ts: products; wasmGates.ts: the GRU's gates, ReLU's backward, column sums) read and write them in
 * place. Without an arena every product copies its operands into the kernel's memory and the result back out:
 * ≈ 6 % of a GRU update, and the gates could not run in WebAssembly at all.
 *
 * Each arena is one `WebAssembly.Memory`, sized once at construction and never grown (growing would detach the
 * Float32Array views handed out), with its own instances of the two modules (compiled once per process). The
 * views are ordinary Float32Arrays to every caller; `KernelArena.of(view)` finds the arena a view lives in, and
 * gemm.ts uses that to skip the copies. Layout (bytes):
 *   [0, 512)            the exp table 2^(j/64) (wasmGates.ts)
 *   [512, …)            float64 sums for column sums (COLUMN_SUMS doubles)
 *   then                scratch for operands that live outside the arena (weights, their gradients), reset per call
 *   then                the buffers, in the order they were taken, each 16-byte aligned
 * Where the engine has no WebAssembly SIMD, `KernelArena.create` returns undefined and callers allocate plain
 * Float32Arrays (the JavaScript paths compute the same values; see gemm.ts for how the two kernels differ).
 */
import { EXP_ALGORITHM, exp } from "../util/elementary.js";
import { type WasmApi, type WasmMemory, wasmApi } from "../wasm/api.js";
import { EXP_TABLE_BYTES, EXP_TABLE_OFFSET, gatesModuleBytes } from "./wasmGates.js";
import { ACCUMULATE, CONTINUE, gemmModuleBytes, OVERWRITE } from "./wasmKernel.js";

/** The product kernels' `acc` argument (wasmKernel.ts). */
export const OVERWRITE_MODE = OVERWRITE;
export const ACCUMULATE_MODE = ACCUMULATE;
export const CONTINUE_MODE = CONTINUE;

/** A product kernel: (a, b, c, M, N, K, acc, bias, relu), byte offsets and sizes. */
export type ProductKernel = (
  a: number,
  b: number,
  c: number,
  M: number,
  N: number,
  K: number,
  acc: number,
  bias: number,
  relu: number,
) => void;

export interface GateKernels {
  gruResetUpdate(gi: number, gh: number, rz: number, rows: number, H: number): void;
  gruCandidate(
    gi: number,
    gh: number,
    rz: number,
    hPrev: number,
    n: number,
    hOut: number,
    rows: number,
    H: number,
  ): void;
  gruGatesBackward(
    dOut: number,
    carry: number,
    hPrev: number,
    rz: number,
    n: number,
    gh: number,
    dgi: number,
    dgh: number,
    dhPrev: number,
    rows: number,
    H: number,
  ): void;
  reluBackward(y: number, dY: number, dX: number, count: number): void;
  addColumnSums(a: number, out: number, K: number, M: number, sums: number): void;
  expArray(x: number, y: number, count: number): void;
}

const PAGE = 65536;
/** Doubles reserved for column sums: a bias gradient of up to this many outputs sums in WebAssembly. */
export const COLUMN_SUMS = 1024;
const SUMS_OFFSET = EXP_TABLE_OFFSET + EXP_TABLE_BYTES;
const HEADER_BYTES = SUMS_OFFSET + 8 * COLUMN_SUMS;

interface Compiled {
  api: WasmApi;
  gemm: object;
  gates: object;
}

let compiled: Compiled | null | undefined;

/** The two modules, compiled once; null where the engine has no WebAssembly SIMD. */
export function compiledKernels(): Compiled | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const api = wasmApi();
    const gemmBytes = gemmModuleBytes();
    const gatesBytes = gatesModuleBytes();
    if (api?.validate(gemmBytes) && api.validate(gatesBytes)) {
      compiled = { api, gemm: new api.Module(gemmBytes), gates: new api.Module(gatesBytes) };
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Product kernels instantiated on a memory (gemm.ts's own copy-in memory uses this too). */
export function productKernels(
  c: Compiled,
  memory: WasmMemory,
): { gemm: ProductKernel; gemmTransposedA: ProductKernel } {
  const { exports } = new c.api.Instance(c.gemm, { env: { memory } });
  return { gemm: exports.gemm as ProductKernel, gemmTransposedA: exports.gemmTransposedA as ProductKernel };
}

let elementwiseEnabled = true;

/** Whether the elementwise kernels (wasmGates.ts) run where a workspace lives in an arena. */
export function wasmElementwiseActive(): boolean {
  return elementwiseEnabled;
}

/** Turn the elementwise kernels off (the JavaScript loops run instead, with the same bits): for tests. */
export function useWasmElementwise(on: boolean): void {
  elementwiseEnabled = on;
}

const arenas = new WeakMap<ArrayBufferLike, KernelArena>();

export class KernelArena {
  /** The arena a Float32Array lives in, if any. */
  static of(view: Float32Array): KernelArena | undefined {
    return arenas.get(view.buffer);
  }

  /**
   * An arena for `floats` floats of buffers (each take rounds up to 4) and `scratchFloats` of per-call scratch;
   * undefined where the engine has no WebAssembly SIMD.
   */
  static create(floats: number, scratchFloats: number): KernelArena | undefined {
    const c = compiledKernels();
    return c ? new KernelArena(c, floats, scratchFloats) : undefined;
  }

  readonly heap: Float32Array;
  readonly gemm: ProductKernel;
  readonly gemmTransposedA: ProductKernel;
  readonly gates: GateKernels;
  /** Byte offset of the float64 column-sum scratch. */
  readonly sums = SUMS_OFFSET;
  private readonly scratchStart: number;
  private readonly scratchEnd: number;
  private scratchTop: number;
  private top: number;
  private readonly end: number;

  private constructor(c: Compiled, floats: number, scratchFloats: number) {
    const scratchBytes = 16 * Math.ceil(scratchFloats / 4);
    const bytes = HEADER_BYTES + scratchBytes + 16 * Math.ceil(floats / 4);
    const memory = new c.api.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    this.heap = new Float32Array(memory.buffer);
    new Float64Array(memory.buffer, EXP_TABLE_OFFSET, EXP_TABLE_BYTES / 8).set(EXP_ALGORITHM.table);
    ({ gemm: this.gemm, gemmTransposedA: this.gemmTransposedA } = productKernels(c, memory));
    const gates = new c.api.Instance(c.gates, { env: { memory, exp } }).exports;
    this.gates = gates as unknown as GateKernels;
    this.scratchStart = HEADER_BYTES;
    this.scratchEnd = HEADER_BYTES + scratchBytes;
    this.scratchTop = this.scratchStart;
    this.top = this.scratchEnd;
    this.end = bytes;
    arenas.set(memory.buffer, this);
  }

  /** A zeroed view of n floats, 16-byte aligned; the arena was sized for every take. */
  take(n: number): Float32Array {
    const size = 16 * Math.ceil(n / 4);
    if (this.top + size > this.end) throw new RangeError(`kernel arena: ${n} floats do not fit`);
    const view = this.heap.subarray(this.top / 4, this.top / 4 + n);
    this.top += size;
    return view;
  }

  owns(view: Float32Array): boolean {
    return view.buffer === this.heap.buffer;
  }

  /** Forget the scratch of the previous call. */
  resetScratch(): void {
    this.scratchTop = this.scratchStart;
  }

  /**
   * The byte offset of `view`'s first n floats in this memory: where it lives, or a scratch copy of it (no copy
   * when `copy` is false: an output). −1 when the scratch is full.
   */
  place(view: Float32Array, n: number, copy: boolean): number {
    if (this.owns(view)) return view.byteOffset;
    const at = this.scratch(n);
    if (at >= 0 && copy) {
      if (view.length === n) this.heap.set(view, at / 4);
      else for (let i = 0, o = at / 4; i < n; i++) this.heap[o + i] = view[i];
    }
    return at;
  }

  /** The byte offset of n floats of this call's scratch, or −1 when it is full. */
  scratch(n: number): number {
    const at = this.scratchTop;
    const size = 16 * Math.ceil(n / 4);
    if (at + size > this.scratchEnd) return -1;
    this.scratchTop += size;
    return at;
  }
}

/**
 * Workspaces smaller than this (1 MB) keep plain Float32Arrays: a memory costs ≈ 0.1–0.6 ms to create (and
 * reserves address space until it is collected), more than the copies it would save a small network, and some
 * callers make a small workspace per rollout.
 */
export const WORKSPACE_ARENA_MIN_FLOATS = 1 << 18;

/** An arena for a workspace of `floats` floats, or undefined (too small to be worth one, or no SIMD). */
export function workspaceArena(floats: number, scratchFloats: number): KernelArena | undefined {
  return floats >= WORKSPACE_ARENA_MIN_FLOATS ? KernelArena.create(floats, scratchFloats) : undefined;
}

/** `n` floats from the arena, or a plain Float32Array without one. */
export function allocate(arena: KernelArena | undefined, n: number): Float32Array {
  return arena ? arena.take(n) : new Float32Array(n);
}

/** Floats a take of n occupies (its 16-byte rounding), for sizing an arena. */
export function arenaFloats(...sizes: number[]): number {
  let total = 0;
  for (const n of sizes) total += 4 * Math.ceil(n / 4);
  return total;
}
