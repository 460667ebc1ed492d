import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ModelDefinition } from '../spec/model.js';
import { createExplorerServer } from '../explorer/server.js';
import { checkedConfigs } from '../spec/model.js';
import { UsageError } from './args.js';

export const EXPLORE_USAGE = `usage: outage-checker explore [--model M] [--variant V] [--config C] [--port N] [--corpus DIR] [MODEL_FILE...]
  serves a web page on localhost for walking a model's state space by hand: every enabled
  action with where it leads, steps forward and back, the recorded counterexamples, a
  sequence of the path with one lane per process, and a URL (action indices) that reopens
  the same state. --port 0 (the default is 7357) picks a free port. --corpus DIR is where
  recorded counterexamples are read from (default: ./counterexamples).`;

export interface ExploreOptions {
  model?: string;
  variant?: string;
  config?: string;
  port: number;
  corpus: string;
  files: string[];
}

export function parseExploreArgs(argv: readonly string[]): ExploreOptions {
  const options: ExploreOptions = { port: 7357, corpus: 'counterexamples', files: [] };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      options.files.push(arg);
      continue;
    }
    if (seen.has(arg)) throw new UsageError(`${arg} is given twice`);
    seen.add(arg);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
    if (arg === '--model') options.model = value;
    else if (arg === '--variant') options.variant = value;
    else if (arg === '--config') options.config = value;
    else if (arg === '--corpus') options.corpus = value;
    else if (arg === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port needs a port number (0 to 65535), not '${value}'`);
      options.port = Number(value);
    } else throw new UsageError(`explore has no option ${arg} (${EXPLORE_USAGE.split('\n')[0]})`);
  }
  return options;
}

/** The first page's query: the model, variant and configuration asked for, checked against the models. */
export function startQuery(models: ReadonlyArray<ModelDefinition<any>>, options: ExploreOptions): string {
  const model = options.model === undefined ? models[0] : models.find((m) => m.name === options.model);
  if (!model) throw new UsageError(`unknown model '${options.model}' (models: ${models.map((m) => m.name).join(', ')})`);
  const variant = options.variant ?? Object.keys(model.variants)[0]!;
  if (!(variant in model.variants)) throw new UsageError(`model ${model.name} has no variant '${variant}' (variants: ${Object.keys(model.variants).join(', ')})`);
  const config = options.config ?? checkedConfigs(model, variant)[0]!;
  if (!(config in model.configs)) throw new UsageError(`model ${model.name} has no configuration '${config}'`);
  return new URLSearchParams({ model: model.name, variant, config }).toString();
}

/** Serves the explorer on localhost until the process is stopped; resolves with the URL once listening. */
export async function runExplore(models: ReadonlyArray<ModelDefinition<any>>, options: ExploreOptions): Promise<{ url: string; close(): Promise<void> }> {
  const query = startQuery(models, options);
  const server = createExplorerServer({ models, corpusDir: resolve(options.corpus) });
  await new Promise<void>((done, failed) => {
    server.once('error', (error: NodeJS.ErrnoException) => failed(error.code === 'EADDRINUSE' ? new UsageError(`port ${options.port} is in use: give another with --port (0 picks a free one)`) : error));
    server.listen(options.port, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/?${query}`, close: () => new Promise((done) => server.close(() => done())) };
}
