/**
 * A set of 64-bit fingerprints in one open-addressing typed array, in the
 * spirit of TLC's FPSet: no JavaScript `Map` (which holds at most 2^24
 * entries) and no object per entry, 8 bytes a slot. Each slot holds the
 * fingerprint's high and low 32-bit halves; (0, 0) marks an empty slot, so a
 * real (0, 0) is stored as (0, 1). Linear probing from the slot the low half
 * picks; the table doubles once it is `maxLoad` full, so it holds 8/0.75 to
 * 8/0.375 bytes per fingerprint.
 */
export class FingerprintTable {
  private words: Uint32Array;
  private mask: number;
  private limit: number;
  /** Fingerprints stored. */
  size = 0;

  constructor(
    initialCapacity = 1 << 12,
    private readonly maxLoad = 0.75,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.words = new Uint32Array(capacity * 2);
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

  /** Adds the fingerprint unless present: true when it was new. */
  add(hi: number, lo: number): boolean {
    // As the array stores them: unsigned halves, and (0, 0) moved off the empty mark.
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const at = this.seek(hi, lo) * 2;
    if (this.words[at] !== 0 || this.words[at + 1] !== 0) return false;
    this.words[at] = hi;
    this.words[at + 1] = lo;
    if (++this.size > this.limit) this.grow();
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const at = this.seek(hi, lo) * 2;
    return this.words[at] !== 0 || this.words[at + 1] !== 0;
  }

  /** The slot holding the fingerprint, or the empty slot where it would go. */
  private seek(hi: number, lo: number): number {
    const words = this.words;
    const mask = this.mask;
    for (let slot = lo & mask; ; slot = (slot + 1) & mask) {
      const h = words[slot * 2]!;
      const l = words[slot * 2 + 1]!;
      if ((h === hi && l === lo) || (h === 0 && l === 0)) return slot;
    }
  }

  private grow(): void {
    const old = this.words;
    const capacity = (this.mask + 1) * 2;
    const words = new Uint32Array(capacity * 2);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 2) {
      const hi = old[at]!;
      const lo = old[at + 1]!;
      if (hi === 0 && lo === 0) continue;
      let slot = lo & mask;
      while (words[slot * 2] !== 0 || words[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      words[slot * 2] = hi;
      words[slot * 2 + 1] = lo;
    }
    this.words = words;
    this.mask = mask;
    this.limit = Math.floor(capacity * this.maxLoad);
  }
}
