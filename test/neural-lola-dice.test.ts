/**
 * Neural LOLA-DiCE (src/learners/neural/lolaDice.ts) against independent computations:
 * 1. When the "network" is the memory-one table (5 logits, σ(θ_s) = P(C)), the learner's direction on the same
 *    two rollouts equals the tabular LOLA-DiCE learner's (src/learners/sampled/lolaDice.ts), whose second-order
 *    term is the closed-form DiCE cross Hessian (src/learners/sampled/dice.ts); and the finite-difference
 *    Hessian-vector product equals that closed-form block times v.
 * 2. On a small Dense → GRU Coin Game actor, the Hessian-vector product equals central differences of
 *    θ_i ↦ ∇_j L_j(θ_i, θ_j)·v, and the whole direction equals central differences of the look-ahead objective
 *    F(θ_i) = L_i(θ_i, θ_j + η ∇_j L_j(θ_i, θ_j)) on the same two batches (importance-weighted off the point
 *    where they were played, which is what the magic box differentiates). Without the shaping term the check fails.
 * 3. The Coin Game learner: an Adam step of at most lr per parameter, the opponent it must be given, the critic
 *    baseline; loaded DiCE with a zero critic and λ = 1 has the plain DiCE credits.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoinGameEnv } from "../src/envs/coin/coinGame.js";
import { IteratedGameEnv } from "../src/envs/iterated.js";
import { type Trajectories, rolloutMemoryOne } from "../src/envs/rollout.js";
import { gamePreset } from "../src/games/presets.js";
import {
  diceCredits,
  scoreCoefficients,
  truncatedWeights,
  weightsFromLogProbs,
} from "../src/learners/neural/diceObjective.js";
import {
  type DiceView,
  diceHessianVectorProduct,
  type LolaDiceParts,
  lolaDiceDirection,
  rewardCredits,
} from "../src/learners/neural/diceLookahead.js";
import { LolaDiceLearner, lolaDiceEntry, lolaDiceSchema } from "../src/learners/neural/lolaDice.js";
import { CoinPolicy } from "../src/learners/neural/nets.js";
import { COIN_PRESETS } from "../src/learners/neural/presets.js";
import { trainCoin } from "../src/learners/neural/trainCoin.js";
import { InputError } from "../src/util/errors.js";
import {
  rolloutNeuralCoin,
  type SeatTrajectory,
  type SeatView,
  seatView,
} from "../src/learners/neural/rollout.js";
import { CoinScorePolicy, type ScorePolicy } from "../src/learners/neural/scorePolicy.js";
import { generalizedAdvantages } from "../src/learners/sampled/advantages.js";
import { allocateDiceDerivatives, diceDerivatives } from "../src/learners/sampled/dice.js";
import { LolaDiceLearner as TabularLolaDice } from "../src/learners/sampled/lolaDice.js";
import { log, sigmoid } from "../src/util/elementary.js";
import { Rng } from "../src/util/rng.js";

/** One seat of an iterated-game rollout: own-view states, actions and rewards, `[T, games]`. */
interface TableRecord {
  readonly states: Uint8Array;
  readonly actions: Uint8Array;
  readonly rewards: Float64Array;
}

function seatRecord(traj: Trajectories, seat: 0 | 1): TableRecord {
  const n = traj.horizon * traj.batch;
  const states = new Uint8Array(n);
  const actions = new Uint8Array(n);
  const rewards = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    states[i] = traj.obs[2 * i + seat];
    actions[i] = traj.actions[2 * i + seat];
    rewards[i] = traj.rewards[2 * i + seat];
  }
  return { states, actions, rewards };
}

function tableView(traj: Trajectories, seat: 0 | 1): DiceView<TableRecord> {
  return {
    horizon: traj.horizon,
    games: traj.batch,
    own: seatRecord(traj, seat),
    opponent: seatRecord(traj, (1 - seat) as 0 | 1),
  };
}

