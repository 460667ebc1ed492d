import type { EventObject } from 'xstate';
import type { ActionDescriptor, WorldAction } from '../world/actions.js';
import { canonicalJson } from '../world/canonical-json.js';
import type { World } from '../world/world.js';
import type { ReportedState } from './log.js';

/**
 * Finds the world action a logged step names, in one state. A persistent
 * network keeps every message ever sent, so asking the world for all enabled
 * actions at every step would cost the size of the network each time: a
 * delivery (of a message the world has made: on a FIFO network, only the head
 * of its channel), a timeout or a request already seen is checked directly
 * with the world's own tests (in flight, connected, taken by the receiver, not
 * a no-op; running, budget left, handled). test/conformance/validator.test.ts
 * checks this against `World.findAction` on every kind of network.
 */
export class StepFinder {
  /** Every action the world has listed so far, by id: the same objects `World.actions` returns. */
  private readonly known = new Map<string, WorldAction>();
  /** The delivery action of each envelope asked for so far, by envelope id. */
  private readonly deliveries = new Map<number, WorldAction>();
  /** Envelope ids by link (sender × processes + receiver) and message, for the envelopes the world has interned so far (it only ever adds). */
  private readonly envelopeIds = new Map<number, Map<string, number>>();
  /** The same, by the plain JSON of the world's message (see existingEnvelope). */
  private readonly plainIds = new Map<number, Map<string, number>>();
  /** How many of the world's envelopes are in the two indexes. */
  private indexed = 0;
  /** The last message looked up, and its encodings: one logged message is asked about several times in a row (find, isStutter, per candidate). */
  private lastMessage: EventObject | undefined;
  private lastPlain = '';
  private lastJson: string | undefined;

  constructor(private readonly world: World) {}

  find(state: string, descriptor: ActionDescriptor): WorldAction | undefined {
    if (descriptor.kind === 'deliver') {
      // Only an envelope the world has interned can be in flight: one it never made is enabled nowhere.
      const action = this.deliveryOf(descriptor);
      return action && this.deliveryEnabled(state, action.code) ? action : undefined;
    }
    const id = canonicalJson(this.named(descriptor));
    const known = this.known.get(id);
    if (known) {
      const enabled = this.enabledDirectly(state, known);
      if (enabled !== undefined) return enabled ? known : undefined;
    }
    const actions = this.world.actions(state);
    for (const a of actions) this.known.set(a.id, a);
    return actions.find((a) => a.id === id);
  }

  /**
   * A log names an internal step by its event only; the world's action also
   * carries the name the model gives the step (what stories call it), so the
   * declared name is added before the two are compared.
   */
  private named(descriptor: ActionDescriptor): ActionDescriptor {
    if (descriptor.kind !== 'internal' || descriptor.name !== undefined) return descriptor;
    const p = this.world.processIndex.get(descriptor.process);
    const declared = p === undefined ? undefined : this.world.processes[p]!.spec.internal?.find((s) => s.name !== undefined && canonicalJson(s.event) === canonicalJson(descriptor.event));
    return declared ? { ...descriptor, name: declared.name } : descriptor;
  }

  /**
   * The delivery of a message the world has already interned, without asking
   * it to list every enabled action (which tries each message in flight on
   * each receiver's new state: the cost that grows with the network). It is
   * the action `World` makes for that envelope: the same kind, operand and
   * descriptor, so `nextState` takes it alike.
   */
  private deliveryOf(descriptor: Extract<ActionDescriptor, { from: string }>): WorldAction | undefined {
    const from = this.world.processIndex.get(descriptor.from);
    const to = this.world.processIndex.get(descriptor.to);
    if (from === undefined || to === undefined) return undefined;
    const envelope = this.existingEnvelope(from, to, descriptor.msg);
    if (envelope === undefined) return undefined;
    let action = this.deliveries.get(envelope);
    if (!action) {
      const msg = this.world.envelopes[envelope]!.msg;
      const exact = { kind: 'deliver' as const, from: descriptor.from, to: descriptor.to, msg };
      action = { kind: 'deliver', process: descriptor.to, tag: msg.type, id: canonicalJson(exact), descriptor: exact, code: envelope, arg: 0 };
      this.deliveries.set(envelope, action);
    }
    return action;
  }

  /**
   * Whether a known action is enabled, by the world's own tests, for the
   * kinds that make up most of a log; undefined for the others (then the
   * world lists every enabled action).
   */
  private enabledDirectly(state: string, action: WorldAction): boolean | undefined {
    const world = this.world;
    switch (action.kind) {
      case 'deliver':
        return this.deliveryEnabled(state, action.code);
      case 'timeout':
      case 'request':
      case 'internal': {
        const d = action.descriptor as Extract<ActionDescriptor, { kind: 'timeout' | 'request' | 'internal' }>;
        const proc = world.processes[action.code]!;
        // A condition on the whole world is for the world to judge.
        if (action.kind === 'timeout' && proc.spec.timeouts![action.arg]!.when) return undefined;
        if (action.kind === 'internal' && proc.spec.internal![action.arg]!.when) return undefined;
        const local = world.localIdOf(state, action.code);
        if (proc.isCrashed(local)) return false;
        if (action.kind !== 'internal' && world.budgetLeft(state, action.kind) <= 0) return false;
        return proc.handles(local, proc.eventId(d.event));
      }
      default:
        return undefined;
    }
  }

