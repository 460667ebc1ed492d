import type { ChannelId, JournalEntry, SessionId, Transport } from './types.js';

/**
 * The node's connection layer, in memory. Handles are numbered from 1 in the
 * order connects are made. It reports every write and close to the journal,
 * with whether the handle was still open: that record is what the
 * "no write through a closed session" invariant reads.
 */
export class MemoryTransport implements Transport {
  readonly #channels = new Map<ChannelId, { session: SessionId; open: boolean }>();

  constructor(private readonly record: (entry: JournalEntry) => void) {}

  /** A new handle for a session's connection (called when a connect is made). */
  open(session: SessionId): ChannelId {
    const id = this.#channels.size + 1;
    this.#channels.set(id, { session, open: true });
    return id;
  }

  write(channel: ChannelId, chunk: number): void {
    const c = this.#get(channel);
    this.record({ kind: 'write', channel, session: c.session, chunk, open: c.open });
  }

  close(channel: ChannelId): void {
    const c = this.#get(channel);
    this.record({ kind: 'close', channel, session: c.session, ok: c.open });
    if (!c.open) throw new Error(`EBADF: channel ${channel} (${c.session}) is already closed`);
    c.open = false;
  }

  #get(channel: ChannelId) {
    const c = this.#channels.get(channel);
    if (c === undefined) throw new Error(`EBADF: no channel ${channel}`);
    return c;
  }
}