/** The memory-one table as a score policy: log π(a | s) = log σ(±θ_s), ∂/∂θ_s = 1[a = C] − σ(θ_s). */
const tablePolicy: ScorePolicy<TableRecord> = {
  size: 5,
  logProbs(theta, record, horizon, games, out) {
    for (let n = 0; n < horizon * games; n++) {
      const s = record.states[n];
      out[n] = log(sigmoid(record.actions[n] === 0 ? theta[s] : -theta[s]));
    }
    return out;
  },
  scoreGradient(theta, record, horizon, games, coefficients, grad) {
    grad.fill(0);
    for (let n = 0; n < horizon * games; n++) {
      const s = record.states[n];
      grad[s] += coefficients[n] * ((record.actions[n] === 0 ? 1 : 0) - sigmoid(theta[s]));
    }
    return grad;
  },
};

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

describe("neural LOLA-DiCE on a table equals the tabular closed forms", () => {
  const game = gamePreset("ipd-lola");
  const horizon = 20;
  const games = 64;
  const gamma = 0.96;
  const env = new IteratedGameEnv(game, horizon);
  const theta = Float64Array.from([0.3, -0.5, 0.8, -0.2, 0.4, -0.6, 0.2, 0.5, -0.9, 0.1]);

  /** Rollouts numbered by call: the k-th call of either learner sees the same games for the same policies. */
  function numberedRollouts(seed: number) {
    let call = 0;
    return (pC: Float64Array) => rolloutMemoryOne(env, pC, games, Rng.derive(seed, call++));
  }

  for (const seat of [0, 1] as const) {
    it(`seat ${seat}: the direction equals the tabular learner's (SGD, α_out = 1) to 1e-7 relative`, () => {
      const eta = 0.3;
      const tabularRollout = numberedRollouts(5);
      const tabular = new TabularLolaDice(
        { game, gamma, seeds: 1, gamesPerSeed: games, horizon, agent: seat },
        { lrOuter: 1, lrInner: eta, lookahead: 1, optimizer: "sgd" },
      );
      const delta = new Float64Array(5);
      const pC = theta.map(sigmoid);
      // Call 0 is the step's `traj` (unread with a look-ahead); call 1 the inner batch, call 2 the outer one.
      tabular.step({ traj: tabularRollout(pC), theta, pC, rollout: tabularRollout }, delta);

      const rollout = numberedRollouts(5);
      rollout(pC);
      const own = theta.slice(5 * seat, 5 * seat + 5);
      const opp = theta.slice(5 * (1 - seat), 5 * (1 - seat) + 5);
      const parts: LolaDiceParts<TableRecord> = {
        own: tablePolicy,
        opponent: tablePolicy,
        rollout: (oppTheta) => {
          const pair = seat === 0 ? [...own, ...oppTheta] : [...oppTheta, ...own];
          return tableView(rollout(Float64Array.from(pair.map(sigmoid))), seat);
        },
        credits: rewardCredits(gamma, "center"),
      };
      const grad = new Float64Array(5);
      const diagnostics = lolaDiceDirection(
        parts,
        { lrInner: eta, hvpStep: 1e-5 },
        tableView(rollout(pC), seat),
        own,
        opp,
        grad,
      );
      assert.ok(
        (diagnostics["lolaDice.shapingNorm"] as number) > 0.05 * maxAbs(grad),
        "the shaping term matters here",
      );
      for (let s = 0; s < 5; s++) {
        assert.ok(
          Math.abs(grad[s] - delta[s]) <= 1e-7 * maxAbs(delta),
          `θ[${s}]: ${grad[s]} vs tabular ${delta[s]}`,
        );
      }
    });
  }

  it("the finite-difference Hessian-vector product equals the closed-form cross Hessian times v", () => {
    const pC = theta.map(sigmoid);
    const batch = numberedRollouts(9)(pC);
    const derivatives = diceDerivatives(
      batch,
      1,
      pC,
      games,
      gamma,
      { centerRewards: true },
      allocateDiceDerivatives(1),
    );
    const view = tableView(batch, 0);
    const credits = rewardCredits(gamma, "center")(view, "opponent", new Float64Array(horizon * games)).map(
      (c) => c / games,
    );
    const own = theta.slice(0, 5);
    const opp = theta.slice(5);
    const v = Float64Array.from([0.7, -1.2, 0.4, 2.0, -0.3]);
    const parts = { own: tablePolicy, opponent: tablePolicy };
    // The closed form: (∂²L_j/∂θ_j∂θ_i)ᵀ v, rows = opponent logits, columns = own logits.
    const exact = new Float64Array(5);
    for (let c = 0; c < 5; c++)
      for (let r = 0; r < 5; r++) exact[c] += derivatives.hessCross[5 * r + c] * v[r];
    for (const [step, tolerance] of [
      [1e-5, 1e-8],
      [1e-2, 1e-3],
    ]) {
      const hvp = new Float64Array(5);
      diceHessianVectorProduct(parts, view, credits, own, opp, v, step, hvp);
      for (let c = 0; c < 5; c++) {
        assert.ok(
          Math.abs(hvp[c] - exact[c]) <= tolerance * maxAbs(exact),
          `step ${step}, θ_i[${c}]: ${hvp[c]} vs ${exact[c]}`,
        );
      }
    }
    // The first-order credits give the tabular estimator's gradient too.
    const g = tablePolicy.scoreGradient(opp, view.opponent, horizon, games, credits, new Float64Array(5));
    for (let r = 0; r < 5; r++) assert.ok(Math.abs(g[r] - derivatives.gradSelf[r]) < 1e-12);
  });
});

