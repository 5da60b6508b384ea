/**
 * The file piscina loads in each worker thread (CommonJS on purpose).
 *
 * piscina loads a worker file with `require()` and, if that throws, retries with `import()`. For an ES-module
 * worker on Node 20 that path goes through require(esm), and when the first load fails for any reason (we saw it
 * while dist/ was being rebuilt) the retry dies with Node's internal "Unexpected status of a module that is
 * imported again after being required" instead of the real error. This entry is plain CommonJS, so `require()`
 * cannot take that path; it loads the ES-module task (`runWorker.js`) once with `import()`, which is safe to call
 * concurrently and reports real load errors as they are.
 */
type Task = (unit: unknown) => Promise<unknown>;

let task: Promise<Task> | undefined;

function runTask(unit: unknown): Promise<unknown> {
  task ??= import("./runWorker.js").then((m) => m.default as Task);
  return task.then((run) => run(unit));
}

export = runTask;
