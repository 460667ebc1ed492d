/*
 * An implementation of the lease lock of docs/guide.md: ordinary TypeScript
 * classes, not xstate machines, and not importing the model. It is what
 * chapter 12 of the guide checks against the model, by the log it writes.
 *
 * The `// #region` markers cut this file into the code blocks of the guide.
 */
// #region log
/** One line of the log, in the checker's vocabulary: a step (receive, request, tick) or a send. */
export type LogLine = { seq: number; kind: string; [field: string]: unknown };

/** Where every part of the system writes what it does, in order. */
export class Log {
  readonly lines: LogLine[] = [];
  write(entry: Omit<LogLine, 'seq'>): void {
    this.lines.push({ seq: this.lines.length + 1, ...entry } as LogLine);
  }
  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
}
// #endregion log

// #region network
type Message = { type: string; from: string; [field: string]: unknown };

/** In flight in any order, as long as they like: the test decides what arrives next. */
export class Network {
  readonly inFlight: Array<{ to: string; msg: Message }> = [];
  constructor(private readonly log: Log) {}
  send(from: string, to: string, msg: Message): void {
    this.log.write({ kind: 'send', process: from, to, msg });
    this.inFlight.push({ to, msg });
  }
}
// #endregion network

// #region servers
const LEASE_TICKS = 2;

export class LockServer {
  private holder: string | null = null;
  private token = 0;
  private age = 0;
  constructor(private readonly net: Network, private readonly log: Log) {}

  receive(msg: Message): void {
    const grant = msg.type === 'ACQUIRE' && this.holder === null;
    if (grant) [this.holder, this.token, this.age] = [msg.from, this.token + 1, 0];
    this.log.write({ kind: 'receive', process: 'lock', from: msg.from, msg, state: this.state() });
    if (grant) this.net.send('lock', msg.from, { type: 'GRANTED', token: this.token, from: 'lock' });
    else if (msg.type === 'ACQUIRE') this.net.send('lock', msg.from, { type: 'BUSY', from: 'lock' });
  }

  tick(): void {
    if (this.holder === null) return;
    if (++this.age >= LEASE_TICKS) [this.holder, this.age] = [null, 0];
  }

  /** What it reports of itself: in the log after each step, and to a test that asks. */
  state() {
    return { context: { holder: this.holder, token: this.token, age: this.age } };
  }
}

export class Storage {
  readonly accepted: Array<{ from: string; token: number }> = [];
  private highest = 0;
  constructor(private readonly fenced: boolean, private readonly log: Log) {}

  receive(msg: Message & { token: number }): void {
    // Fencing: a token smaller than one already seen is refused.
    if (!this.fenced || msg.token >= this.highest) {
      this.accepted.push({ from: msg.from, token: msg.token });
      this.highest = Math.max(this.highest, msg.token);
    }
    this.log.write({ kind: 'receive', process: 'storage', from: msg.from, msg, state: this.state() });
  }

  state() {
    return { context: { accepted: [...this.accepted] } };
  }
}
// #endregion servers

// #region client
export class Client {
  private phase: 'idle' | 'asking' | 'holding' | 'done' = 'idle';
  private token: number | null = null;
  private age = 0;
  constructor(readonly id: string, private readonly net: Network, private readonly log: Log) {}

  /** The application wants the lock, or wants to write: each is a request from outside, logged as one. */
  request(what: 'WANT_LOCK' | 'WRITE'): void {
    const wantsLock = what === 'WANT_LOCK' && this.phase === 'idle';
    const writes = what === 'WRITE' && this.phase === 'holding' && this.age < LEASE_TICKS;
    if (wantsLock) this.phase = 'asking';
    if (writes) this.phase = 'done';
    this.log.write({ kind: 'request', process: this.id, event: { type: what }, state: this.state() });
    if (wantsLock) this.net.send(this.id, 'lock', { type: 'ACQUIRE', from: this.id });
    if (writes) this.net.send(this.id, 'storage', { type: 'WRITE', token: this.token, from: this.id });
  }

  receive(msg: Message): void {
    if (msg.type === 'GRANTED') [this.phase, this.token, this.age] = ['holding', msg.token as number, 0];
    if (msg.type === 'BUSY') this.phase = 'idle';
    this.log.write({ kind: 'receive', process: this.id, from: msg.from, msg, state: this.state() });
  }

  tick(): void {
    if (this.phase === 'holding') this.age++;
  }

  state() {
    return { value: this.phase, context: { token: this.token, age: this.age } };
  }
}
// #endregion client

// #region system
/** The whole system in one process: what a run, or a test, makes happen next. */
export class LeaseLockSystem {
  readonly log = new Log();
  readonly net = new Network(this.log);
  private readonly lock = new LockServer(this.net, this.log);
  private readonly storage: Storage;
  readonly clients: Client[];

  constructor(options: { fenced: boolean; clients: number }) {
    this.storage = new Storage(options.fenced, this.log);
    this.clients = Array.from({ length: options.clients }, (_, i) => new Client(`c${i + 1}`, this.net, this.log));
  }

  /** The message in flight at this index arrives. */
  deliver(index: number): void {
    const { to, msg } = this.net.inFlight.splice(index, 1)[0]!;
    if (to === 'lock') this.lock.receive(msg);
    else if (to === 'storage') this.storage.receive(msg as Message & { token: number });
    else this.clients.find((c) => c.id === to)!.receive(msg);
  }

  /** Every clock advances at once. */
  tick(): void {
    this.lock.tick();
    for (const c of this.clients) c.tick();
    this.log.write({ kind: 'tick' });
  }

  request(client: string, what: 'WANT_LOCK' | 'WRITE'): void {
    this.clients.find((c) => c.id === client)!.request(what);
  }

  stateOf(process: string) {
    if (process === 'lock') return this.lock.state();
    if (process === 'storage') return this.storage.state();
    return this.clients.find((c) => c.id === process)!.state();
  }
}
// #endregion system

// #region run
/** A seeded run: the clients ask and write, messages arrive in a random order, the clock ticks a few times. */
export function runLeaseLock(seed: number, options: { fenced: boolean; clients: number; ticks: number; steps: number }): string {
  let random = seed + 1;
  const next = (n: number) => ((random = (random * 48271) % 2147483647), random % n);
  const system = new LeaseLockSystem(options);
  let ticks = 0;
  for (let step = 0; step < options.steps; step++) {
    const choice = next(4);
    if (choice === 0 && system.net.inFlight.length > 0) system.deliver(next(system.net.inFlight.length));
    else if (choice === 1 && ticks < options.ticks) {
      ticks++;
      system.tick();
    } else system.request(system.clients[next(system.clients.length)]!.id, next(2) === 0 ? 'WANT_LOCK' : 'WRITE');
  }
  return system.log.text();
}
// #endregion run
