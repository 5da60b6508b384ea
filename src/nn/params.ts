/**
 * Parameters live in one flat Float32Array (and their gradients in a second one of the same layout), so a
 * network's weights can be copied, sent to a worker or written to a file as one block, and an optimiser is a
 * loop over one array. Layers take named slices (subarray views) of it at construction.
 *
 * The order of the slices is the order PyTorch's `module.parameters()` gives for the same network (per layer:
 * weight then bias; GRUCell: weight_ih, weight_hh, bias_ih, bias_hh), so `torch.cat([p.flatten() for p in
 * net.parameters()])` and `values` line up element for element (bench/peers/nn_fixture_torch.py relies on it).
 */

export interface ParameterSlice {
  /** e.g. "0.weight", "gru.bias_hh" */
  name: string;
  shape: number[];
  offset: number;
  value: Float32Array;
  grad: Float32Array;
}

export class Parameters {
  readonly values: Float32Array;
  readonly grads: Float32Array;
  readonly slices: ParameterSlice[] = [];
  private cursor = 0;

  constructor(readonly size: number) {
    this.values = new Float32Array(size);
    this.grads = new Float32Array(size);
  }

  /** The next `shape`-sized slice of the flat arrays. Every element must be taken exactly once (see `done`). */
  take(name: string, shape: number[]): ParameterSlice {
    const size = shape.reduce((a, b) => a * b, 1);
    const offset = this.cursor;
    if (offset + size > this.size)
      throw new Error(`parameter ${name} does not fit (${offset} + ${size} > ${this.size})`);
    this.cursor += size;
    const slice = {
      name,
      shape,
      offset,
      value: this.values.subarray(offset, offset + size),
      grad: this.grads.subarray(offset, offset + size),
    };
    this.slices.push(slice);
    return slice;
  }

  /** Check that the layers took the whole array (a size computed apart from the layers would otherwise drift). */
  done(): this {
    if (this.cursor !== this.size) throw new Error(`parameters: layers took ${this.cursor} of ${this.size}`);
    return this;
  }

  zeroGrad(): void {
    this.grads.fill(0);
  }
}
