/**
 * Parent and action index per state, as `SearchTree` keeps them, but in
 * fixed-size chunks that are never copied: 4 bytes a state for the parent and
 * 1 for the action index while every index fits in 8 bits (then 2, all chunks
 * widened once), with no room left empty by doubling and no old-plus-new peak
 * when it grows. For fingerprint mode, where these arrays are most of what is
 * kept per state.
 */
export class CompactTree {
  private readonly parents: Int32Array[] = [];
  private actions: Array<Uint8Array | Uint16Array> = [];
  private wide = false;
  private length = 0;

  set(index: number, parent: number, action: number): void {
    if (index !== this.length) throw new Error(`CompactTree.set: index ${index} out of order (expected ${this.length})`);
    const chunk = index >>> CHUNK_BITS;
    if (chunk === this.parents.length) {
      this.parents.push(new Int32Array(CHUNK));
      this.actions.push(this.wide ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK));
    }
    if (action > 0xff && !this.wide) this.widen();
    if (action > 0xffff) throw new Error(`fingerprint mode keeps action indices in 16 bits, and a state has more than ${0xffff + 1} enabled actions`);
    const at = index & MASK;
    this.parents[chunk]![at] = parent;
    // A root has no action (-1): `actionOf` knows a root by its parent.
    this.actions[chunk]![at] = action < 0 ? 0 : action;
    this.length++;
  }

  parentOf(index: number): number {
    return this.parents[index >>> CHUNK_BITS]![index & MASK]!;
  }

  actionOf(index: number): number {
    if (this.parentOf(index) < 0) return -1;
    return this.actions[index >>> CHUNK_BITS]![index & MASK]!;
  }

  /** Bytes the chunks hold. */
  get bytes(): number {
    return this.parents.length * CHUNK * (this.wide ? 6 : 5);
  }

  private widen(): void {
    this.wide = true;
    this.actions = this.actions.map((narrow) => Uint16Array.from(narrow));
  }
}

/** 2^16 states a chunk: 320 KB, small beside tens of millions of states, large beside the cost of a chunk lookup. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
