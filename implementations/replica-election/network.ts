import type { Message, Recorder } from './protocol.js';
import type { VirtualClock } from './clock.js';

export interface Receiver {
  readonly name: string;
  /** Changes at every restart: a message addressed to an earlier life of the node is lost. */
  readonly incarnation: number;
  readonly up: boolean;
  receive(from: string, msg: Message): void;
}

export interface NetworkFaults {
  /** Chance that a message is lost. */
  loss: number;
  /** Chance that a message is delivered a second time, much later (a retransmission of the layer below). */
  duplicate: number;
  /** Delivery takes 1 to this many milliseconds. */
  maxLatency: number;
}

/** Messages a step sends, with their fate on the network decided when the step happened. */
export type Prepared = InFlight[];

interface InFlight {
  from: string;
  to: string;
  msg: Message;
  /** The receiver's incarnation when it was sent; -1 when it could not get through then (lost). */
  incarnation: number;
}

/**
 * An in-process network. `auto`: each message is delivered on the clock after
 * a random latency, unless lost, and maybe twice. `manual`: messages wait in a
 * pool until a test delivers one (any message sent and not lost may be
 * delivered, again and again). A node can be isolated, cut off from everyone.
 */
export class Network {
  private readonly nodes = new Map<string, Receiver>();
  private readonly isolated = new Set<string>();
  /** Manual mode: every message sent and not lost, by key. */
  readonly pool = new Map<string, InFlight>();

  constructor(
    private readonly mode: { kind: 'auto'; clock: VirtualClock; random: () => number; faults: NetworkFaults } | { kind: 'manual' },
    private readonly record: Recorder,
  ) {}

  attach(node: Receiver): void {
    this.nodes.set(node.name, node);
  }

  cut(a: string, b: string): boolean {
    return a !== b && (this.isolated.has(a) || this.isolated.has(b));
  }

  isolate(node: string): void {
    if (this.isolated.has(node)) return;
    this.isolated.add(node);
    this.record({ kind: 'isolate', node });
  }

  reconnect(node: string): void {
    if (!this.isolated.delete(node)) return;
    this.record({ kind: 'reconnect', node });
  }

  isIsolated(node: string): boolean {
    return this.isolated.has(node);
  }

  send(from: string, to: string, msg: Message): void {
    this.release(this.prepare(from, [[to, msg]]));
  }

  /**
   * Messages a step will send once it has taken effect: whether each can get
   * through (the link up, the receiver up) is decided now, when the step
   * happens; `release` records and transmits them, and a step lost in a crash
   * never releases them.
   */
  prepare(from: string, out: ReadonlyArray<readonly [string, Message]>): Prepared {
    return out.map(([to, msg]) => {
      const target = this.nodes.get(to);
      const open = target !== undefined && target.up && !this.cut(from, to);
      return { from, to, msg, incarnation: open ? target!.incarnation : -1 };
    });
  }

  /** Records and transmits prepared messages; `order` places their records just after the step that sent them. */
  release(prepared: Prepared, order?: number): void {
    prepared.forEach((flight, i) => {
      this.record({ kind: 'send', node: flight.from, to: flight.to, msg: flight.msg, ...(order === undefined ? {} : { order: order + 0.5 + i / (prepared.length + 1) / 2 }) });
      if (flight.incarnation < 0) return;
      if (this.mode.kind === 'manual') {
        this.pool.set(keyOf(flight.from, flight.to, flight.msg), flight);
        return;
      }
      const { clock, random, faults } = this.mode;
      if (random() < faults.loss) return;
      clock.schedule(1 + Math.floor(random() * faults.maxLatency), () => this.arrive(flight));
      if (random() < faults.duplicate) clock.schedule(faults.maxLatency + Math.floor(random() * faults.maxLatency * 20), () => this.arrive(flight));
    });
  }

  /** Manual mode: delivers a message from the pool; false when there is no such message or it cannot get through. */
  deliver(from: string, to: string, msg: Message): boolean {
    const flight = this.pool.get(keyOf(from, to, msg));
    if (!flight) return false;
    return this.arrive(flight);
  }

  /** A node crashed: what was on its way to it is gone. */
  forget(node: string): void {
    for (const [key, flight] of this.pool) if (flight.to === node) this.pool.delete(key);
  }

  private arrive(flight: InFlight): boolean {
    const target = this.nodes.get(flight.to)!;
    if (!target.up || target.incarnation !== flight.incarnation || this.cut(flight.from, flight.to)) return false;
    target.receive(flight.from, flight.msg);
    return true;
  }
}

/** Messages are compared as JSON with sorted keys. */
export function keyOf(from: string, to: string, msg: Message): string {
  return `${from}>${to}:${sortedJson(msg)}`;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
