import type { EventObject } from 'xstate';
import type { PackedSystem } from '../engine/packed.js';
import type { Outcome, ProcessRuntime } from './process-runtime.js';
import type { World } from './world.js';
import { WorldView } from './world-view.js';

/** An action of a state being expanded, as integers: its kind, its operand (envelope, process or partition) and a spec index. */
const DELIVER = 0;
const TIMEOUT = 1;
const INTERNAL = 2;
const REQUEST = 3;
const TICK_ALL = 4;
const DROP = 5;
const PARTITION = 6;
const HEAL = 7;
const CRASH = 8;
const RESTART = 9;

const TICK: EventObject = { type: 'TICK' };
const NO_SENDS = new Uint16Array(0);

/** A local transition resolved to integers: the next local state and the envelope ids its sends become. */
interface Step {
  readonly next: number;
  readonly sends: Uint16Array;
}

/**
 * One process's stimuli (timeouts, internal steps, requests, then TICK) by
 * number, with a table per (local state, stimulus) of whether the machine
 * handles it and of the step it takes. Filled from the process's own memo
 * the first time each pair is asked for, so xstate still runs once per
 * distinct local transition; after that a lookup is two array reads.
 */
class ProcessTables {
  readonly events: EventObject[];
  readonly eventIds: number[];
  readonly timeouts: number;
  readonly internals: number;
  readonly requests: number;
  readonly tick: number;
  /** Stimuli per local state: the row width of the tables. */
  readonly width: number;
  /** 1 handled, 0 not, undefined not asked yet; at `local * width + stimulus`. */
  private readonly handled: number[] = [];
  private readonly steps: Array<Step | undefined> = [];
  private readonly crashedAs: number[] = [];
  private readonly restarts: Array<Step | undefined> = [];
  /** Per local state: 1 running, 2 crashed, 0 not asked yet. */
  private crashedFlags = new Uint8Array(64);
  /** "EVENT at process" per timeout, as coverage records a timer firing with messages in flight. */
  readonly timerLabels: string[];

  constructor(
    readonly runtime: ProcessRuntime,
    private readonly world: World,
    private readonly index: number,
  ) {
    const spec = runtime.spec;
    this.events = [...(spec.timeouts ?? []).map((t) => t.event), ...(spec.internal ?? []).map((s) => s.event), ...(spec.requests ?? []), TICK];
    this.eventIds = this.events.map((e) => runtime.eventId(e));
    this.timeouts = spec.timeouts?.length ?? 0;
    this.internals = spec.internal?.length ?? 0;
    this.requests = spec.requests?.length ?? 0;
    this.tick = this.events.length - 1;
    this.width = this.events.length;
    this.timerLabels = (spec.timeouts ?? []).map((t) => `${t.event.type} at ${runtime.name}`);
  }

  isCrashed(local: number): boolean {
    if (local >= this.crashedFlags.length) {
      const bigger = new Uint8Array(Math.max(local + 1, this.crashedFlags.length * 2));
      bigger.set(this.crashedFlags);
      this.crashedFlags = bigger;
    }
    let flag = this.crashedFlags[local]!;
    if (flag === 0) this.crashedFlags[local] = flag = this.runtime.isCrashed(local) ? 2 : 1;
    return flag === 2;
  }

  handles(local: number, stimulus: number): boolean {
    const at = local * this.width + stimulus;
    let known = this.handled[at];
    if (known === undefined) this.handled[at] = known = this.runtime.handles(local, this.eventIds[stimulus]!) ? 1 : 0;
    return known === 1;
  }

  step(local: number, stimulus: number): Step {
    const at = local * this.width + stimulus;
    return (this.steps[at] ??= stepOf(this.world, this.index, this.runtime.deliver(local, this.events[stimulus]!)));
  }

  crash(local: number): number {
    return (this.crashedAs[local] ??= this.runtime.crash(local));
  }

