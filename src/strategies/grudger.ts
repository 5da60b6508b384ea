/**
 * Grudger: cooperates until the opponent's first defection, then defects forever.
 * Axelrod: axelrod/strategies/grudger.py (Grudger). Names: Grudger [Li2011], Grim [Berg2015],
 * Grim Trigger [Banks1990], Spite [Beaufils1997], Vengeful [Ashlock2009].
 */
import { C, D, type Strategy, statelessPlayer } from "./types.js";

export const grudger: Strategy = {
  name: "Grudger",
  classifier: { memoryDepth: Number.POSITIVE_INFINITY, stochastic: false },
  source: "Axelrod Grudger; Grim Trigger [Banks1990]",
  create: () => statelessPlayer((v) => (v.oppDefections > 0 ? D : C)),
};
