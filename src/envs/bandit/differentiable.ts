/**
 * Which differentiable update the gradient shaping adversary (gradientShaper.ts) runs for a surrogate: the
 * Q-learner's mean-field recursion (qLearnerMeanField.ts; planned at β = `planningBeta`, a temperature: at the
 * paper's 257 the logistic is a step whose gradient vanishes), or the GRU's recurrence on expected inputs
 * (gruMeanField.ts). One view per learner object, made on first use.
 */
import { InputError } from "../../util/errors.js";
import type { DifferentiableSurrogate } from "./gradientShaper.js";
import { gruDifferentiable } from "./gruMeanField.js";
import { GruSurrogate } from "./gruSurrogate.js";
import { QLearnerSurrogate } from "./qLearner.js";
import { qLearnerDifferentiable } from "./qLearnerMeanField.js";
import type { BanditSurrogate } from "./surrogate.js";

export function differentiableView(
  planningBeta: number,
): (learner: BanditSurrogate) => DifferentiableSurrogate {
  const views = new WeakMap<BanditSurrogate, DifferentiableSurrogate>();
  return (learner) => {
    let view = views.get(learner);
    if (!view) {
      if (learner instanceof QLearnerSurrogate) view = qLearnerDifferentiable(learner, planningBeta);
      else if (learner instanceof GruSurrogate) view = gruDifferentiable(learner);
      else
        throw new InputError(
          "surrogate",
          "the gradient shaper differentiates the q-learner and the gru only",
        );
      views.set(learner, view);
    }
    return view;
  };
}