  restart(local: number): Step {
    return (this.restarts[local] ??= stepOf(this.world, this.index, this.runtime.restart(local)));
  }
}

/** An outcome's step; its envelopes are interned here, when the step is first taken, as `World.nextState` does. */
function stepOf(world: World, from: number, outcome: Outcome): Step {
  return { next: outcome.next, sends: outcome.sends.length === 0 ? NO_SENDS : Uint16Array.from(world.envelopesOf(from, outcome)) };
}

/**
 * The world's transition system over integer vectors, for the breadth-first
 * search: a state's vector is its string's UTF-16 code units (local state
 * ids, partition mask, budgets, envelope ids), its enabled actions are
 * computed into reused integer arrays, and each successor is written into one
 * reused buffer, with every local transition read from tables. The actions,
 * their order and the successors are exactly those of `World.actions` and
 * `World.nextState` (a test compares them state by state); anything unusual
 * (a condition or a step that throws, a delivery the receiver refuses under
 * `error`) throws, and the search asks the world itself.
 */
export class PackedWorld implements PackedSystem<string> {
  vector = new Uint16Array(64);
  private readonly P: number;
  private readonly networkOffset: number;
  private readonly tables: ProcessTables[];
  private readonly fifo: boolean;
  private readonly sortedSet: boolean;
  private readonly persistent: boolean;
  private readonly slots: Record<'drop' | 'partition' | 'crash' | 'timeout' | 'request' | 'tick', number>;
  private readonly partitions: number;
  /** Per envelope, per receiver local state: 1 taken, 0 not (undefined: not asked yet). */
  private readonly accepted: number[][] = [];
  /** Per envelope, per receiver local state: 1 when delivering it changes nothing (persistent networks). */
  private readonly noOp: number[][] = [];
  private readonly delivered: Array<Array<Step | undefined>> = [];
  /** Per fault action kind and operand: its id, recorded as fired each time it is taken (as `World.nextState` does). */
  private readonly firedIds = new Map<number, string>();
  /** The state being expanded. */
  private source = new Uint16Array(64);
  private sourceLength = 0;
  private sourceString: string | undefined;
  private kinds = new Int32Array(64);
  private codes = new Int32Array(64);
  private args = new Int32Array(64);
  /** The connectivity of the partition mask last asked for: most states share one. */
  private lastMask = -1;
  private lastMatrix: Uint8Array = new Uint8Array(0);
  /** Links seen so far in a FIFO delivery scan, marked with the scan's number. */
  private linkSeen = new Int32Array(16);
  private scan = 0;

  constructor(private readonly world: World) {
    this.P = world.processes.length;
    this.networkOffset = world.networkOffset;
    this.tables = world.processes.map((runtime, p) => new ProcessTables(runtime, world, p));
    this.fifo = world.spec.network === 'fifo';
    this.persistent = world.spec.network === 'persistent';
    this.sortedSet = world.spec.network === 'set' || this.persistent;
    this.slots = {
      drop: world.budgetSlotOf('drop'),
      partition: world.budgetSlotOf('partition'),
      crash: world.budgetSlotOf('crash'),
      timeout: world.budgetSlotOf('timeout'),
      request: world.budgetSlotOf('request'),
      tick: world.budgetSlotOf('tick'),
    };
    this.partitions = world.spec.partitions?.length ?? 0;
  }

  packInto(state: string): number {
    const n = state.length;
    if (n > this.vector.length) this.vector = new Uint16Array(n * 2);
    for (let i = 0; i < n; i++) this.vector[i] = state.charCodeAt(i);
    return n;
  }

  unpack(data: Uint16Array, start: number, end: number): string {
    return String.fromCharCode.apply(null, data.subarray(start, end) as unknown as number[]);
  }

  // ---- enabled actions, in World.actions order ---------------------------------

