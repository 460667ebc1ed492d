import { SpillFile } from './spill-file.js';

/** One run of queued vectors, each written as its length and then its words; in memory (`data`) or spilled (at `position` of the file). */
interface Chunk {
  data: Uint16Array | undefined;
  /** Words written. */
  used: number;
  position: number;
}

export interface VectorQueueOptions {
  /** Words a chunk holds (a vector longer than that gets a chunk of its own). */
  chunkWords?: number;
  /**
   * Bytes of queued chunks to keep in memory: past them, each chunk the tail
   * fills is written to a scratch file and read back when the head reaches it.
   * Unbounded by default.
   */
  memoryBytes?: number;
}

/**
 * The breadth-first queue of a packed search: a first-in first-out run of
 * vectors of 16-bit integers in fixed-size chunks, each chunk released as soon
 * as the head has read past it (so the queue holds what is still to expand,
 * with no room left empty by doubling), and, past `memoryBytes`, spilled to a
 * scratch file so that a queue wider than memory still fits.
 */
export class VectorQueue {
  private readonly chunks: Chunk[] = [];
  /** Index in `chunks` of the chunk the head reads, and the word it reads next. */
  private head = 0;
  private headAt = 0;
  private readonly chunkWords: number;
  private readonly memoryBytes: number;
  private inMemory = 0;
  /** A released chunk's array, kept for the next tail. */
  private spare: Uint16Array | undefined;
  private file: SpillFile | undefined;
  /** Chunks spilled and not yet read back: when none are left, the file starts over. */
  private onDisk = 0;
  /** Vectors queued. */
  length = 0;
  /** Chunks written to the file in all. */
  spilledChunks = 0;
  /** After `shift`: where the vector taken is. Valid until the next `shift`. */
  data: Uint16Array = new Uint16Array(0);
  start = 0;
  end = 0;

  constructor(options: VectorQueueOptions = {}) {
    this.memoryBytes = options.memoryBytes ?? Infinity;
    // A chunk is at most an eighth of the bound, so that the bound holds to within a few chunks however small it is.
    this.chunkWords = options.chunkWords ?? Math.max(256, Math.min(1 << 18, Math.floor(this.memoryBytes / 16)));
  }

  /** Queues `vector[0, length)`; afterwards the copy queued is `data[start, end)` (until the next push or shift). */
  push(vector: Uint16Array, length: number): void {
    let tail = this.chunks[this.chunks.length - 1];
    if (tail === undefined || tail.data === undefined || tail.used + length + 1 > tail.data.length) {
      if (tail !== undefined && tail.data !== undefined && this.chunks.length - 1 > this.head) this.maybeSpill(tail);
      tail = { data: this.newArray(length + 1), used: 0, position: -1 };
      this.chunks.push(tail);
    }
    const data = tail.data!;
    let at = tail.used;
    data[at++] = length;
    for (let i = 0; i < length; i++) data[at + i] = vector[i]!;
    tail.used = at + length;
    this.data = data;
    this.start = at;
    this.end = at + length;
    this.length++;
  }

  /** Takes the vector at the head: afterwards it is `data[start, end)`. */
  shift(): void {
    if (this.length === 0) throw new Error('VectorQueue.shift: the queue is empty');
    let chunk = this.chunks[this.head]!;
    if (this.headAt === chunk.used) {
      this.release(chunk);
      this.chunks[this.head] = undefined as unknown as Chunk;
      chunk = this.chunks[++this.head]!;
      this.headAt = 0;
      // Dropping spent slots now and then keeps the array of chunks short.
      if (this.head >= 1024) {
        this.chunks.splice(0, this.head);
        this.head = 0;
      }
    }
    if (chunk.data === undefined) this.readBack(chunk);
    const data = chunk.data!;
    const length = data[this.headAt]!;
    this.data = data;
    this.start = this.headAt + 1;
    this.end = this.start + length;
    this.headAt = this.end;
    this.length--;
  }

  /** Bytes of the chunks in memory. */
  get bytes(): number {
    return this.inMemory;
  }

  /** Closes the scratch file, if one was opened. */
  close(): void {
    this.file?.close();
    this.file = undefined;
  }

  private newArray(words: number): Uint16Array {
    if (words <= this.chunkWords && this.spare !== undefined) {
      const spare = this.spare;
      this.spare = undefined;
      this.inMemory += spare.byteLength;
      return spare;
    }
    const data = new Uint16Array(Math.max(words, this.chunkWords));
    this.inMemory += data.byteLength;
    return data;
  }

  private release(chunk: Chunk): void {
    const data = chunk.data!;
    this.inMemory -= data.byteLength;
    if (data.length === this.chunkWords) this.spare = data;
    chunk.data = undefined;
  }

  /** A full tail chunk behind the head's: written out when the chunks in memory pass the bound. */
  private maybeSpill(chunk: Chunk): void {
    if (this.inMemory <= this.memoryBytes) return;
    this.file ??= new SpillFile();
    chunk.position = this.file.append(chunk.data!.subarray(0, chunk.used));
    this.release(chunk);
    this.onDisk++;
    this.spilledChunks++;
  }

  private readBack(chunk: Chunk): void {
    const data = this.newArray(chunk.used);
    this.file!.read(data.subarray(0, chunk.used), chunk.position);
    chunk.data = data;
    if (--this.onDisk === 0) this.file!.rewind();
  }
}
