import type { SourceRef } from '../../src/index.js';
import type { JournalEntry } from '../../models/replication-close/types.js';

export type RaceInvariantName = 'node-never-crashes' | 'no-write-after-close' | 'every-close-answered-once';

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
// Paraphrased: the postmortem's own words stay in the postmortem.
const RACE_QUOTE = 'a race in the EBS node code, hit with very low probability, made nodes fail while they closed many replication requests at once';

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
  guards: { section: RACE_SECTION, quote: RACE_QUOTE },
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
  guards: { section: RACE_SECTION, quote: 'data that is not re-mirrored leaves the volume stuck, and the node retries' },
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
  guards: { section: RACE_SECTION, quote: RACE_QUOTE },
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

export const raceInvariants: readonly RaceInvariant[] = [nodeNeverCrashes, noWriteAfterClose, everyCloseAnsweredOnce];

export function invariantNamed(name: RaceInvariantName): RaceInvariant {
  const found = raceInvariants.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no invariant ${name}`);
  return found;
}
