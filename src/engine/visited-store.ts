import { FingerprintTable } from './fingerprint-table.js';
import { fingerprintInto } from './hash.js';
import { CompactTree } from './compact-tree.js';

/** A 64-bit hash of a key into `out` (high, low): `fingerprintInto`, or a stub in tests. */
export type Fingerprinter = (key: string, out: Uint32Array) => void;

/**
 * What a breadth-first search keeps of the states it has seen: which keys are
 * known, the queue of states still to expand, and for each state index its
 * parent and the index of the action that reached it. Indices are given in
 * the order states are added, roots first; a path walks `parentOf` to -1.
 */
export interface VisitedStore<S> {
  /** States stored so far: the next new state gets this index. */
  readonly count: number;
  /**
   * Stores a state unless its key is known: returns its new index, or, when it
   * was known, `-1 - index` of the stored one (`-1` when the store cannot say
   * which, as fingerprint mode cannot).
   */
  add(state: S, key: string, parent: number, action: number): number;
  has(key: string): boolean;
  /** The state with index `at`, taken in order from the queue: `at` counts up from 0 by one. */
  take(at: number): S;
  parentOf(index: number): number;
  actionOf(index: number): number;
}

/** Parent and action index per state, in typed arrays that double as they fill (exact mode; fingerprint mode keeps a `CompactTree`). */
export class SearchTree {
  parent = new Int32Array(1024);
  via = new Int32Array(1024);

  set(index: number, parent: number, action: number): void {
    if (index === this.parent.length) {
      this.parent = grow(this.parent);
      this.via = grow(this.via);
    }
    this.parent[index] = parent;
    this.via[index] = action;
  }

  /** Bytes the arrays hold. */
  get bytes(): number {
    return this.parent.byteLength + this.via.byteLength;
  }
}

/**
 * The entries one JavaScript `Map` is allowed here: V8's Map holds at most
 * 2^24 (16,777,216), and throws past it; a margin keeps clear of the edge.
 */
export const MAP_ENTRIES = 15_000_000;

/**
 * Exact mode: every state is kept, so `stateAt` is a lookup, liveness can
 * follow edges, and nothing can hide a state. The keys live in JavaScript
 * Maps (V8 hashes strings natively, which measured faster here than a
 * fingerprint table hashing in JavaScript); when one Map is full the next is
 * opened, so a miss asks every Map, one per `mapEntries` states, and there is
 * no ceiling but memory.
 */
export class ExactStore<S> implements VisitedStore<S> {
  readonly states: S[] = [];
  private readonly maps: Array<Map<string, number>> = [new Map()];
  private readonly tree = new SearchTree();

  constructor(private readonly mapEntries = MAP_ENTRIES) {}

  get count(): number {
    return this.states.length;
  }

  add(state: S, key: string, parent: number, action: number): number {
    const seen = this.find(key);
    if (seen >= 0) return -1 - seen;
    const at = this.states.length;
    let last = this.maps[this.maps.length - 1]!;
    if (last.size >= this.mapEntries) this.maps.push((last = new Map()));
    last.set(key, at);
    this.states.push(state);
    this.tree.set(at, parent, action);
    return at;
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  /** The Maps the keys are spread over. */
  get mapCount(): number {
    return this.maps.length;
  }

  private find(key: string): number {
    const maps = this.maps;
    for (let i = 0; i < maps.length; i++) {
      const seen = maps[i]!.get(key);
      if (seen !== undefined) return seen;
    }
    return -1;
  }

  take(at: number): S {
    return this.states[at]!;
  }

  parentOf(index: number): number {
    return this.tree.parent[index]!;
  }

  actionOf(index: number): number {
    return this.tree.via[index]!;
  }

  /** The parent of each state, -1 for a root. */
  get parents(): Int32Array {
    return this.tree.parent;
  }

  /** The index of the action that reached each state, among its parent's enabled actions. */
  get actions(): Int32Array {
    return this.tree.via;
  }
}

/**
 * Fingerprint mode, for large safety runs: of each state only its 64-bit
 * fingerprint, its parent's index and its action's index are kept (about 20
 * to 30 bytes a state); the queue holds the states of the level being
 * expanded and of the next one, nothing older. Two states with one
 * fingerprint count as one, so a collision can hide a state and its
 * successors: `collisionProbability` estimates the chance.
 */
export class FingerprintStore<S> implements VisitedStore<S> {
  /** The initial states, kept whole: every path is replayed from one. */
  readonly roots: S[] = [];
  private readonly table: FingerprintTable;
  private readonly tree = new CompactTree();
  private readonly fp = new Uint32Array(2);
  private added = 0;
  /** The level being expanded, from index `levelStart`, and the next one as it is discovered. */
  private level: S[] = [];
  private levelStart = 0;
  private nextLevel: S[] = [];

