import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SharedFingerprintTable } from '../../src/engine/shared-fingerprint-table.js';

/** n pseudo-random fingerprints from a fixed xorshift sequence; every one with a non-zero half, so none is merged with another. */
function fingerprints(n: number, seed: number): { his: Int32Array; los: Int32Array } {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 1;
  };
  const his = new Int32Array(n);
  const los = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    his[i] = next();
    los[i] = next();
  }
  return { his, los };
}

describe('SharedFingerprintTable', () => {
  it('on one thread: adds each fingerprint once, finds it, invents none; zero halves are kept apart from empty slots', () => {
    const table = new SharedFingerprintTable(1 << 12);
    const { his, los } = fingerprints(3000, 0x1234567);
    for (let i = 0; i < his.length; i++) expect(table.add(his[i]!, los[i]!)).toBe(true);
    for (let i = 0; i < his.length; i++) expect(table.add(his[i]!, los[i]!)).toBe(false);
    expect(table.has(his[7]! ^ 0x40, los[7]!)).toBe(false);
    expect(table.add(0, 0)).toBe(true);
    expect(table.has(0, 0)).toBe(true);
    expect(table.count()).toBe(3001);
    const bigger = new SharedFingerprintTable(1 << 13);
    table.copyInto(bigger);
    expect(bigger.count()).toBe(3001);
    expect(bigger.has(his[2999]!, los[2999]!)).toBe(true);
    const full = new SharedFingerprintTable(16);
    expect(() => {
      for (let i = 0; i < 17; i++) full.add(his[i]!, los[i]!);
    }).toThrow(/full \(16 slots\)/);
  });

  it('two threads racing over the same fingerprints: each one is added by exactly one of them', async () => {
    const n = 200_000;
    const table = new SharedFingerprintTable(n * 2);
    const { his, los } = fingerprints(n, 0x2545f491);
    const go = new Int32Array(new SharedArrayBuffer(4));
    const entry = fileURLToPath(new URL('./shared-table-worker.mjs', import.meta.url));
    // Both get every fingerprint in the same order: they meet on the same slots at the same time.
    const runs = [
      { his, los },
      { his: his.slice(), los: los.slice() },
    ];
    const workers = runs.map((data) => new Worker(entry, { workerData: { buffer: table.buffer, go, ...data } }));
    const results = workers.map((w) => new Promise<number[]>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
    // Let both reach their wait, then release them at once.
    await new Promise((r) => setTimeout(r, 2000));
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    const [a, b] = await Promise.all(results);
    await Promise.all(workers.map((w) => w.terminate()));
    const addedBy = new Int8Array(n);
    for (const i of a!) addedBy[i]! += 1;
    for (const i of b!) addedBy[i]! += 1;
    expect(addedBy.every((k) => k === 1)).toBe(true);
    expect(a!.length + b!.length).toBe(n);
    expect(table.count()).toBe(n);
    for (let i = 0; i < n; i += 997) expect(table.has(his[i]!, los[i]!)).toBe(true);
  }, 30_000);
});