describe("neural LOLA-DiCE on a GRU coin actor against finite differences", () => {
  const env = new CoinGameEnv({ episodeSteps: 4 });
  const width = 4;
  const games = 12;
  const gamma = 0.9;
  const eta = 10; // a large look-ahead step, so the shaping term is a visible part of the direction
  const seat = 1;
  const rows = env.params.episodeSteps * games;
  const policy = new CoinScorePolicy(env.obsSize, width, env.nActions);

  function initial(seed: number): Float64Array {
    const p = new CoinPolicy(env.obsSize, width, env.nActions);
    p.net.init(Rng.seeded(seed), "orthogonal", 1); // a head of gain 1: policies far from uniform
    return Float64Array.from(p.net.params.values);
  }
  const own = initial(1);
  const opp = initial(2);

  /** Games of `own` (seat 1) against the opponent at θ; every batch is kept so the test can re-evaluate it. */
  function recordingRollout() {
    const players = [
      new CoinPolicy(env.obsSize, width, env.nActions),
      new CoinPolicy(env.obsSize, width, env.nActions),
    ];
    const batches: SeatView[] = [];
    const rollout = (oppTheta: Float64Array) => {
      players[0].net.params.values.set(oppTheta);
      players[1].net.params.values.set(own);
      const r = rolloutNeuralCoin(env, [{ policy: players[0] }, { policy: players[1] }], {
        games,
        seed: 21,
        keys: [batches.length],
      });
      batches.push(seatView(r, seat));
      return batches[batches.length - 1];
    };
    return { rollout, batches };
  }

  const credits = (view: SeatView, side: "own" | "opponent") =>
    diceCredits(view[side].rewards, view.horizon, view.games, gamma, "center", new Float64Array(rows)).map(
      (c) => c / games,
    );

  /**
   * ∇_j L_j^D(θ_i, θ_j) on batch D played at (own, played): importance weights of both agents' actions from the
   * parameters that played to (θ_i, θ_j), recomputed here from the played parameters.
   */
  function opponentGradient(
    D: SeatView,
    thetaOwn: Float64Array,
    thetaOpp: Float64Array,
    maxRatio = Number.POSITIVE_INFINITY,
    piece?: Uint8Array,
  ): Float64Array {
    const { W, mask } = innerWeights(D, thetaOwn, thetaOpp, maxRatio, piece);
    const kappa = scoreCoefficients(
      credits(D, "opponent"),
      W,
      D.horizon,
      games,
      new Float64Array(rows),
      mask,
    );
    return policy.scoreGradient(thetaOpp, D.opponent, D.horizon, games, kappa, new Float64Array(policy.size));
  }

  /** W̃_t = Π_{u≤t} min(ρ̄, ρ_u) of both agents' joint ratio from (own, opp), which played D, to (θ_i, θ_j). */
  function innerWeights(
    D: SeatView,
    thetaOwn: Float64Array,
    thetaOpp: Float64Array,
    maxRatio: number,
    piece?: Uint8Array,
  ) {
    const T = D.horizon;
    const now = policy.logProbs(thetaOwn, D.own, T, games, new Float64Array(rows));
    const then = policy.logProbs(own, D.own, T, games, new Float64Array(rows));
    const oppNow = policy.logProbs(thetaOpp, D.opponent, T, games, new Float64Array(rows));
    const oppThen = policy.logProbs(opp, D.opponent, T, games, new Float64Array(rows));
    for (let n = 0; n < rows; n++) {
      now[n] += oppNow[n];
      then[n] += oppThen[n];
    }
    const mask = new Uint8Array(rows);
    return { W: truncatedWeights(now, then, maxRatio, T, games, new Float64Array(rows), mask, piece), mask };
  }

  /** The opponent's (truncated) importance-weighted objective L_j^D(θ_i, θ_j) = (1/B) Σ (W̃_t − W̃_{t−1}) c_t. */
  function opponentObjective(D: SeatView, thetaOwn: Float64Array, thetaOpp: Float64Array, maxRatio: number) {
    const { W } = innerWeights(D, thetaOwn, thetaOpp, maxRatio);
    const c = credits(D, "opponent");
    let value = 0;
    for (let n = 0; n < rows; n++) value += (W[n] - (n >= games ? W[n - games] : 1)) * c[n];
    return value;
  }

  /** L_i^{D'}(θ_i, θ_j') = (1/B) Σ (W_t − W_{t−1}) c_t on batch D' played at (own, oppAtSample). */
  function ownObjective(
    Dp: SeatView,
    thetaOwn: Float64Array,
    thetaOpp: Float64Array,
    oppAtSample: Float64Array,
  ) {
    const T = Dp.horizon;
    const now = policy.logProbs(thetaOwn, Dp.own, T, games, new Float64Array(rows));
    const then = policy.logProbs(own, Dp.own, T, games, new Float64Array(rows));
    const oppNow = policy.logProbs(thetaOpp, Dp.opponent, T, games, new Float64Array(rows));
    const oppThen = policy.logProbs(oppAtSample, Dp.opponent, T, games, new Float64Array(rows));
    for (let n = 0; n < rows; n++) {
      now[n] += oppNow[n];
      then[n] += oppThen[n];
    }
    const W = weightsFromLogProbs(now, then, T, games, now);
    const c = credits(Dp, "own");
    let value = 0;
    for (let n = 0; n < rows; n++) value += (W[n] - (n >= games ? W[n - games] : 1)) * c[n];
    return value;
  }

  function directions(count: number): Float64Array[] {
    const rng = Rng.seeded(77);
    return Array.from({ length: count }, () => {
      const d = Float64Array.from({ length: policy.size }, () => rng.normal());
      const n = Math.sqrt(dot(d, d));
      return d.map((x) => x / n);
    });
  }

  it("the Hessian-vector product equals central differences of θ_i ↦ ∇_j L_j(θ_i, θ_j)·v (4 directions)", () => {
    const D = recordingRollout().rollout(opp);
    const v = directions(1)[0].map((x) => 3 * x);
    const hvp = new Float64Array(policy.size);
    diceHessianVectorProduct(
      { own: policy, opponent: policy },
      D,
      credits(D, "opponent"),
      own,
      opp,
      v,
      1e-2,
      hvp,
    );
    const h = 1e-2;
    for (const d of directions(4)) {
      const plus = dot(
        opponentGradient(
          D,
          own.map((x, k) => x + h * d[k]),
          opp,
        ),
        v,
      );
      const minus = dot(
        opponentGradient(
          D,
          own.map((x, k) => x - h * d[k]),
          opp,
        ),
        v,
      );
      const fd = (plus - minus) / (2 * h);
      const analytic = dot(hvp, d);
      assert.ok(
        Math.abs(fd - analytic) <= 0.005 * Math.abs(fd) + 1e-4 * Math.sqrt(dot(hvp, hvp)),
        `${analytic} vs FD ${fd}`,
      );
    }
  });

  const cases = [
    { label: "played at the current parameters", moved: 0, maxRatio: Number.POSITIVE_INFINITY },
    {
      label: "the opponent moved since it played (importance-weighted from its recorded log μ)",
      moved: 1,
      maxRatio: Number.POSITIVE_INFINITY,
    },
    { label: "the same, each step's ratio truncated at ρ̄ = 1.02", moved: 1, maxRatio: 1.02 },
  ];
  for (const { label, moved, maxRatio } of cases) {
    it(`the whole direction equals central differences of the look-ahead objective on the same batches: ${label}`, () => {
      const { rollout, batches } = recordingRollout();
      const D = rollout(opp);
      const shift = directions(5)[4];
      const current = opp.map((x, k) => x + moved * shift[k]);
      const parts: LolaDiceParts<SeatTrajectory, SeatView> = {
        own: policy,
        opponent: policy,
        rollout,
        credits: rewardCredits(gamma, "center"),
        ...(moved > 0
          ? { behaviourLogProbs: (v: SeatView, side: "own" | "opponent") => v[side].logProbs }
          : {}),
      };
      const grad = new Float64Array(policy.size);
      const diagnostics = lolaDiceDirection(
        parts,
        { lrInner: eta, hvpStep: 1e-2, maxRatio },
        D,
        own,
        current,
        grad,
      );
      if (moved > 0 && maxRatio === Number.POSITIVE_INFINITY)
        assert.ok((diagnostics["lolaDice.innerMaxWeight"] as number) > 1.05, "the weights are not all 1");
      if (maxRatio < Number.POSITIVE_INFINITY) {
        const truncated = diagnostics["lolaDice.innerTruncated"] as number;
        assert.ok(truncated > 0.05 && truncated < 0.95, `a share ${truncated} of the steps is truncated`);
        // The masked score gradient is the gradient of the truncated objective (central differences in θ_j).
        const g = opponentGradient(D, own, current, maxRatio);
        for (const d of directions(2)) {
          const hj = 1e-3;
          const fd =
            (opponentObjective(
              D,
              own,
              current.map((x, k) => x + hj * d[k]),
              maxRatio,
            ) -
              opponentObjective(
                D,
                own,
                current.map((x, k) => x - hj * d[k]),
                maxRatio,
              )) /
            (2 * hj);
          assert.ok(
            Math.abs(fd - dot(g, d)) <= 0.02 * Math.abs(fd) + 1e-4 * Math.sqrt(dot(g, g)),
            `${dot(g, d)} vs FD ${fd}`,
          );
        }
      }
      const Dp = batches[1];
      // With truncation F is piecewise smooth in θ_i: follow the piece of the base point (its mask), as the learner does.
      const piece = innerWeights(D, own, current, maxRatio).mask;
      const lookedAhead0 = current.map(
        (x, k) => x + eta * opponentGradient(D, own, current, maxRatio, piece)[k],
      );
      const F = (thetaOwn: Float64Array) => {
        const g = opponentGradient(D, thetaOwn, current, maxRatio, piece);
        return ownObjective(
          Dp,
          thetaOwn,
          current.map((x, k) => x + eta * g[k]),
          lookedAhead0,
        );
      };
      const shaping = diagnostics["lolaDice.shapingNorm"] as number;
      assert.ok(
        shaping > 0.2 * (diagnostics["lolaDice.ownGradNorm"] as number),
        `shaping ${shaping} is visible`,
      );
      const ownOnly = policy.scoreGradient(
        own,
        Dp.own,
        Dp.horizon,
        games,
        credits(Dp, "own"),
        new Float64Array(policy.size),
      );
      const h = 3e-3; // η = 10 and weights ≠ 1 curve F strongly: h = 1e-2 leaves an O(h²) error of ~1e-3 here
      let withoutShapingFails = false;
      for (const d of directions(4)) {
        const fd = (F(own.map((x, k) => x + h * d[k])) - F(own.map((x, k) => x - h * d[k]))) / (2 * h);
        const tolerance = 0.02 * Math.abs(fd) + 1e-4 * Math.sqrt(dot(grad, grad));
        assert.ok(Math.abs(fd - dot(grad, d)) <= tolerance, `${dot(grad, d)} vs FD ${fd}`);
        if (Math.abs(fd - dot(ownOnly, d)) > tolerance) withoutShapingFails = true;
      }
      assert.ok(withoutShapingFails, "the naive gradient alone does not pass the check");
    });
  }
});

