import { describe, expect, it } from 'vitest';
import { PackedExactStore, PackedFingerprintStore } from '../../src/engine/packed-store.js';
import { fingerprintInto, fingerprintVectorInto } from '../../src/engine/hash.js';

/** Vector number i: a length from 1 to 7 and values that differ from every other vector's. */
function vectorOf(i: number): Uint16Array {
  const length = 1 + (i % 7);
  return Uint16Array.from({ length }, (_, k) => (k === 0 ? i & 0xffff : (i >>> 16) + k * 31));
}

describe('PackedExactStore', () => {
  it('gives each new vector the next index, finds every one again, and reads each back', () => {
    const store = new PackedExactStore();
    const n = 70_000;
    for (let i = 0; i < n; i++) {
      const v = vectorOf(i);
      expect(store.add(v, v.length, i - 1, i % 5)).toBe(i);
      expect(Array.from(store.data.subarray(store.start, store.end))).toEqual(Array.from(v));
    }
    expect(store.count).toBe(n);
    for (const i of [0, 1, 6, 7, 4095, 65_535, 65_536, n - 1]) {
      const v = vectorOf(i);
      expect(store.add(v, v.length, 0, 0)).toBe(-1 - i);
      expect(store.has(v, v.length)).toBe(true);
      store.take(i);
      expect(Array.from(store.data.subarray(store.start, store.end))).toEqual(Array.from(v));
      const [data, start, end] = store.vectorOf(i);
      expect(Array.from(data.subarray(start, end))).toEqual(Array.from(v));
      expect([store.parentOf(i), store.actionOf(i)]).toEqual([i - 1, i % 5]);
    }
    expect(store.count).toBe(n);
  });

  it('tells apart vectors that are prefixes of each other or differ in one place', () => {
    const store = new PackedExactStore();
    const a = Uint16Array.of(1, 2, 3);
    expect(store.add(a, 2, -1, 0)).toBe(0);
    expect(store.add(a, 3, -1, 0)).toBe(1);
    expect(store.has(Uint16Array.of(1, 2, 4), 3)).toBe(false);
    expect(store.add(Uint16Array.of(1, 2), 2, -1, 0)).toBe(-1);
  });
});

describe('PackedFingerprintStore', () => {
  it('keeps the string fingerprints, and a queue of the level being expanded and the next', () => {
    const v = Uint16Array.of(5, 0, 65_535, 7);
    const viaString = new Uint32Array(2);
    const viaVector = new Uint32Array(2);
    fingerprintInto(String.fromCharCode(...v), viaString);
    fingerprintVectorInto(v, 0, v.length, viaVector);
    expect(Array.from(viaVector)).toEqual(Array.from(viaString));

    const store = new PackedFingerprintStore<string>((data, start, end) => String.fromCharCode(...data.subarray(start, end)));
    expect(store.add(Uint16Array.of(1), 1, -1, -1)).toBe(0);
    expect(store.add(Uint16Array.of(1), 1, -1, -1)).toBe(-1);
    expect(store.roots).toEqual([String.fromCharCode(1)]);
    store.take(0);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([1]);
    expect(store.add(Uint16Array.of(2, 2), 2, 0, 0)).toBe(1);
    expect(store.add(Uint16Array.of(3, 3, 3), 3, 0, 1)).toBe(2);
    store.take(1);
    expect(store.add(Uint16Array.of(4), 1, 1, 0)).toBe(3);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([4]);
    store.take(2);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([3, 3, 3]);
    store.take(3);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([4]);
    expect([store.parentOf(3), store.actionOf(3), store.count]).toEqual([1, 0, 4]);
  });
});
