/**
 * The two network shapes the engine composes, as plain data (so an agent file can hold them and a loader can
 * check them):
 *
 *   mlp:  Linear(sizes[0] → sizes[1]) → act → … → Linear(→ sizes[last])          (no activation after the last)
 *   gru:  Linear(inputs → dense) → ReLU → GRUCell(dense → hidden) → Linear(hidden → outputs)
 *
 * The coin-game networks of POLA / LOQA / Advantage Alignment are `gru` with dense = hidden = 64: the actor has
 * 4 outputs (logits over the moves), a critic 1 output (a value head) and the time step as one extra input.
 */
import { InputError } from "../util/errors.js";
import type { ActivationName } from "./activations.js";

export interface MLPArchitecture {
  kind: "mlp";
  sizes: number[];
  activation: ActivationName;
}

export interface GRUArchitecture {
  kind: "gru";
  inputs: number;
  dense: number;
  hidden: number;
  outputs: number;
}

export type Architecture = MLPArchitecture | GRUArchitecture;

/** Dense 64 → GRU 64 → 4 logits over a 36-float observation (3×3 coin game). */
export function coinActorArchitecture(observation = 36, width = 64, actions = 4): GRUArchitecture {
  return { kind: "gru", inputs: observation, dense: width, hidden: width, outputs: actions };
}

/** The same shape with the time step as an extra input and one output (a value). */
export function coinCriticArchitecture(observation = 36, width = 64): GRUArchitecture {
  return { kind: "gru", inputs: observation + 1, dense: width, hidden: width, outputs: 1 };
}

const MAX_WIDTH = 1 << 16;

function width(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_WIDTH) {
    throw new InputError(field, `must be an integer in [1, ${MAX_WIDTH}], got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Check an architecture read from outside (a file, a config); returns a clean copy or throws an InputError. */
export function validateArchitecture(value: unknown, field = "architecture"): Architecture {
  if (typeof value !== "object" || value === null) throw new InputError(field, "must be an object");
  const a = value as Record<string, unknown>;
  if (a.kind === "mlp") {
    if (!Array.isArray(a.sizes) || a.sizes.length < 2) {
      throw new InputError(`${field}.sizes`, "must be a list of at least 2 layer widths");
    }
    const sizes = a.sizes.map((s, i) => width(`${field}.sizes[${i}]`, s));
    if (a.activation !== "relu" && a.activation !== "tanh") {
      throw new InputError(
        `${field}.activation`,
        `unknown value ${JSON.stringify(a.activation)}; allowed: relu, tanh`,
      );
    }
    return { kind: "mlp", sizes, activation: a.activation };
  }
  if (a.kind === "gru") {
    return {
      kind: "gru",
      inputs: width(`${field}.inputs`, a.inputs),
      dense: width(`${field}.dense`, a.dense),
      hidden: width(`${field}.hidden`, a.hidden),
      outputs: width(`${field}.outputs`, a.outputs),
    };
  }
  throw new InputError(`${field}.kind`, `unknown value ${JSON.stringify(a.kind)}; allowed: mlp, gru`);
}

export function sameArchitecture(a: Architecture, b: Architecture): boolean {
  return JSON.stringify(validateArchitecture(a)) === JSON.stringify(validateArchitecture(b));
}

export function describeArchitecture(a: Architecture): string {
  return a.kind === "mlp"
    ? `mlp ${a.sizes.join("→")} (${a.activation})`
    : `gru ${a.inputs}→dense ${a.dense}→GRU ${a.hidden}→${a.outputs}`;
}
