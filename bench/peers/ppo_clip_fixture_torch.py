"""PPO's clipped surrogate in PyTorch, CleanRL ppo.py's lines, as a fixture for test/neural-ppo.test.ts.

    logratio = newlogprob - b_logprobs[mb_inds];  ratio = logratio.exp()
    approx_kl = ((ratio - 1) - logratio).mean();  clipfrac = ((ratio - 1.0).abs() > clip_coef).float().mean()
    pg_loss1 = -mb_advantages * ratio;  pg_loss2 = -mb_advantages * torch.clamp(ratio, 1 - clip_coef, 1 + clip_coef)
    pg_loss = torch.max(pg_loss1, pg_loss2).mean()

Run with Debian's python (torch 1.13): /usr/bin/python3 bench/peers/ppo_clip_fixture_torch.py > test/fixtures/ppo_clip_torch.json
"""
import json

import torch

torch.manual_seed(0)
n = 12
clip = 0.2
new = torch.randn(n, dtype=torch.float64) * 0.3 - 1.4
old = (new + torch.tensor([-0.6, -0.3, -0.15, -0.05, 0.0, 0.05, 0.1, 0.15, 0.3, 0.6, -0.25, 0.25], dtype=torch.float64)).detach()
adv = torch.tensor([1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1.5, -1.5, 0.7, -0.7, -1.2, 1.2], dtype=torch.float64)
new = new.detach().requires_grad_(True)
logratio = new - old
ratio = logratio.exp()
approx_kl = ((ratio - 1) - logratio).mean()
clipfrac = ((ratio - 1.0).abs() > clip).double().mean()
pg_loss1 = -adv * ratio
pg_loss2 = -adv * torch.clamp(ratio, 1 - clip, 1 + clip)
pg_loss = torch.max(pg_loss1, pg_loss2).mean()
pg_loss.backward()
print(json.dumps({
    "clip": clip,
    "newLogProbs": new.detach().tolist(),
    "oldLogProbs": old.tolist(),
    "advantages": adv.tolist(),
    "loss": pg_loss.item(),
    "dLoss_dNewLogProbs": new.grad.tolist(),
    "approxKl": approx_kl.item(),
    "clipFrac": clipfrac.item(),
}, indent=1))
