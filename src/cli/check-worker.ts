/**
 * A worker of `npm run check` when it checks several models at once: it loads
 * the same models as the command line (built-in, or the user's files), and for
 * each task it is given runs exactly what the sequential run would for that
 * model, variant and configuration, sending the rows back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CliOptions } from './args.js';
import { loadModelFiles } from './load-models.js';
import { runChecks, type Planned } from './run-checks.js';
import type { CheckTask, FromCheckWorker } from './parallel-checks.js';

const port = parentPort!;
const options = workerData.options as CliOptions;
const builtIn = await import('../../properties/index.js');
const models = options.files.length ? await loadModelFiles(options.files) : builtIn.models;
const suites = options.files.length ? [] : builtIn.externalSuites;

port.on('message', async (task: CheckTask) => {
  const planned: Planned =
    task.suite !== undefined
      ? { suite: suites.find((s) => s.name === task.suite)!, variant: task.variant }
      : { model: models.find((m) => m.name === task.model)!, variant: task.variant, config: task.config! };
  const send = (message: FromCheckWorker) => port.postMessage(message);
  try {
    const rows = await runChecks([planned], task.mode ? { ...options, modes: [task.mode] } : options, (what, progress) => send({ type: 'progress', what, progress }));
    send({ type: 'rows', task: task.index, rows });
  } catch (error) {
    send({ type: 'failed', task: task.index, message: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ type: 'ready' } satisfies FromCheckWorker);
