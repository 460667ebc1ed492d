import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A scratch file for the parts of the breadth-first queue that do not fit in
 * memory, written and read by position.
 *
 * It is made in a fresh temporary folder, and on POSIX systems the file and
 * the folder are unlinked as soon as the file is open: the kernel frees the
 * space when the descriptor closes, at `close` or when the process ends by any
 * means (exit, SIGINT, SIGTERM, a crash, SIGKILL), and nothing is left behind.
 * A signal handler could not do this job: the search runs synchronously, so a
 * handler would not run until it ended, and installing one turns off Node's
 * default exit on Ctrl-C. Windows cannot unlink an open file: there the
 * folder is removed at `close` or at exit.
 */
export class SpillFile {
  private fd: number;
  private folder: string | undefined;
  private readonly onExit = () => this.removeFolder();
  /** Bytes written so far: the next write goes there. */
  size = 0;

  constructor() {
    const folder = mkdtempSync(join(tmpdir(), 'outage-checker-queue-'));
    const path = join(folder, 'queue.bin');
    this.fd = openSync(path, 'w+');
    if (process.platform === 'win32') {
      this.folder = folder;
      process.on('exit', this.onExit);
    } else {
      unlinkSync(path);
      rmSync(folder, { recursive: true, force: true });
    }
  }

  /** Appends the bytes of `data`; returns where they start. */
  append(data: Uint16Array): number {
    const at = this.size;
    let done = 0;
    while (done < data.byteLength) done += writeSync(this.fd, data, done, data.byteLength - done, at + done);
    this.size += data.byteLength;
    return at;
  }

  /** Fills `into` from the file at byte `position`. */
  read(into: Uint16Array, position: number): void {
    let done = 0;
    while (done < into.byteLength) {
      const n = readSync(this.fd, into, done, into.byteLength - done, position + done);
      if (n === 0) throw new Error(`spilled queue file ended at byte ${position + done}, expected ${into.byteLength - done} more`);
      done += n;
    }
  }

  /** Starts over from an empty file (the space is reused, not freed). */
  rewind(): void {
    this.size = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    this.removeFolder();
  }

  private removeFolder(): void {
    if (this.folder === undefined) return;
    rmSync(this.folder, { recursive: true, force: true });
    this.folder = undefined;
    process.removeListener('exit', this.onExit);
  }
}