  beginExpand(data: Uint16Array, start: number, end: number): number {
    const n = end - start;
    if (n > this.source.length) this.source = new Uint16Array(n * 2);
    // Stryker disable next-line EqualityOperator: copying one element more (i <= n) writes a slot past the state, which nothing reads
    for (let i = 0; i < n; i++) this.source[i] = data[start + i]!;
    this.sourceLength = n;
    this.sourceString = undefined;
    let count = 0;
    const src = this.source;
    const P = this.P;
    const world = this.world;
    const envelopes = world.envelopes;
    const connected = this.connected(src[P]!);
    // Deliveries: each distinct message in flight (under FIFO the head of each link) that its receiver can take.
    let previous = -1;
    if (this.fifo) this.scan++;
    for (let i = this.networkOffset; i < n; i++) {
      const e = src[i]!;
      const env = envelopes[e]!;
      if (this.fifo) {
        if (env.link >= this.linkSeen.length) this.linkSeen = growInt32(this.linkSeen, env.link + 1);
        if (this.linkSeen[env.link] === this.scan) continue;
        this.linkSeen[env.link] = this.scan;
      } else if (e === previous) continue;
      previous = e;
      if (!connected[env.from * P + env.to]) continue;
      const local = src[env.to]!;
      if (env.policy === 'wait' && !this.accepts(e, local)) continue;
      if (this.persistent && this.isNoOp(e, local)) continue;
      count = this.push(count, DELIVER, e, 0);
    }
    const timeoutsLeft = this.left(this.slots.timeout) > 0;
    const requestsLeft = this.left(this.slots.request) > 0;
    for (let p = 0; p < P; p++) {
      const table = this.tables[p]!;
      const local = src[p]!;
      if (table.isCrashed(local)) continue;
      const spec = table.runtime.spec;
      if (timeoutsLeft) {
        for (let i = 0; i < table.timeouts; i++) {
          if (!table.handles(local, i)) continue;
          const when = spec.timeouts![i]!.when;
          if (when && !when(this.view())) continue;
          count = this.push(count, TIMEOUT, p, i);
        }
      }
      for (let i = 0; i < table.internals; i++) {
        if (!table.handles(local, table.timeouts + i)) continue;
        const when = spec.internal![i]!.when;
        if (when && !when(this.view())) continue;
        count = this.push(count, INTERNAL, p, i);
      }
      if (requestsLeft) {
        for (let i = 0; i < table.requests; i++) {
          if (table.handles(local, table.timeouts + table.internals + i)) count = this.push(count, REQUEST, p, i);
        }
      }
    }
    if (this.left(this.slots.tick) > 0) count = this.push(count, TICK_ALL, 0, 0);
    // Faults and recoveries, as World.faultActions lists them.
    if (this.left(this.slots.drop) > 0) {
      let last = -1;
      for (let i = this.networkOffset; i < n; i++) {
        const e = src[i]!;
        if (e !== last) count = this.push(count, DROP, (last = e), 0);
      }
    }
    const mask = src[P]!;
    for (let k = 0; k < this.partitions; k++) {
      const active = (mask & (1 << k)) !== 0;
      if (!active && this.left(this.slots.partition) > 0) count = this.push(count, PARTITION, k, 0);
      if (active) count = this.push(count, HEAL, k, 0);
    }
    for (let p = 0; p < P; p++) {
      const table = this.tables[p]!;
      if (!table.runtime.spec.crash) continue;
      const crashed = table.isCrashed(src[p]!);
      if (!crashed && this.left(this.slots.crash) > 0) count = this.push(count, CRASH, p, 0);
      if (crashed) count = this.push(count, RESTART, p, 0);
    }
    return count;
  }

  // ---- successors, as World.nextState computes them ----------------------------

