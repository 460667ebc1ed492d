/**
 * A set of 64-bit fingerprints in one `SharedArrayBuffer` that several worker
 * threads insert into at once without a lock, as SPIN's multicore BFS and
 * LTSmin's tables do: a slot is claimed by `Atomics.compareExchange` on its
 * high word, then its low word is published; a thread that finds a claimed
 * slot whose low word is not yet written waits for it (a few instructions).
 * So exactly one thread learns that a given fingerprint was new.
 *
 * A zero word marks "empty" (high) or "not yet written" (low), so a half that
 * is 0 is stored as 1: fingerprints differing only there count as one (a
 * collision of probability 2^-32 per such pair, beside the 2^-64 of the rest).
 * The capacity is fixed (a power of two, linear probing): the owner sizes it,
 * and grows it between levels, when no one inserts, with `copyInto`.
 * @internal The building block of a parallel fingerprint search; not yet used by `--workers`.
 */
export class SharedFingerprintTable {
  readonly words: Int32Array;
  private readonly mask: number;

  /** A table of `capacity` slots (rounded up to a power of two), or a view of `buffer` made by another thread's table. */
  constructor(capacityOrBuffer: number | SharedArrayBuffer) {
    if (typeof capacityOrBuffer === 'number') {
      let capacity = 16;
      while (capacity < capacityOrBuffer) capacity *= 2;
      this.words = new Int32Array(new SharedArrayBuffer(capacity * 8));
    } else {
      this.words = new Int32Array(capacityOrBuffer);
    }
    this.mask = this.words.length / 2 - 1;
  }

  /** The buffer to post to worker threads (`new SharedFingerprintTable(buffer)` there). */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Adds the fingerprint unless present: true for the one caller, of all threads, that added it. */
  add(hi: number, lo: number): boolean {
    hi = nonZero(hi);
    lo = nonZero(lo);
    const words = this.words;
    const mask = this.mask;
    let probes = 0;
    for (let slot = homeSlot(hi, mask); ; slot = (slot + 1) & mask) {
      const at = slot * 2;
      let h = Atomics.load(words, at);
      if (h === 0) {
        h = Atomics.compareExchange(words, at, 0, hi);
        if (h === 0) {
          Atomics.store(words, at + 1, lo);
          return true;
        }
      }
      if (h === hi) {
        let l = Atomics.load(words, at + 1);
        // Claimed and not yet published: its claimer writes the low word next.
        while (l === 0) l = Atomics.load(words, at + 1);
        if (l === lo) return false;
      }
      if (++probes > mask) throw new Error(`the shared fingerprint table is full (${mask + 1} slots)`);
    }
  }

  has(hi: number, lo: number): boolean {
    hi = nonZero(hi);
    lo = nonZero(lo);
    const words = this.words;
    const mask = this.mask;
    for (let slot = homeSlot(hi, mask), probes = 0; probes <= mask; slot = (slot + 1) & mask, probes++) {
      const h = Atomics.load(words, slot * 2);
      if (h === 0) return false;
      if (h === hi && Atomics.load(words, slot * 2 + 1) === lo) return true;
    }
    return false;
  }

  /** Fingerprints stored (counted by a scan: for tests and between levels). */
  count(): number {
    let n = 0;
    for (let at = 0; at < this.words.length; at += 2) if (this.words[at] !== 0) n++;
    return n;
  }

  /** Every fingerprint into `bigger` (call it when no thread inserts, as between levels). */
  copyInto(bigger: SharedFingerprintTable): void {
    const words = this.words;
    for (let at = 0; at < words.length; at += 2) if (words[at] !== 0) bigger.add(words[at]!, words[at + 1]!);
  }
}

/**
 * A fingerprint half as the table stores it: a 32-bit integer, never 0 (a zero high word marks a free slot, a zero
 * low word a claim not yet published), so a zero half is stored as 1: (0, x) and (1, x) count as one fingerprint.
 */
function nonZero(word: number): number {
  return word | 0 || 1;
}

/** Where a fingerprint's probe starts. */
function homeSlot(hi: number, mask: number): number {
  return (Math.imul(hi, 0x9e3779b1) >>> 0) & mask;
}
