import { describe, expect, test } from 'vitest';
import { breadthFirst, FINGERPRINTS_KEEP_NO_EDGES, type BfsResult } from '../../src/engine/bfs.js';
import { checkExhaustive } from '../../src/check/exhaustive.js';
import { instantiate } from '../../src/check/instance.js';
import { stateChecks } from '../../src/check/instance.js';
import type { ModelDefinition } from '../../src/index.js';
import { models } from '../../properties/index.js';
import { PUBLISHED_RUNS } from '../../models/examples/published.js';
import { graph } from './graph.js';
import { parseArgs } from '../../src/cli/args.js';

/** Everything a search reports but timings and the fingerprint note: what both modes must agree on. */
function summary<S, A>(bfs: BfsResult<S, A>) {
  return { states: bfs.states, transitions: bfs.transitions, depth: bfs.depth, complete: bfs.complete, findings: [...bfs.findings.values()] };
}

/** Each state and the path to it, for every state index. */
function everyPath<S, A>(bfs: BfsResult<S, A>, show: (a: A) => unknown) {
  return Array.from({ length: bfs.states }, (_, i) => ({ state: bfs.stateAt(i), path: bfs.pathTo(i).map(show) }));
}

describe('fingerprint mode finds what exact mode finds, and rebuilds the same paths by replay', () => {
  test('on a hand-made graph with two roots, a repeated root and a violation: the same indices, findings and paths', () => {
    const g = graph({ 0: [1, 2], 1: [3], 2: [3, 4], 3: [0], 4: [5], 5: [], 9: [4] }, [0, 9, 0]);
    const checks = [{ name: 'not-5', kind: 'always' as const, test: (s: number) => s === 5 }];
    const exact = breadthFirst(g, checks, { exhaustAll: true });
    const fingerprinted = breadthFirst(g, checks, { exhaustAll: true, fingerprints: true });
    expect(summary(fingerprinted)).toEqual(summary(exact));
    expect(everyPath(fingerprinted, (a) => a)).toEqual(everyPath(exact, (a) => a));
    // The shortest way to 5 starts from the second root, 9: replay must start there.
    expect(fingerprinted.pathTo(exact.findings.get('not-5')!.stateIndex)).toEqual([4, 5]);
  });

  const worlds: Array<[string, ModelDefinition<any>, string, string]> = [
    ['two-phase commit rm3, correct', models.find((m) => m.name === 'two-phase-commit')!, 'correct', 'rm3'],
    ['two-phase commit rm3, TM commits early', models.find((m) => m.name === 'two-phase-commit')!, 'tm-commits-early', 'rm3'],
    ...PUBLISHED_RUNS.filter((run) => typeof run.config === 'string' && run.distinctStates < 3000).map(
      (run) => [`TLA+ example ${run.model.name} ${run.config as string}`, run.model, run.variant, run.config as string] as [string, ModelDefinition<any>, string, string],
    ),
  ];

  test.each(worlds)('%s: every state and every path equal to exact mode', (_name, model, variant, config) => {
    const exactInstance = instantiate(model, variant, config);
    const fpInstance = instantiate(model, variant, config);
    const checks = (i: typeof exactInstance) => stateChecks({ ...i, properties: i.properties.filter((p) => p.kind !== 'eventually') });
    const exact = breadthFirst(exactInstance.world, checks(exactInstance), { exhaustAll: true });
    const fingerprinted = breadthFirst(fpInstance.world, checks(fpInstance), { exhaustAll: true, fingerprints: true });
    expect(exact.complete).toBe(true);
    expect(summary(fingerprinted)).toEqual(summary(exact));
    expect(everyPath(fingerprinted, (a) => a.descriptor)).toEqual(everyPath(exact, (a) => a.descriptor));
    expect(fingerprinted.fingerprints!.collisionProbability).toBeLessThan(1e-9);
  });

  test.each([false, true])('checkExhaustive gives the same rows, traces and witnesses, with a note of the collision estimate (symmetry %s)', (symmetry) => {
    const model = models.find((m) => m.name === 'two-phase-commit')!;
    for (const variant of ['correct', 'tm-commits-early']) {
      const strip = (rows: ReturnType<typeof checkExhaustive>) => rows.map(({ seconds: _s, note: _n, ...rest }) => rest);
      const exact = checkExhaustive(instantiate(model, variant, 'rm4'), { symmetry });
      const fingerprinted = checkExhaustive(instantiate(model, variant, 'rm4'), { symmetry, fingerprints: true });
      expect(strip(fingerprinted)).toEqual(strip(exact));
      expect(fingerprinted.some((r) => r.verdict === 'violated') || variant === 'correct').toBe(true);
      for (const row of fingerprinted) expect(row.note).toMatch(/fingerprint mode \(\d+ bytes a state in its arrays\): probability that a fingerprint collision hid a state \d\.\de-\d+ \(TLC's optimistic estimate\)$/);
    }
  });
});

describe('fingerprint mode and liveness', () => {
  test('the search refuses to record edges without states', () => {
    expect(() => breadthFirst(graph({ 0: [0] }), [], { recordEdges: true, fingerprints: true })).toThrow(FINGERPRINTS_KEEP_NO_EDGES);
  });

  test('a check with an eventually property refuses it in one line', () => {
    const model = models.find((m) => m.properties.some((p) => p.kind === 'eventually'))!;
    const variant = Object.keys(model.variants).find((v) => model.properties.some((p) => p.kind === 'eventually' && p.name in model.variants[v]!.expect))!;
    expect(() => checkExhaustive(instantiate(model, variant), { fingerprints: true })).toThrow(/^fingerprint mode keeps no states and no edges: liveness \(eventually\) properties need the whole graph; check them without --fingerprints$/);
  });
});

describe('--fingerprints on the command line', () => {
  test('is a flag of the exhaustive search, refused where no exhaustive search runs', () => {
    expect(parseArgs(['--fingerprints', '--mode', 'exhaustive']).fingerprints).toBe(true);
    expect(parseArgs([]).fingerprints).toBe(false);
    expect(() => parseArgs(['--fingerprints', '--mode', 'random'])).toThrow(/--fingerprints/);
    expect(() => parseArgs(['--fingerprints=yes'])).toThrow(/takes no value/);
  });
});