describe("the Coin Game lola-dice learner", () => {
  const env = new CoinGameEnv({ episodeSteps: 6 });
  const ctx = { env, seed: 3 };
  const games = 16;

  function selfPlayView(a: CoinPolicy, b: CoinPolicy, update: number): [SeatView, SeatView] {
    const r = rolloutNeuralCoin(env, [{ policy: a }, { policy: b }], { games, seed: 5, keys: [update] });
    return [seatView(r, 0), seatView(r, 1)];
  }

  it("one update moves the actor by at most lr per parameter (Adam), and needs its opponent first", () => {
    const a = lolaDiceEntry.create(lolaDiceSchema.parse({ width: 8, lr: 0.01 }), ctx);
    const b = lolaDiceEntry.create(lolaDiceSchema.parse({ width: 8 }), { env, seed: 4 });
    const [viewA] = selfPlayView(a.policy, b.policy, 0);
    assert.throws(() => a.update(viewA, 0), /opponent: lola-dice looks through a learning opponent/);
    a.setOpponent?.(b.policy, 0);
    const before = Float32Array.from(a.policy.net.params.values);
    const opponentBefore = Float32Array.from(b.policy.net.params.values);
    const diagnostics = a.update(viewA, 0);
    const after = a.policy.net.params.values;
    let moved = 0;
    for (let k = 0; k < after.length; k++) {
      assert.ok(Math.abs(after[k] - before[k]) <= 0.01 * (1 + 1e-3));
      if (after[k] !== before[k]) moved++;
    }
    assert.ok(moved > after.length / 2, `${moved} of ${after.length} parameters moved`);
    assert.deepEqual(
      b.policy.net.params.values,
      opponentBefore,
      "the look-ahead never writes the opponent's network",
    );
    for (const key of ["lolaDice.ownGradNorm", "lolaDice.shapingNorm", "lolaDice.innerStepNorm"]) {
      assert.ok(Number.isFinite(diagnostics[key]) && diagnostics[key] > 0, key);
    }
    assert.equal(a.trainables().length, 1);
  });

  it("the critic baseline fits two critics (own and opponent rewards) and reports their losses", () => {
    const a = new LolaDiceLearner(lolaDiceSchema.parse({ width: 8, baseline: "critic" }), ctx);
    const b = new LolaDiceLearner(lolaDiceSchema.parse({ width: 8 }), { env, seed: 4 });
    a.setOpponent(b.policy, 1);
    const [, viewA] = selfPlayView(b.policy, a.policy, 0);
    const diagnostics = a.update(viewA, 0);
    assert.deepEqual(
      a.trainables().map((t) => t.name),
      ["actor", "critic", "opponentCritic"],
    );
    assert.ok(diagnostics["critic.loss"] > 0 && diagnostics["opponentCritic.loss"] > 0);
  });

  it("in trainCoin: seat b learns from games seat a has moved away from (weights ≠ 1), seat a on-policy; fixed opponents refused", () => {
    const seat = { learner: "lola-dice", config: { width: 4 } };
    const result = trainCoin({
      a: seat,
      b: seat,
      env: { episodeSteps: 4 },
      updates: 2,
      batch: 8,
      seed: 1,
      evalGames: 8,
    });
    const [a, b] = result.curves.diagnostics;
    assert.deepEqual(
      a["lolaDice.innerMaxWeight"],
      [1, 1],
      "seat a updates first: its inner batch is on-policy",
    );
    assert.ok(
      b["lolaDice.innerMaxWeight"].every((w) => w > 1),
      "seat b's opponent moved: importance weights",
    );
    assert.ok(b["lolaDice.shapingNorm"].every((x) => x > 0));
    assert.throws(
      () =>
        trainCoin({
          a: seat,
          b: { fixed: "always-defect" },
          env: { episodeSteps: 4 },
          updates: 1,
          batch: 8,
          seed: 1,
        }),
      (e: unknown) => e instanceof InputError && e.field === "opponent",
    );
  });

  it("in trainCoin: a pair with the critic baseline killed after update 3 and resumed gives the same curves and weights", () => {
    const seat = { learner: "lola-dice", config: { width: 4, baseline: "critic", lrInner: 0.5 } };
    const options = {
      a: seat,
      b: seat,
      env: { episodeSteps: 4 },
      updates: 5,
      batch: 6,
      seed: 2,
      checkpointEvery: 2,
      evalGames: 4,
    };
    const whole = trainCoin(options);
    let text: string | undefined;
    const sink = {
      load: () => text,
      save: (t: string) => void (text = t),
      clear: () => void (text = undefined),
    };
    assert.throws(
      () =>
        trainCoin(options, {
          checkpoint: sink,
          onUpdate(done) {
            if (done === 3) throw new RangeError("killed");
          },
        }),
      /killed/,
    );
    const resumed = trainCoin(options, { checkpoint: sink });
    assert.equal(resumed.resumedFrom, 2);
    assert.deepEqual(resumed.curves, whole.curves);
    assert.equal(resumed.agent, whole.agent);
    assert.equal(resumed.agentB, whole.agentB);
  });

  it("loaded DiCE with a zero critic and λ = 1 has the plain DiCE credits Σ_{s≥t} γ^s r_s", () => {
    const T = 5;
    const B = 3;
    const rng = Rng.seeded(8);
    const rewards = Float64Array.from({ length: T * B }, () => rng.normal());
    const gamma = 0.9;
    const advantages = generalizedAdvantages(rewards, T, B, gamma, 1, new Float64Array(T * B)); // δ = r when V = 0
    const loaded = diceCredits(rewards, T, B, gamma, "critic", new Float64Array(T * B), advantages);
    const plain = diceCredits(rewards, T, B, gamma, "none", new Float64Array(T * B));
    for (let i = 0; i < T * B; i++) assert.ok(Math.abs(loaded[i] - plain[i]) < 1e-12);
  });

  it("the schema: defaults, bad values and unknown keys rejected with the field named", () => {
    const config = lolaDiceSchema.parse({});
    assert.equal(config.baseline, "center");
    assert.equal(config.lrInner, 0.003);
    assert.throws(() => lolaDiceSchema.parse({ lrInner: -1 }), /lrInner/);
    assert.throws(() => lolaDiceSchema.parse({ baseline: "value" }), /baseline/);
    assert.throws(() => lolaDiceSchema.parse({ lookahead: 2 }), /lookahead/);
    // The coin presets' options are valid lola-dice options.
    for (const preset of Object.values(COIN_PRESETS)) lolaDiceSchema.parse(preset.learners["lola-dice"]);
  });
});
