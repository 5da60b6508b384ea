/**
 * Kind `memory-one`: exact play of two fixed memory-one policies (optionally jittered in logit space).
 *
 * For cooperation vectors q1, q2 (own view, [start, CC, CD, DC, DD]) the joint-action chain has start
 * distribution p0 and transition matrix P (src/exact/chain.ts). The run records
 *   - series `reward.i` at round t: the expected payoff at round t, p0ᵀ Pᵗ r_i (mean over samples);
 *   - final `value.i`: the per-step discounted value (1 − γ)·p0ᵀ (I − γP)⁻¹ r_i (src/exact/values.ts);
 *   - final `occupancy.CC`…: the discounted occupancy of each joint state, (1 − γ)·p0ᵀ (I − γP)⁻¹ e_s.
 * With `params.jitter = σ > 0`, each of `params.samples` pairs has logits logit(q) + σ·N(0, 1) drawn from
 * `Rng.derive(seed, sample)`, and every metric is the mean over samples (a robustness check around a pair).
 * Probabilities of exactly 0 or 1 sit at logits ±27.6 (clamped to 1e-12), so a jitter of a few units leaves them
 * where they are: jitter is meant for interior policies.
 */
import * as z from "../../zod.js";
import { JOINT_LABELS } from "../../games/game.js";
import { ChainWorkspace, PARAMS_PER_PAIR } from "../../exact/values.js";
import { clamp, logit, sigmoid } from "../../util/math.js";
import { Rng } from "../../util/rng.js";
import { MemoryOneVector, resolveGameSpec, countSchema } from "../schemas.js";
import type { ExperimentKind, RunConfig } from "../types.js";

const AgentSchema = z.strictObject({ name: z.string().min(1).optional(), pC: MemoryOneVector });
const BudgetSchema = z.strictObject({ rounds: countSchema("turns").default(50) });
const ParamsSchema = z.strictObject({
  jitter: z.number().min(0).max(100).default(0),
  samples: countSchema("samples").default(1),
});

export const memoryOneKind: ExperimentKind = {
  name: "memory-one",
  description: "exact values and expected per-round rewards of two fixed memory-one policies",
  agents: z.array(AgentSchema).length(2),
  budget: BudgetSchema,
  params: ParamsSchema,
  metricFamilies: ["reward", "value", "occupancy"],
  run(config: RunConfig, seed: number) {
    const game = resolveGameSpec(config.game);
    const agents = config.agents.map((a) => AgentSchema.parse(a));
    const { rounds } = BudgetSchema.parse(config.budget);
    const { jitter, samples } = ParamsSchema.parse(config.params);
    const gamma = config.gamma;

    const pC = new Float64Array(samples * PARAMS_PER_PAIR);
    for (let s = 0; s < samples; s++) {
      const rng = Rng.derive(seed, s);
      for (let i = 0; i < 2; i++) {
        for (let k = 0; k < 5; k++) {
          const q = agents[i].pC[k];
          pC[s * PARAMS_PER_PAIR + i * 5 + k] =
            jitter > 0 ? sigmoid(logit(clamp(q, 1e-12, 1 - 1e-12)) + jitter * rng.normal()) : q;
        }
      }
    }

    const reward1 = new Float64Array(rounds);
    const reward2 = new Float64Array(rounds);
    const value = [0, 0];
    const occupancy = new Float64Array(4);
    const ws = new ChainWorkspace();
    const dist = new Float64Array(4);
    const next = new Float64Array(4);
    const unit = new Float64Array(4);
    for (let s = 0; s < samples; s++) {
      if (!ws.solve(pC, s * PARAMS_PER_PAIR, gamma)) throw new Error(`singular chain at sample ${s}`);
      value[0] += ((1 - gamma) * ws.value(game.r1)) / samples;
      value[1] += ((1 - gamma) * ws.value(game.r2)) / samples;
      for (let j = 0; j < 4; j++) {
        unit.fill(0);
        unit[j] = 1;
        occupancy[j] += ((1 - gamma) * ws.value(unit)) / samples;
      }
      dist.set(ws.p0);
      for (let t = 0; t < rounds; t++) {
        let r1 = 0;
        let r2 = 0;
        for (let j = 0; j < 4; j++) {
          r1 += dist[j] * game.r1[j];
          r2 += dist[j] * game.r2[j];
        }
        reward1[t] += r1 / samples;
        reward2[t] += r2 / samples;
        next.fill(0);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) next[j] += dist[i] * ws.P[4 * i + j];
        dist.set(next);
      }
    }

    const final: Record<string, number> = { "value.1": value[0], "value.2": value[1] };
    JOINT_LABELS.forEach((label, j) => {
      final[`occupancy.${label}`] = occupancy[j];
    });
    return {
      final,
      series: {
        steps: Array.from({ length: rounds }, (_, t) => t),
        values: { "reward.1": Array.from(reward1), "reward.2": Array.from(reward2) },
      },
      artifacts: {},
    };
  },
};
