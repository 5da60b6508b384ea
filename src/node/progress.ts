/**
 * Progress for long runs: a cli-progress bar (done/total, ETA, the latest metric) on a terminal, plain
 * occasional lines when stderr is not a TTY (CI, pipes, files), and nothing at all when `quiet`.
 * Progress always goes to stderr so stdout stays clean for `--json`.
 *
 * cli-progress is loaded only when a bar is drawn (a terminal, not quiet): loading it costs a short command's
 * start-up tens of milliseconds, and `--json`, `--quiet` and piped runs never draw one.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface Progress {
  /**
   * Advance to `done` (absolute; may be fractional: the runner adds the finished part of runs in flight),
   * optionally showing the latest metric text.
   */
  update(done: number, metric?: string): void;
  stop(): void;
}

export function createProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total <= 0) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const cliProgress = require("cli-progress") as typeof import("cli-progress");
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted} | {metric}`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
        formatValue: (value, _options, type) => (type === "value" ? countText(value) : String(value)),
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { metric: "" });
    return {
      update: (done, metric) => bar.update(done, { metric: metric ?? "" }),
      stop: () => bar.stop(),
    };
  }
  // Plain mode: a line at most every ~10 % (and at the end), so logs stay readable.
  const started = Date.now();
  let lastShown = -1;
  return {
    update(done, metric) {
      const tenth = Math.floor((10 * done) / total);
      if (tenth === lastShown && done !== total) return;
      lastShown = tenth;
      const elapsed = (Date.now() - started) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : Number.NaN;
      const etaText = Number.isFinite(eta) ? `${eta.toFixed(0)}s` : "?";
      process.stderr.write(
        `${label}: ${countText(done)}/${total} ETA ${etaText}${metric ? ` | ${metric}` : ""}\n`,
      );
    },
    stop() {},
  };
}

/** A count as shown: whole numbers as they are, a fractional count (runs plus part of one) to one decimal. */
export function countText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
