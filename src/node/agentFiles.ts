/**
 * Agent files on disk (Node only): the file format is src/nn/agentFile.ts's (documented in docs/nn.md); this
 * adds the path, the code version that writes the file, and a clear error for a file that cannot be read.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import type { Architecture } from "../nn/architecture.js";
import { loadNetwork, type Network, saveNetwork } from "../nn/agentFile.js";
import { LIMITS } from "../util/limits.js";
import { InputError } from "../util/errors.js";
import { codeVersion } from "./version.js";

/** Write `network` with its training config to `path`, stamped with this code's version. */
export function writeAgentFile(path: string, network: Network, config: unknown): void {
  writeFileSync(path, saveNetwork(network, config, codeVersion()));
}

/** Read an agent file; errors name the file (`actor.json.architecture: …`). */
export function readAgentFile(
  path: string,
  expected?: Architecture,
): { network: Network; config: unknown; codeVersion: string } {
  let text: string;
  try {
    // Size-capped before reading (issue 11 §2): a device or a huge file is an input error, not out-of-memory.
    const st = statSync(path);
    if (!st.isFile() || st.size > LIMITS.agentFileBytes)
      throw new InputError(
        path,
        `not a regular file of at most ${LIMITS.agentFileBytes} bytes (${st.isFile() ? `${st.size} bytes` : "a device or folder"})`,
      );
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      path,
      `cannot read the agent file (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return loadNetwork(text, expected, path);
}
