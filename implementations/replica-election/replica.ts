import type { Timers } from './clock.js';
import type { Network, Prepared, Receiver } from './network.js';
import { AUTHORITY, INSTANCE, supersedes, type Message, type NodeState, type PlantedBug, type Recorder } from './protocol.js';

type Role = 'primary' | 'secondary' | 'negotiating' | 'recovering' | 'stale';
type Announcement = Extract<Message, { type: 'NEW_PRIMARY' }>;

/** What a replica keeps on disk. */
export interface Durable {
  epoch: number;
  primary: string;
  members: string[];
  block: number;
  /** The epoch in which it asked for primacy (0: never): it never follows that epoch's primary again. */
  asked: number;
  suspects: string[];
}

/** A disk whose writes take time; a crash before a write completes loses it. */
export interface Disk {
  read(): Durable;
  write(durable: Durable): Promise<void>;
}

export interface ReplicaOptions {
  replicas: string[];
  retryEvery: number;
  /** How long a primary waits for a confirmation before it suspects the secondary. */
  suspectAfter: number;
  /** How long a secondary goes without hearing from its primary before it suspects it (an imperfect detector). */
  silenceLimit: () => number;
  bug?: PlantedBug;
  /** A place in the record for a step that begins now and is recorded when it takes effect (default: recorded where it lands). */
  reserve?: () => number;
}

interface Draft extends Durable {
  role: Role;
  pending: { id: number; waiting: string[] } | null;
  restarted: boolean;
}

/**
 * One replica of the volume. The primary copies each write to every secondary
 * of its epoch and acknowledges it when all have confirmed; a replica that
 * suspects a peer blocks I/O and asks the authority, which decides. Every step
 * works on a draft, writes what must survive a crash, and only then takes
 * effect, is recorded and sends: a crash in between loses the whole step.
 */
export class ReplicaNode implements Receiver {
  incarnation = 0;
  up = true;
  private s: Draft;
  /** Steps run one at a time, in the order they arrive. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly net: Network,
    private readonly timers: Timers,
    private readonly disk: Disk,
    private readonly record: Recorder,
    private readonly options: ReplicaOptions,
  ) {
    const d = disk.read();
    this.s = { ...d, role: d.primary === name ? 'primary' : 'secondary', pending: null, restarted: false };
  }

  start(): void {
    this.armTimers();
  }

  /** The harness fires a timer by hand (model-driven tests, on ManualTimers). */
  fire(timer: 'retry' | 'detector'): void {
    if (timer === 'retry') this.enqueue((d, out) => this.onRetry(d, out), (state) => ({ kind: 'timer', node: this.name, timer: 'retry', state }), 'retry');
    else this.enqueue((d, out) => this.onSuspicion(d, out), (state) => ({ kind: 'suspect', node: this.name, state }), 'detector');
  }

  state(): NodeState {
    const { role, epoch, primary, members, block, pending, asked, suspects } = this.s;
    return { role, epoch, primary, members: [...members], block, pending: pending && { id: pending.id, waiting: [...pending.waiting] }, asked, suspects: [...suspects] };
  }

  receive(from: string, msg: Message): void {
    // A message that waited in the inbox while the link went down is lost: a step happens when it starts, and then the link must be up.
    this.enqueue((d, out) => this.onMessage(d, out, msg), (state) => ({ kind: 'recv', node: this.name, from, msg, state }), undefined, () => !this.net.cut(from, this.name));
  }

  /** Which timers are armed now (the harness of a model-driven test fires them by name). */
  wants(timer: 'retry' | 'detector'): boolean {
    const { role, pending } = this.s;
    return timer === 'retry' ? (role === 'primary' && pending !== null) || role === 'negotiating' || role === 'recovering' : (role === 'primary' && pending !== null) || role === 'secondary';
  }

  /** The harness crashes the node: memory, timers and the steps under way are gone; the disk stays. */
  crash(): void {
    this.up = false;
    this.timers.clearAll();
    this.net.forget(this.name);
    this.work = Promise.resolve();
    this.timerKey = '';
    this.record({ kind: 'crash', node: this.name });
  }

