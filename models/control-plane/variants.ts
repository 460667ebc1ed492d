/**
 * Each variant as a set of design decisions: which API impact it is checked
 * against, and which protections it has. The two impacts are separate worlds:
 * thread exhaustion (12:50 AM) has customers creating volumes in the degraded
 * zone; the brownout (5:30 AM) has stuck volumes negotiating instead, because
 * create-volume had been disabled there at 2:40 AM.
 */
export interface Design {
  impact: 'exhaustion' | 'brownout';
  /** A hanging thread gives up at its call's deadline (S ticks after its caller sent it), not after the long time-out. */
  shortTimeout: boolean;
  /** A call that arrives past its deadline takes no thread. */
  refuseLate: boolean;
  /** A copy of a call already served takes no thread. */
  dedup: boolean;
  /** AZ-aware load shedding: when over capacity (the fix), or at a static fair-share limit (the failed first attempt). */
  shedding: 'none' | 'over-capacity' | 'static-share';
  releaseOnTimeout: boolean;
  /** A stuck volume turned away waits for the next tick before negotiating again. */
  backOff: boolean;
}

const as2011 = { shortTimeout: false, refuseLate: false, dedup: true, shedding: 'none' as const, releaseOnTimeout: true, backOff: false };
const timeoutLogic = { shortTimeout: true, refuseLate: true };

const designs = {
  exhaustion: { impact: 'exhaustion', ...as2011 },
  'exhaustion-fixed': { impact: 'exhaustion', ...as2011, ...timeoutLogic },
  'exhaustion-fixed-long-timeout': { impact: 'exhaustion', ...as2011, ...timeoutLogic, shortTimeout: false },
  'exhaustion-fixed-admits-late': { impact: 'exhaustion', ...as2011, ...timeoutLogic, refuseLate: false },
  'exhaustion-fixed-without-dedup': { impact: 'exhaustion', ...as2011, ...timeoutLogic, dedup: false },
  'leaky-timeout': { impact: 'exhaustion', ...as2011, ...timeoutLogic, releaseOnTimeout: false },
  'exhaustion-shedding-only': { impact: 'exhaustion', ...as2011, shedding: 'over-capacity' as const },
  'exhaustion-timeout-and-shedding': { impact: 'exhaustion', ...as2011, ...timeoutLogic, shedding: 'over-capacity' as const },
  'static-share-limit': { impact: 'exhaustion', ...as2011, ...timeoutLogic, shedding: 'static-share' as const },
  brownout: { impact: 'brownout', ...as2011 },
  'brownout-fixed': { impact: 'brownout', ...as2011, ...timeoutLogic, shedding: 'over-capacity' as const, backOff: true },
  'brownout-fixed-without-shedding': { impact: 'brownout', ...as2011, ...timeoutLogic, backOff: true },
  'brownout-fixed-without-back-off': { impact: 'brownout', ...as2011, ...timeoutLogic, shedding: 'over-capacity' as const },
  'brownout-back-off-only': { impact: 'brownout', ...as2011, backOff: true },
  'brownout-shedding-and-back-off': { impact: 'brownout', ...as2011, shedding: 'over-capacity' as const, backOff: true },
} satisfies Record<string, Design>;

export type ControlPlaneVariant = keyof typeof designs;
export const CONTROL_PLANE_VARIANTS = Object.keys(designs) as ControlPlaneVariant[];
export const designOf = (variant: ControlPlaneVariant): Design => designs[variant] as Design;

export const variantSummaries: Record<ControlPlaneVariant, string> = {
  exhaustion:
    'As in 2011 from 12:50 AM: create-volume calls into the degraded zone never complete and keep their threads for a long time-out; their customers give up and call again, so hanging calls pile up in the one regional pool until healthy zones are refused.',
  'exhaustion-fixed':
    'The promised improved time-out logic alone: a thread gives up at its call\'s deadline, S ticks after the caller sent it (S being the callers\' patience), and a call that arrives past its deadline takes no thread; no shedding.',
  'exhaustion-fixed-long-timeout': 'The time-out fix with the 2011 long time-out restored: a hanging thread waits long after its caller gave up.',
  'exhaustion-fixed-admits-late': 'The time-out fix, but a call delayed on the network past its deadline still takes a thread.',
  'exhaustion-fixed-without-dedup': 'The time-out fix, but a resent copy of a call in service takes a second thread.',
  'leaky-timeout':
    'A first attempt at the time-out fix, broken by the checker: a call that times out is answered, but its thread is never handed back to the pool.',
  'exhaustion-shedding-only': 'The 2011 long time-out with AZ-aware load shedding: hanging calls still wait long, but one zone can take only what other zones do not need.',
  'static-share-limit':
    'An earlier attempt at AZ-aware shedding, broken by the checker: each zone is capped at its fair share ⌊P/AZs⌋ whatever the load, so a healthy zone\'s second customer is shed while threads are free and the degraded zone is idle.',
  'exhaustion-timeout-and-shedding': 'Both protections against thread exhaustion: the deadline time-out and AZ-aware load shedding.',
  brownout:
    'As in 2011 from 5:30 AM: create-volume is disabled in the degraded zone, but its stuck volumes negotiate with the control plane and negotiate again at once after every failed re-mirror or refusal, taking every thread.',
  'brownout-fixed':
    'The promised AZ-aware load shedding when over capacity (a zone at its fair share ⌊P/AZs⌋ gets a thread only while the others\' shortfall stays covered), with stuck volumes that, when turned away, back off for a tick, counted on their own, before negotiating again.',
  'brownout-fixed-without-shedding': 'The brownout fix without load shedding: volumes back off, but the pool serves whoever comes first.',
  'brownout-fixed-without-back-off': 'The brownout fix without the volumes\' back-off: shedding protects healthy zones, but refused negotiations come straight back.',
  'brownout-back-off-only': 'The brownout with only the volumes backing off: the 2011 time-out and no shedding.',
  'brownout-shedding-and-back-off': 'The brownout with AZ-aware load shedding and backing-off volumes, but the 2011 time-out.',
};
