import type { Network, Receiver } from './network.js';
import { AUTHORITY, INSTANCE, withMember, type Message, type NodeState, type Recorder } from './protocol.js';

/**
 * The election authority (a per-cluster service): it alone names the primary,
 * one epoch at a time, and only for a replica of its current replica set that
 * asks in its current epoch; the suspects leave the replica set.
 */
export class AuthorityNode implements Receiver {
  readonly name = AUTHORITY;
  readonly incarnation = 0;
  readonly up = true;
  private epoch = 1;
  private primary: string;
  private members: string[];

  constructor(
    private readonly net: Network,
    private readonly record: Recorder,
    private readonly replicas: string[],
  ) {
    this.primary = replicas[0]!;
    this.members = [...replicas];
  }

  state(): NodeState {
    return { role: 'serving', epoch: this.epoch, primary: this.primary, members: [...this.members] };
  }

  receive(from: string, msg: Message): void {
    const out: Array<[string, Message]> = [];
    if (msg.type === 'REQUEST_PRIMACY') {
      const grantable =
        !msg.suspects.includes(msg.from) && msg.epoch === this.epoch && this.members.includes(msg.from) && msg.suspects.every((s) => this.members.includes(s));
      if (grantable) {
        this.epoch++;
        this.primary = msg.from;
        this.members = withMember(
          this.members.filter((m) => !msg.suspects.includes(m)),
          msg.from,
        );
        for (const to of [INSTANCE, ...this.replicas]) out.push([to, this.announcement()]);
      } else {
        out.push([msg.from, this.announcement()]);
      }
    } else if (msg.type === 'ASK') {
      out.push([msg.from, this.announcement()]);
    }
    this.record({ kind: 'recv', node: this.name, from, msg, state: this.state() });
    for (const [to, m] of out) this.net.send(this.name, to, m);
  }

  private announcement(): Message {
    return { type: 'NEW_PRIMARY', epoch: this.epoch, primary: this.primary, members: [...this.members], from: AUTHORITY };
  }
}
