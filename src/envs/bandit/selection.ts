/**
 * Model selection for the trained adversaries, as Dezfouli, Nock & Dayan (2020) chose theirs: train several
 * adversaries (hyperparameter configurations × checkpoints along training), evaluate each on validation sessions
 * against the surrogate, keep the one with the best validation bias, and report its bias on other, test sessions
 * (the experiment's `selection`; the kind draws validation and test sessions from separate seeded streams, so the
 * reported number is not the maximum of noisy estimates it was chosen by).
 *
 * Every candidate plays the same validation sessions (one seed, re-derived per candidate: common random numbers),
 * so their differences are not draw noise; ties go to the earlier candidate.
 */
import type { Rng } from "../../util/rng.js";
import { type BanditAdversary, playBanditSessions } from "./adversaries.js";
import type { BanditSurrogate } from "./surrogate.js";

export interface SelectionCandidate {
  /** Which configuration (0-based) and which of its checkpoints (0-based), and the training step it was taken at. */
  readonly config: number;
  readonly checkpoint: number;
  readonly step: number;
  readonly adversary: BanditAdversary;
}

export interface Selection {
  readonly best: SelectionCandidate;
  /** Mean validation bias of every candidate, in the candidates' order. */
  readonly validation: number[];
}

export function selectByValidation(
  candidates: readonly SelectionCandidate[],
  surrogate: (games: number) => BanditSurrogate,
  sessions: number,
  /** A fresh copy of the validation stream per call (e.g. `() => Rng.derive(seed, STREAM.validation)`). */
  validationStream: () => Rng,
): Selection {
  if (candidates.length === 0) throw new RangeError("selection needs at least one candidate");
  const validation = candidates.map(({ adversary }) => {
    const b = playBanditSessions(adversary, surrogate(sessions), validationStream());
    let mean = 0;
    for (const x of b) mean += x / b.length;
    return mean;
  });
  let best = 0;
  for (let i = 1; i < candidates.length; i++) if (validation[i] > validation[best]) best = i;
  return { best: candidates[best], validation };
}
