#!/usr/bin/python3
"""Independent numpy Coin Game (one-coin variant), written from the rules, not from shapelab's TypeScript.

Rules (MiladInk/loqa coin_game.py / league/coin.py, the env of the LOQA and Advantage Alignment leagues):
  H x W torus; agents 0 (red) and 1 (blue); one coin; actions 0..3 = left, right, up, down as (row, col) steps
  (0,-1), (0,+1), (-1,0), (+1,0). Both move at once; a picker gets +1; if any picker is not the coin's owner, the
  owner gets -2 (both on it: both +1, owner -2). After a pickup the colour alternates and the coin respawns
  uniformly on a cell neither agent holds. Reset: colour uniform, each agent uniform (may coincide), coin uniform
  over the free cells.
Fixed league agents (loqa league/agent.py): always-defect = a move minimising the torus Manhattan distance to the
coin after the move; always-cooperate = the same if the coin is its own colour, else a move maximising it; ties
uniform (the league shuffles then sorts); random = uniform over the 4 moves.

Modes (run with Debian's /usr/bin/python3, which has numpy):
  coin_numpy.py bench [--batch 4096] [--steps 200] [--runs 9]
                                                      time the batched env, random actions; prints JSON
  coin_numpy.py fixture [--steps 16]                  exact expected metrics of the fixed-agent pairs (a Markov
                                                      chain over every board state) + a numpy Monte Carlo run;
                                                      prints JSON (test/fixtures/coin-fixed-agents.json)
  coin_numpy.py transitions                           recorded single steps of random boards and actions on 3x3
                                                      and 4x5, for a lockstep test (test/fixtures/coin-transitions.json)
"""
import argparse
import json
import sys
import time

import numpy as np

MOVES = np.array([[0, -1], [0, 1], [-1, 0], [1, 0]])
AGENTS = ["always-cooperate", "always-defect", "random"]
SEATS = np.arange(2)


class BatchedCoinGame:
    """State: both agents' cells (B, 2), the coin's cell (B,), its owner (B,); a cell is row * W + col.

    Cells and a move table (cell, action) -> cell, as the TypeScript env keeps them: numpy's fastest form we found
    (separate row/column arrays took about 2x the time per step), and only the picked games draw a respawn, as
    there. Checked on 2026-12-07, CPU time of 200 steps x 4096 games: rows/columns with a draw for every game
    87 ms, cells + move table + picked-only draws 46 ms (int8 arrays 43 ms, int32 45 ms: kept numpy's default).
    """

    def __init__(self, batch, height=3, width=3, seed=0, episode_steps=None):
        self.B, self.H, self.W = batch, height, width
        self.episode_steps = episode_steps  # None: never auto-reset
        self.rng = np.random.default_rng(seed)
        rows, cols = np.divmod(np.arange(height * width), width)
        self.move_to = ((rows[:, None] + MOVES[:, 0]) % height) * width + (cols[:, None] + MOVES[:, 1]) % width
        self.reset()

    def _free_cell(self, cell0, cell1):
        # k-th cell that is neither agent's, k uniform over the free count
        lo, hi = np.minimum(cell0, cell1), np.maximum(cell0, cell1)
        nfree = self.H * self.W - 1 - (lo != hi)
        c = self.rng.integers(0, nfree)
        c = c + (c >= lo)
        c = c + ((hi != lo) & (c >= hi))
        return c

    def reset(self):
        B, n = self.B, self.H * self.W
        self.t = 0
        self.owner = self.rng.integers(0, 2, B)
        self.pos = self.rng.integers(0, n, (B, 2))
        self.coin = self._free_cell(self.pos[:, 0], self.pos[:, 1])

    def step(self, actions):
        """actions (B, 2) ints 0..3 -> rewards (B, 2), own pickups (B, 2), other pickups (B, 2)."""
        self.pos = self.move_to[self.pos, actions]
        on = self.pos == self.coin[:, None]  # (B, 2)
        is_owner = self.owner[:, None] == SEATS
        stolen = (on & ~is_owner).any(axis=1)
        rewards = on - 2.0 * (is_owner & stolen[:, None])
        own, other = on & is_owner, on & ~is_owner
        picked = np.flatnonzero(on.any(axis=1))
        cells = self.pos[picked]
        self.coin[picked] = self._free_cell(cells[:, 0], cells[:, 1])
        self.owner[picked] ^= 1  # the colour alternates
        self.t += 1
        if self.episode_steps is not None and self.t == self.episode_steps:
            self.reset()  # fixed-length episodes, as shapelab's stepInto auto-resets
        return rewards, own, other

    def fixed_actions(self, name, seat):
        B = self.B
        if name == "random":
            return self.rng.integers(0, 4, B)
        r, c = np.divmod(self.move_to[self.pos[:, seat]], self.W)  # (B, 4): the cell after each move
        coin_row, coin_col = np.divmod(self.coin, self.W)
        dr = np.abs(r - coin_row[:, None])
        dc = np.abs(c - coin_col[:, None])
        d = np.minimum(dr, self.H - dr) + np.minimum(dc, self.W - dc)
        flee = (name == "always-cooperate") & (self.owner != seat)
        score = np.where(flee[:, None], -d, d)  # minimise score
        best = score == score.min(axis=1, keepdims=True)
        # uniform among the tied moves: random keys, the smallest key among the best
        keys = np.where(best, self.rng.random((B, 4)), 2.0)
        return keys.argmin(axis=1)