  successorInto(i: number): number {
    const src = this.source;
    const head = this.networkOffset;
    if (this.sourceLength > this.vector.length) this.vector = new Uint16Array(this.sourceLength * 2);
    const out = this.vector;
    for (let k = 0; k < this.sourceLength; k++) out[k] = src[k]!;
    let length = this.sourceLength;
    const kind = this.kinds[i]!;
    const code = this.codes[i]!;
    const arg = this.args[i]!;
    switch (kind) {
      case DELIVER: {
        const env = this.world.envelopes[code]!;
        const local = src[env.to]!;
        // The world reports the refused message itself (policy `error`).
        if (env.policy === 'error' && !this.accepts(code, local)) throw new RefusedDelivery();
        if (!this.persistent) length = removeFirst(out, head, length, code);
        return this.settle(length, env.to, this.deliveryStep(code, local));
      }
      case INTERNAL: {
        const table = this.tables[code]!;
        return this.settle(length, code, table.step(src[code]!, table.timeouts + arg));
      }
      case TIMEOUT:
      case REQUEST: {
        const table = this.tables[code]!;
        if (kind === TIMEOUT && length > head) this.world.timersFiredInFlight.add(table.timerLabels[arg]!);
        this.spend(kind === TIMEOUT ? this.slots.timeout : this.slots.request);
        const stimulus = kind === TIMEOUT ? arg : table.timeouts + table.internals + arg;
        return this.settle(length, code, table.step(src[code]!, stimulus));
      }
      case TICK_ALL: {
        this.spend(this.slots.tick);
        for (let p = 0; p < this.P; p++) {
          const table = this.tables[p]!;
          const local = out[p]!;
          // Stryker disable next-line ConditionalExpression,LogicalOperator: a machine not taking TICK steps to itself with no sends; a crashed one throws, and the search then asks the world
          if (table.isCrashed(local) || !table.handles(local, table.tick)) continue;
          const step = table.step(local, table.tick);
          out[p] = step.next;
          length = this.enqueue(length, p, step.sends);
        }
        return length;
      }
      case DROP:
        this.fired(kind, code);
        this.spend(this.slots.drop);
        return removeFirst(out, head, length, code);
      case PARTITION:
        this.fired(kind, code);
        this.spend(this.slots.partition);
        out[this.P] = out[this.P]! | (1 << code);
        return length;
      case HEAL:
        this.fired(kind, code);
        out[this.P] = out[this.P]! & ~(1 << code);
        return length;
      case CRASH: {
        this.fired(kind, code);
        this.spend(this.slots.crash);
        out[code] = this.tables[code]!.crash(src[code]!);
        // Messages to a crashed process are lost.
        const envelopes = this.world.envelopes;
        let kept = head;
        for (let k = head; k < length; k++) if (envelopes[out[k]!]!.to !== code) out[kept++] = out[k]!;
        return kept;
      }
      case RESTART:
        this.fired(kind, code);
        return this.settle(length, code, this.tables[code]!.restart(src[code]!));
      default:
        throw new Error(`unknown packed action kind ${kind}`);
    }
  }

  // ---- internals ---------------------------------------------------------

  private connected(mask: number): Uint8Array {
    if (mask !== this.lastMask) {
      this.lastMatrix = this.world.connectedMatrix(mask);
      this.lastMask = mask;
    }
    return this.lastMatrix;
  }

  private push(count: number, kind: number, code: number, arg: number): number {
    if (count === this.kinds.length) {
      this.kinds = growInt32(this.kinds, count * 2);
      this.codes = growInt32(this.codes, count * 2);
      this.args = growInt32(this.args, count * 2);
    }
    this.kinds[count] = kind;
    this.codes[count] = code;
    this.args[count] = arg;
    return count + 1;
  }

  /** A budget left in the state being expanded; unbounded kinds have no slot. */
  private left(slot: number): number {
    // Stryker disable next-line EqualityOperator: slot 0 holds a process's local state, never a budget, so slot <= 0 answers the same
    return slot < 0 ? Infinity : this.source[slot]!;
  }

  private spend(slot: number): void {
    if (slot >= 0) this.vector[slot] = this.vector[slot]! - 1;
  }

