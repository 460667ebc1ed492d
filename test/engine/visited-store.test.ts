import { describe, expect, test } from 'vitest';
import { collisionProbability, ExactStore, FingerprintStore, type Fingerprinter } from '../../src/engine/visited-store.js';

/** A stub hash that gives 'a' and 'b' one fingerprint and every other key its own. */
const aCollidesWithB: Fingerprinter = (key, out) => {
  out[0] = key === 'a' || key === 'b' ? 1 : key.length + 100;
  out[1] = key === 'a' || key === 'b' ? 1 : key.charCodeAt(0);
};

describe('ExactStore', () => {
  test('spreads its keys over several Maps when one is full (scaled down from 15 million to 16 a Map), each key its own index, each repeat found', () => {
    const store = new ExactStore<string>(16);
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    keys.forEach((k, i) => expect(store.add(k, k, i - 1, i)).toBe(i));
    expect(store.mapCount).toBe(13);
    keys.forEach((k, i) => expect(store.add(k, k, 0, 0)).toBe(-1 - i));
    expect(store.count).toBe(200);
    expect(store.has('k199')).toBe(true);
    expect(store.has('k0')).toBe(true);
    expect(store.has('k200')).toBe(false);
    expect([store.parentOf(5), store.actionOf(5), store.take(5)]).toEqual([4, 5, 'k5']);
  });

  test('grows its parent and action arrays past their first size', () => {
    const store = new ExactStore<number>();
    for (let i = 0; i < 5000; i++) expect(store.add(i, String(i), i - 1, i % 3)).toBe(i);
    for (let i = 0; i < 5000; i++) expect(store.add(i, String(i), 0, 0)).toBe(-1 - i);
    expect([store.parentOf(4999), store.actionOf(4999), store.mapCount]).toEqual([4998, 4999 % 3, 1]);
  });
});

describe('FingerprintStore', () => {
  test('a fingerprint collision hides the second state: the price of fingerprint mode, which the estimate prices', () => {
    const store = new FingerprintStore<string>(aCollidesWithB);
    expect(store.add('a', 'a', -1, -1)).toBe(0);
    expect(store.add('b', 'b', 0, 0)).toBe(-1);
    expect(store.add('c', 'c', 0, 1)).toBe(1);
    expect(store.count).toBe(2);
  });

  test('hands out the queue level by level and keeps only roots whole', () => {
    const store = new FingerprintStore<string>();
    store.add('r0', 'r0', -1, -1);
    store.add('r1', 'r1', -1, -1);
    expect(store.take(0)).toBe('r0');
    store.add('x', 'x', 0, 0);
    expect(store.take(1)).toBe('r1');
    store.add('y', 'y', 1, 2);
    expect([store.take(2), store.take(3)]).toEqual(['x', 'y']);
    expect(store.roots).toEqual(['r0', 'r1']);
    expect([store.parentOf(3), store.actionOf(3)]).toEqual([1, 2]);
    expect(store.has('y')).toBe(true);
    expect(store.has('z')).toBe(false);
  });

  test('refuses an action index it cannot keep in 16 bits, rather than keep a wrong one', () => {
    const store = new FingerprintStore<string>();
    store.add('r', 'r', -1, -1);
    expect(() => store.add('s', 's', 0, 70_000)).toThrow(/16 bits/);
  });
});

test("collisionProbability is TLC's optimistic estimate n(g - n)/2^64", () => {
  expect(collisionProbability(61_515_776, 61_515_776)).toBe(0);
  expect(collisionProbability(2 ** 20, 2 ** 20 + 2 ** 24)).toBe(2 ** 44 / 2 ** 64);
});
