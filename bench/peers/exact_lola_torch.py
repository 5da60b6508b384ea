"""Peer for bench/exact.ts: exact LOLA-LOLA on the memory-one IPD with batched PyTorch autograd (float64, one
thread), the way the LOLA paper's exact code computes it (values by a linear solve, LOLA's correction as the
gradient of stop_grad(grad_j V_i) . grad_j V_j).

Usage: /usr/bin/python3 exact_lola_torch.py INIT.json
INIT.json: {"theta": [seeds*10 logits, layout [seed, agent, state], own view start,CC,CD,DC,DD],
            "r1": [4], "r2": [4], "gamma": g, "lr": x, "eta": x, "steps": n, "repeats": n}
Prints one JSON line: {"elapsed_s", "cpu_s" (best of repeats), "mean_reward": [r1, r2], "theta": [...final logits...]}.
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

# Agent 2 reads agent-1-view joint state CC, CD, DC, DD as its own-view states CC, DC, CD, DD.
AGENT2_STATE = [1, 3, 2, 4]


def values(th1, th2, r1, r2, gamma):
    p1 = torch.sigmoid(th1)
    p2 = torch.sigmoid(th2)
    x = p1[:, 1:]
    y = p2[:, AGENT2_STATE]
    P = torch.stack([x * y, x * (1 - y), (1 - x) * y, (1 - x) * (1 - y)], dim=2)
    a, b = p1[:, 0], p2[:, 0]
    p0 = torch.stack([a * b, a * (1 - b), (1 - a) * b, (1 - a) * (1 - b)], dim=1)
    M = torch.eye(4).unsqueeze(0) - gamma * P
    occupancy = torch.linalg.solve(M.transpose(1, 2), p0.unsqueeze(2)).squeeze(2)
    return occupancy @ r1, occupancy @ r2


def main():
    cfg = json.load(open(sys.argv[1]))
    theta = torch.tensor(cfg["theta"], dtype=torch.float64).reshape(-1, 2, 5)
    r1 = torch.tensor(cfg["r1"], dtype=torch.float64)
    r2 = torch.tensor(cfg["r2"], dtype=torch.float64)
    gamma, lr, eta, steps = cfg["gamma"], cfg["lr"], cfg["eta"], cfg["steps"]
    th1 = theta[:, 0].clone()
    th2 = theta[:, 1].clone()
    grad = torch.autograd.grad

    def lola_step(th1, th2):
        th1.requires_grad_(True)
        th2.requires_grad_(True)
        v1, v2 = values(th1, th2, r1, r2, gamma)
        g11, g12 = grad(v1.sum(), (th1, th2), create_graph=True)
        g21, g22 = grad(v2.sum(), (th1, th2), create_graph=True)
        # LOLA: grad_i [stop_grad(grad_j V_i) . grad_j V_j]
        corr1 = grad((g12.detach() * g22).sum(), th1, retain_graph=True)[0]
        corr2 = grad((g21.detach() * g11).sum(), th2)[0]
        with torch.no_grad():
            return th1 + lr * (g11 + eta * corr1), th2 + lr * (g22 + eta * corr2)

    lola_step(th1.clone(), th2.clone())  # warm-up
    # Best of `repeats` timed runs from the same start, as the TypeScript side does.
    # Wall time and CPU time (process_time: less sensitive to other jobs on a shared machine).
    elapsed = float("inf")
    cpu = float("inf")
    start1, start2 = th1, th2
    for _ in range(cfg.get("repeats", 1)):
        th1, th2 = start1.clone(), start2.clone()
        start = time.perf_counter()
        cpu_start = time.process_time()
        for _ in range(steps):
            th1, th2 = lola_step(th1, th2)
        elapsed = min(elapsed, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - cpu_start)
    with torch.no_grad():
        v1, v2 = values(th1, th2, r1, r2, gamma)
    final = torch.stack([th1, th2], dim=1).reshape(-1)
    print(json.dumps({
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "mean_reward": [float((1 - gamma) * v1.mean()), float((1 - gamma) * v2.mean())],
        "theta": final.tolist(),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