def clocked(f):
    """CPU and wall seconds of one call of f (CPU time: what bench/coin.ts compares; wall printed too)."""
    c, w = time.process_time(), time.perf_counter()
    f()
    return time.process_time() - c, time.perf_counter() - w


def bench(batch, steps, height, width, runs):
    env = BatchedCoinGame(batch, height, width, seed=0, episode_steps=50)
    for _ in range(5):  # warm-up
        env.step(env.rng.integers(0, 4, (batch, 2)))

    def with_actions():
        for _ in range(steps):
            env.step(env.rng.integers(0, 4, (batch, 2)))

    # also the env step alone, actions drawn before the clock starts
    acts = env.rng.integers(0, 4, (steps, batch, 2))

    def step_only():
        for t in range(steps):
            env.step(acts[t])

    a = [clocked(with_actions) for _ in range(runs)]
    b = [clocked(step_only) for _ in range(runs)]
    # the fastest run (noise on a shared machine only adds time), as bench/coin.ts does for ours
    return {"batch": batch, "steps": steps, "cpu": min(x[0] for x in a), "wall": min(x[1] for x in a),
            "cpuStepOnly": min(x[0] for x in b), "wallStepOnly": min(x[1] for x in b), "numpy": np.__version__}


# ---- exact expectations: a Markov chain over (cell0, cell1, coin, owner) ----

