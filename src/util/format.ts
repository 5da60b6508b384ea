/**
 * Numbers for people (tables, summaries, figure labels): fixed decimals, and never "−0.00". `toFixed` keeps the
 * sign of a negative number that rounds to zero (`(-0.001).toFixed(2) === "-0.00"`), which reads as a real
 * negative value; such a result is printed unsigned. Machine-readable output never goes through here (see
 * src/cli/jsonOutput.ts: full float64).
 */

/** `x.toFixed(digits)`, with a negative zero result ("-0", "-0.00") written without its sign. */
export function fixed(x: number, digits = 0): string {
  const text = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
