/**
 * The summaries the seed post's miscalculation and sandbagging studies (§7.3, §8.3) read from a training trace, for
 * exact learners (`exact-schedule`) and sampled ones (`sampled-train` with `switchAt`/`after` or a reference) alike:
 * one definition, so "lured", "pays" and "mutual defection" mean the same number in both.
 *
 * A trace holds, per update t = 0..n (n = the last recorded update), both agents' per-step rewards (1 − γ)·V_i of
 * the policies at t, the discounted share of play in mutual defection (1 − γ)·p0ᵀ(I − γP)⁻¹e_DD, and both agents'
 * P(C) per state.
 *
 *   welfare.mean       mean over t of r₁ + r₂;   mean.reward.i = mean over t of r_i
 *   dd.mean, dd.final  the mutual-defection share, averaged over training and at the end
 *   lure.gap           mean of r₂ − r₁ over the updates before agent 1's switch (0 without one)
 *   collapse.1         updates after agent 1's switch until its P(C | CC) first falls below 0.5 (remaining + 1 if
 *                      never; 0 without a switch)
 *   ref.*              with a reference trace (the correctly specified pair from the same start): its training
 *                      means `ref.reward.1/2`, `ref.welfare`; `ref.welfareLoss` = ref − this; `ref.cost.i` = agent
 *                      i's reward lost against it (positive: it pays)
 */
import type { ChainWorkspace } from "../../exact/values.js";

export interface Trace {
  r1: number[];
  r2: number[];
  dd: number[];
  /** Per update, both agents' P(C) per own-view state: `[(n + 1), 10]`. */
  pc: Float64Array;
  diverged: boolean;
}

export const avg = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The discounted share of play in mutual defection of the pair `pC` (`[2, 5]`), NaN if the chain is singular. */
export function mutualDefection(ws: ChainWorkspace, pC: ArrayLike<number>, gamma: number): number {
  return ws.solve(pC, 0, gamma) ? (1 - gamma) * ws.value([0, 0, 0, 1]) : Number.NaN;
}

/**
 * The summaries above for `main`, agent 1 switching at `switchAt` (undefined: no switch); `ref` adds the paired
 * comparison.
 */
export function scheduleSummary(
  main: Trace,
  switchAt: number | undefined,
  ref?: Trace,
): Record<string, number> {
  const done = main.r1.length - 1;
  const final: Record<string, number> = {
    "welfare.mean": avg(main.r1) + avg(main.r2),
    "mean.reward.1": avg(main.r1),
    "mean.reward.2": avg(main.r2),
    "dd.mean": avg(main.dd),
    "dd.final": main.dd[done],
  };
  const k1 = switchAt === undefined ? 0 : Math.min(switchAt, done);
  let lure = 0;
  for (let t = 0; t < k1; t++) lure += main.r2[t] - main.r1[t];
  final["lure.gap"] = k1 > 0 ? lure / k1 : 0;
  if (switchAt !== undefined) {
    let collapse = done - k1 + 1;
    for (let t = k1; t <= done; t++) {
      if (main.pc[10 * t + 1] < 0.5) {
        collapse = t - k1;
        break;
      }
    }
    final["collapse.1"] = collapse;
  } else final["collapse.1"] = 0;
  if (ref) {
    const r1 = avg(ref.r1);
    const r2 = avg(ref.r2);
    final["ref.reward.1"] = r1;
    final["ref.reward.2"] = r2;
    final["ref.welfare"] = r1 + r2;
    final["ref.welfareLoss"] = r1 + r2 - final["welfare.mean"];
    final["ref.cost.1"] = r1 - final["mean.reward.1"];
    final["ref.cost.2"] = r2 - final["mean.reward.2"];
  }
  return final;
}

/** The per-update curves of a trace, every `every` updates and the last: rewards, P(DD), mean P(C), P(C | CC). */
export function scheduleSeries(
  main: Trace,
  every: number,
): { steps: number[]; values: Record<string, number[]> } {
  const done = main.r1.length - 1;
  const steps: number[] = [];
  const values: Record<string, number[]> = {
    "reward.1": [],
    "reward.2": [],
    dd: [],
    "pC.1": [],
    "pC.2": [],
    "pC.1.CC": [],
    "pC.2.CC": [],
  };
  for (let t = 0; t <= done; t++) {
    if (t % every !== 0 && t !== done) continue;
    steps.push(t);
    values["reward.1"].push(main.r1[t]);
    values["reward.2"].push(main.r2[t]);
    values.dd.push(main.dd[t]);
    for (let i = 0; i < 2; i++) {
      let m = 0;
      for (let s = 0; s < 5; s++) m += main.pc[10 * t + 5 * i + s] / 5;
      values[`pC.${i + 1}`].push(m);
      values[`pC.${i + 1}.CC`].push(main.pc[10 * t + 5 * i + 1]);
    }
  }
  return { steps, values };
}
