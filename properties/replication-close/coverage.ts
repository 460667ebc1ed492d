import type { JournalEntry } from '../../models/replication-close/types.js';
import type { FixPath } from './variants.js';

export const FIX_PATHS: readonly FixPath[] = [
  'close joins the teardown under way',
  'joined close answers after the teardown',
  'copy abandons its chunk',
  'open drops the channel it lost',
  'copy waits its turn',
];

/**
 * The paths of the fix that a run took, read off its journal. Each exists only
 * because of one safeguard, so a fixed variant that never takes one has not
 * exercised that safeguard (its verdict would be vacuous).
 */
export function fixPathsTaken(journal: readonly JournalEntry[]): Set<FixPath> {
  const taken = new Set<FixPath>();
  const released = new Set<number>();
  const connected = new Set<number>();
  /** For each close, whether a channel of its session was closed after it arrived. */
  const sawTeardown = new Map<number, boolean>();
  const closeSession = new Map<number, string>();
  for (const e of journal) {
    if (e.kind === 'call' && e.call === 'releaseReplica') released.add(e.req);
    if (e.kind === 'call' && e.call === 'connect') connected.add(e.req);
    if (e.kind === 'received' && e.op === 'close') {
      sawTeardown.set(e.req, false);
      closeSession.set(e.req, e.session);
    }
    if (e.kind === 'close' && e.ok) for (const [req, session] of closeSession) if (session === e.session) sawTeardown.set(req, true);
    if (e.kind !== 'answer') continue;
    if (e.op === 'progress' && e.answer === 'abandoned') taken.add('copy abandons its chunk');
    if (e.op === 'progress' && e.answer === 'busy') taken.add('copy waits its turn');
    if (e.op === 'open' && e.answer === 'busy' && connected.has(e.req)) taken.add('open drops the channel it lost');
    if (e.op === 'close' && e.answer === 'closed' && !released.has(e.req)) {
      taken.add('close joins the teardown under way');
      if (sawTeardown.get(e.req)) taken.add('joined close answers after the teardown');
    }
  }
  return taken;
}
