import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { ChunkResult, FromWorker, PortableError, ToWorker } from './protocol.js';
import { ModelStepError } from '../../world/errors.js';

/**
 * One worker thread of the parallel search and the chunk results it sends back.
 * Results are queued until the coordinator asks for them; an error in the
 * worker rejects the next wait.
 */
export class SearchWorker {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (message: FromWorker) => void; reject: (error: Error) => void }> = [];
  private readonly inbox: FromWorker[] = [];
  private failure: Error | undefined;

  constructor() {
    // A plain-JavaScript entry that registers tsx, so workers start the same under tsx, vitest or node.
    const entry = fileURLToPath(new URL('./worker-bootstrap.mjs', import.meta.url));
    // OUTAGE_CHECKER_WORKER_PROFILE=<dir> writes a V8 CPU profile per worker: where the workers' time goes.
    const profile = process.env.OUTAGE_CHECKER_WORKER_PROFILE;
    this.worker = new Worker(entry, { execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [] });
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'fatal') return this.fail(rebuildError(message.error));
      const next = this.waiting.shift();
      if (next) next.resolve(message);
      else this.inbox.push(message);
    });
    this.worker.on('error', (error) => this.fail(error));
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** The next message from the worker. */
  next(): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async nextResult(): Promise<ChunkResult> {
    const message = await this.next();
    if (message.type !== 'result') throw new Error(`worker sent ${message.type} where a chunk result was expected`);
    return message;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const { reject } of this.waiting.splice(0)) reject(error);
  }
}

export function rebuildError(error: PortableError): Error {
  if (error.process !== undefined && error.event !== undefined && error.detail !== undefined) return new ModelStepError(error.process, error.event, error.detail);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