  restart(): void {
    this.incarnation++;
    this.up = true;
    const d = this.disk.read();
    const order = this.options.reserve?.();
    const draft: Draft = { ...d, role: 'recovering', pending: null, restarted: true };
    const out: Array<[string, Message]> = [];
    // Had it asked for primacy in its epoch, it asks again; otherwise it asks where things stand.
    if (d.asked === d.epoch) this.negotiate(draft, out, d.suspects);
    else this.recover(draft, out);
    void this.commitThen(draft, this.net.prepare(this.name, out), (state) => ({ kind: 'restart', node: this.name, state, order }));
  }

  // ---- the protocol ------------------------------------------------------

  private onMessage(d: Draft, out: Array<[string, Message]>, msg: Message): void {
    if (msg.type === 'NEW_PRIMARY') return this.onAnnouncement(d, msg);
    if (d.role === 'primary') {
      const secondaries = d.members.filter((m) => m !== this.name);
      if (msg.type === 'WRITE') {
        if (msg.id < d.block) return;
        if (d.pending?.id === msg.id) {
          for (const to of d.pending.waiting) out.push([to, { type: 'REPLICATE', id: d.pending.id, epoch: d.epoch, from: this.name }]);
          return;
        }
        d.block = Math.max(d.block, msg.id);
        if (secondaries.length === 0) {
          out.push([INSTANCE, { type: 'ACK', id: msg.id, epoch: d.epoch, from: this.name }]);
          return;
        }
        d.pending = { id: msg.id, waiting: secondaries };
        for (const to of secondaries) out.push([to, { type: 'REPLICATE', id: msg.id, epoch: d.epoch, from: this.name }]);
      } else if (msg.type === 'REPL_ACK') {
        if (msg.epoch !== d.epoch || d.pending?.id !== msg.id || !d.pending.waiting.includes(msg.from)) return;
        if (d.pending.waiting.length === 1) {
          out.push([INSTANCE, { type: 'ACK', id: msg.id, epoch: d.epoch, from: this.name }]);
          d.pending = null;
        } else d.pending = { id: d.pending.id, waiting: d.pending.waiting.filter((w) => w !== msg.from) };
      } else if (msg.type === 'FENCED' && msg.epoch > d.epoch) {
        this.recover(d, out);
      }
    } else if (d.role === 'secondary' && msg.type === 'REPLICATE') {
      if (msg.epoch === d.epoch && msg.from === d.primary) {
        d.block = Math.max(d.block, msg.id);
        out.push([msg.from, { type: 'REPL_ACK', id: msg.id, epoch: msg.epoch, from: this.name }]);
      } else if (msg.epoch < d.epoch) {
        out.push([msg.from, { type: 'FENCED', epoch: d.epoch, from: this.name }]);
      } else if (msg.epoch > d.epoch) {
        this.recover(d, out);
      }
    }
  }

  private onAnnouncement(d: Draft, a: Announcement): void {
    if (d.role === 'stale') return;
    const recovering = d.role === 'recovering';
    const takesUp = supersedes(a.epoch, d.epoch, this.options.bug) || (recovering && a.epoch === d.epoch && d.asked < d.epoch);
    if (!takesUp) return;
    if (a.epoch < d.epoch) this.bugTaken = 'accept-stale-epoch';
    Object.assign(d, { epoch: a.epoch, primary: a.primary, members: [...a.members], pending: null, suspects: [], restarted: false });
    d.role = a.primary === this.name ? 'primary' : a.members.includes(this.name) ? 'secondary' : 'stale';
  }

  /** The failure detector fired. */
  private onSuspicion(d: Draft, out: Array<[string, Message]>): void {
    if (d.role === 'primary' && d.pending) {
      if (this.options.bug === 'promote-on-timeout') {
        // The planted bug: take the volume over alone, without the control plane.
        this.bugTaken = 'promote-on-timeout';
        out.push([INSTANCE, { type: 'ACK', id: d.pending.id, epoch: d.epoch, from: this.name }]);
        d.members = d.members.filter((m) => !d.pending!.waiting.includes(m));
        d.pending = null;
        return;
      }
      const suspects = d.pending.waiting;
      d.pending = null;
      this.negotiate(d, out, suspects);
    } else if (d.role === 'secondary' && d.primary !== this.name) {
      this.negotiate(d, out, [d.primary]);
    }
  }

