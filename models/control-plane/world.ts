import type { WorldSpec, WorldView } from '../../src/index.js';
import { createAzClientMachine, createDegradedClusterMachine, type NegotiationPolicy } from './callers.js';
import { createControlPlaneMachine, type ControlPlaneContext, type ControlPlanePolicy } from './control-plane.js';
import { CONTROL_PLANE, DEGRADED_AZ, DEGRADED_CLUSTER, threadName } from './messages.js';

export type ControlPlaneVariant = 'buggy' | 'fixed' | 'timeouts-only' | 'leaky-timeout' | 'brownout' | 'brownout-fixed';

export interface ControlPlaneConfig {
  /** P: worker threads in the regional pool. */
  threads: number;
  /** Availability Zones in the Region; az1 is the degraded one. */
  azs: number;
  /** The 2011 create-volume time-out, in ticks: P, long enough for calls sent one per tick to fill P threads. */
  longTimeout: number;
  /** The fixed time-out, in ticks. */
  shortTimeout: number;
  /** Brownout: volumes of the degraded cluster that get stuck and negotiate. */
  stuckVolumes: number;
  /** Tick budget: bounds the clock. */
  ticks: number;
  /** Request budget: API calls plus volumes getting stuck, over all AZs. */
  requests: number;
}

/** A configuration for P threads and `azs` AZs with budgets just large enough to show each story. */
export function sizedConfig(threads: number, azs: number): ControlPlaneConfig {
  return {
    threads,
    azs,
    longTimeout: threads,
    shortTimeout: 1,
    stuckVolumes: threads,
    // The degraded AZ sends one call per tick, so its P calls span P - 1 ticks; one more lets the first time out.
    ticks: threads,
    // P calls or stuck volumes from the degraded AZ, and one call from each healthy AZ.
    requests: threads + azs - 1,
  };
}

export const controlPlaneConfigs = {
  small: sizedConfig(2, 2),
  'three-azs': sizedConfig(3, 3),
  'three-threads': sizedConfig(3, 2),
  'four-threads': sizedConfig(4, 2),
  // More stuck volumes than threads: the brownout fix must hold by its throttle, not by a small storm.
  'many-stuck-volumes': { ...sizedConfig(2, 2), stuckVolumes: 4, requests: 5 },
} satisfies Record<string, ControlPlaneConfig>;

export const controlPlaneVariants = {
  buggy:
    'As in 2011 before 2:40 AM: one regional thread pool with no per-AZ limit and a long create-volume time-out, so calls hanging on the degraded cluster pile up until they hold every thread.',
  fixed:
    'The promised fix: a short time-out returns a hanging thread after one tick, and the control plane is AZ-aware, letting one AZ hold at most P - (AZs - 1) threads so every other AZ always finds one.',
  'timeouts-only':
    'The first promised fix alone: the short time-out, but still one regional pool with no per-AZ limit. Calls sent over several ticks may reach the control plane within one, so a burst from the degraded AZ can still take every thread for a tick.',
  brownout:
    'As in 2011 from 5:30 AM: create-volume in the degraded AZ is disabled, but its stuck volumes negotiate with the control plane and retry at once, without back-off, after every failed re-mirror or refusal.',
  'leaky-timeout':
    'The fixed design with one slip on its error path: a call that times out is answered, but its thread is never handed back to the pool, so every time-out shrinks the pool for good.',
  'brownout-fixed':
    'The fix for the brownout: the degraded cluster throttles its negotiations to at most P - (AZs - 1) in flight at once and backs off for a tick after a refusal, and the control plane sheds load by AZ with the same per-AZ limit.',
} satisfies Record<ControlPlaneVariant, string>;

/** The AZ names, az1 (degraded) first. */
export const azNames = (azs: number): string[] => Array.from({ length: azs }, (_, i) => `az${i + 1}`);

/** One AZ may hold at most this many threads in the fixed variants: one thread stays for every other AZ. */
export const perAzLimit = (config: ControlPlaneConfig): number => Math.max(1, config.threads - (config.azs - 1));

function policyFor(variant: ControlPlaneVariant, config: ControlPlaneConfig): ControlPlanePolicy {
  const fixed = variant === 'fixed' || variant === 'brownout-fixed' || variant === 'leaky-timeout';
  return {
    timeout: fixed || variant === 'timeouts-only' ? config.shortTimeout : config.longTimeout,
    perAzLimit: fixed ? perAzLimit(config) : config.threads,
    degradedAz: DEGRADED_AZ,
    releaseOnTimeout: variant !== 'leaky-timeout',
  };
}

function negotiationPolicy(variant: ControlPlaneVariant, config: ControlPlaneConfig): NegotiationPolicy {
  return variant === 'brownout-fixed' ? { maxInFlight: perAzLimit(config), backOff: true } : { maxInFlight: config.stuckVolumes, backOff: false };
}

export function buildControlPlaneWorld(variant: ControlPlaneVariant, config: ControlPlaneConfig): WorldSpec {
  const brownout = variant === 'brownout' || variant === 'brownout-fixed';
  const processes: WorldSpec['processes'] = {
    [CONTROL_PLANE]: { machine: createControlPlaneMachine(), input: { threads: config.threads, policy: policyFor(variant, config) }, role: 'server' },
  };
  const client = createAzClientMachine();
  for (const az of azNames(config.azs)) {
    // From 2:40 AM on, create-volume was disabled in the degraded AZ: in the brownout its load is the negotiations.
    if (brownout && az === DEGRADED_AZ) continue;
    // The degraded AZ's many customers keep P calls going; each healthy AZ has one caller, so alone it never needs two threads.
    const callers = az === DEGRADED_AZ ? config.threads : 1;
    processes[az] = { machine: client, input: { az, callers }, requests: [{ type: 'CALL_API' }], role: 'client' };
  }
  if (brownout) {
    processes[DEGRADED_CLUSTER] = {
      machine: createDegradedClusterMachine(),
      input: { az: DEGRADED_AZ, volumes: config.stuckVolumes, policy: negotiationPolicy(variant, config) },
      requests: [{ type: 'VOLUME_STUCK' }],
      role: 'client',
    };
  }
  return {
    processes,
    network: 'bag',
    budgets: { tick: config.ticks, request: config.requests },
    view: {
      clock: (w) => controlPlaneOf(w).clock,
      threads: (w) => describeThreads(controlPlaneOf(w)),
    },
  };
}

export const controlPlaneOf = (w: WorldView): ControlPlaneContext => w.process(CONTROL_PLANE).context as ControlPlaneContext;

/** "t1: az1 create-volume #1 since tick 0; t2: free" */
export function describeThreads(cp: ControlPlaneContext): string {
  return cp.threads.map((h, i) => `${threadName(i)}: ${h === null ? 'free' : `${h.az} ${h.kind} #${h.id} since tick ${h.since}`}`).join('; ');
}
