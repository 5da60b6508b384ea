/**
 * The file piscina loads in each worker thread (CommonJS on purpose) for every job of workerPool.ts.
 *
 * piscina loads a worker file with `require()` and, if that throws, retries with `import()`. For an ES-module
 * worker on Node 20 that path goes through require(esm), and when the first load fails for any reason (we saw it
 * while dist/ was being rebuilt) the retry dies with Node's internal "Unexpected status of a module that is
 * imported again after being required" instead of the real error. This entry is plain CommonJS, so `require()`
 * cannot take that path; it loads the ES-module job (the `job` URL in workerData) once with `import()`, which is
 * safe to call concurrently and reports real load errors as they are.
 *
 * An InputError is thrown across the thread boundary as plain data (`{ inputError: { field, message } }`): an
 * Error crosses as a bare Error, without its class or `field`; workerPool.ts turns it back into an InputError.
 */
import { workerData } from "node:worker_threads";

interface Job {
  run(shared: unknown, task: unknown): unknown;
}

const { job: jobUrl, shared } = workerData as { job: string; shared: unknown };
let job: Promise<Job> | undefined;

function asData(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "InputError") return error;
  const field = (error as Error & { field: string }).field;
  const prefix = `${field}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return { inputError: { field, message } };
}

async function runTask(task: unknown): Promise<unknown> {
  job ??= import(jobUrl).then((m) => m.default as Job);
  const loaded = await job;
  try {
    return await loaded.run(shared, task);
  } catch (error) {
    throw asData(error);
  }
}

export = runTask;
