/**
 * Every learner's entry (./entry.ts), in one list, with lookups by name. The `train` command's flags and help, the
 * experiment kinds' agent schemas, the arena's `name(key=value)` parser and `shapelab learners` all read this list,
 * so a learner added here is available everywhere (test/learners-registry.test.ts). The `exact` command reads the
 * exact family's list (./exact/index.ts's EXACT_LEARNER_ENTRIES, the same entries): the exact learners are a closed
 * set (ExactLearnerName), and not importing this module keeps the neural learners out of its start-up.
 *
 * To add a learner: write its file with its equation, its schema and its entry, then add the entry below in its
 * family's list (docs/learners.md has a worked example).
 */
import { InputError } from "../util/errors.js";
import { closestAmong } from "../util/closest.js";
import type { LearnerFamily } from "./entry.js";
import { EXACT_LEARNER_ENTRIES } from "./exact/index.js";
import type { AnyLearnerEntry } from "./hyperparameters.js";
import { NEURAL_LEARNERS } from "./neural/index.js";
import { a2cEntry } from "./sampled/a2c.js";
import { aaEntry } from "./sampled/aa.js";
import { lolaDiceEntry } from "./sampled/lolaDice.js";
import { nPlayerAaEntry } from "./sampled/nPlayer/entry.js";
import { pgEntry } from "./sampled/pg.js";

export type { AnyLearnerEntry };

/** The tabular learners that learn from sampled play (src/learners/sampled), in --help order. */
export const SAMPLED_LEARNER_ENTRIES: readonly AnyLearnerEntry[] = [
  pgEntry,
  a2cEntry,
  aaEntry,
  lolaDiceEntry,
];

/** The neural learners of the Coin Game (src/learners/neural/index.ts: ppo, ppo-sum, aa, paa, lola-dice). */
export const NEURAL_LEARNER_ENTRIES: readonly AnyLearnerEntry[] =
  NEURAL_LEARNERS as readonly AnyLearnerEntry[];

/** The learners of N-player games (src/learners/sampled/nPlayer/entry.ts). */
export const N_PLAYER_LEARNER_ENTRIES: readonly AnyLearnerEntry[] = [nPlayerAaEntry];

/** Every learner, family by family. */
export function allLearnerEntries(): readonly AnyLearnerEntry[] {
  return [
    ...EXACT_LEARNER_ENTRIES,
    ...SAMPLED_LEARNER_ENTRIES,
    ...NEURAL_LEARNER_ENTRIES,
    ...N_PLAYER_LEARNER_ENTRIES,
    ...extraEntries,
  ];
}

/** The entries of one family, in --help order. */
export function learnerEntries(family: LearnerFamily): readonly AnyLearnerEntry[] {
  return allLearnerEntries().filter((e) => e.family === family);
}

/** The entry of `name` in `family`, or undefined. */
export function findLearnerEntry(family: LearnerFamily, name: string): AnyLearnerEntry | undefined {
  return learnerEntries(family).find((e) => e.name === name);
}

/** The entry of `name` in `family`; an unknown name is an InputError on `field` with the closest names. */
export function learnerEntry(family: LearnerFamily, name: string, field: string): AnyLearnerEntry {
  const entry = findLearnerEntry(family, name);
  if (entry) return entry;
  const names = learnerEntries(family).map((e) => e.name);
  throw new InputError(
    field,
    `unknown ${family} learner "${name}"; did you mean "${closestAmong(name, names, 1)[0]}"? allowed: ${names.join(", ")}`,
  );
}

const extraEntries: AnyLearnerEntry[] = [];

/**
 * Add an entry for the life of this process (tests: a fake learner must appear in every derived place). The
 * returned function removes it again.
 */
export function registerLearnerEntry(entry: AnyLearnerEntry): () => void {
  if (allLearnerEntries().some((e) => e.family === entry.family && e.name === entry.name))
    throw new Error(`learner ${entry.family}/${entry.name} is already registered`);
  extraEntries.push(entry);
  return () => {
    const i = extraEntries.indexOf(entry);
    if (i >= 0) extraEntries.splice(i, 1);
  };
}
