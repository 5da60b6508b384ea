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
 *   tanh(x)    = sign(x) · (1 − e^(−2|x|)) / (1 + e^(−2|x|))   (exp's own range guard handles huge |x|)
 */
import { exp } from "../util/exp.js";

export { exp };

export function log(x: number): number {
  return Math.log(x);
}

// One call of exp each, so V8 can inline these into the layers' loops (a call that is not inlined boxes its
// double result on the heap: the allocation-free test catches that).
export function sigmoid(x: number): number {
  const e = exp(x < 0 ? x : -x); // e^(−|x|) ≤ 1
  return x < 0 ? e / (1 + e) : 1 / (1 + e);
}

export function tanh(x: number): number {
  const e = exp(x < 0 ? 2 * x : -2 * x); // e^(−2|x|) ≤ 1
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}
