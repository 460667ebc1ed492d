import type { CallKind, CallMsg } from './messages.js';

/** A thread at work: the call it serves, when its caller sent it and the tick at which it took the thread. */
export interface Hold {
  from: string;
  az: string;
  kind: CallKind;
  id: number;
  sent: number;
  since: number;
  /** True only in `leaky-timeout`: the call was answered but the thread never went back to the pool. */
  answered: boolean;
}

export interface ControlPlanePolicy {
  /** The Availability Zones the control plane serves (its configuration): its fair shares are shares of these. */
  zones: string[];
  /** The AZ whose cluster is stuck: its create-volume calls never complete (the environment, not the control plane's knowledge). */
  degradedAz: string;
  /**
   * When a thread waiting on a cluster gives up. 2011: a long time-out counted
   * from when the thread took the call. Fixed: the call's own deadline, S ticks
   * after its caller sent it, S being the callers' patience, so no thread waits
   * for a caller that has already given up.
   */
  timeout: { from: 'taken' | 'sent'; ticks: number };
  /** Fixed: a call that arrives past its deadline (sent + S) is answered "timed out" without taking a thread. */
  refuseLate: boolean;
  /** A call whose number is not above the highest its caller ever had served is a copy or a stale call: it takes no thread. */
  dedup: boolean;
  /**
   * AZ-aware load shedding. `over-capacity`: a zone at its fair share may take
   * a thread only if enough stay free for the zones below theirs. `static-share`
   * (the failed first attempt): a zone at its fair share is shed, whatever the load.
   */
  shedding: 'none' | 'over-capacity' | 'static-share';
  /** Whether a timed-out call gives its thread back; false is the forgotten release on the error path (`leaky-timeout`). */
  releaseOnTimeout: boolean;
}

export interface PoolView {
  clock: number;
  threads: Array<Hold | null>;
  latest: Record<string, number>;
  policy: ControlPlanePolicy;
}

export type Admission =
  | { kind: 'take'; thread: number }
  | { kind: 'ignore' }
  | { kind: 'late' }
  | { kind: 'refuse' | 'shed'; free: number; held: Record<string, number> };

/** A zone's fair share of the pool: ⌊P / AZs⌋ threads. */
export const fairShare = (threads: number, zones: number): number => Math.floor(threads / Math.max(1, zones));

/** Threads each zone holds (every zone listed, zero included). */
export function heldByZone(pool: Pick<PoolView, 'threads' | 'policy'>): Record<string, number> {
  const held: Record<string, number> = Object.fromEntries(pool.policy.zones.map((z) => [z, 0]));
  for (const h of pool.threads) if (h !== null) held[h.az] = (held[h.az] ?? 0) + 1;
  return held;
}

/**
 * Threads that must stay free so that every zone other than `az` can still
 * reach its fair share: Σ over the other zones of max(0, share − held).
 */
export function reservedForOthers(held: Record<string, number>, az: string, share: number): number {
  return Object.entries(held).reduce((sum, [zone, n]) => (zone === az ? sum : sum + Math.max(0, share - n)), 0);
}

/**
 * What the control plane does with a call. Without shedding, any free thread
 * is taken. With shedding, a zone below its fair share always gets one (the
 * reservation keeps one free for it), and a zone at or above its share gets
 * one only while the threads left over still cover the other zones' shortfall:
 * it sheds only when over capacity.
 */
export function admission(pool: PoolView, call: CallMsg): Admission {
  const { policy } = pool;
  if (policy.dedup && call.id <= (pool.latest[call.from] ?? 0)) return { kind: 'ignore' };
  if (policy.refuseLate && pool.clock - call.sent >= policy.timeout.ticks) return { kind: 'late' };
  const free = pool.threads.filter((h) => h === null).length;
  const held = heldByZone(pool);
  if (free === 0) return { kind: 'refuse', free, held };
  const thread = pool.threads.indexOf(null);
  if (policy.shedding === 'none') return { kind: 'take', thread };
  const share = fairShare(pool.threads.length, policy.zones.length);
  if ((held[call.az] ?? 0) < share) return { kind: 'take', thread };
  if (policy.shedding === 'over-capacity' && free - 1 >= reservedForOthers(held, call.az, share)) return { kind: 'take', thread };
  return { kind: 'shed', free, held };
}

const holdKey = (h: Hold) => `${h.kind}|${h.az}|${h.sent}|${h.since}|${h.id}|${h.answered}|${h.from}`;

/**
 * The pool in one canonical order: busy threads sorted, free ones last.
 * Threads are interchangeable, so which slot serves a call is not part of the
 * state: without this, every order of arrival would be a different state.
 */
export function canonicalPool(threads: Array<Hold | null>): Array<Hold | null> {
  const busy = threads.filter((h): h is Hold => h !== null).sort((a, b) => (holdKey(a) < holdKey(b) ? -1 : holdKey(a) > holdKey(b) ? 1 : 0));
  return [...busy, ...threads.filter((h) => h === null)];
}
