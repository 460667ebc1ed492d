import { always, defineModel, sometimes, type Fact, type WorldView } from '../src/index.js';
import type { ControlPlaneContext } from '../models/control-plane/control-plane.js';
import { patience, type CustomerContext } from '../models/control-plane/customer.js';
import { CONTROL_PLANE, DEGRADED_AZ, threadName, type AnswerMsg, type TurnedAwayMsg } from '../models/control-plane/messages.js';
import { fairShare, reservedForOthers, type Hold } from '../models/control-plane/pool.js';
import type { VolumeContext } from '../models/control-plane/stuck-volume.js';
import { controlPlaneMatrices, controlPlaneVariantDefinitions } from '../models/control-plane/declaration.js';
import type { ControlPlaneVariant } from '../models/control-plane/variants.js';
import { buildControlPlaneWorld, controlPlaneConfigNotes, controlPlaneConfigs, controlPlaneOf, type ControlPlaneConfig } from '../models/control-plane/world.js';

const zoneOf = (process: string) => process.split('-')[0]!;
const isCustomer = (process: string) => /^az\d+-c\d+$/.test(process);
const isVolume = (process: string) => /^az\d+-v\d+$/.test(process);
const answers = (w: WorldView) => w.messages().filter((m) => m.from === CONTROL_PLANE).map((m) => ({ to: m.to, msg: m.msg as unknown as AnswerMsg }));
const turnedAway = (w: WorldView) => answers(w).filter((a): a is { to: string; msg: TurnedAwayMsg } => a.msg.type === 'REFUSED' || a.msg.type === 'SHED');

const describeCall = (h: Pick<Hold, 'from' | 'kind' | 'id'>) => (h.kind === 'negotiate' ? `${h.from}'s negotiation #${h.id}` : `${h.from}'s create-volume #${h.id}`);

/** "t1 held by az1-c1's create-volume #1 since tick 0, t2 free and ..." */
function whoHoldsThreads(cp: ControlPlaneContext): string {
  const held = cp.threads.map((h, i) => (h === null ? `${threadName(i)} free` : `${threadName(i)} held by ${describeCall(h)} since tick ${h.since}`));
  return held.length <= 1 ? held.join('') : `${held.slice(0, -1).join(', ')} and ${held[held.length - 1]}`;
}

/** Thread i has served this very call since it took it: a fact the story dates. */
function serving(i: number, h: Hold): Fact {
  const same = (w: WorldView) => {
    const now = controlPlaneOf(w).threads[i];
    return !!now && now.from === h.from && now.kind === h.kind && now.id === h.id;
  };
  return { says: `${threadName(i)} serves ${describeCall(h)}`, holds: same };
}

/** The control plane's answer of this type to this call is in flight: the step that sent it. */
const answered = (to: string, type: string, id: number): Fact => ({
  says: `the control plane answers ${to}'s call #${id} ${type}`,
  holds: (w) => answers(w).some((a) => a.to === to && a.msg.type === type && a.msg.id === id),
});

const heldList = (held: Record<string, number>) => Object.entries(held).map(([z, n]) => `${z} ${n}`).join(', ');

export const healthyAzServed = always({
  name: 'healthy-az-served',
  statement: 'No call from a customer of a healthy Availability Zone is turned away, refused for want of a thread or shed: trouble in the degraded zone never costs another zone its API.',
  guards: {
    section: 'Primary Outage',
    quote: 'When these threads were completely filled up by the large number of queued requests, the EBS control plane had no ability to service API requests and began to fail API requests for other Availability Zones in that Region as well.',
  },
  check(w) {
    const away = turnedAway(w).find((a) => zoneOf(a.to) !== DEGRADED_AZ);
    if (!away) return undefined;
    const cp = controlPlaneOf(w);
    const why = away.msg.type === 'REFUSED' ? 'the pool was full' : `${away.msg.free} thread(s) were free but kept for other zones`;
    return {
      message: `at tick ${cp.clock} the control plane turned away (${away.msg.type}) create-volume #${away.msg.id} from ${away.to}, a customer of a healthy zone: ${why} (threads per zone: ${heldList(away.msg.held)}); now ${whoHoldsThreads(cp)}`,
      processes: [CONTROL_PLANE, away.to],
    };
  },
  explain(w) {
    const away = turnedAway(w).find((a) => zoneOf(a.to) !== DEGRADED_AZ);
    if (!away) return undefined;
    const cp = controlPlaneOf(w);
    const busy = cp.threads.flatMap((h, i) => (h === null ? [] : [serving(i, h)]));
    const why = away.msg.type === 'REFUSED' ? 'no thread was free' : `${away.msg.free} free thread(s) were kept for other zones`;
    return {
      facts: [...busy, { ...answered(away.to, away.msg.type, away.msg.id), says: `the control plane turns away ${away.to}'s create-volume #${away.msg.id} (${away.msg.type}: ${why})` }],
      so: `${away.to}, a customer of the healthy zone ${zoneOf(away.to)}, loses its API call while ${DEGRADED_AZ}, the degraded zone, holds ${away.msg.held[DEGRADED_AZ] ?? 0} of ${cp.threads.length} threads`,
    };
  },
});

