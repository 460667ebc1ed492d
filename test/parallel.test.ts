import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { breadthFirst, type BfsResult } from '../src/engine/bfs.js';
import { instantiate, stateChecks } from '../src/check/instance.js';
import type { WorldAction } from '../src/world/actions.js';
import { closeWorkers, openWorkers, parallelBreadthFirst } from '../src/check/parallel/parallel-bfs.js';
import { models } from '../properties/index.js';
import { acpNb } from '../models/examples/acp-nb/model.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The parallel search must be the sequential one run faster: the same counts,
 * depth, completeness, the same first finding per property (index, witness,
 * totals at discovery) and the same shortest trace, with 1 and 2 workers.
 * Small chunks make every level span several chunks and both workers, so the
 * in-order merge, the renumbering of ids a worker met first and the rebuild of
 * a worker whose ids diverged are all exercised.
 */

function summary(result: BfsResult<string, WorldAction>) {
  return {
    states: result.states,
    transitions: result.transitions,
    depth: result.depth,
    complete: result.complete,
    failure: result.failure ? String(result.failure.error) : undefined,
    findings: [...result.findings.values()].map((f) => ({ ...f, trace: result.pathTo(f.stateIndex).map((a) => a.id) })),
  };
}

function sequential(model: string, variant: string, config: string | undefined, options: { maxStates?: number; maxDepth?: number } = {}) {
  const instance = instantiate(models.find((m) => m.name === model)!, variant, config);
  return summary(breadthFirst(instance.world, stateChecks(instance), options));
}

const cases: Array<[string, string, string]> = [
  ['two-phase-commit', 'correct', 'rm3'],
  ['two-phase-commit', 'correct', 'rm4'],
  ['two-phase-commit', 'correct', 'rm5'],
  ['two-phase-commit', 'tm-commits-early', 'rm3'],
  ['two-phase-commit', 'tm-commits-early', 'rm4'],
  ['two-phase-commit', 'tm-commits-early', 'rm5'],
  ['replica-election', 'buggy', 'two-suspicions'],
  ['replica-election', 'fixed', 'two-writes'],
  ['replica-election', 'buggy', 'two-replicas-crash'],
];

describe('parallel breadth-first search', () => {
  const pools: Record<number, ReturnType<typeof openWorkers>> = {};
  beforeAll(() => {
    pools[1] = openWorkers(1);
    pools[2] = openWorkers(2);
  });
  afterAll(async () => {
    await Promise.all(Object.values(pools).map(closeWorkers));
  });

  test.each(cases)('%s %s %s: identical to breadthFirst with 1 and 2 workers', async (model, variant, config) => {
    const expected = sequential(model, variant, config);
    for (const workers of [1, 2]) {
      const result = await parallelBreadthFirst(model, variant, config, { pool: pools[workers], chunkSize: 97 });
      expect(summary(result), `${workers} worker(s)`).toEqual(expected);
      if (workers === 2 && model === 'two-phase-commit' && config === 'rm5') {
        // The paths that keep two Worlds' ids in step were taken, so their equality above means something.
        expect(result.stats.renumbered).toBeGreaterThan(0);
        expect(result.stats.rebuilds).toBeGreaterThan(0);
      }
    }
  });

  test('a violated variant stops where the sequential search stops, with the same shortest trace', async () => {
    const expected = sequential('two-phase-commit', 'tm-commits-early', 'rm4');
    // The early stop is the interesting part: the search is not complete and found every property.
    expect(expected.complete).toBe(false);
    expect(expected.findings.map((f) => f.check).sort()).toEqual(['abort-happens', 'commit-happens', 'tc-consistent']);
    const result = await parallelBreadthFirst('two-phase-commit', 'tm-commits-early', 'rm4', { pool: pools[2], chunkSize: 31 });
    expect(summary(result)).toEqual(expected);
  });

  test('bounds: max states and max depth truncate exactly as the sequential search does', async () => {
    for (const bound of [{ maxStates: 500 }, { maxDepth: 4 }]) {
      const expected = sequential('two-phase-commit', 'correct', 'rm4', bound);
      expect(expected.complete).toBe(false);
      const result = await parallelBreadthFirst('two-phase-commit', 'correct', 'rm4', { ...bound, pool: pools[2], chunkSize: 64 });
      expect(summary(result), JSON.stringify(bound)).toEqual(expected);
    }
  });

  test('stateAt gives states of the coordinator World, whose actions replay the trace', async () => {
    const result = await parallelBreadthFirst('replica-election', 'buggy', 'two-suspicions', { pool: pools[2], chunkSize: 50 });
    const finding = result.findings.get('single-primary')!;
    const world = result.instance.world;
    let state = world.initialStates()[0]!;
    for (const action of result.pathTo(finding.stateIndex)) state = world.nextState(state, action);
    expect(state).toBe(result.stateAt(finding.stateIndex));
  });

  test('several initial states: the same search from every root, with each state traced back to its own', async () => {
    // A user's file of models (no `models` list): the workers import it and pick the model by name.
    const modelsModule = new URL('../models/examples/acp-nb/model.ts', import.meta.url).href;
    const instance = instantiate(acpNb, 'spec', 'acp-nb-tlc');
    const expected = breadthFirst(instance.world, stateChecks(instance), {});
    expect(instance.world.initialStates()).toHaveLength(4);
    const result = await parallelBreadthFirst('acp-nb', 'spec', 'acp-nb-tlc', { pool: pools[2], chunkSize: 256, modelsModule });
    expect(summary(result)).toEqual(summary(expected));
    expect(result.states).toBe(4284);
    const roots = (r: BfsResult<string, WorldAction>) => Array.from({ length: r.states }, (_, i) => r.stateAt(r.rootOf(i)));
    expect(roots(result)).toEqual(roots(expected));
  });
});

describe('--workers with a user model file', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) => run(join(process.cwd(), 'node_modules/.bin/tsx'), ['src/cli/main.ts', ...args], { cwd: process.cwd() });
  const rows = (text: string) => JSON.stringify(JSON.parse(text).results, (k, v) => (k === 'seconds' ? undefined : v));

  test('examples/lease-lock.ts gives the same rows on two workers as on one', async () => {
    const args = ['examples/lease-lock.ts', '--mode', 'exhaustive', '--json'];
    const one = await cli(...args);
    const two = await cli(...args, '--workers', '2');
    expect(JSON.parse(two.stdout).results.length).toBeGreaterThan(0);
    expect(rows(two.stdout)).toBe(rows(one.stdout));
  }, 60_000);
});
