import { FingerprintTable } from './fingerprint-table.js';
import { fingerprintVectorInto, hashVector } from './hash.js';
import { grow, SearchTree } from './visited-store.js';
import { CompactTree } from './compact-tree.js';
import { VectorQueue, type VectorQueueOptions } from './vector-queue.js';

/**
 * What a packed search keeps of the states it has seen, as `VisitedStore` does
 * for states of any type, but for vectors of 16-bit integers: nothing is
 * allocated per state but the room in a few typed arrays.
 */
export interface PackedStore {
  readonly count: number;
  /** Stores `vector[0, length)` unless known: its new index, or `-1 - index` of the stored one (`-1` when the store cannot say). */
  add(vector: Uint16Array, length: number, parent: number, action: number): number;
  has(vector: Uint16Array, length: number): boolean;
  /** Makes the state with index `at` (taken in order, from 0) readable as `data[start, end)`. */
  take(at: number): void;
  /** After `take` or a successful `add`: where that state's vector is. */
  readonly data: Uint16Array;
  readonly start: number;
  readonly end: number;
  parentOf(index: number): number;
  actionOf(index: number): number;
}

/**
 * Exact mode, packed: every state's vector in one arena, found through an
 * open-addressing table keyed by a 32-bit hash of the vector; equal hashes
 * are told apart by comparing the vectors, so nothing can hide a state. No
 * JavaScript `Map`, so no 2^24 ceiling.
 *
 * Each vector in the arena is preceded by its length and its state index (two
 * 16-bit halves), and a table slot holds the vector's place in the arena and
 * its hash: a lookup reads one table line and one arena line.
 */
export class PackedExactStore implements PackedStore {
  data: Uint16Array = new Uint16Array(1 << 16);
  /** Arena words used. */
  private used = 0;
  /** Where each state's vector starts in the arena, by index. */
  private starts = new Int32Array(1024);
  private added = 0;
  /** Two words a slot: the arena offset of the entry + 1 (0 marks an empty slot) and the vector's hash. */
  private slots = new Int32Array(2 << 12);
  private readonly tree = new SearchTree();
  start = 0;
  end = 0;

  get count(): number {
    return this.added;
  }

  add(vector: Uint16Array, length: number, parent: number, action: number): number {
    const hash = hashVector(vector, 0, length) | 0;
    const slot = this.seek(vector, length, hash);
    const known = this.slots[slot]!;
    if (known !== 0) return -1 - this.indexAt(known - 1);
    const at = this.added++;
    let entry = this.used;
    if (entry + HEADER + length > this.data.length) this.data = growArena(this.data, entry + HEADER + length);
    const data = this.data;
    data[entry] = length;
    data[entry + 1] = at >>> 16;
    data[entry + 2] = at & 0xffff;
    entry += HEADER;
    for (let i = 0; i < length; i++) data[entry + i] = vector[i]!;
    this.used = entry + length;
    if (at === this.starts.length) this.starts = grow(this.starts);
    this.starts[at] = entry;
    this.slots[slot] = entry - HEADER + 1;
    this.slots[slot + 1] = hash;
    this.tree.set(at, parent, action);
    // At most half full: probes stay short.
    if (this.added * 4 > this.slots.length) this.rehash();
    this.start = entry;
    this.end = entry + length;
    return at;
  }

  has(vector: Uint16Array, length: number): boolean {
    return this.slots[this.seek(vector, length, hashVector(vector, 0, length) | 0)] !== 0;
  }

  take(at: number): void {
    this.start = this.starts[at]!;
    this.end = this.start + this.data[this.start - HEADER]!;
  }

  /** The state with index `at`, as `[data, start, end]` (for `unpack`). */
  vectorOf(at: number): [Uint16Array, number, number] {
    const start = this.starts[at]!;
    return [this.data, start, start + this.data[start - HEADER]!];
  }

  parentOf(index: number): number {
    return this.tree.parent[index]!;
  }

  actionOf(index: number): number {
    return this.tree.via[index]!;
  }

  get parents(): Int32Array {
    return this.tree.parent;
  }

  get actions(): Int32Array {
    return this.tree.via;
  }

  /** Bytes of the typed arrays: the arena, the index of starts, the table and the search tree. */
  get bytes(): number {
    return this.data.byteLength + this.starts.byteLength + this.slots.byteLength + this.tree.bytes;
  }

  private indexAt(entry: number): number {
    return this.data[entry + 1]! * 0x10000 + this.data[entry + 2]!;
  }

  /** The word index of the slot holding this vector, or of the empty slot where it would go. */
  private seek(vector: Uint16Array, length: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    const data = this.data;
    for (let slot = (hash << 1) & mask; ; slot = (slot + 2) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return slot;
      if (slots[slot + 1] !== hash) continue;
      const at = entry - 1;
      if (data[at] !== length) continue;
      const from = at + HEADER;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (data[from + i] !== vector[i]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 2;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === 0) continue;
      const hash = old[k + 1]!;
      let slot = (hash << 1) & mask;
      while (slots[slot] !== 0) slot = (slot + 2) & mask;
      slots[slot] = old[k]!;
      slots[slot + 1] = hash;
    }
    this.slots = slots;
  }
}

