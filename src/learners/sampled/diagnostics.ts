/**
 * A learner's diagnostics, averaged by the trainer without knowing what they mean (issue 13 §1): each update a
 * learner reports named `[seeds]` arrays (`aa.quadrant.++`, …; `SampledLearner.diagnostics`), and the trainer
 * keeps, per name, the mean over the seeds measured at that update and, per seed, the mean over the updates it was
 * measured at. A seed with every entry 0 had nothing to measure (e.g. no alignment term under deterministic play);
 * a non-finite entry marks the seed as diverged.
 */

/** One seat's named diagnostics, averaged by the trainer without knowing what they mean. */
export interface SeatDiagnostics {
  agent: 0 | 1;
  /** The learner's diagnostic names, in the order of each row. */
  names: string[];
  /**
   * Mean over seeds at each update, `[updates][names]`. A seed whose diagnostics were all 0 at that update (it
   * had nothing to measure, e.g. deterministic play) is left out; all zeros when no seed was.
   */
  perUpdate: number[][];
  /** Per seed, the mean over the updates it was measured at, `[seeds][names]`. */
  perSeed: number[][];
}

/**
 * The running averages of one seat's diagnostics. A seed is measured at an update when any of its entries is
 * non-zero; a non-finite entry freezes the seed (`onNotFinite`), and a frozen seed is not measured again.
 */
export class DiagnosticAverages {
  readonly names: string[];
  private readonly perUpdate: number[][] = [];
  private readonly sums: number[][];
  private readonly measured: Float64Array;

  constructor(
    readonly agent: 0 | 1,
    first: Readonly<Record<string, Float64Array>>,
    private readonly seeds: number,
  ) {
    this.names = Object.keys(first);
    this.sums = Array.from({ length: seeds }, () => new Array<number>(this.names.length).fill(0));
    this.measured = new Float64Array(seeds);
  }

  record(
    values: Readonly<Record<string, Float64Array>>,
    divergedAt: Int32Array,
    onNotFinite: (seed: number) => void,
  ): void {
    const columns = this.names.map((n) => values[n]);
    const mean = new Array<number>(columns.length).fill(0);
    let active = 0;
    for (let k = 0; k < this.seeds; k++) {
      let total = 0;
      for (const column of columns) total += Math.abs(column[k]);
      if (!Number.isFinite(total)) {
        onNotFinite(k);
        continue;
      }
      if (divergedAt[k] >= 0 || total === 0) continue;
      active++;
      this.measured[k]++;
      columns.forEach((column, c) => {
        mean[c] += column[k];
        this.sums[k][c] += column[k];
      });
    }
    this.perUpdate.push(mean.map((x) => (active > 0 ? x / active : 0)));
  }

  finish(): SeatDiagnostics {
    return {
      agent: this.agent,
      names: this.names,
      perUpdate: this.perUpdate,
      perSeed: this.sums.map((row, k) => row.map((x) => (this.measured[k] > 0 ? x / this.measured[k] : 0))),
    };
  }
}
