/**
 * The elementary functions the neural engine uses, in one place so that every layer gets the same bits in Node
 * and in the browser.
 *
 * TEMPORARY SHIM: the coordinator is adding the project's own `exp`, `log`, `log1p`, `tanh`, `sigmoid` to
 * `src/util/math.ts` on main. Until that lands, `exp` is the project's table-driven `src/util/exp.ts` (plain
 * arithmetic, so identical in every engine), and tanh/sigmoid are built from it; `log` is `Math.log`. After
 * `git rebase main` this file re-exports `../util/math.js` and nothing else in `src/nn` changes.
 *
 *   sigmoid(x) = 1 / (1 + e^-x)         (x ≥ 0),   e^x / (1 + e^x) (x < 0): never overflows
 *   tanh(x)    = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|))
 */
import { exp } from "../util/exp.js";

export { exp };

export function log(x: number): number {
  return Math.log(x);
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

export function tanh(x: number): number {
  const a = x < 0 ? -x : x;
  if (a > 20) return x < 0 ? -1 : 1;
  const e = exp(-2 * a);
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}