/** Words before each vector in the exact store's arena: its length and its index's two halves. */
const HEADER = 3;

/** The arena grows by half (not double): it is most of the store, and a doubling would leave up to half of it empty. */
function growArena(data: Uint16Array, needed: number): Uint16Array {
  const bigger = new Uint16Array(Math.max(needed, Math.ceil(data.length * 1.5)));
  bigger.set(data);
  return bigger;
}

/**
 * Fingerprint mode, packed: of each state its 64-bit fingerprint (the same as
 * the string store computes), its parent and its action index (a
 * `CompactTree`); the queue holds the vectors still to expand, in chunks
 * released as they are read and spilled to a scratch file past
 * `queueMemoryBytes`. Measured on two-phase commit rm10 (61,515,776 states,
 * `/usr/bin/time -v npx tsx src/cli/main.ts --model two-phase-commit --variant
 * correct --config rm10 --mode exhaustive --fingerprints`): 18 bytes a state in
 * these arrays and 1.71 GB peak RSS, 28 bytes a state in all (52 before).
 */
export class PackedFingerprintStore<S> implements PackedStore {
  /** The initial states, kept whole: every path is replayed from one. */
  readonly roots: S[] = [];
  private readonly table = new FingerprintTable();
  private readonly tree = new CompactTree();
  private readonly fp = new Uint32Array(2);
  private readonly queue: VectorQueue;
  private added = 0;
  data: Uint16Array = new Uint16Array(0);
  start = 0;
  end = 0;

  /** `unpack` turns a root's vector into the state kept for replay. */
  constructor(
    private readonly unpack: (data: Uint16Array, start: number, end: number) => S,
    queue: VectorQueueOptions = {},
  ) {
    this.queue = new VectorQueue(queue);
  }

  /**
   * A fingerprint store holding what `exact` holds: every state's fingerprint,
   * parent and action, under the same indices, and the states from `queuedFrom`
   * on (those not yet expanded) queued. For a search that outgrows memory in
   * exact mode and goes on in fingerprint mode.
   */
  static fromExact<S>(exact: PackedExactStore, queuedFrom: number, unpack: (data: Uint16Array, start: number, end: number) => S, queue: VectorQueueOptions = {}): PackedFingerprintStore<S> {
    const store = new PackedFingerprintStore<S>(unpack, queue);
    for (let i = 0; i < exact.count; i++) {
      const [data, start, end] = exact.vectorOf(i);
      fingerprintVectorInto(data, start, end, store.fp);
      // Distinct states whose fingerprints collide keep their own indices: the table holds the fingerprint once.
      store.table.add(store.fp[0]!, store.fp[1]!);
      store.tree.set(store.added++, exact.parentOf(i), exact.actionOf(i));
      if (exact.parentOf(i) < 0) store.roots.push(unpack(data, start, end));
      if (i >= queuedFrom) store.queue.push(data.subarray(start, end), end - start);
    }
    return store;
  }

  get count(): number {
    return this.added;
  }

  add(vector: Uint16Array, length: number, parent: number, action: number): number {
    fingerprintVectorInto(vector, 0, length, this.fp);
    if (!this.table.add(this.fp[0]!, this.fp[1]!)) return -1;
    return this.addNew(vector, length, parent, action);
  }

  has(vector: Uint16Array, length: number): boolean {
    fingerprintVectorInto(vector, 0, length, this.fp);
    return this.table.has(this.fp[0]!, this.fp[1]!);
  }

  /** `at` counts up from 0 by one: the queue gives its states in the order they were added. */
  take(_at: number): void {
    this.queue.shift();
    this.data = this.queue.data;
    this.start = this.queue.start;
    this.end = this.queue.end;
  }

  parentOf(index: number): number {
    return this.tree.parentOf(index);
  }

  actionOf(index: number): number {
    return this.tree.actionOf(index);
  }

  /** Bytes of the table and of the parents and actions, as the string store counts them (the queue is transient). */
  get bytes(): number {
    return this.table.bytes + this.tree.bytes;
  }

  /** Bytes of the queue's chunks in memory, and how many chunks went to the scratch file. */
  get queueBytes(): number {
    return this.queue.bytes;
  }

  get spilledChunks(): number {
    return this.queue.spilledChunks;
  }

  /** Frees the scratch file of a spilled queue. */
  close(): void {
    this.queue.close();
  }

  private addNew(vector: Uint16Array, length: number, parent: number, action: number): number {
    const at = this.added++;
    this.tree.set(at, parent, action);
    this.queue.push(vector, length);
    this.data = this.queue.data;
    this.start = this.queue.start;
    this.end = this.queue.end;
    if (parent < 0) this.roots.push(this.unpack(this.data, this.start, this.end));
    return at;
  }
}
