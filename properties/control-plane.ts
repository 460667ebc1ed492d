import { always, defineModel, sometimes, type WorldView } from '../src/index.js';
import type { AzClientContext, ClusterContext } from '../models/control-plane/callers.js';
import { ANSWER_WITHIN, type ControlPlaneContext, type Hold } from '../models/control-plane/control-plane.js';
import { CONTROL_PLANE, DEGRADED_AZ, DEGRADED_CLUSTER, threadName, type AnswerMsg, type CallMsg } from '../models/control-plane/messages.js';
import { buildControlPlaneWorld, controlPlaneConfigs, controlPlaneOf, controlPlaneVariants, type ControlPlaneConfig, type ControlPlaneVariant } from '../models/control-plane/world.js';

const callers = (w: WorldView) => w.processNames.filter((n) => n !== CONTROL_PLANE);
const healthyAzs = (w: WorldView) => w.processNames.filter((n) => /^az\d+$/.test(n) && n !== DEGRADED_AZ);
const answersTo = (w: WorldView, to: string) => w.messages().filter((m) => m.to === to && m.msg.type === 'ANSWER').map((m) => m.msg as unknown as AnswerMsg);
const callsFrom = (w: WorldView, from: string) => w.messages().filter((m) => m.from === from && m.msg.type === 'CALL').map((m) => m.msg as unknown as CallMsg);

const describeCall = (h: Pick<Hold, 'az' | 'kind' | 'id'>) => (h.kind === 'negotiate' ? `${h.az}'s negotiation for volume ${h.id}` : `${h.az}'s create-volume #${h.id}`);

/** "t1 held by az1's create-volume #1 since tick 0, t2 free and ..." */
function whoHoldsThreads(cp: ControlPlaneContext): string {
  const held = cp.threads.map((h, i) => (h === null ? `${threadName(i)} free` : `${threadName(i)} held by ${describeCall(h)} since tick ${h.since}`));
  return held.length <= 1 ? held.join('') : `${held.slice(0, -1).join(', ')} and ${held[held.length - 1]}`;
}

const threadsCount = (n: number, of: number) => `${n} of the ${of} threads ${n === 1 ? 'is' : 'are'}`;

/** Why the pool refused: the call's own AZ at its limit, threads hanging on the degraded cluster, or a flood of negotiations. */
function whyRefused(cp: ControlPlaneContext, refusedAz: string): string {
  const busy = (p: (h: Hold) => boolean) => cp.threads.filter((h) => h !== null && p(h)).length;
  if (cp.threads.includes(null)) return `${refusedAz} already holds ${busy((h) => h.az === refusedAz)} thread(s), its per-AZ limit`;
  const hanging = busy((h) => h.az === cp.policy.degradedAz && h.kind === 'create-volume');
  const negotiations = busy((h) => h.kind === 'negotiate');
  if (hanging > 0) return `${threadsCount(hanging, cp.threads.length)} waiting on ${cp.policy.degradedAz}'s degraded cluster, which never answers, until a ${cp.policy.timeout}-tick time-out`;
  if (negotiations > 0) return `${threadsCount(negotiations, cp.threads.length)} serving re-mirror negotiations from ${cp.policy.degradedAz}'s stuck volumes`;
  return 'every thread is busy';
}

export const healthyAzServed = always({
  name: 'healthy-az-served',
  statement:
    'Every call from a healthy Availability Zone that reaches the control plane gets a thread, and its answer within T = 1 tick: a degraded zone never makes the control plane refuse or delay another zone.',
  guards: {
    section: 'Primary Outage',
    quote: 'once the degraded cluster\'s slow calls had taken every thread of the regional pool, the control plane failed API requests from the other Availability Zones as well',
  },
  check(w) {
    const cp = controlPlaneOf(w);
    for (const az of healthyAzs(w)) {
      const refused = answersTo(w, az).find((a) => a.outcome === 'refused');
      if (refused) {
        return {
          message: `at tick ${cp.clock} the control plane refused create-volume #${refused.id} from ${az}, a healthy AZ, for want of a thread: ${whoHoldsThreads(cp)}; ${whyRefused(cp, az)}`,
          processes: [CONTROL_PLANE, az],
        };
      }
    }
    const late = cp.threads.findIndex((h) => h !== null && h.az !== DEGRADED_AZ && cp.clock - h.since > ANSWER_WITHIN);
    if (late >= 0) {
      const h = cp.threads[late]!;
      return { message: `at tick ${cp.clock}, ${describeCall(h)} has held ${threadName(late)} since tick ${h.since} without an answer`, processes: [CONTROL_PLANE, h.from] };
    }
    return undefined;
  },
});

