import { describe, expect, test } from 'vitest';
import { breadthFirst, type BfsOptions, type BfsResult } from '../../src/engine/bfs.js';
import { instantiate, stateChecks } from '../../src/check/instance.js';
import { models } from '../../properties/index.js';
import { PackedExactStore } from '../../src/engine/packed-store.js';

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
    ['at once', 1],
    // Past its first size: once one of its arrays has grown.
    ['part-way', new PackedExactStore().bytes],
  ])('an exact store switched to fingerprints %s gives the same states, counts, findings and paths', (_when, bytes) => {
    const switched = search(variant, { switchToFingerprintsAtBytes: bytes, queueMemoryBytes: 4096 });
    expect(switched.switchedToFingerprints).toBeGreaterThan(0);
    expect(switched.switchedToFingerprints).toBeLessThan(exact.states);
    if (bytes > 1) expect(switched.switchedToFingerprints).toBeGreaterThan(1000);
    expect(switched.fingerprints!.collisionProbability).toBeLessThan(1e-9);
    expect(summary(switched)).toEqual(summary(exact));
    expect(everyPath(switched)).toEqual(everyPath(exact));
  });

  test('an exact store under its bound, or one that records edges, is not switched', () => {
    expect(search(variant, { switchToFingerprintsAtBytes: 1e9 }).switchedToFingerprints).toBeUndefined();
    const withEdges = search(variant, { switchToFingerprintsAtBytes: 1, recordEdges: true });
    expect(withEdges.switchedToFingerprints).toBeUndefined();
    expect(withEdges.edges).toBeDefined();
  });
});