  /** The state being expanded as a view, for `when` conditions: built at most once per state. */
  private view(): WorldView {
    this.sourceString ??= this.unpack(this.source, 0, this.sourceLength);
    return new WorldView(this.world, this.sourceString);
  }

  private accepts(e: number, local: number): boolean {
    const row = (this.accepted[e] ??= []);
    let known = row[local];
    if (known === undefined) {
      const env = this.world.envelopes[e]!;
      row[local] = known = this.world.processes[env.to]!.accepts(local, env.eventId) ? 1 : 0;
    }
    return known === 1;
  }

  private isNoOp(e: number, local: number): boolean {
    const row = (this.noOp[e] ??= []);
    let known = row[local];
    if (known === undefined) {
      const env = this.world.envelopes[e]!;
      const proc = this.world.processes[env.to]!;
      if (proc.isCrashed(local)) known = 1;
      else {
        const outcome = proc.deliver(local, env.msg);
        known = outcome.next === local && outcome.sends.length === 0 ? 1 : 0;
      }
      row[local] = known;
    }
    return known === 1;
  }

  private deliveryStep(e: number, local: number): Step {
    const row = (this.delivered[e] ??= []);
    let step = row[local];
    if (!step) {
      const env = this.world.envelopes[e]!;
      row[local] = step = stepOf(this.world, env.to, this.world.processes[env.to]!.deliver(local, env.msg));
    }
    return step;
  }

  /** Records a process's new local state and routes what it sent. */
  private settle(length: number, p: number, step: Step): number {
    this.vector[p] = step.next;
    return this.enqueue(length, p, step.sends);
  }

  /**
   * Adds sent messages to the network in `vector`, keeping its canonical order:
   * sorted ids (bag, set, persistent), or by link in send order (FIFO). A
   * message to a crashed or unreachable process is lost at once.
   */
  private enqueue(length: number, from: number, sends: Uint16Array): number {
    if (sends.length === 0) return length;
    if (length + sends.length > this.vector.length) {
      const bigger = new Uint16Array((length + sends.length) * 2);
      bigger.set(this.vector);
      this.vector = bigger;
    }
    const out = this.vector;
    const P = this.P;
    const head = this.networkOffset;
    const envelopes = this.world.envelopes;
    const connected = this.connected(out[P]!);
    for (let s = 0; s < sends.length; s++) {
      const e = sends[s]!;
      const env = envelopes[e]!;
      const to = env.to;
      if (this.tables[to]!.isCrashed(out[to]!) || !connected[from * P + to]) continue;
      let at = length;
      if (this.fifo) {
        while (at > head && envelopes[out[at - 1]!]!.link > env.link) at--;
      } else {
        if (this.sortedSet && includes(out, head, length, e)) continue;
        while (at > head && out[at - 1]! > e) at--;
      }
      out.copyWithin(at + 1, at, length);
      out[at] = e;
      length++;
    }
    return length;
  }

  private fired(kind: number, code: number): void {
    const key = kind * 0x10000 + code;
    let id = this.firedIds.get(key);
    if (id === undefined) {
      const name = kind === DROP ? 'drop' : kind === PARTITION ? 'partition' : kind === HEAL ? 'heal' : kind === CRASH ? 'crash' : 'restart';
      this.firedIds.set(key, (id = this.world.environmentAction(name, code).id));
    }
    this.world.environmentFired.add(id);
  }
}

/** Thrown for a delivery the receiver refuses under the `error` policy: the world's own `nextState` then says why. */
class RefusedDelivery extends Error {}

function removeFirst(out: Uint16Array, from: number, length: number, id: number): number {
  for (let k = from; k < length; k++) {
    if (out[k] === id) {
      out.copyWithin(k, k + 1, length);
      return length - 1;
    }
  }
  return length;
}

function includes(out: Uint16Array, from: number, length: number, id: number): boolean {
  for (let k = from; k < length; k++) if (out[k] === id) return true;
  return false;
}

function growInt32(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}
