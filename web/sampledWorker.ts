/**
 * The sampled learners' Web Worker: one message with the page's settings starts one `trainSampled` run (built by
 * ./sampledModel.ts); it posts a progress message after every update and the whole result at the end, or the
 * error. The page cancels a run by terminating the worker, so the run needs no cancellation checks of its own.
 */
import { trainSampled } from "../src/learners/sampled/train.js";
import { InputError } from "../src/util/errors.js";
import { type SampledSettings, sampledOptions } from "./sampledModel.js";
import type { WorkerMessage } from "./sampledProtocol.js";

const post = (message: WorkerMessage) => postMessage(message);

addEventListener("message", (event: MessageEvent<SampledSettings>) => {
  try {
    const started = performance.now();
    const result = trainSampled({
      ...sampledOptions(event.data),
      onUpdate: (update, rewards) => post({ kind: "progress", update: update + 1, rewards: [...rewards] }),
    });
    post({ kind: "done", result, ms: performance.now() - started });
  } catch (error) {
    post({
      kind: "error",
      message: error instanceof Error ? error.message : String(error),
      input: error instanceof InputError,
    });
  }
});
