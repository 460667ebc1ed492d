import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../src/engine/fingerprint-table.js';
import { PackedExactStore, PackedFingerprintStore } from '../../src/engine/packed-store.js';

// Smaller, faster versions of fingerprint-table.test.ts and packed-store.test.ts for the mutation run:
// enough entries to make each array grow a few times, every answer collected and compared once.

/** Vector i: length 1 to 40, values unique to i. */
const vectorOf = (i: number) => Uint16Array.from({ length: 1 + (i % 40) }, (_, k) => (k === 0 ? i : (i * 7 + k) & 0xffff));
const list = (v: Uint16Array) => Array.from(v).join(',');

describe('FingerprintTable, small', () => {
  it('has 256 segments of 16 slots at least, and grows one segment by a quarter once it is three quarters full, keeping every fingerprint', () => {
    const table = new FingerprintTable(16);
    expect([table.capacity, table.bytes]).toEqual([256 * 16, 256 * 16 * 8]);
    // Low halves 3i (i < 100) have distinct low bytes: one fingerprint a segment, so nothing grows.
    const added = Array.from({ length: 100 }, (_, i) => table.add(Math.imul(i, 0x9e3779b1), i * 3));
    expect(added.every(Boolean)).toBe(true);
    expect([table.size, table.capacity]).toEqual([100, 256 * 16]);
    expect(Array.from({ length: 100 }, (_, i) => table.add(Math.imul(i, 0x9e3779b1), i * 3)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, (_, i) => table.has(Math.imul(i, 0x9e3779b1), i * 3)).every(Boolean)).toBe(true);
    expect(Array.from({ length: 100 }, (_, i) => table.has(Math.imul(i, 0x9e3779b1) ^ 1, i * 3)).some(Boolean)).toBe(false);
    // One segment (low half 1): its 12th fingerprint is the last before it grows (0.75 × 16), the 13th makes it 20 slots.
    const edge = new FingerprintTable(16);
    for (let i = 1; i <= 12; i++) edge.add(i, 1);
    expect(edge.capacity).toBe(256 * 16);
    edge.add(13, 1);
    expect(edge.capacity).toBe(255 * 16 + 20);
    expect(Array.from({ length: 13 }, (_, i) => edge.has(i + 1, 1)).every(Boolean)).toBe(true);
    expect(edge.size).toBe(13);
    expect(new FingerprintTable(256 * 17).capacity).toBe(256 * 17);
    expect(new FingerprintTable().capacity).toBe(4096);
    // A lower load limit grows sooner: the 9th fingerprint of a 16-slot segment at 0.5.
    const half = new FingerprintTable(16, 0.5);
    for (let i = 1; i <= 8; i++) half.add(i, 1);
    expect(half.capacity).toBe(256 * 16);
    half.add(9, 1);
    expect(half.capacity).toBe(255 * 16 + 20);
  });

  it('tells apart halves that differ in either word, negative halves included, and keeps (0, 0)', () => {
    const table = new FingerprintTable(16);
    expect(table.add(-1, 5)).toBe(true);
    expect(table.has(0xffffffff, 5)).toBe(true);
    expect(table.has(5, -1)).toBe(false);
    expect(table.add(5, -1)).toBe(true);
    expect(table.add(5, 0xffffffff)).toBe(false);
    expect(table.has(0, 0)).toBe(false);
    expect(table.add(0, 0)).toBe(true);
    // (0, 0) is kept as (0, 1): the two are one fingerprint here.
    expect(table.has(0, 1)).toBe(true);
    expect(table.add(0, 1)).toBe(false);
    expect(table.size).toBe(3);
  });

  it('fingerprints with one home slot probe past each other and wrap at the end, before and after growth', () => {
    const table = new FingerprintTable(16);
    for (let i = 1; i <= 11; i++) table.add(i, 15);
    expect(Array.from({ length: 11 }, (_, i) => table.has(i + 1, 15))).toEqual(new Array(11).fill(true));
    expect(table.has(12, 15)).toBe(false);
    for (let i = 12; i <= 30; i++) table.add(i, 15 + 16 * (i % 2));
    expect(Array.from({ length: 30 }, (_, i) => table.has(i + 1, i + 1 <= 11 ? 15 : 15 + 16 * ((i + 1) % 2)))).toEqual(new Array(30).fill(true));
    expect(table.size).toBe(30);
  });
});

