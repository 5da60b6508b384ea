/**
 * The paper's model selection for the bandit adversaries (src/envs/bandit/selection.ts, the `selection` option of
 * choice-engineering): the selector picks the known best of fixed adversaries (the white-box threshold rule,
 * ≈ 69 %, against random / greedy / primacy ≈ 50–54 %), the kind picks a trained configuration over an
 * untrained one and reports its bias on test sessions apart from the validation ones, one configuration with one
 * checkpoint reproduces the plain run exactly, and a selection for an adversary that is not trained is refused.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { banditBaseline } from "../src/envs/bandit/adversaries.js";
import { QLearnerSurrogate } from "../src/envs/bandit/qLearner.js";
import { selectByValidation } from "../src/envs/bandit/selection.js";
import { checkpointSteps } from "../src/envs/rl/checkpoints.js";
import { choiceEngineeringKind } from "../src/experiments/kinds/choiceEngineering.js";
import type { RunConfig } from "../src/experiments/types.js";
import { InputError } from "../src/util/errors.js";
import { Rng } from "../src/util/rng.js";

const config = (agent: Record<string, unknown>, sessions = 400) =>
  ({ agents: [agent], params: { sessions } }) as unknown as RunConfig;

describe("adversary selection (Dezfouli et al.'s configs × checkpoints)", () => {
  it("checkpoints are evenly spaced and end at the last step", () => {
    assert.deepEqual(checkpointSteps(60, 3), [20, 40, 60]);
    assert.deepEqual(checkpointSteps(10, 4), [3, 5, 8, 10]);
    assert.deepEqual(checkpointSteps(2, 5), [1, 2]);
    assert.deepEqual(checkpointSteps(7, 0), []);
  });

  it("picks the known best of fixed adversaries on validation sessions", () => {
    const names = ["random", "greedy", "threshold", "primacy"] as const;
    const candidates = names.map((name, config) => ({
      config,
      checkpoint: 0,
      step: 0,
      adversary: banditBaseline(name),
    }));
    const { best, validation } = selectByValidation(
      candidates,
      (games) => new QLearnerSurrogate(games),
      500,
      () => Rng.seeded(9),
    );
    assert.equal(best.config, 2, `validation ${validation}`);
    // The calibration points (adversaries.ts): 500 sessions put each within ≈ 0.01 (sd of a session ≈ 0.05).
    const expected = [0.5, 0.544, 0.694, 0.544];
    for (let i = 0; i < 4; i++)
      assert.ok(Math.abs(validation[i] - expected[i]) < 0.02, `${names[i]} ${validation[i]}`);
  });

  it("the kind keeps a trained configuration over an untrained one and tests it on other sessions", () => {
    const agent = {
      adversary: "policy-gradient",
      batch: 300,
      selection: {
        // config 0 barely moves from uniform weights (a random reward-vector policy); config 1 trains (≈ 0.66)
        configs: [{ updates: 2, lr: 1e-9 }, { updates: 12 }],
        checkpoints: 2,
        sessions: 400,
      },
    };
    choiceEngineeringKind.check?.(config(agent));
    const { final } = choiceEngineeringKind.run(config(agent), 0) as { final: Record<string, number> };
    assert.equal(final["selection.candidates"], 4);
    assert.equal(final["selection.config"], 1, JSON.stringify(final));
    assert.ok(final["selection.step"] === 6 || final["selection.step"] === 12);
    // Test and validation sessions are different draws of the same adversary: close, not equal.
    assert.notEqual(final.bias, final["selection.validation"]);
    assert.ok(Math.abs(final.bias - final["selection.validation"]) < 0.03, JSON.stringify(final));
    const untrained = choiceEngineeringKind.run(
      config({ adversary: "policy-gradient", batch: 300, updates: 2, lr: 1e-9 }),
      0,
    ) as {
      final: Record<string, number>;
    };
    assert.ok(final.bias > untrained.final.bias + 0.1, `${final.bias} vs untrained ${untrained.final.bias}`);
  });

  it("one configuration with one checkpoint is the plain run (same training seed, same test sessions)", () => {
    const plain = { adversary: "dqn", dqn: { episodes: 3, games: 16 } };
    const selected = { ...plain, selection: { configs: [{}], checkpoints: 1, sessions: 50 } };
    const a = choiceEngineeringKind.run(config(plain, 200), 4) as { final: Record<string, number> };
    const b = choiceEngineeringKind.run(config(selected, 200), 4) as { final: Record<string, number> };
    assert.equal(b.final.bias, a.final.bias);
    assert.equal(b.final["selection.step"], 3);
  });

  it("refuses a selection for an adversary that is not trained, naming the field", () => {
    assert.throws(
      () => choiceEngineeringKind.check?.(config({ adversary: "threshold", selection: { configs: [{}] } })),
      (e: unknown) => e instanceof InputError && /agents\.0\.selection/.test(e.message),
    );
  });
});
