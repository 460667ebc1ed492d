import { describe, expect, test } from 'vitest';
import { breadthFirst, type BfsOptions, type BfsResult } from '../../src/engine/bfs.js';
import { instantiate, stateChecks } from '../../src/check/instance.js';
import { models } from '../../properties/index.js';

/** Everything a search reports but timings and notes: what every way of storing must agree on. */
function summary<S, A>(bfs: BfsResult<S, A>) {
  return { states: bfs.states, transitions: bfs.transitions, depth: bfs.depth, complete: bfs.complete, findings: [...bfs.findings.values()] };
}

/** Each state and the path to it, for every state index. */
function everyPath<S, A extends { descriptor: unknown }>(bfs: BfsResult<S, A>) {
  return Array.from({ length: bfs.states }, (_, i) => ({ state: bfs.stateAt(i), path: bfs.pathTo(i).map((a) => a.descriptor) }));
}

const twoPhase = models.find((m) => m.name === 'two-phase-commit')!;
const search = (variant: string, options: BfsOptions) => {
  const instance = instantiate(twoPhase, variant, 'rm4');
  const checks = stateChecks({ ...instance, properties: instance.properties.filter((p) => p.kind !== 'eventually') });
  return breadthFirst(instance.world, checks, { exhaustAll: true, ...options });
};

describe.each(['correct', 'tm-commits-early'])('two-phase commit rm4 %s: beyond memory, the same search', (variant) => {
  const exact = search(variant, {});

  test('a queue spilled to disk under a tiny bound gives the same states, counts, findings and paths as one kept in memory', () => {
    const inMemory = search(variant, { fingerprints: true });
    const spilled = search(variant, { fingerprints: true, queueMemoryBytes: 2048 });
    expect(inMemory.spilledQueueChunks).toBeUndefined();
    expect(spilled.spilledQueueChunks).toBeGreaterThan(10);
    expect(summary(spilled)).toEqual(summary(inMemory));
    expect(summary(spilled)).toEqual(summary(exact));
    expect(everyPath(spilled)).toEqual(everyPath(exact));
  });

  test.each([
    ['packed, at once', false, 0],
    ['packed, part-way', false, 1000],
    ['plain, at once', true, 0],
    ['plain, part-way', true, 1000],
  ])('an exact search switched to fingerprints (%s) gives the same states, counts, findings and paths', (_when, unpacked, after) => {
    const asked: number[] = [];
    const switchToFingerprints = ({ states }: { states: number }) => (asked.push(states), states > after);
    const switched = search(variant, { switchToFingerprints, queueMemoryBytes: 4096, unpacked });
    expect(switched.switchedToFingerprints).toBe(asked[asked.length - 1]);
    expect(switched.switchedToFingerprints).toBeGreaterThan(after);
    expect(switched.switchedToFingerprints).toBeLessThan(exact.states);
    expect(switched.fingerprints!.collisionProbability).toBeLessThan(1e-9);
    expect(switched.fingerprints!.collisionProbability).toBeLessThan(1e-9);
    expect(summary(switched)).toEqual(summary(exact));
    expect(everyPath(switched)).toEqual(everyPath(exact));
  });

  test('an exact store under its bound, or one that records edges, is not switched', () => {
    expect(search(variant, { switchToFingerprints: () => false }).switchedToFingerprints).toBeUndefined();
    expect(search(variant, { switchToFingerprints: () => false, unpacked: true }).switchedToFingerprints).toBeUndefined();
    const withEdges = search(variant, { switchToFingerprints: () => true, recordEdges: true });
    expect(withEdges.switchedToFingerprints).toBeUndefined();
    expect(withEdges.edges).toBeDefined();
  });
});
