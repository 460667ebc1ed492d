import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CompactTree } from '../../src/engine/compact-tree.js';
import { VectorQueue } from '../../src/engine/vector-queue.js';

/** Vector number i: a length from 0 to 9 and values that tell it apart from every other. */
function vectorOf(i: number): Uint16Array {
  return Uint16Array.from({ length: i % 10 }, (_, k) => (i * 7 + k * 13) & 0xffff);
}
const queueFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('outage-checker-queue-'));

/** Pushes and shifts vectors 0..n-1, `pushes` pushes for each shift once started, and returns what came out. */
function run(queue: VectorQueue, n: number, pushes: number): number[][] {
  const out: number[][] = [];
  let pushed = 0;
  while (pushed < n && pushed < 50) queue.push(vectorOf(pushed), vectorOf(pushed++).length);
  while (queue.length > 0) {
    queue.shift();
    out.push(Array.from(queue.data.subarray(queue.start, queue.end)));
    for (let k = 0; k < pushes && pushed < n; k++) queue.push(vectorOf(pushed), vectorOf(pushed++).length);
  }
  return out;
}

describe('VectorQueue', () => {
  const expected = Array.from({ length: 20_000 }, (_, i) => Array.from(vectorOf(i)));

  it('gives back every vector in order, across chunks (and a vector longer than a chunk)', () => {
    const queue = new VectorQueue({ chunkWords: 64 });
    expect(run(queue, 20_000, 2)).toEqual(expected);
    const long = Uint16Array.from({ length: 300 }, (_, k) => k);
    queue.push(long, 300);
    queue.push(vectorOf(3), 3);
    queue.shift();
    expect(Array.from(queue.data.subarray(queue.start, queue.end))).toEqual(Array.from(long));
    queue.shift();
    expect(Array.from(queue.data.subarray(queue.start, queue.end))).toEqual(Array.from(vectorOf(3)));
    expect(() => queue.shift()).toThrow(/empty/);
    expect(queue.spilledChunks).toBe(0);
  });

  it('past its memory bound spills chunks to a scratch file and reads them back in order, and holds only the bound in memory', () => {
    const before = queueFolders();
    const queue = new VectorQueue({ chunkWords: 64, memoryBytes: 512 });
    let peak = 0;
    const out: number[][] = [];
    for (let i = 0; i < 5000; i++) {
      queue.push(vectorOf(i), vectorOf(i).length);
      peak = Math.max(peak, queue.bytes);
    }
    expect(queue.spilledChunks).toBeGreaterThan(100);
    // The bound, the tail being filled and the head's chunk.
    expect(peak).toBeLessThanOrEqual(512 + 3 * 128);
    // The scratch file's folder is already gone: nothing to clean up, whatever ends the process.
    expect(queueFolders()).toEqual(before);
    while (queue.length > 0) {
      queue.shift();
      out.push(Array.from(queue.data.subarray(queue.start, queue.end)));
      peak = Math.max(peak, queue.bytes);
    }
    expect(out).toEqual(expected.slice(0, 5000));
    queue.close();
  });

  it('spilling while it is being drained gives the same order', () => {
    expect(run(new VectorQueue({ chunkWords: 32, memoryBytes: 128 }), 20_000, 2)).toEqual(expected);
    expect(run(new VectorQueue({ chunkWords: 32, memoryBytes: 0 }), 20_000, 3)).toEqual(expected);
  });
});

describe('CompactTree', () => {
  it('keeps parents and actions across chunks, widening action indices past 255', () => {
    const tree = new CompactTree();
    const n = 200_000;
    for (let i = 0; i < n; i++) tree.set(i, i < 3 ? -1 : i >>> 1, i < 3 ? -1 : i === 150_000 ? 300 : i % 200);
    for (const i of [0, 2, 3, 65_535, 65_536, 149_999, 150_000, n - 1]) {
      expect([tree.parentOf(i), tree.actionOf(i)]).toEqual(i < 3 ? [-1, -1] : [i >>> 1, i === 150_000 ? 300 : i % 200]);
    }
    expect(() => tree.set(n + 1, 0, 0)).toThrow(/out of order/);
    expect(() => tree.set(n, 0, 70_000)).toThrow(/16 bits/);
    // 5 bytes a state while narrow, 6 once widened, in whole chunks.
    expect(tree.bytes).toBe(Math.ceil(n / 65_536) * 65_536 * 6);
  });
});