  /**
   * The conditions `World.actions` puts on a delivery, for one envelope. On a
   * FIFO network only the head of each channel can be delivered, so a logged
   * receive is matched against that one envelope (found by a binary search
   * over the links, which sit in ascending order) instead of listing every
   * enabled action.
   */
  private deliveryEnabled(state: string, envelope: number): boolean {
    const world = this.world;
    if (world.spec.network === 'fifo' ? headOfLink(world, state, world.envelopes[envelope]!.link) !== envelope : !inFlight(world, state, envelope)) return false;
    const env = world.envelopes[envelope]!;
    if (!world.isConnected(state, env.from, env.to)) return false;
    const receiver = world.processes[env.to]!;
    const local = world.localIdOf(state, env.to);
    if (env.policy === 'wait' && !receiver.accepts(local, env.eventId)) return false;
    if (world.spec.network === 'persistent') {
      if (receiver.isCrashed(local)) return false;
      const outcome = receiver.deliver(local, env.msg);
      if (outcome.next === local && outcome.sends.length === 0) return false;
    }
    return true;
  }

  /**
   * Whether the logged step is one in which, in the model, nothing happens: a
   * message in flight that the receiver has no transition for or that changes
   * nothing, or a declared timer or request the process has no transition for
   * in its state. A real process may well take such a message or timer and do
   * nothing; it is not an action of the world (a stutter), but it is not
   * unexplained either.
   */
  isStutter(state: string, descriptor: ActionDescriptor): boolean {
    const world = this.world;
    switch (descriptor.kind) {
      case 'deliver': {
        const from = world.processIndex.get(descriptor.from);
        const to = world.processIndex.get(descriptor.to);
        if (from === undefined || to === undefined) return false;
        const envelope = this.existingEnvelope(from, to, descriptor.msg);
        if (envelope === undefined || !inFlight(world, state, envelope) || !world.isConnected(state, from, to)) return false;
        const receiver = world.processes[to]!;
        const local = world.localIdOf(state, to);
        if (receiver.isCrashed(local)) return false;
        // Not taken: under 'wait' it stays in flight and nothing happens; under 'error' taking it is the model's error.
        const env = world.envelopes[envelope]!;
        if (!receiver.accepts(local, env.eventId)) return env.policy === 'wait';
        const outcome = receiver.deliver(local, env.msg);
        return outcome.next === local && outcome.sends.length === 0;
      }
      case 'timeout':
      case 'request':
      case 'internal': {
        const p = world.processIndex.get(descriptor.process);
        if (p === undefined) return false;
        const proc = world.processes[p]!;
        const declared = declaredEvents(proc.spec, descriptor.kind).some((e) => canonicalJson(e) === canonicalJson(descriptor.event));
        const local = world.localIdOf(state, p);
        return declared && !proc.isCrashed(local) && !proc.handles(local, proc.eventId(descriptor.event));
      }
      default:
        return false;
    }
  }

  /** Why the step is neither an action nor a stutter here, in words. */
  whyNot(state: string, descriptor: ActionDescriptor): string {
    const world = this.world;
    const stateOf = (p: number) => {
      const local = world.processes[p]!.locals[world.localIdOf(state, p)]!;
      return local.crashed ? 'crashed' : `in state ${JSON.stringify(local.value)}`;
    };
    switch (descriptor.kind) {
      case 'deliver': {
        const from = world.processIndex.get(descriptor.from)!;
        const to = world.processIndex.get(descriptor.to)!;
        const envelope = this.existingEnvelope(from, to, descriptor.msg);
        if (envelope === undefined) return `the model never sent ${descriptor.from} → ${descriptor.to} ${canonicalJson(descriptor.msg)}`;
        if (!inFlight(world, state, envelope)) return `that message is not in flight in the model (never sent on this path, or lost)`;
        if (!world.isConnected(state, from, to)) return `${descriptor.from} and ${descriptor.to} are cut off from each other in the model`;
        return `${descriptor.to} (${stateOf(to)}) cannot take it now`;
      }
      case 'timeout':
      case 'request':
      case 'internal': {
        const p = world.processIndex.get(descriptor.process)!;
        const proc = world.processes[p]!;
        const declared = declaredEvents(proc.spec, descriptor.kind).some((e) => canonicalJson(e) === canonicalJson(descriptor.event));
        if (!declared) return `the model declares no ${descriptor.kind} ${descriptor.event.type} for ${descriptor.process}`;
        if (proc.isCrashed(world.localIdOf(state, p))) return `${descriptor.process} is crashed in the model`;
        return `the model allows no more ${descriptor.kind}s here (its budget is spent, or a condition on the world fails)`;
      }
      case 'crash':
      case 'restart':
        return `${descriptor.process} (${stateOf(world.processIndex.get(descriptor.process)!)}) cannot ${descriptor.kind} here (the model may not let it, or its crash budget is spent)`;
      case 'partition':
      case 'heal':
        return `the model cannot ${descriptor.kind} "${descriptor.partition}" here (already so, undeclared, or its budget is spent)`;
      case 'drop':
        return `the model cannot lose that message here (not in flight, or the loss budget is spent)`;
      case 'tick':
        return 'the model has no tick left here';
      case 'init':
        return 'an init step cannot appear in a log';
    }
  }