/** S for the caller of a hold: its patience (customers) or resend interval times its attempts (volumes answer within a tick anyway). */
function deadlineTicks(w: WorldView, caller: string): number | undefined {
  if (!isCustomer(caller) || !w.processNames.includes(caller)) return undefined;
  return patience((w.process(caller).context as CustomerContext).retry);
}

export const hangingCallReleased = always({
  name: 'hanging-call-released',
  statement:
    'No thread still works on a create-volume S ticks after its customer first sent it, S being the customers\' patience (resend interval × attempts, 1 × 2 = 2 ticks in every configuration): a call hanging on the degraded cluster is given up before its caller gives up on it.',
  guards: {
    section: 'Impact to Multiple Availability Zones',
    quote: 'The first is that we will immediately improve our timeout logic to prevent thread exhaustion when a single Availability Zone cluster is taking too long to process requests.',
  },
  check(w) {
    const cp = controlPlaneOf(w);
    for (const [i, h] of cp.threads.entries()) {
      if (h === null || h.answered) continue;
      const s = deadlineTicks(w, h.from);
      if (s !== undefined && cp.clock - h.sent >= s) {
        return {
          message: `at tick ${cp.clock}, ${threadName(i)} still serves ${describeCall(h)}, sent at tick ${h.sent} and taken at tick ${h.since}: ${cp.clock - h.sent} ticks, past the ${s}-tick patience of its caller`,
          processes: [CONTROL_PLANE, h.from],
        };
      }
    }
    return undefined;
  },
  explain(w) {
    const cp = controlPlaneOf(w);
    for (const [i, h] of cp.threads.entries()) {
      if (h === null || h.answered) continue;
      const s = deadlineTicks(w, h.from);
      if (s === undefined || cp.clock - h.sent < s) continue;
      return {
        facts: [
          { ...serving(i, h), says: `${threadName(i)} took ${describeCall(h)}, which its caller sent at tick ${h.sent}` },
          { says: `the clock reaches tick ${cp.clock}, ${s} ticks past tick ${h.sent}, and ${threadName(i)} still waits on the degraded cluster`, holds: (x) => controlPlaneOf(x).clock >= h.sent + s },
        ],
        so: `the thread outlives its caller's ${s}-tick patience: it works for a caller that has given up`,
      };
    }
    return undefined;
  },
});

