"""Peer for bench/nn.ts: the same policy-gradient update in PyTorch (1.13, float32, one thread).

Usage: /usr/bin/python3 nn_torch.py CONFIG.json
CONFIG.json: {"kind": "mlp", "sizes": [36, 64, 64, 4], "rows": 4096}                     an MLP (tanh) update, or
             {"kind": "gru", "inputs": 36, "dense": 64, "hidden": 64, "outputs": 4,
              "steps": 16, "batch": 512}                                                  a Linear->GRU->head update
             plus "dir" (holding params.f32, x.f32, actions.i32, advantages.f32: little-endian raw arrays written by
             the bench), "entropy_coef", "lr", "warmup", "updates", "repeats".
One update = forward, L = -(1/N) sum A log pi(a) - c (1/N) sum H, zero_grad, backward (BPTT for the GRU), Adam.
The parameters are torch.cat([p.flatten() for p in net.parameters()]), the order of src/nn/params.ts.
Prints one JSON line: {"update_ms", "update_cpu_ms" (best of repeats, per update), "loss0" (the first update's
loss), "params1" (parameters after that first update), "torch"}.
"""
import json
import os
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)


class Recurrent(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = torch.nn.Linear(c["inputs"], c["dense"])
        self.gru = torch.nn.GRUCell(c["dense"], c["hidden"])
        self.head = torch.nn.Linear(c["hidden"], c["outputs"])
        self.steps, self.batch, self.hidden = c["steps"], c["batch"], c["hidden"]

    def forward(self, x):
        # Step by step, as POLA's and LOQA's actors run (x needs no gradient, so slicing it is free; slicing a
        # [T*B, 64] activation instead would make autograd build a full-size gradient per step: 4x slower).
        h = torch.zeros(self.batch, self.hidden)
        xs = x.view(self.steps, self.batch, -1)
        logits = []
        for t in range(self.steps):
            h = self.gru(torch.relu(self.dense(xs[t])), h)
            logits.append(self.head(h))
        return torch.cat(logits)


def main():
    c = json.load(open(sys.argv[1]))
    d = c["dir"]
    if c["kind"] == "mlp":
        sizes = c["sizes"]
        layers = []
        for i in range(1, len(sizes)):
            layers.append(torch.nn.Linear(sizes[i - 1], sizes[i]))
            if i < len(sizes) - 1:
                layers.append(torch.nn.Tanh())
        net = torch.nn.Sequential(*layers)
        rows, inputs = c["rows"], sizes[0]
    else:
        net = Recurrent(c)
        rows, inputs = c["steps"] * c["batch"], c["inputs"]
    load = lambda name, dtype: torch.from_numpy(np.fromfile(os.path.join(d, name), dtype=dtype))
    torch.nn.utils.vector_to_parameters(load("params.f32", "<f4"), net.parameters())
    x = load("x.f32", "<f4").reshape(rows, inputs)
    actions = load("actions.i32", "<i4").long()
    adv = load("advantages.f32", "<f4")
    opt = torch.optim.Adam(net.parameters(), lr=c["lr"])
    coef = c["entropy_coef"]

    def update():
        lp = torch.log_softmax(net(x), -1)
        logp = lp.gather(1, actions[:, None])[:, 0]
        ent = -(lp.exp() * lp).sum(-1)
        loss = -(adv * logp).mean() - coef * ent.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    loss0 = update()
    params1 = torch.nn.utils.parameters_to_vector(net.parameters()).tolist()
    for _ in range(c["warmup"]):
        update()
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(c["repeats"]):
        w, p = time.perf_counter(), time.process_time()
        for _ in range(c["updates"]):
            update()
        best_wall = min(best_wall, (time.perf_counter() - w) / c["updates"])
        best_cpu = min(best_cpu, (time.process_time() - p) / c["updates"])
    print(json.dumps({"update_ms": best_wall * 1e3, "update_cpu_ms": best_cpu * 1e3, "loss0": loss0,
                      "params1": params1, "torch": torch.__version__}))


main()