  constructor(
    private readonly fingerprint: Fingerprinter = fingerprintInto,
    initialCapacity?: number,
  ) {
    this.table = new FingerprintTable(initialCapacity);
  }

  /**
   * A fingerprint store holding what `exact` holds: every state's fingerprint
   * (of `key(state)`), parent and action under the same indices, and the
   * states from `queuedFrom` on (those not yet expanded) queued. For a search
   * that outgrows memory in exact mode and goes on in fingerprint mode.
   */
  static fromExact<S>(exact: ExactStore<S>, queuedFrom: number, key: (state: S) => string): FingerprintStore<S> {
    const store = new FingerprintStore<S>();
    for (let i = 0; i < exact.count; i++) {
      const state = exact.states[i]!;
      store.fingerprint(key(state), store.fp);
      // Distinct states whose fingerprints collide keep their own indices: the table holds the fingerprint once.
      store.table.add(store.fp[0]!, store.fp[1]!);
      store.tree.set(store.added++, exact.parentOf(i), exact.actionOf(i));
      if (exact.parentOf(i) < 0) store.roots.push(state);
      if (i >= queuedFrom) store.nextLevel.push(state);
    }
    // Take the queued states as one level, from index `queuedFrom`.
    store.levelStart = queuedFrom;
    store.level = store.nextLevel;
    store.nextLevel = [];
    return store;
  }

  get count(): number {
    return this.added;
  }

  add(state: S, key: string, parent: number, action: number): number {
    this.fingerprint(key, this.fp);
    if (!this.table.add(this.fp[0]!, this.fp[1]!)) return -1;
    const at = this.added++;
    this.tree.set(at, parent, action);
    if (parent < 0) this.roots.push(state);
    this.nextLevel.push(state);
    return at;
  }

  has(key: string): boolean {
    this.fingerprint(key, this.fp);
    return this.table.has(this.fp[0]!, this.fp[1]!);
  }

  take(at: number): S {
    if (at >= this.levelStart + this.level.length) {
      this.levelStart += this.level.length;
      this.level = this.nextLevel;
      this.nextLevel = [];
    }
    const i = at - this.levelStart;
    const state = this.level[i]!;
    // Dropped once taken: the queue holds only what is still to expand.
    this.level[i] = undefined as S;
    return state;
  }

  parentOf(index: number): number {
    return this.tree.parentOf(index);
  }

  actionOf(index: number): number {
    return this.tree.actionOf(index);
  }

  /** Bytes of the typed arrays: the table, the parents and the actions. */
  get bytes(): number {
    return this.table.bytes + this.tree.bytes;
  }
}

/**
 * TLC's "calculated (optimistic)" estimate of the probability that a
 * fingerprint collision hid a state: each of the `generated - distinct`
 * successors found already seen could have matched one of the `distinct`
 * fingerprints by chance, each with probability 2^-64.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}

export function grow<T extends Int32Array | Uint16Array | Uint32Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