  /**
   * The envelope id of a message the world has already seen on this link,
   * without interning a new one. A logged message usually lists its fields in
   * the model's own order, so its plain JSON is tried first (the same plain
   * JSON is the same canonical JSON); the canonical encoding, which sorts
   * keys, only when that misses.
   */
  private existingEnvelope(from: number, to: number, msg: EventObject): number | undefined {
    const envelopes = this.world.envelopes;
    const P = this.world.processes.length;
    for (; this.indexed < envelopes.length; this.indexed++) {
      const env = envelopes[this.indexed]!;
      const link = env.from * P + env.to;
      byLink(this.envelopeIds, link).set(canonicalJson(env.msg), this.indexed);
      byLink(this.plainIds, link).set(JSON.stringify(env.msg), this.indexed);
    }
    if (msg !== this.lastMessage) {
      this.lastMessage = msg;
      this.lastPlain = JSON.stringify(msg);
      this.lastJson = undefined;
    }
    const link = from * P + to;
    const plain = this.plainIds.get(link)?.get(this.lastPlain);
    if (plain !== undefined) return plain;
    this.lastJson ??= canonicalJson(msg);
    return this.envelopeIds.get(link)?.get(this.lastJson);
  }
}

function byLink(index: Map<number, Map<string, number>>, link: number): Map<string, number> {
  let ids = index.get(link);
  if (!ids) index.set(link, (ids = new Map()));
  return ids;
}

/** How a process reports itself differs from the model's state of it, in words; undefined when it agrees. */
export function stateMismatch(world: World, state: string, process: string, reported: ReportedState | undefined): string | undefined {
  if (!reported) return undefined;
  const p = world.processIndex.get(process)!;
  const local = world.processes[p]!.locals[world.localIdOf(state, p)]!;
  if (local.crashed) return `${process} is crashed in the model, but the log reports its state`;
  const differences: string[] = [];
  if (reported.value !== undefined && !sameJson(reported.value, local.value) && canonicalJson(reported.value) !== canonicalJson(local.value)) {
    differences.push(`state ${JSON.stringify(reported.value)} in the log, ${JSON.stringify(local.value)} in the model`);
  }
  for (const [field, value] of Object.entries(reported.context ?? {})) {
    const modelled = (local.context as Record<string, unknown>)[field];
    if (!sameJson(value, modelled ?? null) && canonicalJson(value) !== canonicalJson(modelled ?? null)) differences.push(`${field} ${canonicalJson(value)} in the log, ${canonicalJson(modelled ?? null)} in the model`);
  }
  return differences.length ? `${process} reports ${differences.join('; ')}` : undefined;
}

/**
 * True when two values have the same canonical JSON for certain, found
 * without encoding them (a reported state is checked on every event): the
 * same primitives, arrays alike item by item, plain objects alike key by key
 * (in any order, keys whose value is undefined left out). False means only
 * "not shown alike"; the caller then compares the encodings.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Number.isFinite(a);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] === undefined || !sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}

function declaredEvents(spec: World['spec']['processes'][string], kind: 'timeout' | 'request' | 'internal'): EventObject[] {
  if (kind === 'timeout') return (spec.timeouts ?? []).map((t) => t.event);
  if (kind === 'request') return spec.requests ?? [];
  return (spec.internal ?? []).map((s) => s.event);
}

/** The first envelope of a FIFO link in flight, or -1 when the link is empty (the state keeps each link's envelopes together, links ascending). */
function headOfLink(world: World, state: string, link: number): number {
  const envelopes = world.envelopes;
  let low = world.networkOffset;
  let high = state.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (envelopes[state.charCodeAt(mid)]!.link < link) low = mid + 1;
    else high = mid;
  }
  return low < state.length && envelopes[state.charCodeAt(low)]!.link === link ? state.charCodeAt(low) : -1;
}

/** Whether the envelope is in the state's network: a binary search, since every network but FIFO keeps its ids sorted. */
function inFlight(world: World, state: string, envelope: number): boolean {
  if (world.spec.network === 'fifo') return state.indexOf(String.fromCharCode(envelope), world.networkOffset) >= 0;
  let low = world.networkOffset;
  let high = state.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const id = state.charCodeAt(mid);
    if (id === envelope) return true;
    if (id < envelope) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

