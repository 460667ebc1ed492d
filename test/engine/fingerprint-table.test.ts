import { describe, expect, test } from 'vitest';
import { FingerprintTable } from '../../src/engine/fingerprint-table.js';

/** Distinct pseudo-random 64-bit fingerprints from a fixed xorshift sequence (deterministic). */
function fingerprints(count: number, seed = 0x2545f491): Array<[number, number]> {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  return Array.from({ length: count }, (_, i) => [next(), (next() & ~0xfffff) | i] as [number, number]);
}

describe('FingerprintTable', () => {
  test('grows from 16 slots to hold 100,000 fingerprints, each found once, none invented', () => {
    const table = new FingerprintTable(16);
    const fps = fingerprints(100_000);
    for (const [hi, lo] of fps) expect(table.add(hi, lo)).toBe(true);
    expect(table.size).toBe(100_000);
    expect(table.capacity).toBeGreaterThanOrEqual(100_000 / 0.75);
    for (const [hi, lo] of fps) expect(table.add(hi, lo)).toBe(false);
    expect(table.size).toBe(100_000);
    for (const [hi, lo] of fingerprints(1000, 0x1234567)) expect(table.has(hi ^ 0x80000000, lo)).toBe(false);
  });

  test('fingerprints that share a home slot (the low bits) probe past each other, across growth and the wrap at the end', () => {
    const table = new FingerprintTable(16);
    // Every one of these starts at slot 15, the last: the probe wraps to slot 0.
    const sameHome = Array.from({ length: 40 }, (_, i) => [i + 1, (i << 20) | 0xfffff] as [number, number]);
    for (const [hi, lo] of sameHome) expect(table.add(hi, lo)).toBe(true);
    for (const [hi, lo] of sameHome) expect(table.has(hi, lo)).toBe(true);
    expect(table.has(41, 0xfffff)).toBe(false);
    expect(table.size).toBe(40);
  });

  test('the fingerprint (0, 0), which marks empty slots, is still stored and found', () => {
    const table = new FingerprintTable(16);
    expect(table.has(0, 0)).toBe(false);
    expect(table.add(0, 0)).toBe(true);
    expect(table.has(0, 0)).toBe(true);
    expect(table.add(0, 0)).toBe(false);
  });

  // 2^24 + 1 entries: one more than a JavaScript Map holds. About 400 MB of typed arrays at the last growth.
  test('holds more than 2^24 fingerprints', () => {
    const table = new FingerprintTable(1 << 16);
    const count = 2 ** 24 + 1;
    for (let i = 0; i < count; i++) table.add(Math.imul(i, 0x9e3779b1) >>> 0, i);
    expect(table.size).toBe(count);
    expect(table.has(Math.imul(count - 1, 0x9e3779b1) >>> 0, count - 1)).toBe(true);
    expect(table.has(Math.imul(12345, 0x9e3779b1) >>> 0, 12345)).toBe(true);
    expect(table.has(1, 12345)).toBe(false);
  }, 60_000);
});