/** The requests a caller is waiting on: a client's outstanding create-volumes, or a cluster's negotiating volumes. */
function awaitedBy(w: WorldView, caller: string): number[] {
  const p = w.process(caller);
  if (caller === DEGRADED_CLUSTER) {
    const cluster = p.context as ClusterContext;
    return cluster.volumes.flatMap((v, i) => (v === 'negotiating' ? [i + 1] : []));
  }
  return (p.context as AzClientContext).outstanding;
}

export const noThreadLeak = always({
  name: 'no-thread-leak',
  statement:
    'Threads are always given back: every busy thread serves a call its caller still awaits, and every awaited call is in exactly one place — on its way to the control plane, holding one thread, or answered on its way back.',
  guards: {
    section: 'Impact to Multiple Availability Zones',
    quote: 'the first promised fix is better time-out logic, so that a cluster in one zone that is slow to answer cannot exhaust the control plane\'s threads',
  },
  check(w) {
    const cp = controlPlaneOf(w);
    for (const [i, h] of cp.threads.entries()) {
      if (h !== null && !awaitedBy(w, h.from).includes(h.id)) {
        return { message: `${threadName(i)} still holds ${describeCall(h)}, which ${h.from} no longer awaits: the thread is lost to the pool`, processes: [CONTROL_PLANE, h.from] };
      }
    }
    for (const caller of callers(w)) {
      for (const id of awaitedBy(w, caller)) {
        const places =
          callsFrom(w, caller).filter((c) => c.id === id).length +
          cp.threads.filter((h) => h !== null && h.from === caller && h.id === id).length +
          answersTo(w, caller).filter((a) => a.id === id).length;
        if (places !== 1) {
          return { message: `${caller}'s call ${id} is in ${places} places at once (request, thread, answer), at tick ${cp.clock}`, processes: [CONTROL_PLANE, caller] };
        }
      }
    }
    return undefined;
  },
});

export const negotiationLoadBounded = always({
  name: 'negotiation-load-bounded',
  statement: 'Within any one tick the control plane receives no more re-mirror negotiations than it has threads to serve them.',
  guards: {
    section: 'Primary Outage',
    quote: 'failed re-mirrors were retried while more volumes got stuck, so negotiations with the control plane kept growing until the load browned it out',
  },
  check(w) {
    const cp = controlPlaneOf(w);
    if (cp.negotiationsThisTick <= cp.threads.length) return undefined;
    return {
      message: `during tick ${cp.clock} the control plane received ${cp.negotiationsThisTick} negotiations from ${DEGRADED_AZ}'s stuck volumes, more than its ${cp.threads.length} threads can serve in a tick (${whoHoldsThreads(cp)})`,
      processes: [CONTROL_PLANE, DEGRADED_CLUSTER],
    };
  },
});

export const poolFills = sometimes({
  name: 'pool-fills',
  statement: 'The thread pool can be full: every thread serves a call at once, so the limits are tested at capacity.',
  guards: { section: 'Primary Outage', quote: 'the control plane has one regional pool of threads to serve requests from every zone' },
  reached: (w) => !controlPlaneOf(w).threads.includes(null),
});