  private onRetry(d: Draft, out: Array<[string, Message]>): void {
    if (d.role === 'primary' && d.pending) {
      for (const to of d.pending.waiting) out.push([to, { type: 'REPLICATE', id: d.pending.id, epoch: d.epoch, from: this.name }]);
    } else if (d.role === 'negotiating') this.negotiate(d, out, d.suspects);
    else if (d.role === 'recovering') this.recover(d, out);
  }

  /** Blocks I/O and asks the authority for primacy, naming the suspects. */
  private negotiate(d: Draft, out: Array<[string, Message]>, suspects: string[]): void {
    Object.assign(d, { role: 'negotiating', suspects: [...suspects], asked: d.epoch, restarted: false });
    out.push([AUTHORITY, { type: 'REQUEST_PRIMACY', epoch: d.epoch, suspects: [...suspects], from: this.name }]);
  }

  private recover(d: Draft, out: Array<[string, Message]>): void {
    d.role = 'recovering';
    out.push([AUTHORITY, { type: 'ASK', from: this.name }]);
  }

  // ---- steps, disk and timers --------------------------------------------

  private bugTaken: PlantedBug | undefined;

  private enqueue(step: (d: Draft, out: Array<[string, Message]>) => void, recordOf: (state: NodeState) => Parameters<Recorder>[0], fired?: 'retry' | 'detector', possible = () => true): void {
    if (!this.up) return;
    const incarnation = this.incarnation;
    this.work = this.work.then(() => {
      if (!this.up || this.incarnation !== incarnation || !possible()) return;
      const order = this.options.reserve?.();
      const draft: Draft = structuredClone(this.s);
      const out: Array<[string, Message]> = [];
      step(draft, out);
      return this.commitThen(draft, this.net.prepare(this.name, out), (state) => ({ ...recordOf(state), order }), fired);
    });
  }

  /** Writes the draft's durable part if it changed, then (if still alive) makes it the state, records the step and sends. */
  private async commitThen(draft: Draft, out: Prepared, recordOf: (state: NodeState) => Parameters<Recorder>[0], fired?: 'retry' | 'detector'): Promise<void> {
    const incarnation = this.incarnation;
    const bug = this.bugTaken;
    this.bugTaken = undefined;
    if (JSON.stringify(durableOf(draft)) !== JSON.stringify(this.disk.read())) await this.disk.write(durableOf(draft));
    if (!this.up || this.incarnation !== incarnation) return;
    this.s = draft;
    const step = recordOf(this.state());
    this.record(step);
    if (bug) this.record({ kind: 'bug', node: this.name, bug, ...(step.order === undefined ? {} : { order: step.order + 0.25 }) });
    this.net.release(out, step.order);
    this.armTimers(fired);
  }

  /** What the timers depend on: they are re-armed only when it changes, or when the timer itself has just fired. */
  private timerKey = '';

  /** The timers the current state needs: resends while something is unanswered, the failure detector while there is a peer to suspect. */
  private armTimers(fired?: 'retry' | 'detector'): void {
    const { role, pending, epoch } = this.s;
    const key = `${role}|${epoch}|${pending?.id ?? ''}`;
    const changed = key !== this.timerKey;
    this.timerKey = key;
    if (!this.wants('retry')) this.timers.clear('retry');
    else if (changed || fired === 'retry') this.timers.set('retry', this.options.retryEvery, () => this.enqueue((d, out) => this.onRetry(d, out), (state) => ({ kind: 'timer', node: this.name, timer: 'retry', state }), 'retry'));
    if (!this.wants('detector')) this.timers.clear('detector');
    else if (changed || fired === 'detector') {
      const after = role === 'primary' ? this.options.suspectAfter : this.options.silenceLimit();
      this.timers.set('detector', after, () => this.enqueue((d, out) => this.onSuspicion(d, out), (state) => ({ kind: 'suspect', node: this.name, state }), 'detector'));
    }
  }
}

export function durableOf(d: Durable): Durable {
  return { epoch: d.epoch, primary: d.primary, members: [...d.members], block: d.block, asked: d.asked, suspects: [...d.suspects] };
}
