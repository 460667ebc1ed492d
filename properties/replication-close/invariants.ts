import type { SourceRef } from '../../src/index.js';
import type { JournalEntry } from '../../models/replication-close/types.js';

export type RaceInvariantName =
  | 'node-never-crashes'
  | 'no-write-after-close'
  | 'every-close-answered-once'
  | 'no-duplicate-channel'
  | 'no-leaked-channel'
  | 'closed-only-after-teardown'
  | 'chunks-in-order'
  | 'no-zombie-session'
  | 'copy-refused-only-while-copying';

/** Where a run first broke an invariant: the 1-based schedule step, and a sentence naming handlers and sessions. */
export interface Violation {
  step: number;
  /** The request whose handler was running when it broke. */
  req: number;
  message: string;
}

export interface RaceInvariant {
  name: RaceInvariantName;
  statement: string;
  guards: SourceRef;
  /** Reads a journal; `quiescent` says nothing was left in flight when it ended. */
  violation(journal: readonly JournalEntry[], quiescent: boolean): Violation | undefined;
}

const RACE_SECTION = 'Primary Outage';
const RACE_QUOTE =
  'There was also a race condition in the code on the EBS nodes that, with a very low probability, caused them to fail when they were concurrently closing a large number of requests for replication.';
const STUCK_QUOTE = 'Nodes began to fail as a result of the bug, resulting in more volumes left needing to re-mirror.';
const RACE_PASSAGE = { section: RACE_SECTION, quote: RACE_QUOTE };

/** Walks a journal keeping count of steps (arrivals and resumptions) and of whose handler is running. */
function* withSteps(journal: readonly JournalEntry[]): Generator<{ entry: JournalEntry; step: number; req: number }> {
  let step = 0;
  let req = 0;
  for (const entry of journal) {
    if (entry.kind === 'received' || entry.kind === 'resumed') {
      step += 1;
      req = entry.req;
    }
    yield { entry, step, req };
  }
}

const handler = (op: string, req: number) => `${op}#${req}`;

export const nodeNeverCrashes: RaceInvariant = {
  name: 'node-never-crashes',
  statement: 'No error escapes a request handler: the node stays up however the awaited calls of concurrent requests interleave.',
  guards: RACE_PASSAGE,
  violation(journal) {
    for (const { entry, step } of withSteps(journal)) {
      if (entry.kind === 'crash') {
        return { step, req: entry.req, message: `${handler(entry.op, entry.req)} on ${entry.session} let '${entry.error}' escape its handler: the node went down` };
      }
    }
    return undefined;
  },
};

export const noWriteAfterClose: RaceInvariant = {
  name: 'no-write-after-close',
  statement: 'No chunk is written through the channel of a session after that channel was closed (it would be lost while the copy counts it as sent).',
  guards: { section: RACE_SECTION, quote: STUCK_QUOTE },
  violation(journal) {
    for (const { entry, step, req } of withSteps(journal)) {
      if (entry.kind === 'write' && !entry.open) {
        return { step, req, message: `progress#${req} wrote chunk ${entry.chunk} through channel ${entry.channel} of ${entry.session} after the channel was closed: the chunk is lost` };
      }
    }
    return undefined;
  },
};

export const everyCloseAnsweredOnce: RaceInvariant = {
  name: 'every-close-answered-once',
  statement: 'Every close request is answered exactly once: not twice, and not never — neither because the node went down with it in flight nor because it was left waiting.',
  guards: RACE_PASSAGE,
  violation(journal, quiescent) {
    const answers = new Map<number, number>();
    let lastStep = 0;
    for (const { entry, step } of withSteps(journal)) {
      lastStep = step;
      if (entry.kind === 'received' && entry.op === 'close') answers.set(entry.req, 0);
      if (entry.kind === 'answer' && entry.op === 'close') {
        const n = (answers.get(entry.req) ?? 0) + 1;
        answers.set(entry.req, n);
        if (n > 1) return { step, req: entry.req, message: `close#${entry.req} on ${entry.session} was answered ${n} times` };
      }
      if (entry.kind === 'crash') {
        const open = [...answers].filter(([, n]) => n === 0).map(([r]) => `close#${r}`);
        if (open.length > 0) return { step, req: entry.req, message: `${open.join(', ')} will never be answered: the node went down with ${open.length === 1 ? 'it' : 'them'} in flight` };
      }
    }
    if (!quiescent) return undefined;
    const unanswered = [...answers].filter(([, n]) => n === 0).map(([r]) => r);
    if (unanswered.length === 0) return undefined;
    return { step: lastStep, req: unanswered[0]!, message: `close#${unanswered[0]} was never answered though nothing is left in flight` };
  },
};

