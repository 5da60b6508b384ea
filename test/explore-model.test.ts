/**
 * The explorer's computations without a browser (web/dynamicsModel.ts, web/portraitModel.ts): the dynamics run
 * equals a plain trainExact call, its curve statistics are the per-seed mean and sd, and the phase portraits show
 * the classic pictures (matching pennies: naive learners spiral outward, LOLA converges to (0.5, 0.5); tandem:
 * LOLA overshoots past x + y = 1, SOS stays on it). Also the other pages' models: per-agent learning rates and
 * custom payoffs, the sampled page's settings against `shapelab train`'s seats built from the same flags
 * (web/sampledModel.ts), and the tournament page's replay of one match against the tournament's own summary of it
 * (web/tournamentModel.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gamePreset } from "../src/games/presets.js";
import { trainExact } from "../src/learners/exact/train.js";
import { InputError } from "../src/util/errors.js";
import { mean, sd } from "../src/util/stats.js";
import { matchCount, planTournament, playTournamentMatches } from "../src/arena/tournament.js";
import { SUMMARY_SIZE } from "../src/arena/match.js";
import { trainSeatsFromFlags, type TrainFlags } from "../src/cli/trainSeats.js";
import { trainSampled } from "../src/learners/sampled/train.js";
import { DEFAULT_DYNAMICS, runDynamics } from "../web/dynamicsModel.js";
import { defaultPortraitSettings, trajectory, vectorField } from "../web/portraitModel.js";
import { DEFAULT_SAMPLED, sampledOptions } from "../web/sampledModel.js";
import { DEFAULT_TOURNAMENT, runPageTournament, tournamentMatch } from "../web/tournamentModel.js";

test("the dynamics run ends exactly where a plain trainExact call does", () => {
  for (const learners of [
    ["lola", "naive"],
    ["sos", "lookahead"],
  ] as const) {
    const settings = {
      ...DEFAULT_DYNAMICS,
      learners: [...learners] as typeof DEFAULT_DYNAMICS.learners,
      steps: 30,
    };
    settings.seeds = 6;
    const run = runDynamics(settings);
    const once = trainExact({
      game: gamePreset(settings.game),
      gamma: settings.gamma,
      learners: [
        { name: learners[0], lr: 1, eta: 1, beta: 1, lookahead: 1 },
        { name: learners[1], lr: 1, eta: 1, beta: 1, lookahead: 1 },
      ],
      steps: 30,
      seeds: 6,
      seed: 0,
    });
    assert.deepEqual(run.final.theta, once.theta);
    assert.deepEqual(run.final.rewardPerStep, once.rewardPerStep);
    assert.equal(run.final.steps, 30);
    // Its mean curve is trainExact's curve; its sd is the per-seed sd at the end.
    for (let i = 0; i < once.curve.length; i++)
      assert.ok(Math.abs(run.rewardMean[i] - once.curve[i]) < 1e-12);
    for (let agent = 0; agent < 2; agent++) {
      const last = Array.from({ length: 6 }, (_, s) => once.rewardPerStep[2 * s + agent]);
      assert.ok(Math.abs(run.rewardSd[2 * 30 + agent] - sd(last)) < 1e-12);
      assert.ok(Math.abs(run.rewardMean[2 * 30 + agent] - mean(last)) < 1e-12);
    }
  }
});

test("the dynamics defaults are the LOLA paper's headline: LOLA–LOLA ≈ −1.05, naive–naive −2", () => {
  const lola = runDynamics(DEFAULT_DYNAMICS);
  for (const agent of [0, 1]) {
    const r = lola.rewardMean[2 * 200 + agent];
    assert.ok(r > -1.15 && r < -0.95, `LOLA agent ${agent + 1}: ${r}`);
  }
  assert.ok(lola.final.tftFraction > 0.2);
  const naive = runDynamics({ ...DEFAULT_DYNAMICS, learners: ["naive", "naive"] });
  for (const agent of [0, 1]) assert.ok(Math.abs(naive.rewardMean[2 * 200 + agent] + 2) < 0.01);
  assert.throws(() => runDynamics({ ...DEFAULT_DYNAMICS, gamma: 1 }), InputError);
  assert.throws(() => runDynamics({ ...DEFAULT_DYNAMICS, game: "nope" }), InputError);
});

const distanceFromCentre = ([x, y]: [number, number]) => Math.hypot(x - 0.5, y - 0.5);

test("matching pennies: naive learners spiral outward, LOLA and SOS converge to (0.5, 0.5)", () => {
  const start: [number, number] = [0.6, 0.6];
  const naive = trajectory({ ...defaultPortraitSettings("imp"), learners: ["naive", "naive"] }, start);
  assert.equal(naive.points.length, 201);
  assert.ok(distanceFromCentre(naive.points[200]) > 0.3, `naive ends at ${naive.points[200]}`);
  for (const name of ["lola", "sos"] as const) {
    const path = trajectory({ ...defaultPortraitSettings("imp"), learners: [name, name] }, start);
    assert.ok(distanceFromCentre(path.points[200]) < 0.005, `${name} ends at ${path.points[200]}`);
  }
  // The field: one arrow per grid point, all finite, circling the centre (naive: (+, −) above-right of it).
  const field = vectorField({ ...defaultPortraitSettings("imp"), learners: ["naive", "naive"] }, 9);
  assert.equal(field.length, 81);
  assert.ok(field.every((a) => [a.x, a.y, a.dx, a.dy].every(Number.isFinite)));
  const upperRight = field.find((a) => a.x > 0.7 && a.x < 0.8 && a.y > 0.7 && a.y < 0.8)!;
  assert.ok(upperRight.dx > 0 && upperRight.dy < 0, JSON.stringify(upperRight));
});

test("tandem: LOLA overshoots past x + y = 1, SOS settles on it", () => {
  const start: [number, number] = [0.1, -0.2];
  const sum = (p: [number, number]) => p[0] + p[1];
  const lola = trajectory(defaultPortraitSettings("tandem"), start);
  assert.ok(sum(lola.points[60]) > 1.2, `LOLA ends at ${lola.points[60]}`);
  const sos = trajectory({ ...defaultPortraitSettings("tandem"), learners: ["sos", "sos"] }, start);
  assert.ok(Math.abs(sum(sos.points[60]) - 1) < 0.01, `SOS ends at ${sos.points[60]}`);
  assert.throws(() => trajectory(defaultPortraitSettings("tandem"), [Number.NaN, 0]), InputError);
});

test("per-agent learning rates and custom payoffs: the same run as trainExact with those specs and that game", () => {
  const settings = { ...DEFAULT_DYNAMICS, learners: ["lola", "naive"] as typeof DEFAULT_DYNAMICS.learners };
  Object.assign(settings, { lr: [0.3, 1.7], steps: 25, seeds: 4, seed: 3 });
  const run = runDynamics(settings);
  const once = trainExact({
    game: gamePreset("ipd-lola"),
    gamma: 0.96,
    learners: [
      { name: "lola", lr: 0.3, eta: 1, beta: 1, lookahead: 1 },
      { name: "naive", lr: 1.7, eta: 1, beta: 1, lookahead: 1 },
    ],
    steps: 25,
    seeds: 4,
    seed: 3,
  });
  assert.deepEqual(run.final.theta, once.theta);
  // The LOLA game's payoffs typed in give the preset's numbers bit for bit (only the name differs).
  const typed = runDynamics({ ...settings, payoffs: "-1, -3, 0, -2" });
  assert.deepEqual(typed.final.rewardPerStep, once.rewardPerStep);
  assert.equal(typed.final.game, "custom(-1,-3,0,-2)");
  assert.throws(() => runDynamics({ ...settings, payoffs: "1,2,x,4" }), /payoffs\[2\]/);
});

/** `shapelab train`'s flags as commander hands them over (defaults filled in). */
function trainFlags(extra: Partial<TrainFlags>): TrainFlags {
  return {
    gamma: "0.96",
    agents: "aa,aa",
    seeds: "2",
    seed: "0",
    batch: "8",
    rollout: "12",
    updates: "6",
    init: "zeros",
    discountSteps: true,
    magicBox: true,
    ...extra,
  };
}

