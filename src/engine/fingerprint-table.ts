/**
 * An open-addressing hash table of 64-bit fingerprints in one typed array, in
 * the spirit of TLC's FPSet: no JavaScript `Map` (which holds at most 2^24
 * entries) and no object per entry. Each slot is `stride` 32-bit words: the
 * fingerprint's high and low halves and, when `stride` is 3, a value (a state
 * index) kept beside it. The fingerprint (0, 0) marks an empty slot, so a real
 * (0, 0) is stored as (0, 1). Linear probing from the slot the low half picks;
 * the table doubles once it is `maxLoad` full.
 *
 * A fingerprint may be stored more than once: the exact store keeps two states
 * whose fingerprints collide as two entries (see `seek`), the fingerprint store
 * never does.
 */
export class FingerprintTable {
  private words: Uint32Array;
  private mask: number;
  private limit: number;
  /** Entries stored. */
  size = 0;

  constructor(
    readonly stride: 2 | 3,
    initialCapacity = 1 << 12,
    private readonly maxLoad = 0.75,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.words = new Uint32Array(capacity * stride);
    this.mask = capacity - 1;
    this.limit = Math.floor(capacity * maxLoad);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes the table's array holds. */
  get bytes(): number {
    return this.words.byteLength;
  }

  /** The first slot a fingerprint is looked for in. */
  home(lo: number): number {
    return lo & this.mask;
  }

  /**
   * From slot `from` on, in probe order, the first slot that holds the
   * fingerprint or is empty. Continue past a holder with `seek(hi, lo,
   * after(slot))` to reach the next entry with the same fingerprint.
   */
  seek(hi: number, lo: number, from: number): number {
    // As the array stores them: unsigned 32-bit halves.
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const words = this.words;
    const stride = this.stride;
    const mask = this.mask;
    for (let slot = from; ; slot = (slot + 1) & mask) {
      const at = slot * stride;
      const h = words[at]!;
      const l = words[at + 1]!;
      if ((h === hi && l === lo) || (h === 0 && l === 0)) return slot;
    }
  }

  after(slot: number): number {
    return (slot + 1) & this.mask;
  }

  isEmpty(slot: number): boolean {
    const at = slot * this.stride;
    return this.words[at] === 0 && this.words[at + 1] === 0;
  }

  valueAt(slot: number): number {
    return this.words[slot * this.stride + 2]!;
  }

  /**
   * Stores the fingerprint (and value) in `slot`, an empty slot `seek` just
   * returned; the table may grow, which moves every entry.
   */
  put(slot: number, hi: number, lo: number, value = 0): void {
    if (hi === 0 && lo === 0) lo = 1;
    const at = slot * this.stride;
    this.words[at] = hi;
    this.words[at + 1] = lo;
    if (this.stride === 3) this.words[at + 2] = value;
    if (++this.size > this.limit) this.grow();
  }

  /** Adds the fingerprint unless present: true when it was new (the fingerprint store's one question). */
  add(hi: number, lo: number): boolean {
    const slot = this.seek(hi, lo, this.home(lo));
    if (!this.isEmpty(slot)) return false;
    this.put(slot, hi, lo);
    return true;
  }

  has(hi: number, lo: number): boolean {
    return !this.isEmpty(this.seek(hi, lo, this.home(lo)));
  }

  private grow(): void {
    const old = this.words;
    const stride = this.stride;
    const capacity = (this.mask + 1) * 2;
    const words = new Uint32Array(capacity * stride);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += stride) {
      const hi = old[at]!;
      const lo = old[at + 1]!;
      if (hi === 0 && lo === 0) continue;
      let slot = lo & mask;
      while (words[slot * stride] !== 0 || words[slot * stride + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot * stride;
      words[to] = hi;
      words[to + 1] = lo;
      if (stride === 3) words[to + 2] = old[at + 2]!;
    }
    this.words = words;
    this.mask = mask;
    this.limit = Math.floor(capacity * this.maxLoad);
  }
}
