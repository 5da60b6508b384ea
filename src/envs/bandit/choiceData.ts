/**
 * Choice data of the bandit task: one sequence of (action, reward) per subject, as in the released data of
 * Dezfouli, Nock & Dayan (2020; `data/nc/merged_*.csv`, columns id, action, reward, …): the action is the option
 * chosen (0 or 1; −1 = a missed trial, which the GRU's likelihood skips, as the released `rnn_learner.py` gives
 * a padded action probability 1), the reward is what that choice earned. Subjects may have different lengths;
 * shorter ones are padded with −1 to the longest.
 *
 * Two sources: `simulateChoiceData` plays a surrogate (ours: the Q-learner, seeded) against reward schedules and
 * records what it did (the paper's human data has no licence and is never shipped); `parseChoiceCsv` reads a
 * user's own file in the published columns (src/node/choiceCsvFile.ts reads it from disk).
 */
import { InputError } from "../../util/errors.js";
import type { Rng } from "../../util/rng.js";
import { type BanditAdversary, playBanditSessions } from "./adversaries.js";
import type { BanditSurrogate } from "./surrogate.js";
import { TRIALS } from "./task.js";

export interface ChoiceData {
  readonly subjects: number;
  readonly trials: number;
  /** [subjects, trials], subject-major: 0/1, or −1 for a missed or padded trial. */
  readonly actions: Int8Array;
  /** [subjects, trials]: the reward of the chosen option (0 where the action is −1). */
  readonly rewards: Float64Array;
  /** Subject ids, in order of first appearance (simulated data: "sim-<n>"). */
  readonly ids: string[];
}

/**
 * Play `subjects` sessions of a fresh surrogate against the schedules of `adversaries` (an equal share each,
 * in order) and record each subject's choices and observed rewards.
 */
export function simulateChoiceData(
  makeSurrogate: (games: number) => BanditSurrogate,
  adversaries: readonly BanditAdversary[],
  subjects: number,
  rng: Rng,
): ChoiceData {
  const actions = new Int8Array(subjects * TRIALS);
  const rewards = new Float64Array(subjects * TRIALS);
  let first = 0;
  adversaries.forEach((adversary, i) => {
    const count = Math.floor((subjects * (i + 1)) / adversaries.length) - first;
    if (count === 0) return;
    const offset = first;
    playBanditSessions(adversary, makeSurrogate(count), rng, (t, choices, given) => {
      for (let g = 0; g < count; g++) {
        const k = (offset + g) * TRIALS + t;
        actions[k] = choices[g];
        rewards[k] = given[2 * g + choices[g]];
      }
    });
    first += count;
  });
  const ids = Array.from({ length: subjects }, (_, s) => `sim-${s}`);
  return { subjects, trials: TRIALS, actions, rewards, ids };
}

/** The subjects `indices` of `data`, in that order (e.g. a train/test split across subjects). */
export function selectSubjects(data: ChoiceData, indices: readonly number[]): ChoiceData {
  const T = data.trials;
  const actions = new Int8Array(indices.length * T);
  const rewards = new Float64Array(indices.length * T);
  indices.forEach((s, i) => {
    actions.set(data.actions.subarray(s * T, (s + 1) * T), i * T);
    rewards.set(data.rewards.subarray(s * T, (s + 1) * T), i * T);
  });
  return { subjects: indices.length, trials: T, actions, rewards, ids: indices.map((s) => data.ids[s]) };
}

export const MAX_CSV_ROWS = 2_000_000;
const REQUIRED = ["id", "action", "reward"] as const;

/**
 * Parse a CSV of choices with a header naming at least the columns id, action and reward (any order, any case;
 * other columns, such as the released files' idx, block and schedule_type, are ignored). Rows of one subject
 * are taken in file order; subjects in order of first appearance. Every problem is an InputError naming the
 * file, line and column.
 */
export function parseChoiceCsv(text: string, source = "csv"): ChoiceData {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0)
    throw new InputError(source, "is empty; expected a header with columns id, action, reward");
  if (lines.length - 1 > MAX_CSV_ROWS) {
    throw new InputError(source, `has ${lines.length - 1} rows; at most ${MAX_CSV_ROWS} are read`);
  }
  const header = lines[0].split(",").map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  const column: Record<string, number> = {};
  for (const name of REQUIRED) {
    const at = header.indexOf(name);
    if (at < 0) {
      throw new InputError(
        `${source}:1`,
        `the header has no column "${name}" (found: ${header.join(", ")}); needed: ${REQUIRED.join(", ")}`,
      );
    }
    column[name] = at;
  }
  const bySubject = new Map<string, { actions: number[]; rewards: number[] }>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const cells = line.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    if (cells.length < header.length) {
      throw new InputError(
        `${source}:${i + 1}`,
        `has ${cells.length} fields, the header has ${header.length}`,
      );
    }
    const id = cells[column.id];
    if (id === "") throw new InputError(`${source}:${i + 1} id`, "is empty");
    const actionText = cells[column.action];
    const action = Number(actionText);
    if (actionText === "" || !(action === 0 || action === 1 || action === -1)) {
      throw new InputError(
        `${source}:${i + 1} action`,
        `must be 0 or 1 (the option chosen), or -1 for a missed trial; got "${actionText}"`,
      );
    }
    const rewardText = cells[column.reward];
    const reward = Number(rewardText);
    if (rewardText === "" || !Number.isFinite(reward)) {
      throw new InputError(`${source}:${i + 1} reward`, `must be a finite number; got "${rewardText}"`);
    }
    let subject = bySubject.get(id);
    if (!subject) {
      subject = { actions: [], rewards: [] };
      bySubject.set(id, subject);
    }
    subject.actions.push(action);
    subject.rewards.push(action === -1 ? 0 : reward);
  }
  if (bySubject.size === 0) throw new InputError(source, "has a header but no data rows");
  const ids = [...bySubject.keys()];
  const trials = Math.max(...[...bySubject.values()].map((s) => s.actions.length));
  const actions = new Int8Array(ids.length * trials).fill(-1);
  const rewards = new Float64Array(ids.length * trials);
  ids.forEach((id, s) => {
    const subject = bySubject.get(id) as { actions: number[]; rewards: number[] };
    actions.set(subject.actions, s * trials);
    rewards.set(subject.rewards, s * trials);
  });
  return { subjects: ids.length, trials, actions, rewards, ids };
}
