"""Reference gradients for src/nn from PyTorch (1.13, run with /usr/bin/python3), on the same weights and inputs.

Writes test/fixtures/nn_torch.json, read by test/nn-torch.test.ts. Regenerate with:
    /usr/bin/python3 bench/peers/nn_fixture_torch.py

Weights and inputs are drawn in float32 (torch.manual_seed(0)), so shapelab's Float32Array engine starts from
exactly the same numbers; gradients are then computed in float64, so the reference carries no float32 rounding.
The flat parameter vector is torch.cat([p.flatten() for p in module.parameters()]): the order src/nn/params.ts
uses. Optimiser cases (clip_grad_norm_ + Adam, SGD with momentum) run in float32, as a training run would.

orthogonal: torch.nn.init.orthogonal_'s computation (QR, signs from diag(R)) on given float64 normal draws.

Losses (N rows, A advantages, c the entropy coefficient):
    policy:  L = -(1/N) sum A_n log pi(a_n) - c (1/N) sum H_n
    value:   L = F.mse_loss(v, y) = (1/N) sum (v_n - y_n)^2
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "nn_torch.json")


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors]).double().tolist()


def mlp(sizes, activation):
    layers = []
    for i in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(torch.nn.ReLU() if activation == "relu" else torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


class Recurrent(torch.nn.Module):
    """Linear -> ReLU -> GRUCell -> Linear over a time-major sequence [T, B, in]."""

    def __init__(self, inputs, dense, hidden, outputs):
        super().__init__()
        self.dense = torch.nn.Linear(inputs, dense)
        self.gru = torch.nn.GRUCell(dense, hidden)
        self.head = torch.nn.Linear(hidden, outputs)

    def forward(self, x, h0):
        h = h0
        outs = []
        for t in range(x.shape[0]):
            h = self.gru(torch.relu(self.dense(x[t])), h)
            outs.append(self.head(h))
        return torch.stack(outs)


def policy_loss(logits, actions, adv, coef):
    lp = torch.log_softmax(logits, -1)
    logp = lp.gather(-1, actions[..., None])[..., 0]
    ent = -(lp.exp() * lp).sum(-1)
    return -(adv * logp).mean() - coef * ent.mean()


def params_of(module):
    return flat([p.detach() for p in module.parameters()])


def grads_of(module):
    return flat([p.grad for p in module.parameters()])


cases = {}

# --- MLPs: policy loss (relu, tanh) and a value loss ---------------------------------------------------------
for name, sizes, act in [("mlp_relu", [5, 7, 6, 4], "relu"), ("mlp_tanh", [5, 7, 6, 3], "tanh")]:
    net = mlp(sizes, act)
    rows = 8
    x = torch.randn(rows, sizes[0])
    actions = torch.randint(0, sizes[-1], (rows,))
    adv = torch.randn(rows)
    coef = 0.05
    init = params_of(net)
    net64 = mlp(sizes, act).double()
    net64.load_state_dict({k: v.double() for k, v in net.state_dict().items()})
    loss = policy_loss(net64(x.double()), actions, adv.double(), coef)
    loss.backward()
    cases[name] = {
        "architecture": {"kind": "mlp", "sizes": sizes, "activation": act},
        "rows": rows, "x": x.double().flatten().tolist(), "actions": actions.tolist(),
        "advantages": adv.double().tolist(), "entropyCoef": coef,
        "params": init, "loss": loss.item(), "grads": grads_of(net64),
    }

net = mlp([5, 6, 1], "tanh")
x = torch.randn(8, 5)
y = torch.randn(8)
init = params_of(net)
net = net.double()
loss = F.mse_loss(net(x.double())[:, 0], y.double())
loss.backward()
cases["mlp_value"] = {
    "architecture": {"kind": "mlp", "sizes": [5, 6, 1], "activation": "tanh"},
    "rows": 8, "x": x.double().flatten().tolist(), "targets": y.double().tolist(),
    "params": init, "loss": loss.item(), "grads": grads_of(net),
}

# --- Recurrent: actor (policy loss, non-zero h0) and critic (time step as an extra input, value loss) ----------
T, B = 4, 3
for name, (inputs, dense, hidden, outputs) in [("gru_actor", (5, 6, 7, 4)), ("gru_critic", (6, 6, 7, 1))]:
    net = Recurrent(inputs, dense, hidden, outputs)
    init = params_of(net)
    x = torch.randn(T, B, inputs)
    if name == "gru_critic":
        x[:, :, -1] = (torch.arange(T, dtype=torch.float32) / T)[:, None]  # the time step input
    h0 = (0.5 * torch.randn(B, hidden)) if name == "gru_actor" else torch.zeros(B, hidden)
    net64 = Recurrent(inputs, dense, hidden, outputs).double()
    net64.load_state_dict({k: v.double() for k, v in net.state_dict().items()})
    h0_64 = h0.double().requires_grad_(True)
    out = net64(x.double(), h0_64)
    case = {
        "architecture": {"kind": "gru", "inputs": inputs, "dense": dense, "hidden": hidden, "outputs": outputs},
        "steps": T, "batch": B, "x": x.double().flatten().tolist(), "h0": h0.double().flatten().tolist(),
        "params": init,
    }
    if outputs > 1:
        actions = torch.randint(0, outputs, (T, B))
        adv = torch.randn(T, B)
        coef = 0.1
        loss = policy_loss(out, actions, adv.double(), coef)
        case.update({"actions": actions.flatten().tolist(), "advantages": adv.double().flatten().tolist(),
                     "entropyCoef": coef})
    else:
        y = torch.randn(T, B)
        loss = F.mse_loss(out[..., 0], y.double())
        case["targets"] = y.double().flatten().tolist()
    loss.backward()
    case.update({"loss": loss.item(), "grads": grads_of(net64), "gradH0": h0_64.grad.flatten().tolist()})
    cases[name] = case

# --- Optimisers, in float32: clip_grad_norm_ + Adam on mlp_relu; SGD with momentum on mlp_tanh --------------------
def replay(name, make_opt, steps, clip=None):
    c = cases[name]
    sizes = c["architecture"]["sizes"]
    net = mlp(sizes, c["architecture"]["activation"])
    torch.nn.utils.vector_to_parameters(torch.tensor(c["params"], dtype=torch.float32), net.parameters())
    x = torch.tensor(c["x"], dtype=torch.float32).reshape(c["rows"], sizes[0])
    actions = torch.tensor(c["actions"])
    adv = torch.tensor(c["advantages"], dtype=torch.float32)
    opt = make_opt(net.parameters())
    norms = []
    for _ in range(steps):
        opt.zero_grad()
        policy_loss(net(x), actions, adv, c["entropyCoef"]).backward()
        if clip is not None:
            norms.append(torch.nn.utils.clip_grad_norm_(net.parameters(), clip).item())
        opt.step()
    return params_of(net), norms


adam_opts = {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.01}
params, norms = replay("mlp_relu", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                                              weight_decay=0.01), 5, clip=0.05)
cases["adam"] = {"case": "mlp_relu", "steps": 5, "clip": 0.05, "options": adam_opts, "norms": norms,
                 "params": params}
params, _ = replay("mlp_tanh", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01), 3)
cases["sgd"] = {"case": "mlp_tanh", "steps": 3, "options": {"lr": 0.1, "momentum": 0.9, "weightDecay": 0.01},
                "params": params}

# --- orthogonal_: the Q of torch.linalg.qr with diag(R) made positive, from given normal draws -------------------
ortho = []
for rows, cols in [(7, 4), (4, 7), (6, 6)]:
    g = torch.randn(rows, cols, dtype=torch.float64)
    flat_g = g.t() if rows < cols else g
    q, r = torch.linalg.qr(flat_g)
    q = q * torch.diag(r).sign()
    w = (q.t() if rows < cols else q) * 1.5
    ortho.append({"rows": rows, "cols": cols, "gain": 1.5, "normals": g.flatten().tolist(),
                  "weight": w.flatten().tolist()})
cases["orthogonal"] = ortho

cases["torch"] = torch.__version__
with open(OUT, "w") as f:
    json.dump(cases, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")
