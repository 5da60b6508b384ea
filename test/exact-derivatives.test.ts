import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  hessianVectorProducts,
  MemoryOneEvaluator,
  valueHessians,
  valuesAndGradients,
} from "../src/exact/derivatives.js";
import { discountedValues, probabilities } from "../src/exact/values.js";
import { bimatrixGame, type MatrixGame } from "../src/games/game.js";
import { gamePreset } from "../src/games/presets.js";
import { Rng } from "../src/util/rng.js";

const BATCH = 6;
const H = 1e-5;

function randomGame(rng: Rng): MatrixGame {
  const m = () => [
    [rng.normal(0, 2), rng.normal(0, 2)],
    [rng.normal(0, 2), rng.normal(0, 2)],
  ];
  return bimatrixGame("random", m(), m());
}

function values(game: MatrixGame, theta: Float64Array, gamma: number): Float64Array {
  return discountedValues(game, probabilities(theta), gamma);
}

/** |a − b| ≤ tol·max(1, |b|) */
function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

const cases: [string, (rng: Rng) => MatrixGame, number][] = [
  ["ipd-lola γ=0.96", () => gamePreset("ipd-lola"), 0.96],
  ["ipd γ=0.9", () => gamePreset("ipd"), 0.9],
  ["imp γ=0.9", () => gamePreset("imp"), 0.9],
  ["random bimatrix γ=0.8", randomGame, 0.8],
];

describe("exact derivatives vs central finite differences", () => {
  for (const [label, makeGame, gamma] of cases) {
    it(`gradients, Hessians and Hessian-vector products: ${label}`, () => {
      const rng = Rng.seeded(7);
      const game = makeGame(rng);
      const theta = rng.fillNormal(new Float64Array(10 * BATCH), 0, 1.5);
      const { values: v, gradients } = valuesAndGradients(game, theta, gamma);
      const direct = values(game, theta, gamma);
      for (let i = 0; i < v.length; i++) close(v[i], direct[i], 1e-12, "value");
      const hess = valueHessians(game, theta, gamma);
      for (let a = 0; a < 10; a++) {
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        for (let b = 0; b < BATCH; b++) {
          plus[10 * b + a] += H;
          minus[10 * b + a] -= H;
        }
        const vp = values(game, plus, gamma);
        const vm = values(game, minus, gamma);
        const gp = valuesAndGradients(game, plus, gamma).gradients;
        const gm = valuesAndGradients(game, minus, gamma).gradients;
        for (let b = 0; b < BATCH; b++) {
          for (let k = 0; k < 2; k++) {
            close(
              gradients[20 * b + 10 * k + a],
              (vp[2 * b + k] - vm[2 * b + k]) / (2 * H),
              1e-6,
              `∂V${k + 1}/∂θ${a}`,
            );
            for (let c = 0; c < 10; c++) {
              const fd = (gp[20 * b + 10 * k + c] - gm[20 * b + 10 * k + c]) / (2 * H);
              close(hess[200 * b + 100 * k + 10 * c + a], fd, 1e-6, `∂²V${k + 1}/∂θ${c}∂θ${a}`);
            }
          }
        }
      }
      // Symmetry and Hessian-vector products against the full Hessians.
      const dirs = rng.fillNormal(new Float64Array(10 * BATCH));
      for (const k of [0, 1] as const) {
        const hv = hessianVectorProducts(game, theta, gamma, k, dirs);
        for (let b = 0; b < BATCH; b++) {
          for (let a = 0; a < 10; a++) {
            let s = 0;
            for (let c = 0; c < 10; c++) {
              const h = hess[200 * b + 100 * k + 10 * a + c];
              close(h, hess[200 * b + 100 * k + 10 * c + a], 1e-10, "symmetry");
              s += h * dirs[10 * b + c];
            }
            close(hv[10 * b + a], s, 1e-10, "Hv");
          }
        }
      }
    });
  }

  it("cross-block products (∇_i∇_j V_k)·u equal the cross blocks of the full Hessian", () => {
    const rng = Rng.seeded(5);
    for (const [, makeGame, gamma] of cases) {
      const game = makeGame(rng);
      const theta = rng.fillNormal(new Float64Array(10), 0, 2);
      const hess = valueHessians(game, theta, gamma);
      const ev = new MemoryOneEvaluator(game, gamma);
      assert.ok(ev.evaluate(theta, 0));
      const u = rng.fillNormal(new Float64Array(5));
      const out = new Float64Array(5);
      for (const k of [0, 1] as const) {
        for (const i of [0, 1] as const) {
          ev.crossHessianVectorProduct(k, i, u, out);
          const j = 1 - i;
          for (let a = 0; a < 5; a++) {
            let s = 0;
            for (let c = 0; c < 5; c++) s += hess[100 * k + 10 * (5 * i + a) + 5 * j + c] * u[c];
            close(out[a], s, 1e-10, `(∇${i + 1}∇${j + 1}V${k + 1})·u`);
          }
        }
      }
    }
  });

  it("a singular or non-finite point gives NaN, never a silent number", () => {
    const game = gamePreset("ipd");
    const theta = new Float64Array(10);
    theta[3] = Number.NaN;
    const { values: v } = valuesAndGradients(game, theta, 0.9);
    assert.ok(Number.isNaN(v[0]) && Number.isNaN(v[1]));
  });
});