def exact(name_a, name_b, steps, H=3, W=3):
    n = H * W
    rc = lambda cell: (cell // W, cell % W)

    def after(cell, a):
        r, c = rc(cell)
        return ((r + MOVES[a][0]) % H) * W + (c + MOVES[a][1]) % W

    def dist(x, y):
        (r1, c1), (r2, c2) = rc(x), rc(y)
        dr, dc = abs(r1 - r2), abs(c1 - c2)
        return min(dr, H - dr) + min(dc, W - dc)

    def policy(name, cell, coin, owner, seat):
        if name == "random":
            return np.full(4, 0.25)
        d = np.array([dist(after(cell, a), coin) for a in range(4)])
        target = d.max() if (name == "always-cooperate" and owner != seat) else d.min()
        best = (d == target).astype(float)
        return best / best.sum()

    states = [(p0, p1, c, o) for p0 in range(n) for p1 in range(n) for c in range(n) for o in range(2)
              if c != p0 and c != p1]
    index = {s: i for i, s in enumerate(states)}
    S = len(states)
    M = np.zeros((S, S))
    # per-state expected: reward a, reward b, own a, own b, other a, other b
    F = np.zeros((S, 6))
    for i, (p0, p1, c, o) in enumerate(states):
        pa, pb = policy(name_a, p0, c, o, 0), policy(name_b, p1, c, o, 1)
        for a0 in range(4):
            for a1 in range(4):
                pr = pa[a0] * pb[a1]
                if pr == 0:
                    continue
                q0, q1 = after(p0, a0), after(p1, a1)
                on0, on1 = q0 == c, q1 == c
                r0 = float(on0) - (2.0 if (o == 0 and on1) else 0.0)
                r1 = float(on1) - (2.0 if (o == 1 and on0) else 0.0)
                F[i] += pr * np.array([r0, r1, on0 and o == 0, on1 and o == 1, on0 and o == 1, on1 and o == 0])
                if on0 or on1:
                    free = [x for x in range(n) if x != q0 and x != q1]
                    for x in free:
                        M[i, index[(q0, q1, x, 1 - o)]] += pr / len(free)
                else:
                    M[i, index[(q0, q1, c, o)]] += pr
    d = np.zeros(S)
    for (p0, p1, c, o), i in index.items():
        nfree = n - (1 if p0 == p1 else 2)
        d[i] = 0.5 * (1.0 / n) * (1.0 / n) * (1.0 / nfree)
    total = np.zeros(6)
    for _ in range(steps):
        total += d @ F
        d = d @ M
    m = total / steps
    return {"rewards": [m[0], m[1]], "ownPickupsPerStep": [m[2], m[3]], "otherPickupsPerStep": [m[4], m[5]],
            "pickupsPerStep": [m[2] + m[4], m[3] + m[5]],
            "ownCoin": [m[2] / (m[2] + m[4]) if m[2] + m[4] > 0 else None,
                        m[3] / (m[3] + m[5]) if m[3] + m[5] > 0 else None]}


def monte_carlo(name_a, name_b, steps, games, seed):
    env = BatchedCoinGame(games, seed=seed)
    rew, own, oth = np.zeros(2), np.zeros(2), np.zeros(2)
    for _ in range(steps):
        acts = np.stack([env.fixed_actions(name_a, 0), env.fixed_actions(name_b, 1)], axis=1)
        r, o, x = env.step(acts)
        rew += r.sum(axis=0)
        own += o.sum(axis=0)
        oth += x.sum(axis=0)
    n = games * steps
    return {"rewards": (rew / n).tolist(), "pickupsPerStep": ((own + oth) / n).tolist(),
            "ownCoin": (own / np.maximum(own + oth, 1)).tolist()}


def fixture(steps):
    pairs = []
    for a in AGENTS:
        for b in AGENTS:
            pairs.append({"a": a, "b": b, "exact": exact(a, b, steps),
                          "numpyMonteCarlo": monte_carlo(a, b, steps, games=4096, seed=1)})
    return {"source": "bench/peers/coin_numpy.py fixture --steps %d (numpy %s)" % (steps, np.__version__),
            "height": 3, "width": 3, "steps": steps, "pairs": pairs}


def transitions(count=150):
    """Random legal boards (coin off both agents) and random actions, one numpy step each: what came out."""
    out = []
    for H, W, seed in [(3, 3, 5), (4, 5, 6)]:
        env = BatchedCoinGame(count, H, W, seed=seed)
        before = {"cells": env.pos.tolist(), "coin": env.coin.tolist(),
                  "owner": env.owner.tolist()}
        actions = env.rng.integers(0, 4, (count, 2))
        rewards, own, other = env.step(actions)
        for g in range(count):
            out.append({"height": H, "width": W, "cells": before["cells"][g], "coin": before["coin"][g],
                        "owner": before["owner"][g], "actions": actions[g].tolist(),
                        "nextCells": env.pos[g].tolist(), "rewards": rewards[g].tolist(),
                        "own": own[g].astype(int).tolist(), "other": other[g].astype(int).tolist(),
                        "nextOwner": int(env.owner[g]), "nextCoin": int(env.coin[g])})
    return {"source": "bench/peers/coin_numpy.py transitions (numpy %s)" % np.__version__, "transitions": out}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bench", "fixture", "transitions"])
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--height", type=int, default=3)
    ap.add_argument("--width", type=int, default=3)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    if args.mode == "bench":
        out = bench(args.batch, args.steps or 200, args.height, args.width, args.runs)
    elif args.mode == "transitions":
        out = transitions()
    else:
        out = fixture(args.steps or 16)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