export const timeoutFires = sometimes({
  name: 'timeout-fires',
  statement: 'A call hanging on the degraded cluster can time out, giving its thread back.',
  guards: { section: 'Primary Outage', quote: 'the create-volume API had a long time-out, so calls to the stuck cluster backed up' },
  reached: (w) => w.messages().some((m) => m.msg.type === 'ANSWER' && m.msg.outcome === 'timed-out'),
});

export const negotiationRetried = sometimes({
  name: 'negotiation-retried',
  statement: 'A stuck volume whose re-mirror failed can negotiate with the control plane again.',
  guards: { section: 'Primary Outage', quote: 'calls multiplied as the system retried failed re-mirrors and new requests arrived' },
  reached: (w) => w.processNames.includes(DEGRADED_CLUSTER) && (w.process(DEGRADED_CLUSTER).context as ClusterContext).attempts.some((n) => n >= 2),
});

export const controlPlane = defineModel<ControlPlaneConfig>({
  name: 'control-plane',
  summary:
    'The regional EBS control plane: a pool of P worker threads shared by every Availability Zone, one zone\'s cluster degraded, with discrete time so that time-outs and per-tick load are checked exhaustively.',
  incident: '2011',
  configs: controlPlaneConfigs,
  variants: {
    buggy: {
      kind: 'as-it-happened',
      passage: { section: 'Primary Outage', quote: 'Because the EBS control plane (and the create volume API in particular) was configured with a long time-out period, these slow API calls began to back up and resulted in thread starvation in the EBS control plane.' },
      summary: controlPlaneVariants.buggy,
      expect: { 'healthy-az-served': 'violated', 'no-thread-leak': 'holds', 'pool-fills': 'holds', 'timeout-fires': 'holds' },
    },
    fixed: {
      kind: 'fixed',
      remedy: 'promised',
      passage: { section: 'Impact to Multiple Availability Zones', quote: 'we will immediately improve our timeout logic to prevent thread exhaustion when a single Availability Zone cluster is taking too long to process requests' },
      summary: controlPlaneVariants.fixed,
      expect: { 'healthy-az-served': 'holds', 'no-thread-leak': 'holds', 'pool-fills': 'holds', 'timeout-fires': 'holds' },
    },
    'timeouts-only': {
      kind: 'partial',
      of: 'fixed',
      summary: controlPlaneVariants['timeouts-only'],
      expect: { 'healthy-az-served': 'violated', 'no-thread-leak': 'holds', 'pool-fills': 'holds', 'timeout-fires': 'holds' },
    },
    'leaky-timeout': {
      kind: 'failed-fix',
      of: 'fixed',
      summary: controlPlaneVariants['leaky-timeout'],
      expect: { 'healthy-az-served': 'holds', 'no-thread-leak': 'violated', 'pool-fills': 'holds', 'timeout-fires': 'holds' },
    },
    brownout: {
      kind: 'as-it-happened',
      passage: { section: 'Primary Outage', quote: 'The load caused a brown out of the EBS control plane and again affected EBS APIs across the Region.' },
      summary: controlPlaneVariants.brownout,
      expect: { 'healthy-az-served': 'violated', 'no-thread-leak': 'holds', 'negotiation-load-bounded': 'violated', 'pool-fills': 'holds', 'negotiation-retried': 'holds' },
    },
    'brownout-fixed': {
      kind: 'fixed',
      remedy: 'promised',
      passage: { section: 'Impact to Multiple Availability Zones', quote: 'add the ability for our EBS control plane to be more Availability Zone aware and shed load intelligently when it is over capacity' },
      summary: controlPlaneVariants['brownout-fixed'],
      expect: { 'healthy-az-served': 'holds', 'no-thread-leak': 'holds', 'negotiation-load-bounded': 'holds', 'pool-fills': 'holds', 'negotiation-retried': 'holds' },
    },
  },
  properties: [healthyAzServed, noThreadLeak, negotiationLoadBounded, poolFills, timeoutFires, negotiationRetried],
  build: (variant, config) => buildControlPlaneWorld(variant as ControlPlaneVariant, config),
});
