import type { UnitProgress } from "./types.js";

/**
 * Progress of a unit that does `parts` equal pieces of work one after another (commons-harvest trains each
 * learner in turn; asymmetry-coin trains the pair and its symmetric twin): `part(i)` is the callback for piece i,
 * reporting its own (done, total) as the unit's fraction done. Without a callback, every part is undefined.
 */
export function partsProgress(
  progress: UnitProgress | undefined,
  parts: number,
): (index: number) => UnitProgress | undefined {
  if (progress === undefined) return () => undefined;
  return (index) => (done, total) => progress(index * total + done, parts * total);
}