test("the sampled page's settings train exactly the seats `shapelab train` builds from the same flags", () => {
  const small = { batch: 8, rollout: 12, updates: 6, seeds: 2 };
  const cases = [
    [
      { ...DEFAULT_SAMPLED, ...small },
      trainFlags({ lr: "0.5", beta: "2", aaVariant: "running-mean", aaPast: "opponent-action" }),
    ],
    [
      { ...DEFAULT_SAMPLED, ...small, agents: ["lola-dice", "lola-dice"], lr: [0.3, 0.3], init: "normal" },
      trainFlags({ agents: "lola-dice,lola-dice", lrOuter: "0.3", init: "normal" }),
    ],
    [
      { ...DEFAULT_SAMPLED, ...small, agents: ["pg", "tft"], lr: [null, null], seed: 5 },
      trainFlags({ agents: "pg,tft", seed: "5" }),
    ],
  ] as const;
  for (const [settings, flags] of cases) {
    const page = trainSampled(sampledOptions({ ...settings } as typeof DEFAULT_SAMPLED));
    const game = gamePreset("ipd-lola");
    const seats = trainSeatsFromFlags(flags, game);
    const cli = trainSampled({
      game,
      gamma: 0.96,
      learners: [seats[0].spec, seats[1].spec],
      batch: 8,
      rollout: 12,
      updates: 6,
      seeds: 2,
      seed: Number(flags.seed),
      init: settings.init === "zeros" ? { kind: "zeros" } : { kind: "normal", sd: 1 },
    });
    assert.deepEqual(page.finalPC, cli.finalPC, flags.agents);
    assert.deepEqual(page.rewardPerStep, cli.rewardPerStep, flags.agents);
  }
  // Per-agent rates are the page's own: agent 2's rate changes agent 2's policy only through the play.
  const options = sampledOptions({ ...DEFAULT_SAMPLED, agents: ["lola-dice", "pg"], lr: [0.4, null] });
  assert.deepEqual(options.learners, [{ name: "lola-dice", lrOuter: 0.4 }, { name: "pg" }]);
  assert.throws(
    () => sampledOptions({ ...DEFAULT_SAMPLED, gamma: 1 }),
    /^InputError: γ: must be in \[0, 1\)/,
  );
  assert.throws(
    () => sampledOptions({ ...DEFAULT_SAMPLED, agents: ["aa", "nope" as "aa"] }),
    /agent 2: .*allowed/,
  );
});

