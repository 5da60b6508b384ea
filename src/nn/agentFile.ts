/**
 * Agent files: one JSON document holding a network's weights, its architecture, the config it was trained with
 * and the code version that wrote it, readable in Node and in the browser alike (no Buffer, no fs). docs/nn.md
 * documents the format:
 *
 *   { "format": "shapelab-agent", "formatVersion": 1, "codeVersion": "0.1.0+…",
 *     "architecture": { "kind": "gru", "inputs": 36, "dense": 64, "hidden": 64, "outputs": 4 },
 *     "config": { … any JSON … },
 *     "parameters": { "count": 21508, "dtype": "float32-le", "fnv1a32": "9c0e…", "base64": "…" } }
 *
 * The body is the flat parameter vector (params.ts order = PyTorch's `parameters()` order) as little-endian
 * float32, base64-encoded (RFC 4648 §4), with the FNV-1a 32-bit hash of those bytes (Fowler–Noll–Vo), so a
 * truncated or edited body is caught before any weight is used. Loading checks, in order: JSON, format and
 * version, architecture, count against the architecture, base64, length, hash, finite values; each failure is
 * an InputError naming the field.
 */
import { InputError } from "../util/errors.js";
import {
  type Architecture,
  describeArchitecture,
  sameArchitecture,
  validateArchitecture,
} from "./architecture.js";
import { MLP } from "./mlp.js";
import { RecurrentNet } from "./recurrent.js";

export const AGENT_FORMAT = "shapelab-agent";
export const AGENT_FORMAT_VERSION = 1;

export type Network = MLP | RecurrentNet;

export interface Agent {
  architecture: Architecture;
  /** The training config, as plain JSON (the learner that reads it validates it). */
  config: unknown;
  codeVersion: string;
  parameters: Float32Array;
}

export function createNetwork(architecture: Architecture): Network {
  const a = validateArchitecture(architecture);
  return a.kind === "mlp" ? new MLP(a) : new RecurrentNet(a);
}

export function parameterCount(architecture: Architecture): number {
  const a = validateArchitecture(architecture);
  return a.kind === "mlp" ? MLP.parameterCount(a.sizes) : RecurrentNet.parameterCount(a);
}

// --- base64 (RFC 4648 §4, with padding) -----------------------------------------------------------------------
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
    chunk += i + 1 < bytes.length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : "=";
    chunk += i + 2 < bytes.length ? ALPHABET[b2 & 63] : "=";
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

/** Decode base64; undefined if the text is not canonical padded base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const v = [0, 1, 2, 3].map((k) => {
      const ch = text.charCodeAt(i + k);
      if (last && k >= 4 - pad && ch === 61) return 0; // "="
      return ch < 128 ? DECODE[ch] : -1;
    });
    if (v.some((x) => x < 0)) return undefined;
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** FNV-1a, 32 bits, as 8 hex digits. */
export function fnv1a32(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function float32ToBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return bytes;
}

function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

// --- encode / decode ------------------------------------------------------------------------------------------

export function encodeAgent(agent: Agent): string {
  const architecture = validateArchitecture(agent.architecture);
  const count = parameterCount(architecture);
  if (agent.parameters.length !== count) {
    throw new InputError(
      "parameters",
      `${agent.parameters.length} values for ${describeArchitecture(architecture)}, which has ${count}`,
    );
  }
  const bytes = float32ToBytes(agent.parameters);
  return `${JSON.stringify(
    {
      format: AGENT_FORMAT,
      formatVersion: AGENT_FORMAT_VERSION,
      codeVersion: agent.codeVersion,
      architecture,
      config: agent.config ?? null,
      parameters: { count, dtype: "float32-le", fnv1a32: fnv1a32(bytes), base64: encodeBase64(bytes) },
    },
    null,
    1,
  )}\n`;
}

/**
 * Read an agent file. With `expected`, the file's architecture must equal it (e.g. the arena seats a coin actor).
 * Every problem is an InputError whose field starts with `source` (a file name, or "agent").
 */
export function decodeAgent(text: string, expected?: Architecture, source = "agent"): Agent {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError(source, `not a JSON agent file (${(error as Error).message})`);
  }
  if (typeof doc !== "object" || doc === null) throw new InputError(source, "not a JSON object");
  if (doc.format !== AGENT_FORMAT) {
    throw new InputError(`${source}.format`, `must be "${AGENT_FORMAT}", got ${JSON.stringify(doc.format)}`);
  }
  if (doc.formatVersion !== AGENT_FORMAT_VERSION) {
    throw new InputError(
      `${source}.formatVersion`,
      `unsupported version ${JSON.stringify(doc.formatVersion)}; this code reads ${AGENT_FORMAT_VERSION}`,
    );
  }
  const architecture = validateArchitecture(doc.architecture, `${source}.architecture`);
  if (expected && !sameArchitecture(architecture, expected)) {
    throw new InputError(
      `${source}.architecture`,
      `the file holds ${describeArchitecture(architecture)}, but ${describeArchitecture(expected)} is needed`,
    );
  }
  const field = `${source}.parameters`;
  const body = doc.parameters as Record<string, unknown> | undefined;
  if (typeof body !== "object" || body === null) throw new InputError(field, "missing");
  const count = parameterCount(architecture);
  if (body.count !== count) {
    throw new InputError(
      `${field}.count`,
      `${JSON.stringify(body.count)} does not match ${describeArchitecture(architecture)}, which has ${count}`,
    );
  }
  if (body.dtype !== "float32-le") {
    throw new InputError(`${field}.dtype`, `must be "float32-le", got ${JSON.stringify(body.dtype)}`);
  }
  const bytes = typeof body.base64 === "string" ? decodeBase64(body.base64) : undefined;
  if (!bytes) throw new InputError(`${field}.base64`, "corrupt body: not valid base64");
  if (bytes.length !== 4 * count) {
    throw new InputError(`${field}.base64`, `corrupt body: ${bytes.length} bytes, expected ${4 * count}`);
  }
  const hash = fnv1a32(bytes);
  if (body.fnv1a32 !== hash) {
    throw new InputError(
      `${field}.fnv1a32`,
      `corrupt body: its hash is ${hash}, the file says ${JSON.stringify(body.fnv1a32)}`,
    );
  }
  const parameters = bytesToFloat32(bytes);
  for (let i = 0; i < parameters.length; i++) {
    if (!Number.isFinite(parameters[i])) {
      throw new InputError(`${field}.base64`, `parameter ${i} is ${parameters[i]} (weights must be finite)`);
    }
  }
  return {
    architecture,
    config: doc.config ?? null,
    codeVersion: typeof doc.codeVersion === "string" ? doc.codeVersion : "unknown",
    parameters,
  };
}

export function saveNetwork(network: Network, config: unknown, codeVersion: string): string {
  return encodeAgent({
    architecture: network.architecture,
    config,
    codeVersion,
    parameters: network.params.values,
  });
}

/** A network built from an agent file, with the file's config and code version. */
export function loadNetwork(
  text: string,
  expected?: Architecture,
  source = "agent",
): { network: Network; config: unknown; codeVersion: string } {
  const agent = decodeAgent(text, expected, source);
  const network = createNetwork(agent.architecture);
  network.params.values.set(agent.parameters);
  return { network, config: agent.config, codeVersion: agent.codeVersion };
}
