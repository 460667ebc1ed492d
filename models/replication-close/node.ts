import type { Answer, DepCall, JournalEntry, NodeDesign, ReplicationDeps, ReplicationRequest, SessionId, SessionRow } from './types.js';

interface Session {
  id: SessionId;
  channel: number;
  /** Chunks copied to the peer so far: the offset of the next one. */
  copied: number;
  /** Set once a close has begun: the teardown under way. */
  closing?: Promise<void>;
  /** A copy has read, or is reading, the chunk at `copied`. */
  copying?: boolean;
}

/**
 * The replication-session handling of one EBS node, as ordinary async code.
 * Requests arrive and are dispatched without waiting for earlier ones, so the
 * handlers of many requests interleave at their `await`s — under a
 * re-mirroring storm, many opens, copies and closes at once.
 *
 * The 2011 race lives in the decisions of `design` (see `designs.ts`): whether
 * a close joins a teardown already under way, and what a copy re-checks after
 * reading its chunk.
 */
export class ReplicationNode {
  readonly #sessions = new Map<SessionId, Session>();

  constructor(
    private readonly deps: ReplicationDeps,
    private readonly design: NodeDesign,
    /** Tracing hook: arrivals and resumptions, the points where handlers interleave. */
    private readonly trace: (entry: JournalEntry) => void = () => {},
  ) {}

  /** The dispatcher: starts the handler and returns. An error escaping a handler is uncaught. */
  receive(request: ReplicationRequest): void {
    this.trace({ kind: 'received', ...request });
    this.#handle(request).then(
      (answer) => this.deps.reply(request, answer),
      (error: unknown) => this.deps.uncaught(request, error),
    );
  }

  sessions(): SessionRow[] {
    return [...this.#sessions.values()]
      .map((s) => ({ session: s.id, channel: s.channel, copied: s.copied, closing: s.closing !== undefined }))
      .sort((a, b) => a.session.localeCompare(b.session));
  }

  #handle(request: ReplicationRequest): Promise<Answer> {
    switch (request.op) {
      case 'open':
        return this.#open(request);
      case 'progress':
        return this.#progress(request);
      case 'close':
        return this.#close(request);
    }
  }

  #resumed(request: ReplicationRequest, after: DepCall): void {
    this.trace({ kind: 'resumed', ...request, after });
  }

  async #open(request: ReplicationRequest): Promise<Answer> {
    const { req, session: id } = request;
    if (this.#sessions.has(id)) return 'busy';
    const channel = await this.deps.connect(id, req);
    this.#resumed(request, 'connect');
    // Another open of the same session may have finished while we connected.
    if (this.design.openRecheck && this.#sessions.has(id)) {
      this.deps.transport.close(channel);
      return 'busy';
    }
    this.#sessions.set(id, { id, channel, copied: 0 });
    return 'opened';
  }

  /** One step of re-mirroring: read the next chunk and send it to the peer. */
  async #progress(request: ReplicationRequest): Promise<Answer> {
    const session = this.#sessions.get(request.session);
    if (session === undefined || session.closing !== undefined) return 'idle';
    // The fix: one copy at a time; a second would read the same offset and send that chunk twice.
    if (this.design.oneCopyAtATime && session.copying) return 'busy';
    session.copying = true;
    const chunk = await this.deps.readChunk(session.id, session.copied, request.req);
    this.#resumed(request, 'readChunk');
    session.copying = false;
    if (!this.#copyMayWrite(session)) return 'abandoned';
    this.deps.transport.write(session.channel, chunk);
    session.copied += 1;
    return 'copied';
  }

  /** The re-check a copy makes after its read: may it still write to the session it read for? */
  #copyMayWrite(session: Session): boolean {
    switch (this.design.copyRecheck) {
      case 'nothing':
        return true;
      case 'own-session':
        // The fix: the session may have begun closing while the chunk was read. A removed session began closing first.
        return session.closing === undefined;
      case 'session-id': {
        // Weakened: asks the table about the id, and a session closed and reopened meanwhile answers for the old one.
        const current = this.#sessions.get(session.id);
        return current !== undefined && current.closing === undefined;
      }
    }
  }

  async #close(request: ReplicationRequest): Promise<Answer> {
    const session = this.#sessions.get(request.session);
    if (session === undefined) return 'unknown';
    switch (this.design.concurrentClose) {
      case 'tear-down-again':
        // 2011: the session was in the table, so this close tears it down — even if another close already is.
        session.closing = this.#tearDown(session, request);
        break;
      case 'join':
        // The fix: the first close owns the teardown; a close arriving meanwhile waits for that one.
        session.closing ??= this.#tearDown(session, request);
        break;
      case 'answer-at-once':
        // Without the wait: a close arriving meanwhile answers before the channel is closed.
        if (session.closing !== undefined) return 'closed';
        session.closing = this.#tearDown(session, request);
        break;
      case 'recheck-id':
        // Weakened: every close releases, and re-checks the table by id before closing the channel.
        session.closing = this.#tearDown(session, request, true);
        break;
    }
    await session.closing;
    return 'closed';
  }

  async #tearDown(session: Session, request: ReplicationRequest, recheckId = false): Promise<void> {
    await this.deps.releaseReplica(session.id, request.req);
    this.#resumed(request, 'releaseReplica');
    if (recheckId && !this.#sessions.has(session.id)) return;
    this.deps.transport.close(session.channel);
    this.#sessions.delete(session.id);
  }
}
