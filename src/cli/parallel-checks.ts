import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckResult } from '../check/result.js';
import type { CliOptions } from './args.js';
import { runChecks, type Planned, type ProgressListener } from './run-checks.js';

/** One planned model, variant and configuration (or suite and variant), by name, for a worker. */
export interface CheckTask {
  index: number;
  model?: string;
  suite?: string;
  variant: string;
  config?: string;
  /** The one mode to check (a model's modes are separate tasks, so the two cores share out finer pieces). */
  mode?: 'exhaustive' | 'random';
}

export type FromCheckWorker =
  | { type: 'ready' }
  | { type: 'progress'; what: string; progress: Parameters<ProgressListener>[1] }
  | { type: 'rows'; task: number; rows: CheckResult[] }
  | { type: 'failed'; task: number; message: string };

/**
 * The same rows as `runChecks`, in the same order, computed by `jobs` worker
 * threads that each take the next planned item when free. Every item is
 * checked from a fresh instance in whichever worker takes it, so the rows do
 * not depend on how items were shared out (only `seconds` differs).
 */
export async function runChecksInParallel(planned: readonly Planned[], options: CliOptions, jobs: number, onProgress?: ProgressListener): Promise<CheckResult[]> {
  if (jobs <= 1 || planned.length <= 1) return runChecks(planned, options, onProgress);
  // Each mode checks from its own fresh instance (see runChecks), so a model's modes may run in different workers;
  // the tasks keep the sequential order (model, then mode), and so do the rows.
  const modes = options.modes.filter((m): m is 'exhaustive' | 'random' => m !== 'scheduler');
  const tasks: CheckTask[] = planned
    .flatMap((p): Array<Omit<CheckTask, 'index'>> => (p.suite ? [{ suite: p.suite.name, variant: p.variant }] : modes.map((mode) => ({ model: p.model.name, variant: p.variant, config: p.config, mode }))))
    .map((task, index) => ({ ...task, index }));
  const results: CheckResult[][] = new Array(tasks.length);
  let next = 0;
  const entry = fileURLToPath(new URL('./check-worker-bootstrap.mjs', import.meta.url));
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(entry, { workerData: { options } });
      const finish = (error?: Error) => {
        void worker.terminate();
        if (error) reject(error);
        else resolve();
      };
      const give = () => {
        if (next >= tasks.length) return finish();
        worker.postMessage(tasks[next++]!);
      };
      worker.on('message', (message: FromCheckWorker) => {
        switch (message.type) {
          case 'ready':
            return give();
          case 'progress':
            return onProgress?.(message.what, message.progress);
          case 'rows':
            results[message.task] = message.rows;
            return give();
          case 'failed':
            return finish(new Error(`checking ${describeTask(tasks[message.task]!)} failed: ${message.message}`));
        }
      });
      worker.on('error', (error) => finish(new Error(`a check worker stopped: ${error.message}`)));
    });
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, runWorker));
  return results.flat();
}

function describeTask(task: CheckTask): string {
  return task.suite ? `${task.suite}/${task.variant}` : `${task.model}/${task.variant} on ${task.config}${task.mode ? `, ${task.mode}` : ''}`;
}