export const shedOnlyOverCapacity = always({
  name: 'shed-only-over-capacity',
  statement:
    'A call is turned away only when the pool is over capacity: either no thread is free, or its zone already holds its fair share ⌊P / AZs⌋ and every free thread is needed to bring the other zones up to theirs (free ≤ Σ over the other zones of max(0, share − held)).',
  guards: {
    section: 'Impact to Multiple Availability Zones',
    quote: 'To address the cause of the second API impact, we will also add the ability for our EBS control plane to be more Availability Zone aware and shed load intelligently when it is over capacity.',
  },
  check(w) {
    const cp = controlPlaneOf(w);
    const share = fairShare(cp.threads.length, cp.policy.zones.length);
    for (const { to, msg } of turnedAway(w)) {
      if (msg.free === 0) continue;
      const zone = zoneOf(to);
      const reserved = reservedForOthers(msg.held, zone, share);
      if ((msg.held[zone] ?? 0) < share || msg.free > reserved) {
        return {
          message: `the control plane turned away (${msg.type}) call #${msg.id} from ${to} with ${msg.free} thread(s) free, ${zone} holding ${msg.held[zone] ?? 0} of its fair share ${share} and the other zones needing ${reserved} (threads per zone: ${heldList(msg.held)})`,
          processes: [CONTROL_PLANE, to],
        };
      }
    }
    return undefined;
  },
  explain(w) {
    const cp = controlPlaneOf(w);
    const share = fairShare(cp.threads.length, cp.policy.zones.length);
    for (const { to, msg } of turnedAway(w)) {
      if (msg.free === 0) continue;
      const zone = zoneOf(to);
      const reserved = reservedForOthers(msg.held, zone, share);
      if ((msg.held[zone] ?? 0) >= share && msg.free <= reserved) continue;
      const busy = cp.threads.flatMap((h, i) => (h === null ? [] : [serving(i, h)]));
      return {
        facts: [...busy, { ...answered(to, msg.type, msg.id), says: `the control plane turns away ${to}'s call #${msg.id} (${msg.type}) with ${msg.free} thread(s) free` }],
        so: `${zone} held ${msg.held[zone] ?? 0} of its fair share ${share} and the other zones needed only ${reserved}: a thread stood idle while a call was turned away`,
      };
    }
    return undefined;
  },
});

export const noThreadLeak = always({
  name: 'no-thread-leak',
  statement: 'A thread goes back to the pool when its call is answered: no busy thread serves a call the control plane has already answered.',
  guards: { section: 'Primary Outage', quote: 'The EBS control plane has a regional pool of available threads it can use to service requests.' },
  check(w) {
    const cp = controlPlaneOf(w);
    const lost = cp.threads.findIndex((h) => h !== null && h.answered);
    if (lost < 0) return undefined;
    const h = cp.threads[lost]!;
    return {
      message: `at tick ${cp.clock}, ${threadName(lost)} still holds ${describeCall(h)}, which was answered "timed out": the thread is lost to the pool (${cp.threads.filter((t) => t === null).length} of ${cp.threads.length} free)`,
      processes: [CONTROL_PLANE, h.from],
    };
  },
  explain(w) {
    const cp = controlPlaneOf(w);
    const lost = cp.threads.findIndex((h) => h !== null && h.answered);
    if (lost < 0) return undefined;
    const h = cp.threads[lost]!;
    return {
      facts: [
        { ...serving(lost, h), says: `${threadName(lost)} took ${describeCall(h)}` },
        { ...answered(h.from, 'TIMED_OUT', h.id), says: `the control plane answers it "timed out"`, holds: (x) => controlPlaneOf(x).threads[lost]?.answered === true },
      ],
      so: `${threadName(lost)} is still held by a call already answered, and no step will free it: the pool has lost a thread (${cp.threads.filter((t) => t === null).length} of ${cp.threads.length} free)`,
    };
  },
});

export const negotiationLoadBounded = always({
  name: 'negotiation-load-bounded',
  statement:
    'No stuck volume sends more than one negotiation within a tick, so the degraded cluster puts at most V negotiations per tick on the control plane, V being the stuck volumes of the configuration (3 in `brownout`), however often they are refused.',
  guards: {
    section: 'Primary Outage',
    quote: 'Because data was not being successfully re-mirrored, the number of these calls increased as the system retried and new requests came in.',
  },
  check(w) {
    for (const name of w.processNames.filter(isVolume)) {
      const v = w.process(name).context as VolumeContext | undefined;
      if (v && v.sentThisTick > 1) {
        return { message: `during tick ${v.clock}, ${name} sent negotiation #${v.negotiation} ${v.sentThisTick === 2 ? 'twice or more' : v.sentThisTick} times: a refused negotiation came straight back`, processes: [name, CONTROL_PLANE] };
      }
    }
    return undefined;
  },
  explain(w) {
    for (const name of w.processNames.filter(isVolume)) {
      const v = w.process(name).context as VolumeContext | undefined;
      if (!v || v.sentThisTick <= 1) continue;
      const sentInTick = (n: number): Fact => ({
        says: n === 1 ? `${name} sends a negotiation during tick ${v.clock}` : `${name} sends again within the same tick (after the control plane turned it away)`,
        holds: (x) => {
          const u = x.process(name).context as VolumeContext | undefined;
          return !!u && u.clock === v.clock && u.sentThisTick >= n;
        },
      });
      return {
        facts: [sentInTick(1), sentInTick(2)],
        so: `${name} puts 2 negotiations on the control plane within tick ${v.clock}, more than the 1 per volume per tick the load bound allows`,
      };
    }
    return undefined;
  },
});