describe('PackedExactStore, small', () => {
  it('stores 3,000 vectors of 1 to 40 numbers past every first array size, finds each again, reads each back', () => {
    const store = new PackedExactStore();
    const wrong: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = vectorOf(i);
      // Written with a tail of junk past `length`, which must be ignored.
      const buffer = Uint16Array.from([...v, 9, 9]);
      if (store.add(buffer, v.length, i - 1, i % 3) !== i) wrong.push(`add ${i}`);
      if (list(store.data.subarray(store.start, store.end)) !== list(v)) wrong.push(`added ${i}`);
    }
    for (let i = 0; i < 3000; i++) {
      const v = vectorOf(i);
      if (store.add(v, v.length, 0, 0) !== -1 - i) wrong.push(`again ${i}`);
      if (!store.has(v, v.length)) wrong.push(`has ${i}`);
      store.take(i);
      if (list(store.data.subarray(store.start, store.end)) !== list(v)) wrong.push(`take ${i}`);
      const [data, start, end] = store.vectorOf(i);
      if (list(data.subarray(start, end)) !== list(v)) wrong.push(`vectorOf ${i}`);
      if (store.parentOf(i) !== i - 1 || store.actionOf(i) !== i % 3) wrong.push(`tree ${i}`);
    }
    expect(wrong).toEqual([]);
    expect(store.count).toBe(3000);
    expect(store.parents[2999]).toBe(2998);
    expect(store.actions[2999]).toBe(2999 % 3);
    expect(store.bytes).toBeGreaterThan(2 * 3000 * 23);
  });

  it('tells apart a prefix, a vector differing in its last place, and the empty vector', () => {
    const store = new PackedExactStore();
    expect(store.add(Uint16Array.of(1, 2, 3), 3, -1, 0)).toBe(0);
    expect(store.has(Uint16Array.of(1, 2), 2)).toBe(false);
    expect(store.has(Uint16Array.of(1, 2, 4), 3)).toBe(false);
    expect(store.add(Uint16Array.of(1, 2, 4), 3, 0, 1)).toBe(1);
    expect(store.add(new Uint16Array(0), 0, 0, 2)).toBe(2);
    expect(store.add(new Uint16Array(4), 0, 0, 2)).toBe(-3);
    expect([store.start, store.end].map((x) => x - store.start)).toEqual([0, 0]);
    store.take(1);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([1, 2, 4]);
  });
});

describe('PackedFingerprintStore, small', () => {
  it('queues each level behind the one being expanded, reusing the spent level’s room, and keeps only roots whole', () => {
    const store = new PackedFingerprintStore<string>((data, start, end) => Array.from(data.subarray(start, end)).join('.'));
    // Level 0: two roots; level 1: three states; level 2: two states; repeats are refused (-1).
    expect([store.add(Uint16Array.of(1), 1, -1, -1), store.add(Uint16Array.of(2, 2), 2, -1, -1), store.add(Uint16Array.of(1), 1, -1, -1)]).toEqual([0, 1, -1]);
    expect(store.roots).toEqual(['1', '2.2']);
    const taken = (at: number) => (store.take(at), Array.from(store.data.subarray(store.start, store.end)).join('.'));
    expect(taken(0)).toBe('1');
    expect(store.add(Uint16Array.of(3, 3, 3), 3, 0, 0)).toBe(2);
    expect(Array.from(store.data.subarray(store.start, store.end))).toEqual([3, 3, 3]);
    expect(store.add(Uint16Array.of(4), 1, 0, 1)).toBe(3);
    expect(taken(1)).toBe('2.2');
    expect(store.add(Uint16Array.of(5, 5), 2, 1, 0)).toBe(4);
    expect(taken(2)).toBe('3.3.3');
    expect(store.add(Uint16Array.of(6), 1, 2, 0)).toBe(5);
    expect(store.add(Uint16Array.of(2, 2), 2, 2, 1)).toBe(-1);
    expect(taken(3)).toBe('4');
    expect(taken(4)).toBe('5.5');
    expect(store.add(Uint16Array.of(7, 7, 7, 7), 4, 4, 0)).toBe(6);
    expect(taken(5)).toBe('6');
    expect(taken(6)).toBe('7.7.7.7');
    expect(store.roots).toEqual(['1', '2.2']);
    expect([4, 5, 6].map((i) => [store.parentOf(i), store.actionOf(i)])).toEqual([
      [1, 0],
      [2, 0],
      [4, 0],
    ]);
    expect([store.count, store.has(Uint16Array.of(6), 1), store.has(Uint16Array.of(8), 1)]).toEqual([7, true, false]);
    expect(store.bytes).toBeGreaterThan(0);
  });

  it('holds a level larger than its first arena: 3,000 vectors in one level, each read back in order', () => {
    const store = new PackedFingerprintStore<string>(() => 'root');
    store.add(Uint16Array.of(0xffff), 1, -1, -1);
    store.take(0);
    for (let i = 0; i < 3000; i++) store.add(vectorOf(i), 1 + (i % 40), 0, i % 7);
    const wrong: number[] = [];
    for (let i = 0; i < 3000; i++) {
      store.take(i + 1);
      if (list(store.data.subarray(store.start, store.end)) !== list(vectorOf(i))) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });
});
