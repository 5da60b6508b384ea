/**
 * Read a user's bandit choice data from disk (the published columns id, action, reward; the parser is
 * src/envs/bandit/choiceData.ts). A file that cannot be read, or is larger than MAX_BYTES, is an InputError
 * naming it (the CLI prints it and exits 2).
 */
import { readFileSync, statSync } from "node:fs";
import { type ChoiceData, parseChoiceCsv } from "../envs/bandit/choiceData.js";
import { InputError } from "../util/errors.js";

export const MAX_CHOICE_CSV_BYTES = 256 * 1024 * 1024;

export function readChoiceCsvFile(path: string): ChoiceData {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_CHOICE_CSV_BYTES) {
      throw new InputError(path, `is ${size} bytes; at most ${MAX_CHOICE_CSV_BYTES} are read`);
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      path,
      `cannot read the choice file (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseChoiceCsv(text, path);
}
