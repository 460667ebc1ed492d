import type { Timers } from './clock.js';
import type { Network, Receiver } from './network.js';
import { AUTHORITY, INSTANCE, supersedes, type Message, type NodeState, type PlantedBug, type Recorder } from './protocol.js';

export interface InstanceOptions {
  replicas: string[];
  writes: number;
  /** How long the application waits before its next write, and between resends of one not acknowledged. */
  writeDelay: () => number;
  retryEvery: number;
  bug?: PlantedBug;
}

/** The EC2 instance: writes one block at a time to the primary the authority named, asking again while it goes unacknowledged. */
export class InstanceNode implements Receiver {
  readonly name = INSTANCE;
  readonly incarnation = 0;
  readonly up = true;
  private role: 'idle' | 'writing' = 'idle';
  private primary: string;
  private epoch = 1;
  private next = 1;
  private acked = 0;

  constructor(
    private readonly net: Network,
    private readonly timers: Timers,
    private readonly record: Recorder,
    private readonly options: InstanceOptions,
  ) {
    this.primary = options.replicas[0]!;
  }

  start(): void {
    this.armWrite();
  }

  state(): NodeState {
    return { role: this.role, primary: this.primary, epoch: this.epoch, next: this.next, acked: this.acked };
  }

  get acknowledged(): number {
    return this.acked;
  }

  receive(from: string, msg: Message): void {
    const out: Array<[string, Message]> = [];
    let bugTaken = false;
    if (msg.type === 'ACK' && this.role === 'writing' && msg.id === this.next) {
      this.role = 'idle';
      this.acked = this.next;
      this.next++;
      this.timers.clear('retry');
      this.armWrite();
    } else if (msg.type === 'NEW_PRIMARY') {
      if (supersedes(msg.epoch, this.epoch, this.options.bug)) {
        bugTaken = msg.epoch < this.epoch;
        this.primary = msg.primary;
        this.epoch = msg.epoch;
        if (this.role === 'writing') out.push([this.primary, this.writeMessage()]);
      } else if (msg.epoch === this.epoch && this.role === 'writing') {
        out.push([this.primary, this.writeMessage()]);
      }
    }
    this.record({ kind: 'recv', node: this.name, from, msg, state: this.state() });
    if (bugTaken) this.record({ kind: 'bug', node: this.name, bug: 'accept-stale-epoch' });
    this.flush(out);
  }

  /** The harness fires a timer by hand (model-driven tests, on ManualTimers). */
  fire(timer: 'write' | 'retry'): void {
    this.fired.get(timer)?.();
  }

  /** Whether the timer is armed in the current state. */
  wants(timer: 'write' | 'retry'): boolean {
    return timer === 'write' ? this.role === 'idle' && this.next <= this.options.writes : this.role === 'writing';
  }

  private writeMessage(): Message {
    return { type: 'WRITE', id: this.next, from: INSTANCE };
  }

  private readonly fired = new Map<'write' | 'retry', () => void>([
    ['write', () => this.onWriteTimer()],
    ['retry', () => this.onRetryTimer()],
  ]);

  private armWrite(): void {
    if (this.next > this.options.writes) return;
    this.timers.set('write', this.options.writeDelay(), () => this.onWriteTimer());
  }

  private onWriteTimer(): void {
    if (this.role !== 'idle' || this.next > this.options.writes) return;
    this.role = 'writing';
    this.record({ kind: 'timer', node: this.name, timer: 'write', state: this.state() });
    this.flush([[this.primary, this.writeMessage()]]);
    this.armRetry();
  }

  private armRetry(): void {
    this.timers.set('retry', this.options.retryEvery, () => this.onRetryTimer());
  }

  private onRetryTimer(): void {
    if (this.role !== 'writing') return;
    this.record({ kind: 'timer', node: this.name, timer: 'retry', state: this.state() });
    this.flush([[AUTHORITY, { type: 'ASK', from: INSTANCE }]]);
    this.armRetry();
  }

  private flush(out: Array<[string, Message]>): void {
    for (const [to, msg] of out) this.net.send(this.name, to, msg);
  }
}
