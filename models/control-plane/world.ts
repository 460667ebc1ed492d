import type { WorldSpec, WorldView } from '../../src/index.js';
import { createControlPlaneMachine, type ControlPlaneContext } from './control-plane.js';
import { createCustomerMachine, type RetryPolicy } from './customer.js';
import { CONTROL_PLANE, DEGRADED_AZ, threadName } from './messages.js';
import type { ControlPlanePolicy } from './pool.js';
import { createStuckVolumeMachine } from './stuck-volume.js';
import { designOf, type ControlPlaneVariant } from './variants.js';

/** The size of one impact's world. */
export interface WorldSize {
  /** P: worker threads in the regional pool. */
  threads: number;
  /** Availability Zones in the Region; az1 is the degraded one. */
  azs: number;
  /** Thread exhaustion: customers creating volumes in the degraded zone. */
  degradedCallers: number;
  /** c: customers in each healthy zone. */
  healthyCallers: number;
  /** Brownout: V, volumes of the degraded cluster that get stuck and negotiate. */
  stuckVolumes: number;
  /** Every caller's client: resend after `retryAfter` ticks, give up after `attempts` sends (patience S = their product). */
  retry: RetryPolicy;
  /** The 2011 create-volume time-out, in ticks from taking the thread: longer than the callers' patience. */
  longTimeout: number;
  ticks: number;
  /** Create-volume calls customers make, over all zones (retries of a call not counted). */
  requests: number;
  /** Messages the network may lose. */
  drops: number;
  /**
   * Whether healthy zones' customers run the retry timer too. The degraded
   * zone's customers always do. In the exhaustion world the healthy timers
   * multiply the states about tenfold, so only `large-exhaustion-timers` has them.
   */
  healthyTimers: boolean;
}

const retry: RetryPolicy = { retryAfter: 1, attempts: 2 };

/**
 * Thread exhaustion with P = 1 + c·(AZs − 1) threads, one per caller: the pool
 * is sized for every caller to hold one thread at once, as a pool sized for
 * normal load is, so it fills only when hanging calls pile up. Customers may
 * call 2·callers + 2 times in all: healthy load goes on after the pile-up, so
 * that random search meets the refusal too.
 */
export function exhaustionSize(azs: number, healthyCallers: number, ticks: number): WorldSize {
  const degradedCallers = 1;
  const threads = degradedCallers + healthyCallers * (azs - 1);
  return { threads, azs, degradedCallers, healthyCallers, stuckVolumes: 0, retry, longTimeout: ticks + 1, ticks, requests: 2 * (degradedCallers + healthyCallers * (azs - 1)) + 2, drops: 1, healthyTimers: false };
}

/**
 * The brownout with P = AZs · c threads, so that each zone's fair share ⌊P/AZs⌋
 * is c, and V = c + 1 stuck volumes: more than the degraded zone's share.
 * Each healthy customer may call twice, so that healthy load goes on after
 * the first tick and random search meets a refused negotiation too.
 */
export function brownoutSize(azs: number, healthyCallers: number, ticks: number): WorldSize {
  const stuckVolumes = healthyCallers + 1;
  return { threads: azs * healthyCallers, azs, degradedCallers: 0, healthyCallers, stuckVolumes, retry, longTimeout: ticks + 1, ticks, requests: 2 * healthyCallers * (azs - 1), drops: 1, healthyTimers: true };
}

/** A configuration sizes both worlds; each variant is checked in the world of its impact. */
export interface ControlPlaneConfig {
  exhaustion: WorldSize;
  brownout: WorldSize;
}

export const controlPlaneConfigs = {
  small: { exhaustion: exhaustionSize(2, 2, 2), brownout: brownoutSize(2, 2, 1) },
  large: { exhaustion: exhaustionSize(3, 2, 2), brownout: brownoutSize(3, 2, 1) },
  'large-timers': { exhaustion: { ...exhaustionSize(2, 2, 2), healthyTimers: true }, brownout: { ...brownoutSize(2, 2, 2) } },
} satisfies Record<string, ControlPlaneConfig>;

