/**
 * LOLA's shaping term χ_i = (∇_i∇_j V_j)·∇_j V_i straight from the evaluators (`lolaTerm`), which the LOLA and SOS
 * learners use instead of copying ∇_j V_i into a cross-block product: checked against a central finite difference
 * of the closed-form gradient ∇_i V_j along (0, ∇_j V_i), and against `crossHessianVectorProduct`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryOneEvaluator, valuesAndGradients } from "../src/exact/derivatives.js";
import { bimatrixGame, type MatrixGame } from "../src/games/game.js";
import { gamePreset } from "../src/games/presets.js";
import { TandemEvaluator } from "../src/games/tandem.js";
import { Rng } from "../src/util/rng.js";

const H = 1e-5;

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

function randomGame(rng: Rng): MatrixGame {
  const m = () => [
    [rng.normal(0, 2), rng.normal(0, 2)],
    [rng.normal(0, 2), rng.normal(0, 2)],
  ];
  return bimatrixGame("random", m(), m());
}

describe("LOLA's term from the evaluator", () => {
  const rng = Rng.seeded(23);
  const cases: [string, MatrixGame, number][] = [
    ["ipd-lola γ=0.96", gamePreset("ipd-lola"), 0.96],
    ["ipd γ=0.9", gamePreset("ipd"), 0.9],
    ["imp γ=0.9", gamePreset("imp"), 0.9],
    ["random bimatrix γ=0.8", randomGame(rng), 0.8],
  ];
  for (const [label, game, gamma] of cases) {
    it(`memory-one, ${label}: χ_i = d/dh ∇_i V_j(θ_i, θ_j + h ∇_j V_i), = the cross-block product`, () => {
      for (let trial = 0; trial < 5; trial++) {
        const theta = rng.fillNormal(new Float64Array(10), 0, 1.5);
        const ev = new MemoryOneEvaluator(game, gamma);
        assert.ok(ev.evaluate(theta, 0));
        const { gradients } = valuesAndGradients(game, theta, gamma);
        const chi = new Float64Array(5);
        const viaCross = new Float64Array(5);
        const block = new Float64Array(5);
        for (const i of [0, 1] as const) {
          const j = (1 - i) as 0 | 1;
          const g = gradients.slice(10 * i + 5 * j, 10 * i + 5 * j + 5); // ∇_j V_i
          ev.lolaTerm(i, chi);
          ev.crossHessianVectorProduct(j, i, g, viaCross);
          ev.gradientBlock(j, i, block);
          const plus = Float64Array.from(theta);
          const minus = Float64Array.from(theta);
          for (let c = 0; c < 5; c++) {
            plus[5 * j + c] += H * g[c];
            minus[5 * j + c] -= H * g[c];
          }
          const gp = valuesAndGradients(game, plus, gamma).gradients;
          const gm = valuesAndGradients(game, minus, gamma).gradients;
          for (let a = 0; a < 5; a++) {
            const fd = (gp[10 * j + 5 * i + a] - gm[10 * j + 5 * i + a]) / (2 * H);
            close(chi[a], fd, 1e-6, `χ${i + 1}[${a}] vs finite difference`);
            close(chi[a], viaCross[a], 1e-12, `χ${i + 1}[${a}] vs crossHessianVectorProduct`);
            assert.equal(block[a], gradients[10 * j + 5 * i + a], "gradientBlock is the gradient's block");
          }
        }
      }
    });
  }

  it("tandem game: χ_i = (∇_x∇_y V)·∇_j V_i = 4(x + y) for both agents", () => {
    const ev = new TandemEvaluator();
    const out = new Float64Array(1);
    const cross = new Float64Array(1);
    const grad = new Float64Array(2);
    ev.evaluate([0.3, -0.1], 0);
    for (const i of [0, 1] as const) {
      const j = (1 - i) as 0 | 1;
      ev.gradient(i, grad);
      ev.lolaTerm(i, out);
      ev.crossHessianVectorProduct(j, i, [grad[j]], cross);
      close(out[0], 4 * 0.2, 1e-15, `χ${i + 1}`);
      close(out[0], cross[0], 1e-15, `χ${i + 1} vs cross block`);
    }
  });
});