test("a clicked cell replays exactly the match the tournament scored (noise, random ends, a random player)", () => {
  const settings = {
    ...DEFAULT_TOURNAMENT,
    players: ["Tit For Tat", "Random: 0.5", "Grudger", "Win-Stay Lose-Shift"],
    turns: 60,
    repetitions: 3,
    noise: 0.1,
    probEnd: 0.02,
    seed: 11,
  };
  const game = gamePreset("ipd");
  const plan = planTournament(settings.players, game, { ...settings });
  const summaries = playTournamentMatches(plan, 0, matchCount(plan));
  plan.pairs.forEach(([i, j], p) => {
    for (let rep = 0; rep < settings.repetitions; rep++) {
      const o = (p * settings.repetitions + rep) * SUMMARY_SIZE;
      const [turns, si, sj, ci, cj] = summaries.subarray(o, o + 5);
      const m = tournamentMatch(settings, i, j, rep);
      assert.deepEqual(
        [m.turns, ...m.scores, ...m.cooperations],
        [turns, si, sj, ci, cj],
        `${i},${j},${rep}`,
      );
      if (i === j) continue; // self-play: one match, no other side
      const back = tournamentMatch(settings, j, i, rep);
      assert.deepEqual(back.scores, [sj, si]);
      assert.deepEqual(back.actions, [m.actions[1], m.actions[0]]);
    }
  });
  // One repetition: a cell of the heatmap is the replayed match's score per turn.
  const once = { ...settings, repetitions: 1 };
  const result = runPageTournament(once);
  const m = tournamentMatch(once, 0, 2, 0);
  assert.equal(result.payoffMatrix[0][2], m.scores[0] / m.turns);
  assert.throws(() => tournamentMatch(once, 0, 4, 0), /column: must be an integer in \[0, 3\]/);
  // Too big for the page's main thread: refused, pointing to the CLI (10 pairs × 100 × 10,001 > 10,000,000 turns).
  assert.throws(
    () => runPageTournament({ ...settings, repetitions: 100, turns: 10_001 }),
    /^InputError: turns: .*10,001,000 turns, more than the page plays.*shapelab tournament$/,
  );
});