export const controlPlaneConfigNotes: Record<keyof typeof controlPlaneConfigs, string> = {
  small:
    'Thread exhaustion: 3 threads, 2 AZs, 1 customer in the degraded az1 (retry timer: resend after 1 tick, give up after 2) and 2 in az2, 2 ticks, 8 calls, 1 lost message. Brownout: 4 threads, 2 AZs (fair share 2), 3 stuck volumes in az1 and 2 customers with retry timers in az2 (4 calls), 1 tick, 1 lost message.',
  large:
    'Reviewer size, 3 AZs with 2 customers in each healthy zone. Thread exhaustion: 5 threads, 1 customer in az1, 2 ticks, 12 calls, 1 lost message. Brownout: 6 threads (fair share 2), 3 stuck volumes, 1 tick, 1 lost message.',
  'large-timers': 'The small worlds with more time: retry timers on the healthy customers of the exhaustion world too, and 2 ticks in the brownout.',
};

/** The AZ names, az1 (degraded) first. */
export const azNames = (azs: number): string[] => Array.from({ length: azs }, (_, i) => `az${i + 1}`);

export function buildControlPlaneWorld(variant: ControlPlaneVariant, sizes: ControlPlaneConfig): WorldSpec {
  const design = designOf(variant);
  const config = sizes[design.impact];
  const zones = azNames(config.azs);
  const policy: ControlPlanePolicy = {
    zones,
    degradedAz: DEGRADED_AZ,
    timeout: design.shortTimeout ? { from: 'sent', ticks: config.retry.retryAfter * config.retry.attempts } : { from: 'taken', ticks: config.longTimeout },
    refuseLate: design.refuseLate,
    dedup: design.dedup,
    shedding: design.shedding,
    releaseOnTimeout: design.releaseOnTimeout,
  };
  const processes: WorldSpec['processes'] = {
    [CONTROL_PLANE]: { machine: createControlPlaneMachine(), input: { threads: config.threads, policy }, role: 'server' },
  };
  const symmetry: string[][] = [];
  const customer = createCustomerMachine();
  const timer = [{ event: { type: 'TIMEOUT' } }];
  const addCustomers = (az: string, count: number) => {
    const names = Array.from({ length: count }, (_, i) => `${az}-c${i + 1}`);
    for (const name of names) processes[name] = { machine: customer, input: { name, az, retry: config.retry }, requests: [{ type: "CALL_API" }], timeouts: az === DEGRADED_AZ || config.healthyTimers ? timer : [], role: "client", delivery: LATE_ANSWERS };
    symmetry.push(names);
  };
  // From 2:40 AM on, create-volume was disabled in the degraded AZ: in the brownout its load is the negotiations.
  if (design.impact === 'exhaustion') addCustomers(DEGRADED_AZ, config.degradedCallers);
  for (const az of zones.slice(1)) addCustomers(az, config.healthyCallers);
  if (design.impact === 'brownout') {
    const volume = createStuckVolumeMachine();
    const names = Array.from({ length: config.stuckVolumes }, (_, i) => `${DEGRADED_AZ}-v${i + 1}`);
    for (const name of names) {
      processes[name] = { machine: volume, input: { name, az: DEGRADED_AZ, policy: { backOff: design.backOff } }, role: 'client' };
    }
    symmetry.push(names);
  }
  return {
    processes,
    network: 'bag',
    // An unexpected message is a model error, except a late answer to a caller (LATE_ANSWERS).
    delivery: 'error',
    budgets: { tick: config.ticks, request: config.requests, drop: config.drops },
    symmetry,
    view: {
      clock: (w) => controlPlaneOf(w).clock,
      threads: (w) => describeThreads(controlPlaneOf(w)),
    },
  };
}

/**
 * An answer from the control plane can reach a caller that already gave up on
 * its own timer and went idle: the caller ignores it, as a client library does.
 * (With only TIMED_OUT declared so, random search found a late REFUSED that the
 * checked configurations' exhaustive search never reaches.) Every other message
 * must find its receiver ready for it.
 */
const LATE_ANSWERS = { DONE: 'drop', TIMED_OUT: 'drop', REFUSED: 'drop', SHED: 'drop' } as const;

export const controlPlaneOf = (w: WorldView): ControlPlaneContext => w.process(CONTROL_PLANE).context as ControlPlaneContext;

/** "t1: az1-c1 create-volume #1 since tick 0; t2: free" */
export function describeThreads(cp: ControlPlaneContext): string {
  return cp.threads.map((h, i) => `${threadName(i)}: ${h === null ? 'free' : `${h.from} ${h.kind} #${h.id} since tick ${h.since}${h.answered ? ' (answered, never released)' : ''}`}`).join('; ');
}
