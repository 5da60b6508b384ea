/**
 * The explorer's phase portraits, without the DOM (so Node tests can check them): games whose joint state is two
 * numbers, and the exact learners' simultaneous updates on them.
 *
 * - A one-shot 2x2 game is the memory-one engine at γ = 0: only the start logits matter, so the state is
 *   (P1(C), P2(C)) = (σ(θ1[start]), σ(θ2[start])); the other eight logits stay 0 and get zero gradients.
 * - The SOS paper's tandem game (src/games/tandem.ts) has one parameter per player: the state is (x, y).
 *
 * Arrows and trajectories come from the learner objects themselves (`createExactLearner` + `runSimultaneous`):
 * an arrow is one joint update from a grid point, a trajectory repeats it; no update rule is written here.
 */
import type { DifferentiableGame } from "../src/exact/differentiable.js";
import { memoryOneGame } from "../src/exact/derivatives.js";
import { GAME_PRESET_NAMES, gamePreset } from "../src/games/presets.js";
import { tandemGame } from "../src/games/tandem.js";
import { createExactLearner, type ExactLearner, type ExactLearnerName } from "../src/learners/exact/index.js";
import { runSimultaneous } from "../src/learners/exact/train.js";
import { InputError } from "../src/util/errors.js";
import { logit, sigmoid } from "../src/util/math.js";

export const PORTRAIT_GAMES = [...GAME_PRESET_NAMES, "tandem"] as const;

export interface PortraitSettings {
  game: string;
  learners: [ExactLearnerName, ExactLearnerName];
  lr: number;
  eta: number;
  /** LOLA also adds the look-ahead term (the SOS paper's LOLA). */
  lolaLookAheadTerm: boolean;
  /** Updates per trajectory. */
  steps: number;
}

/** Learner settings that show each game's classic picture. */
export function defaultPortraitSettings(game: string): PortraitSettings {
  return game === "tandem"
    ? { game, learners: ["lola", "lola"], lr: 0.1, eta: 0.1, lolaLookAheadTerm: false, steps: 60 }
    : { game, learners: ["lola", "lola"], lr: 1, eta: 1, lolaLookAheadTerm: false, steps: 200 };
}

/** A game seen as a plane: how a point maps to the joint parameter vector and back. */
export interface Plane {
  game: DifferentiableGame;
  xLabel: string;
  yLabel: string;
  xRange: [number, number];
  yRange: [number, number];
  /** Write the parameters of point (x, y) at theta[offset…]. */
  toTheta(x: number, y: number, theta: Float64Array, offset: number): void;
  fromTheta(theta: Float64Array, offset: number): [number, number];
  /** Lines of fixed points worth drawing, as segments [x0, y0, x1, y1]. */
  guides: [number, number, number, number][];
}

/** Probabilities are kept inside (0, 1) where the logit is finite and the gradient not vanishingly small. */
const P_MARGIN = 0.005;

export function portraitPlane(name: string): Plane {
  if (name === "tandem") {
    return {
      game: tandemGame,
      xLabel: "x (player 1)",
      yLabel: "y (player 2)",
      xRange: [-0.5, 1.5],
      yRange: [-0.5, 1.5],
      toTheta(x, y, theta, offset) {
        theta[offset] = x;
        theta[offset + 1] = y;
      },
      fromTheta: (theta, offset) => [theta[offset], theta[offset + 1]],
      guides: [[-0.5, 1.5, 1.5, -0.5]], // x + y = 1: the fixed points of the simultaneous gradient
    };
  }
  const game = memoryOneGame(gamePreset(name, "portrait game"), 0);
  const clampP = (p: number) => Math.min(1 - P_MARGIN, Math.max(P_MARGIN, p));
  return {
    game,
    xLabel: "P1(C)",
    yLabel: "P2(C)",
    xRange: [0, 1],
    yRange: [0, 1],
    toTheta(x, y, theta, offset) {
      theta.fill(0, offset, offset + 10);
      theta[offset] = logit(clampP(x));
      theta[offset + 5] = logit(clampP(y));
    },
    fromTheta: (theta, offset) => [sigmoid(theta[offset]), sigmoid(theta[offset + 5])],
    guides: [],
  };
}

function learnersFor(settings: PortraitSettings, plane: Plane): [ExactLearner, ExactLearner] {
  const make = (i: 0 | 1) =>
    createExactLearner(
      {
        name: settings.learners[i],
        lr: settings.lr,
        eta: settings.eta,
        includeLookAheadTerm: settings.lolaLookAheadTerm,
      },
      plane.game,
      `agent ${i + 1}`,
    );
  return [make(0), make(1)];
}

export interface Arrow {
  x: number;
  y: number;
  dx: number;
  dy: number;
}

/** One joint update from each point of an n×n grid of cell centres (one batched call). */
export function vectorField(settings: PortraitSettings, n: number): Arrow[] {
  const plane = portraitPlane(settings.game);
  const learners = learnersFor(settings, plane);
  const width = 2 * plane.game.paramsPerAgent;
  const theta = new Float64Array(n * n * width);
  const points: [number, number][] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = plane.xRange[0] + ((i + 0.5) / n) * (plane.xRange[1] - plane.xRange[0]);
      const y = plane.yRange[0] + ((j + 0.5) / n) * (plane.yRange[1] - plane.yRange[0]);
      plane.toTheta(x, y, theta, points.length * width);
      points.push(plane.fromTheta(theta, points.length * width));
    }
  }
  const run = runSimultaneous(plane.game, learners, theta, 1);
  const stopped = new Set(run.diverged.map((d) => d.seed));
  const arrows: Arrow[] = [];
  points.forEach(([x, y], b) => {
    if (stopped.has(b)) return;
    const [x1, y1] = plane.fromTheta(theta, b * width);
    arrows.push({ x, y, dx: x1 - x, dy: y1 - y });
  });
  return arrows;
}

export interface Trajectory {
  /** The visited points, the start first. */
  points: [number, number][];
  /** Why it stopped early, when it did. */
  stopped?: string;
}

/** `settings.steps` joint updates from (x, y). */
export function trajectory(settings: PortraitSettings, start: [number, number]): Trajectory {
  const plane = portraitPlane(settings.game);
  if (!start.every(Number.isFinite)) throw new InputError("start", "must be a finite point");
  const learners = learnersFor(settings, plane);
  const theta = new Float64Array(2 * plane.game.paramsPerAgent);
  plane.toTheta(start[0], start[1], theta, 0);
  const points: [number, number][] = [plane.fromTheta(theta, 0)];
  for (let step = 0; step < settings.steps; step++) {
    const run = runSimultaneous(plane.game, learners, theta, 1);
    if (run.diverged.length > 0) return { points, stopped: `step ${step}: ${run.diverged[0].reason}` };
    points.push(plane.fromTheta(theta, 0));
  }
  return { points };
}
