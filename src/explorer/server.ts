import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkedConfigs, variantKindLabel, type ModelDefinition } from '../spec/model.js';
import { parseReplayFile } from '../report/replay-file.js';
import { describeError } from '../world/errors.js';
import { ExplorerError, ExplorerSessions, type Walk } from './session.js';
import { EXPLORER_PAGE } from './page.js';

export interface ExplorerOptions {
  models: ReadonlyArray<ModelDefinition<any>>;
  /** Where the counterexample corpus lives (one folder per model of `*.replay.json` files); missing is fine. */
  corpusDir: string;
}

/** A recorded counterexample or example, as a walk the explorer can open. */
export interface RecordedWalk {
  file: string;
  variant: string;
  config: string;
  property: string;
  verdict: string;
  init?: number;
  path?: number[];
  loopFrom?: number;
  /** Why the file cannot be opened on today's model, when it cannot. */
  error?: string;
}

/**
 * The explorer's HTTP server: one self-contained page (no external assets)
 * and a small JSON API over `ExplorerSessions`. It listens where the caller
 * says; the command line binds it to localhost only.
 */
export function createExplorerServer(options: ExplorerOptions): Server {
  const sessions = new ExplorerSessions(options.models);
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      response.end(body);
    };
    const json = (status: number, value: unknown) => send(status, 'application/json', JSON.stringify(value));
    try {
      if (request.method !== 'GET') return json(405, { error: `${request.method} is not served: the explorer only reads` });
      if (url.pathname === '/') return send(200, 'text/html', EXPLORER_PAGE);
      if (url.pathname === '/api/catalog') return json(200, catalog(options.models));
      if (url.pathname === '/api/page') return json(200, sessions.page(walkOf(url.searchParams)));
      if (url.pathname === '/api/shortest') {
        const walk = walkOf(url.searchParams);
        return json(200, sessions.shortestWalkTo(walk, required(url.searchParams, 'property')));
      }
      if (url.pathname === '/api/recorded') return json(200, recorded(sessions, options.corpusDir, required(url.searchParams, 'model')));
      return json(404, { error: `no such page: ${url.pathname}` });
    } catch (error) {
      return json(error instanceof ExplorerError ? 400 : 500, { error: error instanceof ExplorerError ? error.message : describeError(error) });
    }
  });
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new ExplorerError(`the request names no ${name}`);
  return value;
}

/** A walk from query parameters: model, variant, config, init (default 0) and path ("3.0.1", empty for none). */
export function walkOf(params: URLSearchParams): Walk {
  const path = params.get('path') ?? '';
  const steps = path === '' ? [] : path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  if (steps.some(Number.isNaN)) throw new ExplorerError(`path '${path}' is not a list of action indices separated by dots`);
  const init = params.get('init') ?? '0';
  if (!/^\d+$/.test(init)) throw new ExplorerError(`init '${init}' is not an initial-state index`);
  return { model: required(params, 'model'), variant: required(params, 'variant'), config: required(params, 'config'), init: Number(init), path: steps };
}

function catalog(models: ReadonlyArray<ModelDefinition<any>>) {
  return models.map((m) => ({
    name: m.name,
    summary: m.summary,
    configs: Object.keys(m.configs),
    variants: Object.entries(m.variants).map(([name, v]) => ({ name, kind: variantKindLabel(m, name), summary: v.summary, defaultConfig: checkedConfigs(m, name)[0]! })),
  }));
}

/** The model's corpus files, each turned into action indices on today's model (or the reason it cannot be). */
function recorded(sessions: ExplorerSessions, corpusDir: string, model: string): RecordedWalk[] {
  if (!sessions.models.some((m) => m.name === model)) throw new ExplorerError(`unknown model '${model}' (models: ${sessions.models.map((m) => m.name).join(', ')})`);
  const dir = join(corpusDir, model);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.replay.json'))
    .sort()
    .map((file): RecordedWalk => {
      try {
        const r = parseReplayFile(readFileSync(join(dir, file), 'utf8'), file);
        const base = { file, variant: r.variant, config: r.config, property: r.property, verdict: r.verdict, ...(r.loopFrom !== undefined ? { loopFrom: r.loopFrom } : {}) };
        try {
          const walk = sessions.walkOf({ model, variant: r.variant, config: r.config }, r.steps);
          return { ...base, init: walk.init, path: walk.path };
        } catch (error) {
          return { ...base, error: error instanceof Error ? error.message : String(error) };
        }
      } catch (error) {
        return { file, variant: '', config: '', property: '', verdict: '', error: error instanceof Error ? error.message : String(error) };
      }
    });
}
