"""Peer for bench/sampled.ts: LOLA-DiCE on the memory-one IPD with PyTorch autograd and the DiCE magic box, the
way the public re-implementations compute it (sample episodes step by step, build the DiCE objective over both
agents' cumulative log-probabilities, differentiate the opponent's look-ahead step with create_graph=True).
Same work as ours: tabular 5-logit policies from zeros, per-step batch-mean reward centring (the official code's
variance reduction without a baseline), plain SGD, simultaneous updates of both agents.

Usage: /usr/bin/python3 lola_dice_torch.py CONFIG.json
CONFIG.json: {"r1": [4], "r2": [4], "gamma": g, "batch": B, "rollout": T, "updates": n, "lr_outer": x,
              "lr_inner": x, "lookahead": k, "seed": s, "threads": 1}
Prints one JSON line: {"elapsed_s", "joint_per_step_last10", "pC": [[5], [5]]}.
"""
import json
import sys
import time

import torch

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(int(cfg.get("threads", 1)))
torch.manual_seed(int(cfg["seed"]))
GAMMA = float(cfg["gamma"])
B = int(cfg["batch"])
T = int(cfg["rollout"])
R1 = torch.tensor(cfg["r1"], dtype=torch.float32)
R2 = torch.tensor(cfg["r2"], dtype=torch.float32)
DISCOUNT = (GAMMA ** torch.arange(T, dtype=torch.float32)).unsqueeze(1)


def magic_box(x):
    return torch.exp(x - x.detach())


def rollout(th1, th2):
    """Episodes of two own-view memory-one policies; log-probs stay differentiable in th1 and th2."""
    p1 = torch.sigmoid(th1)
    p2 = torch.sigmoid(th2)
    s1 = torch.zeros(B, dtype=torch.long)
    s2 = torch.zeros(B, dtype=torch.long)
    lp1, lp2, rw1, rw2 = [], [], [], []
    for _ in range(T):
        q1 = p1[s1]
        q2 = p2[s2]
        d1 = torch.rand(B) >= q1.detach()  # True = defect
        d2 = torch.rand(B) >= q2.detach()
        lp1.append(torch.where(d1, torch.log(1 - q1), torch.log(q1)))
        lp2.append(torch.where(d2, torch.log(1 - q2), torch.log(q2)))
        a1 = d1.long()
        a2 = d2.long()
        joint = 2 * a1 + a2
        rw1.append(R1[joint])
        rw2.append(R2[joint])
        s1 = 1 + joint
        s2 = 1 + 2 * a2 + a1
    return torch.stack(lp1), torch.stack(lp2), torch.stack(rw1), torch.stack(rw2)


def dice_objective(lp_self, lp_other, rewards):
    discounted = rewards * DISCOUNT
    centred = discounted - discounted.mean(dim=1, keepdim=True)
    dependencies = torch.cumsum(lp_self + lp_other, dim=0)
    return torch.mean(torch.sum(magic_box(dependencies) * centred, dim=0))


def lola_step(th_self, th_other, self_is_first):
    """Gradient of th_self's DiCE objective against the opponent after k differentiable look-ahead steps."""
    look = th_other
    for _ in range(int(cfg["lookahead"])):
        if self_is_first:
            lp1, lp2, _, rw2 = rollout(th_self, look)
            objective = dice_objective(lp2, lp1, rw2)
        else:
            lp1, lp2, rw1, _ = rollout(look, th_self)
            objective = dice_objective(lp1, lp2, rw1)
        (grad,) = torch.autograd.grad(objective, look, create_graph=True)
        look = look + cfg["lr_inner"] * grad
    if self_is_first:
        lp1, lp2, rw1, _ = rollout(th_self, look)
        objective = dice_objective(lp1, lp2, rw1)
    else:
        lp1, lp2, _, rw2 = rollout(look, th_self)
        objective = dice_objective(lp2, lp1, rw2)
    (grad,) = torch.autograd.grad(objective, th_self)
    return grad


th1 = torch.zeros(5, requires_grad=True)
th2 = torch.zeros(5, requires_grad=True)
joint = []
started = time.perf_counter()
for update in range(int(cfg["updates"])):
    g1 = lola_step(th1, th2, True)
    g2 = lola_step(th2, th1, False)
    with torch.no_grad():
        _, _, rw1, rw2 = rollout(th1, th2)
        per_step = (1 - GAMMA) * ((rw1 + rw2) / 2 * DISCOUNT).sum(dim=0).mean().item()
        joint.append(per_step)
        th1 += cfg["lr_outer"] * g1
        th2 += cfg["lr_outer"] * g2
elapsed = time.perf_counter() - started
last = joint[-10:]
print(json.dumps({
    "elapsed_s": elapsed,
    "joint_per_step_last10": sum(last) / len(last),
    "pC": [torch.sigmoid(th1).tolist(), torch.sigmoid(th2).tolist()],
}))
