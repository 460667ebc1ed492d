/**
 * A set of 64-bit fingerprints in open-addressing typed arrays, in the spirit
 * of TLC's FPSet: no JavaScript `Map` (which holds at most 2^24 entries) and no
 * object per entry, 8 bytes a slot. Each slot holds the fingerprint's high and
 * low 32-bit halves; (0, 0) marks an empty slot, so a real (0, 0) is stored as
 * (0, 1).
 *
 * The table is split into `SEGMENTS` segments by the low half's low bits, each
 * its own array that grows on its own by a quarter once it is `maxLoad` full.
 * So a table holds 8/0.75 to 8/0.6 bytes per fingerprint (a single array that
 * doubles holds up to twice that), and a growth copies one segment, a few
 * megabytes, not the whole table: the peak is not the old table plus the new.
 * Within a segment, linear probing from the slot the high half picks.
 */
export class FingerprintTable {
  private readonly segments: Uint32Array[] = [];
  /** Slots in each segment, and how many fingerprints each may hold before it grows. */
  private readonly capacities: number[] = [];
  private readonly limits: number[] = [];
  private readonly counts: number[] = [];
  /** Fingerprints stored. */
  size = 0;

  constructor(
    initialCapacity = 1 << 12,
    private readonly maxLoad = 0.75,
  ) {
    const perSegment = Math.max(16, Math.ceil(initialCapacity / SEGMENTS));
    for (let s = 0; s < SEGMENTS; s++) {
      this.segments.push(new Uint32Array(perSegment * 2));
      this.capacities.push(perSegment);
      this.limits.push(Math.floor(perSegment * maxLoad));
      this.counts.push(0);
    }
  }

  /** Slots in all segments. */
  get capacity(): number {
    let total = 0;
    for (const c of this.capacities) total += c;
    return total;
  }

  /** Bytes the table's arrays hold. */
  get bytes(): number {
    return this.capacity * 8;
  }

  /** Adds the fingerprint unless present: true when it was new. */
  add(hi: number, lo: number): boolean {
    // As the arrays store them: unsigned halves, and (0, 0) moved off the empty mark.
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = lo & (SEGMENTS - 1);
    const words = this.segments[s]!;
    const at = seek(words, this.capacities[s]!, hi, lo) * 2;
    if (words[at] !== 0 || words[at + 1] !== 0) return false;
    words[at] = hi;
    words[at + 1] = lo;
    this.size++;
    if (++this.counts[s]! > this.limits[s]!) this.grow(s);
    return true;
  }

  has(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const s = lo & (SEGMENTS - 1);
    const words = this.segments[s]!;
    const at = seek(words, this.capacities[s]!, hi, lo) * 2;
    return words[at] !== 0 || words[at + 1] !== 0;
  }

  private grow(s: number): void {
    const old = this.segments[s]!;
    const capacity = Math.ceil(this.capacities[s]! * GROWTH);
    const words = new Uint32Array(capacity * 2);
    for (let at = 0; at < old.length; at += 2) {
      const hi = old[at]!;
      const lo = old[at + 1]!;
      if (hi === 0 && lo === 0) continue;
      const slot = seek(words, capacity, hi, lo) * 2;
      words[slot] = hi;
      words[slot + 1] = lo;
    }
    this.segments[s] = words;
    this.capacities[s] = capacity;
    this.limits[s] = Math.floor(capacity * this.maxLoad);
  }
}

/** 2^8 segments, picked by the low half's low 8 bits: at 60 million fingerprints each is about 2.5 MB. */
const SEGMENT_BITS = 8;
const SEGMENTS = 1 << SEGMENT_BITS;
/** A segment grows by a quarter: its load stays between 0.6 and 0.75 of `maxLoad`'s default. */
const GROWTH = 1.25;

/**
 * The slot of `words` (`capacity` slots) holding the fingerprint, or the empty
 * slot where it would go. The home slot is `hi` scaled to the capacity, which
 * need not be a power of two; `hi` is first multiplied by 2^32/φ (Fibonacci
 * hashing) so that its low bits count too: fingerprints differing only there
 * (as sequential test keys do) would otherwise share one cluster. The quotient
 * is below 1, so the floor is below `capacity`. (The low half picked the
 * segment: the two choices use different bits.)
 */
function seek(words: Uint32Array, capacity: number, hi: number, lo: number): number {
  let slot = Math.floor(((Math.imul(hi, 0x9e3779b1) >>> 0) / 4294967296) * capacity);
  for (;;) {
    const h = words[slot * 2]!;
    const l = words[slot * 2 + 1]!;
    if ((h === hi && l === lo) || (h === 0 && l === 0)) return slot;
    if (++slot === capacity) slot = 0;
  }
}