export const poolFills = sometimes({
  name: 'pool-fills',
  statement: 'The thread pool can be full: every thread serves a call at once, so the limits are tested at capacity.',
  guards: { section: 'Primary Outage', quote: 'The EBS control plane has a regional pool of available threads it can use to service requests.' },
  reached: (w) => !controlPlaneOf(w).threads.includes(null),
});

export const timeoutFires = sometimes({
  name: 'timeout-fires',
  statement: 'A thread hanging on the degraded cluster can time out and answer its caller "timed out".',
  guards: { section: 'Primary Outage', quote: 'these slow API calls began to back up and resulted in thread starvation in the EBS control plane' },
  reached: (w) => answers(w).some((a) => a.msg.type === 'TIMED_OUT' && !a.msg.late),
});

export const callerSuspectsLivePeer = sometimes({
  name: 'caller-suspects-live-peer',
  statement: 'A caller\'s timer can fire while the answer to its call is already on its way, so it resends to a control plane that did not fail.',
  guards: { section: 'Primary Outage', quote: 'these slow API calls began to back up and resulted in thread starvation in the EBS control plane' },
  reached: (w) =>
    w.processNames.filter(isCustomer).some((name) => {
      const c = w.process(name).context as CustomerContext | undefined;
      return c !== undefined && c.sends >= 2 && answers(w).some((a) => a.to === name && a.msg.id === c.call);
    }),
});

export const zoneShed = sometimes({
  name: 'zone-shed',
  statement: 'The control plane can shed a call while a thread is free, keeping it for another zone: the shedding path is taken.',
  guards: { section: 'Impact to Multiple Availability Zones', quote: 'we will also add the ability for our EBS control plane to be more Availability Zone aware and shed load intelligently when it is over capacity' },
  reached: (w) => turnedAway(w).some((a) => a.msg.type === 'SHED'),
});

export const negotiationRetried = sometimes({
  name: 'negotiation-retried',
  statement: 'A stuck volume whose re-mirror failed can negotiate with the control plane again.',
  guards: { section: 'Primary Outage', quote: 'Because data was not being successfully re-mirrored, the number of these calls increased as the system retried and new requests came in.' },
  reached: (w) => w.processNames.filter(isVolume).some((name) => ((w.process(name).context as VolumeContext | undefined)?.negotiation ?? 0) >= 2),
});

export const controlPlaneProperties = [
  healthyAzServed,
  hangingCallReleased,
  shedOnlyOverCapacity,
  noThreadLeak,
  negotiationLoadBounded,
  poolFills,
  timeoutFires,
  callerSuspectsLivePeer,
  zoneShed,
  negotiationRetried,
];

export const controlPlane = defineModel<ControlPlaneConfig>({
  name: 'control-plane',
  summary:
    'The regional EBS control plane: a pool of P worker threads shared by every Availability Zone, one zone\'s cluster degraded, callers with their own retry timers on a lossy network, and discrete time so that time-outs and per-tick load are checked exhaustively. Its two 2011 API impacts are two worlds: thread exhaustion and the negotiation brownout.',
  incident: '2011',
  configs: controlPlaneConfigs,
  checked: ['small'],
  configNotes: controlPlaneConfigNotes,
  variants: controlPlaneVariantDefinitions,
  properties: controlPlaneProperties,
  matrices: controlPlaneMatrices,
  story: {
    hide: ['*.sentThisTick'],
    replaces: { clock: ['*.clock'], threads: ['cp.threads'] },
  },
  build: (variant, config) => buildControlPlaneWorld(variant as ControlPlaneVariant, config),
});