/**
 * The node's channels as the journal tells them: which session each was
 * connected for, whether its open registered it in the session table (answered
 * `opened`), and whether it has been closed.
 */
class ChannelLedger {
  readonly #channels = new Map<number, { session: string; registered: boolean; open: boolean }>();
  /** The connect each open made, by request. */
  readonly #connectOf = new Map<number, number>();

  see(entry: JournalEntry): void {
    if (entry.kind === 'call' && entry.call === 'connect' && entry.channel !== undefined) {
      this.#channels.set(entry.channel, { session: entry.session, registered: false, open: true });
      this.#connectOf.set(entry.req, entry.channel);
    }
    if (entry.kind === 'close' && entry.ok) this.#channels.get(entry.channel)!.open = false;
  }

  /** The channel an `opened` answer registers. */
  register(req: number): number | undefined {
    const channel = this.#connectOf.get(req);
    if (channel !== undefined) this.#channels.get(channel)!.registered = true;
    return channel;
  }

  /** Registered channels of a session that are still open. */
  openRegistered(session: string): number[] {
    return [...this.#channels].filter(([, c]) => c.session === session && c.registered && c.open).map(([id]) => id);
  }

  /** Open channels, each with its session and whether it was registered. */
  open(): { channel: number; session: string; registered: boolean }[] {
    return [...this.#channels].filter(([, c]) => c.open).map(([channel, c]) => ({ channel, session: c.session, registered: c.registered }));
  }
}

export const noDuplicateChannel: RaceInvariant = {
  name: 'no-duplicate-channel',
  statement: 'A session never has two channels registered at once: an open that registers a channel for a session finds no other registered channel of that session still open.',
  guards: RACE_PASSAGE,
  violation(journal) {
    const ledger = new ChannelLedger();
    for (const { entry, step } of withSteps(journal)) {
      ledger.see(entry);
      if (entry.kind === 'answer' && entry.op === 'open' && entry.answer === 'opened') {
        const others = ledger.openRegistered(entry.session);
        const channel = ledger.register(entry.req);
        const duplicate = others.filter((c) => c !== channel);
        if (duplicate.length > 0) {
          return { step, req: entry.req, message: `open#${entry.req} registered channel ${channel} for ${entry.session} while channel ${duplicate.join(', ')} of ${entry.session} was still open and registered: two channels for one session` };
        }
      }
    }
    return undefined;
  },
};

export const noLeakedChannel: RaceInvariant = {
  name: 'no-leaked-channel',
  statement:
    'Once the node is idle (up, nothing in flight), every open channel is the one channel of a session still in the table: a channel whose session was closed, or whose open lost to another, has been closed.',
  guards: RACE_PASSAGE,
  violation(journal, quiescent) {
    if (!quiescent || journal.some((e) => e.kind === 'crash')) return undefined;
    const ledger = new ChannelLedger();
    let lastStep = 0;
    let lastReq = 0;
    /** The channel the table holds for each session: the latest registered, while it is open. */
    const held = new Map<string, number>();
    for (const { entry, step, req } of withSteps(journal)) {
      lastStep = step;
      lastReq = req;
      ledger.see(entry);
      if (entry.kind === 'answer' && entry.op === 'open' && entry.answer === 'opened') held.set(entry.session, ledger.register(entry.req)!);
    }
    const leaked = ledger.open().filter((c) => held.get(c.session) !== c.channel);
    if (leaked.length === 0) return undefined;
    const c = leaked[0]!;
    return { step: lastStep, req: lastReq, message: `the node is idle and channel ${c.channel} of ${c.session} is still open, though ${c.registered ? 'the table no longer holds it' : 'no open registered it'}: a leaked channel` };
  },
};

export const closedOnlyAfterTeardown: RaceInvariant = {
  name: 'closed-only-after-teardown',
  statement: 'A close is answered `closed` only once its session is torn down: every channel the session had registered when the close arrived has been closed.',
  guards: RACE_PASSAGE,
  violation(journal) {
    const ledger = new ChannelLedger();
    /** For each close in flight, the registered channels of its session when it arrived. */
    const toClose = new Map<number, number[]>();
    for (const { entry, step } of withSteps(journal)) {
      ledger.see(entry);
      if (entry.kind === 'answer' && entry.op === 'open' && entry.answer === 'opened') ledger.register(entry.req);
      if (entry.kind === 'received' && entry.op === 'close') toClose.set(entry.req, ledger.openRegistered(entry.session));
      if (entry.kind === 'answer' && entry.op === 'close' && entry.answer === 'closed') {
        const stillOpen = (toClose.get(entry.req) ?? []).filter((c) => ledger.openRegistered(entry.session).includes(c));
        if (stillOpen.length > 0) {
          return { step, req: entry.req, message: `close#${entry.req} answered closed for ${entry.session} while its channel ${stillOpen.join(', ')} was still open: the teardown had not finished` };
        }
      }
    }
    return undefined;
  },
};

export const chunksInOrder: RaceInvariant = {
  name: 'chunks-in-order',
  statement: 'On each open channel the chunks go out in order, each once: the k-th chunk written to a channel is chunk k - 1 of the volume (the peer\'s copy is always a prefix).',
  guards: { section: RACE_SECTION, quote: STUCK_QUOTE },
  violation(journal) {
    const next = new Map<number, number>();
    for (const { entry, step, req } of withSteps(journal)) {
      // A write through a closed channel is lost, not delivered out of order: no-write-after-close speaks for it.
      if (entry.kind !== 'write' || !entry.open) continue;
      const expected = next.get(entry.channel) ?? 0;
      if (entry.chunk !== expected) {
        return { step, req, message: `progress#${req} wrote chunk ${entry.chunk} to channel ${entry.channel} of ${entry.session}, where chunk ${expected} was due: the peer's copy ${entry.chunk < expected ? 'gets a chunk twice' : 'skips a chunk'}` };
      }
      next.set(entry.channel, expected + 1);
    }
    return undefined;
  },
};

export const noZombieSession: RaceInvariant = {
  name: 'no-zombie-session',
  statement: 'An open is refused as busy only while its session holds an open channel: a session whose teardown finished does not stay in the table and block its reopening.',
  guards: RACE_PASSAGE,
  violation(journal) {
    const ledger = new ChannelLedger();
    for (const { entry, step } of withSteps(journal)) {
      ledger.see(entry);
      if (entry.kind === 'answer' && entry.op === 'open' && entry.answer === 'opened') ledger.register(entry.req);
      if (entry.kind === 'answer' && entry.op === 'open' && entry.answer === 'busy' && ledger.openRegistered(entry.session).length === 0) {
        return { step, req: entry.req, message: `open#${entry.req} was refused as busy though no channel of ${entry.session} is open: the torn-down session is still in the table` };
      }
    }
    return undefined;
  },
};

export const copyRefusedOnlyWhileCopying: RaceInvariant = {
  name: 'copy-refused-only-while-copying',
  statement: 'A copy is refused as busy only while another copy of its session is reading: the turn to copy is always given back.',
  guards: { section: RACE_SECTION, quote: STUCK_QUOTE },
  violation(journal) {
    /** Copies whose disk read has not returned, by request, with their session. */
    const reading = new Map<number, string>();
    for (const { entry, step } of withSteps(journal)) {
      if (entry.kind === 'call' && entry.call === 'readChunk') reading.set(entry.req, entry.session);
      if (entry.kind === 'resumed' && entry.after === 'readChunk') reading.delete(entry.req);
      if (entry.kind === 'answer' && entry.op === 'progress' && entry.answer === 'busy' && ![...reading.values()].includes(entry.session)) {
        return { step, req: entry.req, message: `progress#${entry.req} was refused as busy though no copy of ${entry.session} is reading: the turn to copy was never given back` };
      }
    }
    return undefined;
  },
};

export const raceInvariants: readonly RaceInvariant[] = [
  nodeNeverCrashes,
  noWriteAfterClose,
  everyCloseAnsweredOnce,
  noDuplicateChannel,
  noLeakedChannel,
  closedOnlyAfterTeardown,
  chunksInOrder,
  noZombieSession,
  copyRefusedOnlyWhileCopying,
];

export function invariantNamed(name: RaceInvariantName): RaceInvariant {
  const found = raceInvariants.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no invariant ${name}`);
  return found;
}
